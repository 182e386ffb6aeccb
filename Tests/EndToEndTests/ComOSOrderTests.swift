import Foundation
import Testing

/// After the purchase: the saga's orderId leads to `order show` and `order track`, for
/// support staff asking where an order is.
@Suite struct ComOSOrderTests {
  /// Logs in, buys `product` to completion and returns the order id the saga points to.
  private func buy(_ till: Till, product: String, user: String) throws -> String {
    let login = try till.run(["login", "--email", "buyer@example.com"], stdin: "correct-horse\n")
    #expect(login.status == 0, "\(login.stderr)")
    let cart = "order-\(UUID().uuidString)@example.com"
    #expect(try till.run(["cart", "add", "--cart", cart, "--product", product]).status == 0)
    let bought = try till.run(
      [
        "checkout", "start", "--cart", cart, "--user", user, "--payment-method", "pm_test_visa",
        "--customer-name", "Ann Lee", "--shipping-address", "-", "--watch", "--interval", "50ms",
      ], stdin: ComOSShippingTests.address)
    #expect(bought.status == 0, "\(bought.stderr)")
    let last = bought.stdoutLines.last ?? ""
    #expect(last.contains("completed"))
    let range = try #require(last.range(of: #"ord_[A-Z0-9]+"#, options: .regularExpression))
    #expect(last.contains("'till order track \(last[range])' shows its delivery"))
    return String(last[range])
  }

  /// An empty id is refused before anything is sent: nothing listens at the base URL, so a
  /// request would end in exit 8.
  @Test(arguments: [
    ("comos", ["order", "show"]), ("comos", ["order", "track"]), ("comos", ["checkout", "pay"]),
    ("comos", ["checkout", "retry"]), ("comos", ["checkout", "shipping"]),
    ("ticketing", ["checkout", "cancel"]), ("ticketing", ["checkout", "pay"]),
  ])
  func anEmptyIdIsAUsageError(api: String, command: [String]) throws {
    let till = comosTill(endpoint: "http://127.0.0.1:9")
    till.environment["TILL_API"] = api
    let result = try till.run(command + [""])
    #expect(result.status == 2)
    #expect(result.stderr.hasPrefix("till: error: \(command.joined(separator: " ")) needs ID\n"))
    #expect(result.stdout.isEmpty)
  }

  /// A value a command cannot go without, given empty, is refused in one wording for every
  /// API, the hint after it, before anything is sent.
  @Test(arguments: [
    ("comos", ["order", "list", "--user", ""], "order list needs --user ID"),
    ("comos", ["cart", "show", "--cart", ""], "cart show needs --cart ID for --api comos"),
    ("c2a", ["offer", "resolve", "--customer", ""], "offer resolve needs --customer URN (from"),
    (
      "c2a", ["customer", "add", "--external-id", "", "--email", "a@b.c", "--country", "DE"],
      "customer add needs --external-id ID"
    ),
    ("ticketing", ["event", "seats", ""], "event seats needs EVENT (see 'till event list')"),
    ("acme", ["purchase", "--product", "", "--customer", "c"], "purchase needs --product UUID"),
  ])
  func anEmptyRequiredValueIsAUsageError(api: String, words: [String], message: String) throws {
    let till = comosTill(endpoint: "http://127.0.0.1:9")
    till.environment["TILL_API"] = api
    let result = try till.run(words)
    #expect(result.status == 2, "\(result.stderr)")
    #expect(result.stderr.hasPrefix("till: error: \(message)"), "\(result.stderr)")
    #expect(result.stdout.isEmpty)
  }

  @Test(arguments: [SharedSandbox.baseURL + "/mcp", SharedSandbox.baseURL + "/mcp/sse"])
  func whereIsThisOrderAgainstTheSandbox(endpoint: String) throws {
    let till = comosTill(endpoint: endpoint)
    let user = "orders-\(UUID().uuidString)"
    let noToken = try till.run(["order", "list", "--user", user])
    #expect(noToken.status == 6)
    #expect(noToken.stderr.contains("AUTH_REQUIRED"))
    #expect(noToken.stderr.contains("run 'till login'"))

    let order = try buy(till, product: "665f1c2ae4b0a1d2c3f40002", user: user)
    let list = try till.run(["-q", "order", "list", "--user", user])
    #expect(list.stdoutLines == [order], "\(list.stderr)")
    let table = try till.run(["order", "list", "--user", user])
    #expect(table.stdoutLines.first?.hasPrefix("ORDER") == true)
    #expect(table.stdoutLines.last?.contains("confirmed  56.50 USD") == true, "\(table.stdout)")

    let shown = try till.run(["order", "show", order])
    #expect(shown.status == 0, "\(shown.stderr)")
    #expect(shown.stdoutLines.first == "Order \(order): confirmed")
    #expect(shown.stdout.contains("item     665f1c2ae4b0a1d2c3f40002 × 1"))
    var statuses: [String] = []
    for _ in 0..<4 {
      let track = try till.run(["-q", "order", "track", order])
      #expect(track.status == 0, "\(track.stderr)")
      statuses.append(track.stdout.trimmingCharacters(in: .newlines))
    }
    #expect(statuses == ["label_created", "in_transit", "out_for_delivery", "delivered"])
    let delivered = try till.run(["order", "track", order])
    #expect(delivered.stdoutLines.first?.hasPrefix("Order \(order): delivered (ups 1Z") == true)
    #expect(delivered.stdoutLines.count == 7, "\(delivered.stdout)")

    let missing = try till.run(["order", "track", "ord_NOPE"])
    #expect(missing.status == 4)
    #expect(missing.stderr.contains("ORDER_NOT_FOUND"))
  }

  @Test(.mcpSDKServer, arguments: [MCPServerProcess.Mode.json, .legacy])
  func whereIsThisOrderAgainstTheSDKServer(mode: MCPServerProcess.Mode) throws {
    let server = try MCPServerProcess.start(mode: mode)
    defer { server.stop() }
    let till = comosTill(endpoint: server.baseURL)
    let user = "sdk-orders-\(UUID().uuidString)"
    let order = try buy(till, product: "665f1c2ae4b0a1d2c3f4a001", user: user)
    let list = try till.run(["-q", "order", "list", "--user", user])
    #expect(list.stdoutLines == [order], "\(mode): \(list.stderr)")
    let track = try till.run(["order", "track", order])
    #expect(track.status == 0, "\(track.stderr)")
    #expect(track.stdoutLines.first?.hasPrefix("Order \(order): in_transit (fedex 7489") == true)
    #expect(track.stdout.contains("Memphis, TN"))
  }
}
