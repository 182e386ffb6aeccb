import Foundation
import Testing
import TillKit
import TillSandbox

// MARK: - MCP transport

extension FaultCase {
  /// A proxy in front of the sandbox's MCP endpoint that passes the handshake through and
  /// treats each `tools/call` as `onToolCall` says.
  static func mcpProxy(
    onToolCall: @escaping @Sendable (ReceivedRequest) -> FaultAction
  ) throws -> FaultServer {
    try FaultServer(upstream: SharedSandbox.instance.port) { request, _ in
      let body = String(decoding: request.body, as: UTF8.self)
      return request.method == "POST" && body.contains(#""method":"tools/call""#)
        ? onToolCall(request) : .forward
    }
  }

  /// `cart add` through the proxy, the smallest command that calls one MCP tool. Each case
  /// names a cart of its own, so the sandbox (shared by the test run) answers it the same way
  /// every run.
  static func observeCartAdd(
    _ proxy: FaultServer, path: String, cart: String = "C", extra: [String] = []
  ) throws -> FaultObservation {
    defer { proxy.stop() }
    let till = comosTill(endpoint: proxy.baseURL + path)
    var observation = try observe(
      till, extra + ["cart", "add", "--cart", cart, "--product", "p1"])
    observation.requests = proxy.requests
    return observation
  }

  /// A sandbox of the case's own, since a gateway restart ends every session it serves,
  /// with a cart of `product` in it named `cart`; `body` runs till against its legacy
  /// transport, and the figures are the legacy streams the sandbox opened during `body` and
  /// the sagas it holds for `user`.
  static func observeRestart(
    cart: String, user: String,
    _ body: (Till) throws -> FaultObservation
  ) throws -> FaultObservation {
    let sandbox = Sandbox(configuration: SandboxConfiguration())
    try sandbox.start()
    defer { sandbox.stop() }
    let till = comosTill(endpoint: sandbox.baseURL + "/mcp/sse")
    let added = try till.run(["cart", "add", "--cart", cart, "--product", "p1"])
    guard added.status == 0 else { throw FaultSetupError(description: added.stderr) }
    func opened() throws -> Int {
      let stats = try CurlTransport().send(HTTPRequest(url: sandbox.baseURL + "/sandbox/stats/mcp"))
      return try JSONValue.parse(stats.body)["legacyStreams"]?["opened"]?.int ?? -1
    }
    let before = try opened()
    var observation = try body(till)
    observation.figures["streamsOpened"] = try opened() - before
    let list = try till.run(["-q", "checkout", "list", "--user", user])
    observation.figures["sagas"] = list.stdoutLines.count
    return observation
  }

  static let mcp: [FaultCase] = [
    FaultCase(
      group: .mcp,
      fault: "Legacy SSE gateway restarts between doing a status call and answering it",
      command: "--api comos checkout status SAGA --watch (at /mcp/sse)", expectedStatus: 0,
      expectedMessage: nil, printsID: false,
      run: {
        let user = "restart-\(UUID().uuidString)"
        return try observeRestart(cart: "restart-status-\(user)@example.com", user: user) {
          till in
          let started = try till.run([
            "-q", "checkout", "start", "--cart", "restart-status-\(user)@example.com", "--user",
            user, "--payment-method", "pm_card_visa",
          ])
          let id = started.stdout.trimmingCharacters(in: .newlines)
          guard started.status == 0, id.hasPrefix("saga_") else {
            throw FaultSetupError(description: started.stderr)
          }
          return try observe(till, ["checkout", "status", id, "--watch", "--interval", "50ms"])
        }
      },
      check: { observation in
        // One stream for the start; the watch's first status was asked again on a new
        // session, so two for the watch, and it went on to the end.
        #expect(observation.figures["streamsOpened"] == 3, "\(observation.figures)")
        #expect(observation.result.stdoutLines.last?.contains("completed") == true)
      },
      reportedLine: { observation in
        let last = observation.result.stdoutLines.last ?? ""
        let state = last.contains(" completed ") ? "completed" : "not completed: \(last)"
        let streams = observation.figures["streamsOpened"].map(String.init) ?? "?"
        return "(stdout) the watch ends \(state); \(streams) event streams in all"
      }),
    FaultCase(
      group: .mcp,
      fault: "Legacy SSE gateway restarts between starting a saga and answering checkout_start",
      command: "--api comos checkout start --cart C --user U (at /mcp/sse)", expectedStatus: 8,
      expectedMessage: "the server ended the event stream; not sent again, since the server may "
        + "have acted on it",
      printsID: false,
      run: {
        let user = "restart-\(UUID().uuidString)"
        return try observeRestart(cart: "restart-start-\(user)@example.com", user: user) {
          till in
          try observe(
            till,
            [
              "checkout", "start", "--cart", "restart-start-\(user)@example.com", "--user", user,
              "--payment-method", "pm_card_visa",
            ])
        }
      },
      check: { observation in
        // Sent once: the one saga it started is the user's only one, and nothing was printed.
        #expect(observation.figures["sagas"] == 1, "\(observation.figures)")
        #expect(observation.figures["streamsOpened"] == 1, "\(observation.figures)")
        #expect(observation.result.stdout.isEmpty)
      }),
    FaultCase(
      group: .mcp,
      fault: "Event stream kept open after the JSON-RPC response",
      command: "--api comos --timeout 20s cart add --cart held-open --product p1",
      expectedStatus: 0, expectedMessage: nil, printsID: false,
      run: {
        let proxy = try mcpProxy { _ in .forwardHoldingEventStreams }
        return try observeCartAdd(
          proxy, path: "/mcp-sse", cart: "held-open", extra: ["--timeout", "20s"])
      },
      check: { observation in
        // Had till waited for the stream to end, --timeout would have ended it with exit 8.
        #expect(observation.result.stdout.contains("(open): 1 item"), "\(observation.result)")
        #expect(observation.requests.contains { $0.method == "DELETE" }, "the session was ended")
      },
      reportedLine: { $0.result.stdoutLines.last ?? "" }),
    FaultCase(
      group: .mcp,
      fault: "Connection reset in the middle of a tool's answer",
      command: "--api comos cart add --cart C --product p1", expectedStatus: 8,
      expectedMessage: "lost",
      printsID: false,
      run: {
        let partial = httpResponse(
          200, "OK", body: Array(#"{"jsonrpc":"2.0","id":2,"res"#.utf8), length: 400)
        let proxy = try mcpProxy { _ in .reset(after: partial) }
        return try observeCartAdd(proxy, path: "/mcp")
      },
      check: { observation in
        let calls = observation.requests.filter {
          String(decoding: $0.body, as: UTF8.self).contains("tools/call")
        }
        #expect(calls.count == 1, "a tool call, which has no idempotency key, was sent again")
      }),
    FaultCase(
      group: .mcp,
      fault: "Tool call answered with nothing until --timeout",
      command: "--api comos --timeout 2s cart add --cart C --product p1", expectedStatus: 8,
      expectedMessage: "no complete response", printsID: false,
      run: {
        let proxy = try mcpProxy { _ in .stall }
        return try observeCartAdd(proxy, path: "/mcp", extra: ["--timeout", "2s"])
      }),
    FaultCase(
      group: .mcp,
      fault: "Tool call answered with an HTML page",
      command: "--api comos cart add --cart C --product p1", expectedStatus: 8,
      expectedMessage: "not JSON", printsID: false,
      run: {
        let page = httpResponse(
          200, "OK", body: Array("<html><body>Bad gateway</body></html>".utf8),
          contentType: "text/html")
        let proxy = try mcpProxy { _ in .respond(page) }
        return try observeCartAdd(proxy, path: "/mcp")
      }),
    FaultCase(
      group: .mcp,
      fault: "Event stream that ends without the response",
      command: "--api comos cart add --cart C --product p1", expectedStatus: 8,
      expectedMessage: "no JSON-RPC response with id", printsID: false,
      run: {
        let stream = httpResponse(
          200, "OK",
          body: Array(
            (": keep-alive\r\n\r\nevent: message\r\n"
              + #"data: {"jsonrpc":"2.0","method":"notifications/progress","params":{}}"#
              + "\r\n\r\n").utf8),
          contentType: "text/event-stream")
        let proxy = try mcpProxy { _ in .respondAndClose(stream) }
        return try observeCartAdd(proxy, path: "/mcp-sse")
      }),
  ]
}
