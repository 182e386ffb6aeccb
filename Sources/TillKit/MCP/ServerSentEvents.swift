/// One event of a `text/event-stream` body.
public struct ServerSentEvent: Sendable, Equatable {
  public var event: String
  public var data: String
  public var id: String?

  public init(event: String = "message", data: String, id: String? = nil) {
    self.event = event
    self.data = data
    self.id = id
  }
}

/// Splits an event stream into events, per the HTML Living Standard's rules: lines end in
/// CRLF, LF or CR; `data:` lines of one event join with newlines; a line starting with `:` is
/// a comment (keep-alives); a blank line ends an event. An event still open when the stream
/// ends is kept rather than dropped, since a server that closes right after its last event
/// meant it, unless `includingUnfinished` is false (for a stream still arriving).
public func parseServerSentEvents(
  _ bytes: some Collection<UInt8>, includingUnfinished: Bool = true
) -> [ServerSentEvent] {
  var events: [ServerSentEvent] = []
  var data: [String] = []
  var event = ""
  var id: String?
  var hasData = false
  func dispatch() {
    if hasData {
      events.append(
        ServerSentEvent(
          event: event.isEmpty ? "message" : event, data: data.joined(separator: "\n"), id: id))
    }
    data = []
    event = ""
    hasData = false
  }
  var bytes = Array(bytes)
  if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
  var lineStart = 0
  var index = 0
  func handle(_ line: ArraySlice<UInt8>) {
    if line.isEmpty {
      dispatch()
      return
    }
    if line.first == UInt8(ascii: ":") { return }
    let text = String(decoding: line, as: UTF8.self)
    let field: Substring
    var value: Substring
    if let colon = text.firstIndex(of: ":") {
      field = text[..<colon]
      value = text[text.index(after: colon)...]
      if value.first == " " { value = value.dropFirst() }
    } else {
      field = Substring(text)
      value = ""
    }
    switch field {
    case "data":
      data.append(String(value))
      hasData = true
    case "event": event = String(value)
    case "id" where !value.contains("\0"): id = String(value)
    default: break
    }
  }
  while index < bytes.count {
    let byte = bytes[index]
    if byte == 0x0A || byte == 0x0D {
      handle(bytes[lineStart..<index])
      if byte == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A { index += 1 }
      index += 1
      lineStart = index
      continue
    }
    index += 1
  }
  guard includingUnfinished else { return events }
  if lineStart < bytes.count { handle(bytes[lineStart...]) }
  dispatch()
  return events
}
