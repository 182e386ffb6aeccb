/// One line of a response's header block, read from its bytes: libcurl hands over a line at a
/// time, with its CRLF.
enum HeaderLine: Equatable {
  /// `HTTP/1.1 200 OK`: a response begins. The code is 0 when the line has none.
  case statusLine(code: Int)
  /// `Name: value`; the value without the spaces and tabs around it.
  case field(name: String, value: String)
  /// The blank line that ends the block, or a line without a colon.
  case other

  init(_ bytes: UnsafeRawBufferPointer) {
    let carriageReturn: UInt8 = 0x0D
    let lineFeed: UInt8 = 0x0A
    var start = 0
    while start < bytes.count, bytes[start] == carriageReturn || bytes[start] == lineFeed {
      start += 1
    }
    var end = start
    while end < bytes.count, bytes[end] != carriageReturn, bytes[end] != lineFeed { end += 1 }
    let line = UnsafeRawBufferPointer(rebasing: bytes[start..<end])
    if line.starts(with: "HTTP/".utf8) {
      self = .statusLine(code: Self.statusCode(line))
      return
    }
    guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
      self = .other
      return
    }
    let isBlank: (UInt8) -> Bool = { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
    var valueStart = colon + 1
    var valueEnd = line.count
    while valueStart < valueEnd, isBlank(line[valueStart]) { valueStart += 1 }
    while valueEnd > valueStart, isBlank(line[valueEnd - 1]) { valueEnd -= 1 }
    self = .field(
      name: String(decoding: UnsafeRawBufferPointer(rebasing: line[..<colon]), as: UTF8.self),
      value: String(
        decoding: UnsafeRawBufferPointer(rebasing: line[valueStart..<valueEnd]), as: UTF8.self))
  }

  /// The second space-separated word as a number of at most three digits, else 0.
  private static func statusCode(_ line: UnsafeRawBufferPointer) -> Int {
    let space = UInt8(ascii: " ")
    var index = 0
    while index < line.count, line[index] != space { index += 1 }
    while index < line.count, line[index] == space { index += 1 }
    var code = 0
    var digits = 0
    while index < line.count, line[index] != space {
      let byte = line[index]
      guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), digits < 3 else { return 0 }
      code = code * 10 + Int(byte - UInt8(ascii: "0"))
      digits += 1
      index += 1
    }
    return code
  }
}

/// The non-empty lines of a header block, split at CR and LF bytes. (In Swift "\r\n" is one
/// Character, so this works on bytes, not Characters.)
func headerLines(_ bytes: UnsafeRawBufferPointer) -> [String] {
  bytes.split(whereSeparator: { $0 == 0x0D || $0 == 0x0A }).map {
    String(decoding: $0, as: UTF8.self)
  }
}

let redactedHeaderNames: Set<String> = [
  "x-api-key", "authorization", "proxy-authorization", "cookie", "set-cookie",
]

/// `x-api-key: sk_live_…` becomes `x-api-key: [redacted]`.
func redactHeaderLine(_ line: String) -> String {
  guard let colon = line.firstIndex(of: ":") else { return line }
  let name = line[..<colon].trimmingWhitespace().lowercased()
  guard redactedHeaderNames.contains(name) else { return line }
  return "\(line[..<colon]): [redacted]"
}
