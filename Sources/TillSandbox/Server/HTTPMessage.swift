/// One parsed HTTP/1.x request, body included.
struct HTTPRequest: Sendable {
  var method: String
  /// The request-target as sent, query included.
  var target: String
  /// The path the routes match on: the target without query, absolute-form reduced to a path.
  var path: String
  /// 0 for HTTP/1.0, 1 for HTTP/1.1.
  var minorVersion: Int
  /// Header fields in arrival order; names keep the client's spelling.
  var headers: [(name: String, value: String)]
  var body: [UInt8] = []

  /// The first field with this name, compared case-insensitively as RFC 9110 requires.
  func header(_ name: String) -> String? {
    let wanted = name.lowercased()
    return headers.first { $0.name.lowercased() == wanted }?.value
  }

  /// All values of a field, split on commas, lower-cased: the form list-valued fields such as
  /// `Connection` are compared in.
  func headerTokens(_ name: String) -> [String] {
    let wanted = name.lowercased()
    return headers.filter { $0.name.lowercased() == wanted }.flatMap { field in
      field.value.split(separator: ",").map { HTTPText.trimmed($0).lowercased() }
    }
  }

  /// The media type of `Content-Type`, lower-cased, without its parameters.
  var mediaType: String? {
    header("Content-Type")?.split(separator: ";").first.map { HTTPText.trimmed($0).lowercased() }
  }

  /// The media ranges of `Accept`, lower-cased, without their parameters.
  var acceptedMediaTypes: [String] {
    headerTokens("Accept").map { token in
      token.split(separator: ";").first.map { HTTPText.trimmed($0) } ?? ""
    }
  }

  /// The one non-empty path segment after `prefix`, if the path is exactly that.
  func pathSegment(after prefix: String) -> String? {
    guard path.hasPrefix(prefix) else { return nil }
    let rest = path.dropFirst(prefix.count)
    guard !rest.isEmpty, !rest.contains("/") else { return nil }
    return String(rest)
  }

  /// Whether the client asked to keep the connection open after this exchange.
  var wantsPersistentConnection: Bool {
    let tokens = headerTokens("Connection")
    return minorVersion >= 1 ? !tokens.contains("close") : tokens.contains("keep-alive")
  }
}

/// One response. `Content-Length` (except on a 204), `Date` and `Connection` are added when
/// it is written.
struct HTTPResponse: Sendable {
  var status: Int
  var headers: [(name: String, value: String)] = []
  var body: [UInt8] = []
  /// Set for answers after which the request stream can no longer be trusted.
  var closesConnection = false
  /// For an answer that goes on after its head (an event stream): called on the connection's
  /// thread once the head is sent, it writes the body as it comes and returns when done; the
  /// connection closes after it, which ends the body.
  var stream: (@Sendable (StreamWriter) -> Void)?

  init(status: Int, contentType: String, body: [UInt8], headers: [(String, String)] = []) {
    self.status = status
    self.headers = [("Content-Type", contentType)] + headers.map { (name: $0.0, value: $0.1) }
    self.body = body
  }

  /// A response without content, such as a 204 or ASP.NET Core's empty 405.
  init(status: Int, headers: [(String, String)] = []) {
    self.status = status
    self.headers = headers.map { (name: $0.0, value: $0.1) }
  }

  /// The bytes on the wire. Responses are always HTTP/1.1, the highest version the sandbox
  /// speaks, which RFC 9110 §2.5 asks for even when answering an HTTP/1.0 client.
  func serialized(keepAlive: Bool, announceKeepAlive: Bool, date: String) -> [UInt8] {
    var head = "HTTP/1.1 \(status) \(HTTPResponse.reasonPhrase(status))\r\n"
    head += "Date: \(date)\r\n"
    for field in headers {
      head += "\(field.name): \(field.value)\r\n"
    }
    // RFC 9110 §8.6: a 204 carries no Content-Length; a stream ends when the connection does.
    if status != 204 && stream == nil {
      head += "Content-Length: \(body.count)\r\n"
    }
    if !keepAlive {
      head += "Connection: close\r\n"
    } else if announceKeepAlive {
      head += "Connection: keep-alive\r\n"
    }
    head += "\r\n"
    return Array(head.utf8) + body
  }

  static func reasonPhrase(_ status: Int) -> String {
    switch status {
    case 100: "Continue"
    case 200: "OK"
    case 201: "Created"
    case 202: "Accepted"
    case 204: "No Content"
    case 400: "Bad Request"
    case 401: "Unauthorized"
    case 404: "Not Found"
    case 405: "Method Not Allowed"
    case 406: "Not Acceptable"
    case 409: "Conflict"
    case 413: "Content Too Large"
    case 415: "Unsupported Media Type"
    case 417: "Expectation Failed"
    case 422: "Unprocessable Content"
    case 429: "Too Many Requests"
    case 431: "Request Header Fields Too Large"
    case 500: "Internal Server Error"
    case 501: "Not Implemented"
    case 503: "Service Unavailable"
    case 505: "HTTP Version Not Supported"
    default: "Status \(status)"
    }
  }
}

enum HTTPText {
  /// Drops the optional whitespace (SP, HTAB) HTTP allows around field values and list items.
  static func trimmed(_ text: Substring) -> String {
    var slice = text[...]
    while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
    while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
    return String(slice)
  }

  /// A path segment with its `%XX` escapes decoded; nil when an escape is malformed or the
  /// result is not UTF-8.
  static func percentDecoded(_ segment: Substring) -> String? {
    var bytes: [UInt8] = []
    var index = segment.utf8.startIndex
    let utf8 = segment.utf8
    while index < utf8.endIndex {
      let byte = utf8[index]
      guard byte == UInt8(ascii: "%") else {
        bytes.append(byte)
        index = utf8.index(after: index)
        continue
      }
      guard let high = utf8.index(index, offsetBy: 1, limitedBy: utf8.endIndex),
        let low = utf8.index(index, offsetBy: 2, limitedBy: utf8.endIndex), low < utf8.endIndex,
        case let hex = String(decoding: utf8[high...low], as: UTF8.self),
        hex.allSatisfy(\.isHexDigit), let value = UInt8(hex, radix: 16)
      else { return nil }
      bytes.append(value)
      index = utf8.index(after: low)
    }
    return String(validating: bytes, as: UTF8.self)
  }
}
