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

  func submit(_ transport: CurlTransport, offer: String = "success") throws -> HTTPResponse {
    let body =
      #"{"order":{"offerIdentifier":"\#(offer)","correlationId":"\#(makeUUID())","items":[]}}"#
    return try transport.send(
      HTTPRequest(
        method: .post, url: Self.sandbox.baseURL + "/api/v1/c2a/offer/checkout",
        headers: HTTPHeaders([
          ("x-tn", "t1"), ("x-api-key", "sk_test_transport_secret"),
          ("Content-Type", "application/json"),
        ]), body: Array(body.utf8)))
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
    #expect(first.newConnections == 1)
    #expect(second.newConnections == 0)
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

  @Test(arguments: ["ftp://h/x", "h/x", "http://", "http://h:port/"])
  func badURLs(url: String) {
    #expect(Endpoint(url: url) == nil)
  }
}
