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
/// meant it.
public func parseServerSentEvents(_ bytes: some Collection<UInt8>) -> [ServerSentEvent] {
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
  if lineStart < bytes.count { handle(bytes[lineStart...]) }
  dispatch()
  return events
}

/// Reads a stream as it arrives: each call looks only at the bytes added since the last one
/// and returns the events that have ended since, so a long stream is read once, not once per
/// chunk. One reader follows one body; a body shorter than the last starts it afresh.
final class EventStreamReader: @unchecked Sendable {
  /// Bytes looked at so far.
  private var scanned = 0
  /// Where the first event not yet returned begins.
  private var eventsFrom = 0
  /// Where the events returned so far end: the bytes before it are read.
  var consumed: Int { eventsFrom }
  /// The byte before `scanned` ended a line (or nothing came before it).
  private var atLineStart = true
  /// That byte was a CR, so an LF right after it belongs to the same line end.
  private var afterCarriageReturn = false

  func eventsEnded(in body: [UInt8]) -> [ServerSentEvent] {
    if body.count < scanned {
      scanned = 0
      eventsFrom = 0
      atLineStart = true
      afterCarriageReturn = false
    }
    let carriageReturn: UInt8 = 0x0D
    let lineFeed: UInt8 = 0x0A
    var lastEventEnd: Int?
    for index in scanned..<body.count {
      let byte = body[index]
      if byte == lineFeed, afterCarriageReturn {
        afterCarriageReturn = false
        continue
      }
      afterCarriageReturn = false
      if byte == lineFeed || byte == carriageReturn {
        // An empty line ends an event.
        if atLineStart { lastEventEnd = index + 1 }
        atLineStart = true
        afterCarriageReturn = byte == carriageReturn
      } else {
        atLineStart = false
      }
    }
    scanned = body.count
    guard let end = lastEventEnd else { return [] }
    defer { eventsFrom = end }
    return parseServerSentEvents(body[eventsFrom..<end])
  }
}
