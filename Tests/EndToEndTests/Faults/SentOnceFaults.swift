import Foundation
import Testing
import TillKit
import TillSandbox

// MARK: - Sent once: what libcurl would repeat by itself

extension FaultCase {
  /// Requests of one kind the proxy received: POSTs to a path that ends with `suffix`, or MCP
  /// calls of one tool.
  static func posts(_ observation: FaultObservation, endingWith suffix: String) -> Int {
    observation.requests.filter { $0.method == "POST" && $0.path.hasSuffix(suffix) }.count
  }

  static func toolCalls(_ observation: FaultObservation, _ tool: String) -> Int {
    observation.requests.filter {
      $0.method == "POST" && $0.bodyText.contains(#""name":"\#(tool)""#)
    }.count
  }

  /// A proxy in front of the sandbox that closes the connection, without an answer, the first
  /// time `matches` holds for a request: after a request that went well on the same kept-alive
  /// connection, which is when libcurl would send it again on its own.
  static func droppingFirst(_ matches: @escaping @Sendable (ReceivedRequest) -> Bool) throws
    -> FaultServer
  {
    let seen = Counter()
    return try FaultServer(upstream: SharedSandbox.instance.port) { request, _ in
      matches(request) && seen.next() == 1 ? .close : .forward
    }
  }

  static let sentOnce: [FaultCase] = [
    FaultCase(
      group: .idempotency,
      fault: "Kept-alive connection closed after the ticketing `POST /cart/add` arrived",
      command: "--api ticketing cart add --seat S --price 1.00 --reserve --user U",
      expectedStatus: 8,
      expectedMessage: "lost: the server closed the connection without a "
        + "response; not sent again", printsID: false,
      run: {
        let proxy = try droppingFirst { $0.method == "POST" && $0.path.hasSuffix("/cart/add") }
        defer { proxy.stop() }
        let till = Till(baseURL: proxy.baseURL)
        till.environment["TILL_API"] = "ticketing"
        var observation = try observe(
          till,
          [
            "cart", "add", "--seat", UUID().uuidString.lowercased(), "--price", "1.00",
            "--reserve", "--user", "user-" + UUID().uuidString,
          ])
        observation.requests = proxy.requests
        return observation
      },
      check: { observation in
        #expect(posts(observation, endingWith: "/cart/add") == 1, "the addition was sent again")
        #expect(observation.result.stderr.contains("till cart show"), "what to check is named")
      }),
    FaultCase(
      group: .idempotency,
      fault: "Kept-alive connection closed after the ComOS `checkout_start` call arrived",
      command: "--api comos checkout start --cart C --user u1", expectedStatus: 8,
      expectedMessage: "lost: the server closed the connection without a response; not sent "
        + "again", printsID: false,
      run: {
        let cart = "once-" + UUID().uuidString
        let till = comosTill()
        let add = try observe(till, ["cart", "add", "--cart", cart, "--product", "p1"])
        guard add.result.status == 0 else {
          throw FaultSetupError(description: "cart add failed: \(add.result.stderr)")
        }
        let proxy = try droppingFirst { $0.bodyText.contains(#""name":"checkout_start""#) }
        defer { proxy.stop() }
        till.environment["TILL_BASE_URL"] = proxy.baseURL + "/mcp"
        var observation = try observe(till, ["checkout", "start", "--cart", cart, "--user", "u1"])
        observation.requests = proxy.requests
        return observation
      },
      check: { observation in
        #expect(toolCalls(observation, "checkout_start") == 1, "a second saga was started")
      }),
    FaultCase(
      group: .idempotency,
      fault: "Kept-alive connection closed after a ComOS status poll arrived (safe to repeat)",
      command: "--api comos checkout status SAGA", expectedStatus: 0, expectedMessage: nil,
      printsID: false,
      run: {
        let cart = "poll-" + UUID().uuidString
        let till = comosTill()
        let add = try observe(till, ["cart", "add", "--cart", cart, "--product", "p1"])
        let start = try observe(till, ["-q", "checkout", "start", "--cart", cart, "--user", "u1"])
        let saga = start.result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        guard add.result.status == 0, start.result.status == 0, !saga.isEmpty else {
          throw FaultSetupError(description: "no saga: \(add.result.stderr)\(start.result.stderr)")
        }
        let proxy = try droppingFirst { $0.bodyText.contains(#""name":"checkout_status""#) }
        defer { proxy.stop() }
        till.environment["TILL_BASE_URL"] = proxy.baseURL + "/mcp"
        var observation = try observe(till, ["checkout", "status", saga])
        observation.requests = proxy.requests
        return observation
      },
      check: { observation in
        #expect(toolCalls(observation, "checkout_status") == 2, "the read was sent again")
        #expect(observation.result.stdout.contains("saga_"), "\(observation.result)")
      },
      reportedLine: { observation in
        // The sandbox's saga ids differ at every run.
        (observation.result.stdoutLines.first ?? "").split(separator: " ").map {
          $0.hasPrefix("saga_") ? "saga_…" : String($0)
        }.joined(separator: " ")
      }),
  ]
}
