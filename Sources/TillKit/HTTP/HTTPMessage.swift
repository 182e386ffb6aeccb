public enum HTTPMethod: String, Sendable {
  case get = "GET"
  case post = "POST"
  case put = "PUT"
  case patch = "PATCH"
  case delete = "DELETE"
}

public struct HTTPRequest: Sendable {
  public var method: HTTPMethod
  public var url: String
  public var headers: HTTPHeaders
  public var body: [UInt8]?
  /// A key that makes a repeated request safe (C2A's `correlationId`). Only a request that has
  /// one, or a GET, is ever sent twice.
  public var idempotencyKey: String?
  /// For an answer the server may keep open after it has said all this request waits for (an
  /// MCP event stream that goes on after the response): asked with the headers and the body so
  /// far whenever a line of it ends, and when it says yes the transfer stops there and that is
  /// the answer. Without it, an answer lasts until the server ends it or `--timeout`.
  public var isAnswerComplete: (@Sendable (HTTPHeaders, [UInt8]) -> Bool)?

  public init(
    method: HTTPMethod = .get, url: String, headers: HTTPHeaders = HTTPHeaders(),
    body: [UInt8]? = nil, idempotencyKey: String? = nil,
    isAnswerComplete: (@Sendable (HTTPHeaders, [UInt8]) -> Bool)? = nil
  ) {
    self.method = method
    self.url = url
    self.headers = headers
    self.body = body
    self.idempotencyKey = idempotencyKey
    self.isAnswerComplete = isAnswerComplete
  }

  public var isRetryable: Bool { method == .get || idempotencyKey != nil }
}

public struct HTTPResponse: Sendable {
  public var status: Int
  public var headers: HTTPHeaders
  public var body: [UInt8]
  /// Connections libcurl opened for this exchange: 0 when it reused a kept-alive one.
  public var newConnections: Int
  /// How many times the request was sent to get this response.
  public var attempts = 1

  public init(
    status: Int, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = [], newConnections: Int = 0
  ) {
    self.status = status
    self.headers = headers
    self.body = body
    self.newConnections = newConnections
  }

  public var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// Sends one request and returns its response; the seam where tests and the retry policy meet
/// the network.
public protocol HTTPTransport: AnyObject {
  func send(_ request: HTTPRequest) throws(TransportError) -> HTTPResponse
}
