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
  /// A key that makes a repeated request safe (an order's `correlationId`). Only a request
  /// that has one, a GET, or one that `changesNothing`, is ever sent twice.
  public var idempotencyKey: String?
  /// Set by a sender that knows this request only reads, though it is not a GET (an MCP tool
  /// that reports a saga's status): it may be sent again like a GET.
  public var changesNothing = false
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

  /// Whether the request may reach the server twice. Only such a request is retried, and only
  /// such a request goes on a kept-alive connection: libcurl sends a request again, unasked, when
  /// a reused connection turns out to have been closed, and it cannot know whether the server
  /// acted on the first copy. Any other request gets a connection of its own.
  public var isRetryable: Bool { method == .get || idempotencyKey != nil || changesNothing }
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
