/// Why a request was refused; carries the status to answer with. A rejected request always
/// closes the connection, because after it the byte stream cannot be trusted to be framed.
struct HTTPRequestRejection: Error, Sendable {
  var status: Int
  var reason: String
}

/// A request head that passed every check, with what the connection needs to read the body.
struct HTTPRequestHead: Sendable {
  var request: HTTPRequest
  var contentLength: Int
  /// The client sent `Expect: 100-continue` and waits for a go-ahead before the body.
  var expectsContinue: Bool
}

/// Strict HTTP/1.x request-head parsing (RFC 9112), so that a client that frames requests
/// wrongly is told so here rather than working by luck against a lenient server.
enum HTTPRequestParser {
  static let maximumHeadBytes = 64 * 1024
  static let maximumBodyBytes = 1 << 20

  private static let lineFeed = UInt8(ascii: "\n")
  private static let carriageReturn = UInt8(ascii: "\r")

  /// The index just past the blank line ending the head that starts at `start`, or nil when
  /// more bytes are needed. `resumeAt` remembers how far earlier calls scanned, so reading a
  /// head in many small pieces stays linear. Bare LF line ends are accepted (RFC 9112 §2.2).
  static func headEnd(in buffer: [UInt8], from start: Int, resumeAt: inout Int) -> Int? {
    var index = max(start, resumeAt)
    while index < buffer.count {
      if buffer[index] == lineFeed {
        guard index + 1 < buffer.count else { break }
        if buffer[index + 1] == lineFeed { return index + 2 }
        if buffer[index + 1] == carriageReturn {
          guard index + 2 < buffer.count else { break }
          if buffer[index + 2] == lineFeed { return index + 3 }
        }
      }
      index += 1
    }
    resumeAt = index
    return nil
  }

  /// Parses the bytes of one head, blank line included.
  static func parseHead(_ bytes: ArraySlice<UInt8>) throws(HTTPRequestRejection) -> HTTPRequestHead
  {
    var lines: [ArraySlice<UInt8>] = []
    var lineStart = bytes.startIndex
    for index in bytes.indices where bytes[index] == lineFeed {
      var line = bytes[lineStart..<index]
      if line.last == carriageReturn { line = line.dropLast() }
      lines.append(line)
      lineStart = index + 1
    }
    guard let requestLine = lines.first else {
      throw HTTPRequestRejection(status: 400, reason: "empty request")
    }
    var request = try parseRequestLine(requestLine)
    for line in lines.dropFirst() where !line.isEmpty {
      request.headers.append(try parseField(line))
    }
    return try frame(request)
  }

