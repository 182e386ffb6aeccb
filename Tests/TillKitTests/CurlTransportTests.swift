import Synchronization
import Testing
import TillSandbox

@testable import TillKit

/// The libcurl layer against a real HTTP server on 127.0.0.1.
@Suite struct CurlTransportTests {
  static let sandbox: Sandbox = {
    let sandbox = Sandbox(
      configuration: SandboxConfiguration(pollsBeforeDone: 1, retryAfterSeconds: 0))
    try! sandbox.start()
    return sandbox
  }()

  func submit(_ transport: CurlTransport, offer: String = "success", keyed: Bool = true) throws
    -> HTTPResponse
  {
    let key = makeUUID()
    let body = #"{"order":{"offerIdentifier":"\#(offer)","correlationId":"\#(key)","items":[]}}"#
    return try transport.send(
      HTTPRequest(
        method: .post, url: Self.sandbox.baseURL + "/api/v1/c2a/offer/checkout",
        headers: HTTPHeaders([
          ("x-tn", "t1"), ("x-api-key", "sk_test_transport_secret"),
          ("Content-Type", "application/json"),
        ]), body: Array(body.utf8), idempotencyKey: keyed ? key : nil))
  }

  @Test func headersArriveCleanAndCaseInsensitive() throws {
    let response = try submit(CurlTransport())
    #expect(response.status == 202)
    #expect(response.headers["retry-after"] == "0")
    #expect(response.headers["RETRY-AFTER"] == "0")
    #expect(response.headers["Content-Type"] == "application/clientOutput+Json")
    #expect(try JSONValue.parse(response.body)["trackingNumber"]?.string?.hasPrefix("trk_") == true)
  }

  @Test func consecutiveRequestsShareOneConnection() throws {
    let transport = try CurlTransport()
    let first = try submit(transport)
    let second = try submit(transport)
    let poll = try transport.send(HTTPRequest(url: Self.sandbox.baseURL + "/sandbox/stats"))
    #expect(first.newConnections == 1)
    #expect(second.newConnections == 0)
    #expect(poll.newConnections == 0)
  }

  /// libcurl sends a request again by itself when a kept-alive connection turns out to be
  /// closed; a request that must reach the server at most once never uses one.
  @Test func aRequestThatMustNotBeRepeatedGetsAConnectionOfItsOwn() throws {
    let transport = try CurlTransport()
    _ = try submit(transport)
    let unkeyed = try submit(transport, keyed: false)
    var read = HTTPRequest(method: .post, url: Self.sandbox.baseURL + "/sandbox/stats")
    read.changesNothing = true
    let marked = try transport.send(read)
    #expect(unkeyed.newConnections == 1)
    #expect(marked.newConnections == 0)
  }

  @Test func traceRedactsSecretsAndSplitsLines() throws {
    let lines = Mutex<[String]>([])
    let transport = try CurlTransport(trace: { line in lines.withLock { $0.append(line) } })
    _ = try submit(transport)
    let traced = lines.withLock { $0 }
    #expect(traced.contains("> x-api-key: [redacted]"))
    #expect(traced.contains("< Retry-After: 0"))
    #expect(traced.contains { $0.hasPrefix("> POST /api/v1/c2a/offer/checkout HTTP/1.1") })
    #expect(!traced.contains { $0.contains("sk_test_transport_secret") })
    #expect(!traced.contains { $0.contains("\\r") || $0.contains("\r") })
  }

  @Test func aBodyOverTheCapIsAnError() throws {
    var options = TransportOptions()
    options.maxBodyBytes = 64
    let transport = try CurlTransport(options: options)
    #expect(throws: TransportError.bodyTooLarge(limit: 64)) { try submit(transport) }
  }

  @Test func refusedConnectionsNameTheEndpoint() throws {
    let transport = try CurlTransport()
    #expect(
      throws: TransportError.couldNotConnect(endpoint: "127.0.0.1:9", reason: "connection refused")
    ) { try transport.send(HTTPRequest(url: "http://127.0.0.1:9/")) }
  }

  @Test(arguments: [
    ("http://127.0.0.1:9/x", "127.0.0.1:9"), ("https://h.example/a?b", "h.example:443"),
    ("http://user:pw@h:81", "h:81"), ("http://[::1]:8080/", "[::1]:8080"),
  ])
  func endpoints(url: String, display: String) {
    #expect(Endpoint(url: url)?.display == display)
  }

  @Test(arguments: ["ftp://h/x", "h/x", "http://", "http://h:port/", "http://h:99999/"])
  func badURLs(url: String) {
    #expect(Endpoint(url: url) == nil)
  }

  /// Header lines as libcurl hands them over, one per call with its CRLF, read from bytes.
  @Test(arguments: [
    ("HTTP/1.1 202 Accepted\r\n", HeaderLine.statusLine(code: 202)),
    ("HTTP/2 429\r\n", .statusLine(code: 429)),
    ("HTTP/1.1   503   Busy\r\n", .statusLine(code: 503)),
    ("HTTP/1.1 2x0 Odd\r\n", .statusLine(code: 0)),
    ("HTTP/1.1 2000 Long\r\n", .statusLine(code: 0)),
    ("HTTP/1.1\r\n", .statusLine(code: 0)),
    ("Retry-After: 3\r\n", .field(name: "Retry-After", value: "3")),
    ("retry-after:\t 3 \t\r\n", .field(name: "retry-after", value: "3")),
    ("Location: http://h/a:b\r\n", .field(name: "Location", value: "http://h/a:b")),
    ("X-Empty:\r\n", .field(name: "X-Empty", value: "")),
    ("X-Bytes: caf\u{e9}\r\n", .field(name: "X-Bytes", value: "caf\u{e9}")),
    ("\r\n", .other),
    ("no colon here\r\n", .other),
    ("", .other),
  ])
  func headerLinesAreReadFromBytes(line: String, expected: HeaderLine) {
    let read = Array(line.utf8).withUnsafeBytes { HeaderLine($0) }
    #expect(read == expected)
  }

  /// Bytes that are not UTF-8 become replacement characters, never a crash or a lost field.
  @Test func headerLinesWithInvalidUTF8StillParse() {
    let bytes: [UInt8] = Array("X-Name: a".utf8) + [0xFF, 0xFE] + Array("b\r\n".utf8)
    let read = bytes.withUnsafeBytes { HeaderLine($0) }
    #expect(read == .field(name: "X-Name", value: "a\u{FFFD}\u{FFFD}b"))
  }
}
