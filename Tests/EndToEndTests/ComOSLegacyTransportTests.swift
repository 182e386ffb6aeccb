import Foundation
import Testing
import TillKit
import TillSandbox

/// The legacy MCP HTTP+SSE transport (protocol 2024-11-05), which the gateway's own examples
/// use at `…/mcp/sse`: till POSTs initialize, takes the 4xx as the sign of a legacy server,
/// GETs the URL and posts where its `endpoint` event says; every answer comes on that stream.
@Suite struct ComOSLegacyTransportTests {
  /// Lines of a `-v` trace that start with `prefix`.
  private func count(_ prefix: String, in trace: String) -> Int {
    trace.split(separator: "\n").filter { $0.hasPrefix(prefix) }.count
  }

  private func legacyStreams(_ sandbox: Sandbox) throws -> (open: Int, opened: Int) {
    let response = try CurlTransport().send(
      HTTPRequest(url: sandbox.baseURL + "/sandbox/stats/mcp"))
    let json = try JSONValue.parse(response.body)
    return (json["legacyStreams"]?["open"]?.int ?? -1, json["legacyStreams"]?["opened"]?.int ?? -1)
  }

  @Test func aWatchKeepsOneStreamAndOneConnectionAndClosesTheStreamAtTheEnd() throws {
    let sandbox = Sandbox(
      configuration: SandboxConfiguration(pollsBeforeDone: 2, retryAfterSeconds: 1))
    try sandbox.start()
    defer { sandbox.stop() }
    let till = comosTill(endpoint: sandbox.baseURL + "/mcp/sse")
    let cart = "legacy-\(UUID().uuidString)@example.com"
    #expect(try till.run(["cart", "add", "--cart", cart, "--product", "p1"]).status == 0)
    let started = try till.run([
      "-q", "checkout", "start", "--cart", cart, "--user", "u1", "--payment-method",
      "pm_test_visa",
    ])
    #expect(started.status == 0, "\(started.stderr)")
    let id = started.stdout.trimmingCharacters(in: .newlines)
    #expect(try legacyStreams(sandbox) == (0, 2))

    let watch = try till.run(["-v", "checkout", "status", id, "--watch", "--interval", "50ms"])
    #expect(watch.status == 0, "\(watch.stderr)")
    #expect(watch.stdoutLines.count >= 7, "\(watch.stdout)")
    #expect(watch.stdoutLines.last?.contains("completed") == true)
    // The spec's probe: one POST of initialize to the URL, refused; then one GET for the run.
    #expect(count("> POST /mcp/sse ", in: watch.stderr) == 1)
    #expect(watch.stderr.contains("< HTTP/1.1 405"))
    #expect(count("> GET /mcp/sse ", in: watch.stderr) == 1, "\(watch.stderr)")
    // initialize, initialized, then one checkout_status per poll: all on one connection.
    #expect(count("> POST /mcp/messages?session_id=", in: watch.stderr) >= 9)
    #expect(count("* Connected to", in: watch.stderr) == 2, "\(watch.stderr)")
    // The stream was the sandbox's only one for this run, and is closed once till exits.
    var streams = try legacyStreams(sandbox)
    let deadline = Date().addingTimeInterval(5)
    while streams.open != 0 && Date() < deadline {
      Thread.sleep(forTimeInterval: 0.02)
      streams = try legacyStreams(sandbox)
    }
    #expect(streams == (0, 3))
  }

  @Test func aURLThatIsNeitherTransportSaysWhatBothAnswered() throws {
    let till = comosTill(endpoint: SharedSandbox.baseURL + "/mcp/nowhere")
    let result = try till.run(["checkout", "status", "saga_X"])
    #expect(result.status == 4, "\(result.stderr)")
    #expect(result.stderr.contains("connecting to the MCP server"))
    #expect(result.stderr.contains("a GET of the URL found no HTTP+SSE server either (HTTP 404"))
    #expect(result.stderr.split(separator: "\n").count == 1)
  }

  @Test(.mcpSDKServer) func theSDKsSSEServerTransportServesAWatchOnOneStream() throws {
    let server = try MCPServerProcess.start(mode: .legacy)
    defer { server.stop() }
    #expect(server.baseURL.hasSuffix("/mcp/sse"))
    let till = comosTill(endpoint: server.baseURL)
    let cart = "sdk-legacy-\(UUID().uuidString)@example.com"
    #expect(try till.run(["cart", "add", "--cart", cart, "--product", "p1"]).status == 0)
    let started = try till.run([
      "-q", "checkout", "start", "--cart", cart, "--user", "u1", "--payment-method",
      "pm_test_visa",
    ])
    #expect(started.status == 0, "\(started.stderr)\(server.output)")
    let id = started.stdout.trimmingCharacters(in: .newlines)
    let watch = try till.run(["-v", "checkout", "status", id, "--watch", "--interval", "50ms"])
    #expect(watch.status == 0, "\(watch.stderr)")
    #expect(watch.stdoutLines.last?.contains("completed") == true, "\(watch.stdout)")
    #expect(count("> GET /mcp/sse ", in: watch.stderr) == 1)
    #expect(count("> POST /mcp/messages/?session_id=", in: watch.stderr) >= 9)
    #expect(count("* Connected to", in: watch.stderr) == 2, "\(watch.stderr)")
    let missing = try till.run(["checkout", "status", "saga_NOPE"])
    #expect(missing.status == 4, "\(missing.stderr)")
  }
}
