import Foundation
import Testing
import TillKit

// MARK: - What the terminal and the connection see

extension FaultCase {
  /// `till` started by a shell that closed some of its standard descriptors first
  /// (`closing` is e.g. `0<&- 1>&- 2>&-`), aimed at `server`.
  static func observeWithClosedDescriptors(
    _ closing: String, _ arguments: [String], server: FaultServer
  ) throws -> FaultObservation {
    defer { server.stop() }
    let till = Till(baseURL: server.baseURL)
    let began = monotonicSeconds()
    let running = try RunningTill(
      binary: "/bin/sh", arguments: ["-c", #"exec "$0" "$@" "# + closing, Till.binary] + arguments,
      environment: till.environment, stdin: nil)
    let killed = waitForExit(running, seconds: faultKillSeconds)
    var observation = FaultObservation(
      result: running.finish(timeout: 5), killed: killed,
      crashed: running.process.terminationReason == .uncaughtSignal,
      seconds: monotonicSeconds() - began)
    observation.requests = server.requests
    return observation
  }

  /// The first line of the first request the server received, as it arrived.
  static func firstRequestLine(_ observation: FaultObservation) -> String {
    guard let request = observation.requests.first else { return "no request received" }
    // CR LF is one Character, a newline.
    let lines = String(decoding: request.raw, as: UTF8.self).split(whereSeparator: \.isNewline)
    return "the server received: " + (lines.first.map(String.init) ?? "")
  }

  /// A proxy's password with a percent-encoded `@`, as `http_proxy` must hold one.
  static let proxyPassword = "pr0xy%40pass"

  /// A C2A status answer that is still processing, whose body asks for `seconds` before the
  /// next poll.
  static func processing(retryAfterSeconds seconds: String) -> FaultAction {
    .respond(
      httpResponse(
        200, "OK",
        json:
          #"{"trackingNumber":"\#(FakeC2A.trackingNumber)","#
          + #""status":{"messageCode":"CHECK_OUT_PROCESSING"},"#
          + #""followUpInstructions":{"retryAfterSeconds":\#(seconds),"canFollowUp":true}}"#))
  }

  /// A tool call answered on an event stream that carries, before the response, a request of
  /// the server's own (`method`) with the same JSON-RPC id as till's call.
  static func serverRequestFirst(_ method: String) -> @Sendable (ReceivedRequest) -> FaultAction {
    { request in
      let id =
        (try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])?["id"]
        as? Int ?? 0
      let stream =
        "event: message\r\n"
        + #"data: {"jsonrpc":"2.0","id":\#(id),"method":"\#(method)","params":{}}"# + "\r\n\r\n"
        + "event: message\r\n"
        + #"data: {"jsonrpc":"2.0","id":\#(id),"result":{"content":[],"structuredContent":"#
        + #"{"cartId":"C","items":[{"productId":"p1","quantity":1}]}}}"# + "\r\n\r\n"
      return .respond(
        httpResponse(200, "OK", body: Array(stream.utf8), contentType: "text/event-stream"))
    }
  }

  static let seen: [FaultCase] = [
    FaultCase(
      group: .seen, fault: "Standard input, output and error closed, with `-v`",
      command: "-v checkout status trk_FAULT 0<&- 1>&- 2>&-", expectedStatus: 0,
      expectedMessage: nil, printsID: false,
      run: {
        try observeWithClosedDescriptors(
          "0<&- 1>&- 2>&-", ["-v", "checkout", "status", FakeC2A.trackingNumber],
          server: FakeC2A.server(always: .respond(FakeC2A.status("CHECK_OUT_DONE"))))
      },
      check: { observation in
        // Had the socket been descriptor 2, the trace would have gone into the connection,
        // ahead of the request.
        #expect(observation.requests.count == 1, "\(observation.requests.map(\.method))")
        let raw = observation.requests.map { String(decoding: $0.raw, as: UTF8.self) }
        #expect(raw.allSatisfy { $0.hasPrefix("GET /") }, "\(raw)")
        #expect(!raw.contains { $0.contains("\n> ") || $0.contains("* ") }, "\(raw)")
      },
      reportedLine: firstRequestLine),
    FaultCase(
      group: .seen, fault: "A proxy password in `http_proxy`, with `-v`",
      command: "-v checkout status trk_FAULT (http_proxy=http://till:PASSWORD@HOST)",
      expectedStatus: 0,
      expectedMessage:
        "* Uses proxy env variable http_proxy == 'http://till:[redacted]@127.0.0.1:",
      reportsError: false,
      run: {
        let proxy = try FaultServer { _, _ in .respond(FakeC2A.status("CHECK_OUT_DONE")) }
        defer { proxy.stop() }
        let till = Till(baseURL: "http://127.0.0.1:9")
        till.environment["http_proxy"] = "http://till:\(proxyPassword)@127.0.0.1:\(proxy.port)"
        var observation = try observe(till, ["-v", "checkout", "status", FakeC2A.trackingNumber])
        observation.requests = proxy.requests
        return observation
      },
      check: { observation in
        let basic = "Basic " + Data("till:pr0xy@pass".utf8).base64EncodedString()
        #expect(
          observation.requests.first?.header("Proxy-Authorization") == basic,
          "the proxy was not asked with the password")
        for secret in [proxyPassword, "pr0xy@pass", String(basic.dropFirst(6))] {
          #expect(!observation.result.stderr.contains(secret), "\(observation.result.stderr)")
        }
      }),
    FaultCase(
      group: .seen, fault: "MCP server's own `ping` with the id of till's call, then the answer",
      command: "--api comos cart add --cart C --product p1", expectedStatus: 0,
      expectedMessage: nil, printsID: false,
      run: {
        try observeCartAdd(mcpProxy(onToolCall: serverRequestFirst("ping")), path: "/mcp-sse")
      },
      check: { #expect($0.result.stdout.contains("(open): 1 item"), "\($0.result)") },
      reportedLine: { $0.result.stdoutLines.last ?? "" }),
    FaultCase(
      group: .seen,
      fault:
        "MCP server's own `sampling/createMessage` with the id of till's call, then the answer",
      command: "--api comos cart add --cart C --product p1", expectedStatus: 0,
      expectedMessage: nil, printsID: false,
      run: {
        try observeCartAdd(
          mcpProxy(onToolCall: serverRequestFirst("sampling/createMessage")), path: "/mcp-sse")
      },
      check: { #expect($0.result.stdout.contains("(open): 1 item"), "\($0.result)") },
      reportedLine: { $0.result.stdoutLines.last ?? "" }),
    poll(
      "200 PROCESSING with retryAfterSeconds \(Int.max) in the body", group: .seen, status: 5,
      message:
        "stopped: the server asks to wait 6h before the next poll, longer than --max-wait 5s",
      command: "checkout start --offer o --watch --max-wait 5s",
      arguments: ["checkout", "start", "--offer", "o", "--watch", "--max-wait", "5s"],
      { _, _ in processing(retryAfterSeconds: String(Int.max)) },
      check: { expectPolls(1, $0) }),
    poll(
      "200 PROCESSING with retryAfterSeconds \(huge) in the body", group: .seen, status: 5,
      message:
        "stopped: the server asks to wait 6h before the next poll, longer than --max-wait 5s",
      command: "checkout start --offer o --watch --max-wait 5s",
      arguments: ["checkout", "start", "--offer", "o", "--watch", "--max-wait", "5s"],
      { _, _ in processing(retryAfterSeconds: huge) },
      check: { expectPolls(1, $0) }),
  ]
}