  private static func parseRequestLine(
    _ line: ArraySlice<UInt8>
  ) throws(HTTPRequestRejection) -> HTTPRequest {
    let parts = line.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
    guard parts.count == 3 else {
      throw HTTPRequestRejection(
        status: 400, reason: "request line is not 'METHOD target HTTP/1.1'")
    }
    let method = parts[0]
    guard !method.isEmpty, method.allSatisfy(isTokenCharacter) else {
      throw HTTPRequestRejection(status: 400, reason: "request method is not a token")
    }
    let target = parts[1]
    guard !target.isEmpty, target.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
      throw HTTPRequestRejection(status: 400, reason: "request target is empty or not ASCII")
    }
    let minorVersion = try parseVersion(parts[2])
    let targetText = String(decoding: target, as: UTF8.self)
    guard let path = path(ofTarget: targetText) else {
      throw HTTPRequestRejection(status: 400, reason: "request target is not a path")
    }
    return HTTPRequest(
      method: String(decoding: method, as: UTF8.self), target: targetText, path: path,
      minorVersion: minorVersion, headers: [])
  }

  private static func parseVersion(_ bytes: ArraySlice<UInt8>) throws(HTTPRequestRejection) -> Int {
    let text = Array(bytes)
    let isDigit: (UInt8) -> Bool = { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    guard text.count == 8, text[0..<5] == Array("HTTP/".utf8)[...], isDigit(text[5]),
      text[6] == UInt8(ascii: "."), isDigit(text[7])
    else {
      throw HTTPRequestRejection(status: 400, reason: "HTTP version is malformed")
    }
    guard text[5] == UInt8(ascii: "1") else {
      throw HTTPRequestRejection(status: 505, reason: "only HTTP/1.0 and HTTP/1.1 are spoken")
    }
    return Int(text[7] - UInt8(ascii: "0"))
  }

  private static func path(ofTarget target: String) -> String? {
    var rest = Substring(target)
    if rest.hasPrefix("/") {
      // origin-form: the usual case
    } else if let schemeEnd = rest.firstRange(of: "://"),
      ["http", "https"].contains(rest[..<schemeEnd.lowerBound].lowercased())
    {
      // absolute-form, which proxies send and servers must accept (RFC 9112 §3.2.2)
      let authorityAndPath = rest[schemeEnd.upperBound...]
      rest = authorityAndPath.firstIndex(of: "/").map { authorityAndPath[$0...] } ?? "/"
    } else if rest == "*" {
      return "*"
    } else {
      return nil
    }
    return String(rest.prefix { $0 != "?" })
  }

  private static func parseField(
    _ line: ArraySlice<UInt8>
  ) throws(HTTPRequestRejection) -> (name: String, value: String) {
    if line.first == UInt8(ascii: " ") || line.first == UInt8(ascii: "\t") {
      throw HTTPRequestRejection(status: 400, reason: "obsolete line folding in header fields")
    }
    guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
      throw HTTPRequestRejection(status: 400, reason: "header line without a colon")
    }
    let name = line[line.startIndex..<colon]
    // A space before the colon is rejected on purpose: RFC 9112 §5.1 forbids it because
    // servers that trimmed it have been used to smuggle requests.
    guard !name.isEmpty, name.allSatisfy(isTokenCharacter) else {
      throw HTTPRequestRejection(status: 400, reason: "header name is not a token")
    }
    let value = line[(colon + 1)...]
    guard value.allSatisfy({ $0 == 0x09 || ($0 >= 0x20 && $0 != 0x7F) }) else {
      throw HTTPRequestRejection(status: 400, reason: "control character in a header value")
    }
    return (
      String(decoding: name, as: UTF8.self),
      HTTPText.trimmed(Substring(String(decoding: value, as: UTF8.self)))
    )
  }

  /// Checks the fields that decide how the body is framed and what the client expects.
  private static func frame(
    _ request: HTTPRequest
  ) throws(HTTPRequestRejection) -> HTTPRequestHead {
    if request.header("Transfer-Encoding") != nil {
      throw HTTPRequestRejection(
        status: 501, reason: "Transfer-Encoding is not supported; send Content-Length")
    }
    let hostFields = request.headers.filter { $0.name.lowercased() == "host" }
    if request.minorVersion >= 1 && hostFields.count != 1 {
      throw HTTPRequestRejection(status: 400, reason: "HTTP/1.1 needs exactly one Host field")
    }
    let contentLength = try parseContentLength(request.headerTokens("Content-Length"))
    if contentLength > maximumBodyBytes {
      throw HTTPRequestRejection(
        status: 413, reason: "body is larger than \(maximumBodyBytes) bytes")
    }
    var expectsContinue = false
    if let expectation = request.header("Expect") {
      guard expectation.lowercased() == "100-continue" else {
        throw HTTPRequestRejection(status: 417, reason: "only Expect: 100-continue is met")
      }
      expectsContinue = request.minorVersion >= 1
    }
    return HTTPRequestHead(
      request: request, contentLength: contentLength, expectsContinue: expectsContinue)
  }

  private static func parseContentLength(
    _ values: [String]
  ) throws(HTTPRequestRejection) -> Int {
    var length: Int?
    for value in values {
      guard !value.isEmpty, value.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
        throw HTTPRequestRejection(status: 400, reason: "Content-Length is not a number")
      }
      // Too many digits to fit is still a well-formed length, just one over the cap.
      let parsed = Int(value) ?? Int.max
      if let length, length != parsed {
        throw HTTPRequestRejection(status: 400, reason: "conflicting Content-Length values")
      }
      length = parsed
    }
    return length ?? 0
  }

  /// `tchar` of RFC 9110 §5.6.2.
  private static func isTokenCharacter(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"):
      return true
    default:
      return Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
    }
  }
}
