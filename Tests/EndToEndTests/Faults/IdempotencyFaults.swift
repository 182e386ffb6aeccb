import Foundation
import Testing
import TillKit
import TillSandbox

// MARK: - Idempotency

extension FaultCase {
  static let customer = "3f2b8c1e-6d4a-4f7e-9b2c-1a2b3c4d5e6f"

  static let idempotency: [FaultCase] = [
    FaultCase(
      group: .idempotency,
      fault: "Connection dropped after the sandbox received the C2A submit",
      command: "checkout start --offer success --watch", expectedStatus: 0,
      expectedMessage: nil, printsID: false,
      run: {
        // A sandbox of its own, so its count of checkouts is this case's alone.
        let sandbox = Sandbox(
          configuration: SandboxConfiguration(pollsBeforeDone: 1, retryAfterSeconds: 1))
        try sandbox.start()
        defer { sandbox.stop() }
        let submits = Counter()
        let proxy = try FaultServer(upstream: sandbox.port) { request, _ in
          request.method == "POST" && submits.next() == 1 ? .forwardThenDrop : .forward
        }
        var observation = try observeFake(
          proxy, ["checkout", "start", "--offer", "success", "--watch"])
        let stats = try JSONValue.parse(
          CurlTransport().send(HTTPRequest(url: sandbox.baseURL + "/sandbox/stats")).body)
        observation.figures["checkoutsCreated"] = stats["checkoutsCreated"]?.int ?? -1
        return observation
      },
      check: { observation in
        let submits = observation.requests.filter { $0.method == "POST" }
        #expect(submits.count == 2, "the dropped submit was sent again")
        #expect(Set(submits.map(\.body)).count == 1, "with the same correlation id")
        #expect(observation.figures["checkoutsCreated"] == 1)
        #expect(observation.result.stdoutLines.last?.contains("completed") == true)
        #expect(trackingNumber(in: observation.result.stdout) != nil)
      }),
    FaultCase(
      group: .idempotency,
      fault: "Connection dropped after the Acme checkout POST (no idempotency key)",
      command: "--api acme checkout start --cart C --customer U --watch", expectedStatus: 8,
      expectedMessage: "lost: the server closed the connection without a response",
      printsID: false,
      run: {
        let proxy = try FaultServer(upstream: SharedSandbox.instance.port) { request, _ in
          request.method == "POST" && request.path.hasSuffix("/checkout")
            ? .forwardThenDrop : .forward
        }
        defer { proxy.stop() }
        let till = Till(baseURL: proxy.baseURL + "/acme")
        till.environment["TILL_API"] = "acme"
        let cart = UUID().uuidString.lowercased()
        let add = try observe(
          till,
          ["cart", "add", "--cart", cart, "--product", "5ca1ab1e-0000-4000-8000-00000000c0ff"])
        guard add.result.status == 0 else {
          throw FaultSetupError(description: "cart add failed: \(add.result.stderr)")
        }
        var observation = try observe(
          till, ["checkout", "start", "--cart", cart, "--customer", customer, "--watch"])
        observation.requests = proxy.requests
        return observation
      },
      check: { observation in
        let checkouts = observation.requests.filter {
          $0.method == "POST" && $0.path.hasSuffix("/checkout")
        }
        #expect(checkouts.count == 1, "a POST without an idempotency key was sent again")
      }),
    FaultCase(
      group: .idempotency,
      fault: "Connection dropped after the ticketing payment POST (no idempotency key)",
      command: "--api ticketing checkout pay ORDER --amount 1.00 --user U", expectedStatus: 8,
      expectedMessage: "lost: the server closed the connection without a response",
      printsID: false,
      run: {
        let proxy = try FaultServer(upstream: SharedSandbox.instance.port) { request, _ in
          request.method == "POST" && request.path.hasSuffix("/payments")
            ? .forwardThenDrop : .forward
        }
        defer { proxy.stop() }
        let till = Till(baseURL: proxy.baseURL)
        till.environment["TILL_API"] = "ticketing"
        let user = UUID().uuidString.lowercased()
        let seat = UUID().uuidString.lowercased()
        let add = try observe(
          till,
          ["-q", "cart", "add", "--seat", seat, "--price", "1.00", "--reserve", "--user", user])
        let order = add.result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let start = try observe(till, ["checkout", "start", "--order", order, "--user", user])
        guard add.result.status == 0, start.result.status == 0 else {
          throw FaultSetupError(
            description: "no pending order: \(add.result.stderr)\(start.result.stderr)")
        }
        var observation = try observe(
          till, ["checkout", "pay", order, "--amount", "1.00", "--user", user])
        observation.requests = proxy.requests
        return observation
      },
      check: { observation in
        let payments = observation.requests.filter {
          $0.method == "POST" && $0.path.hasSuffix("/payments")
        }
        #expect(payments.count == 1, "a payment without an idempotency key was sent again")
      }),
  ]
}
