import Foundation
import Testing

/// `cart show|update|remove|clear` on the gateway's own cart, against the sandbox (both
/// transports) and a server built on the official MCP Python SDK.
@Suite struct ComOSCartTests {
  private func aWholeCart(_ till: Till, context: String) throws {
    let cart = "cart-\(UUID().uuidString)@example.com"
    #expect(
      try till.run(["cart", "add", "--cart", cart, "--product", "p1", "--quantity", "2"]).status
        == 0)
    #expect(try till.run(["cart", "add", "--cart", cart, "--product", "p2"]).status == 0)

    let shown = try till.run(["cart", "show", "--cart", cart])
    #expect(shown.status == 0, "\(context): \(shown.stderr)")
    #expect(shown.stdoutLines.first == "Cart \(cart): 3 items", "\(context): \(shown.stdout)")
    #expect(shown.stdoutLines.dropFirst().first?.hasPrefix("PRODUCT  QTY") == true)
    #expect(shown.stdoutLines.contains { $0.hasPrefix("p1") && $0.contains("  2  ") })

    let updated = try till.run([
      "-q", "cart", "update", "--cart", cart, "--product", "p1", "--quantity", "5",
    ])
    #expect(updated.status == 0, "\(context): \(updated.stderr)")
    #expect(updated.stdoutLines == ["p1", "p2"])
    let json = try till.run(["--json", "cart", "show", "--cart", cart])
    #expect(json.stdout.contains(#""itemCount":6"#), "\(context): \(json.stdout)")

    let tooMany = try till.run([
      "cart", "update", "--cart", cart, "--product", "p1", "--quantity", "100",
    ])
    #expect(tooMany.status == 2)
    #expect(tooMany.stderr.contains("the gateway takes 1 to 99"))

    let removed = try till.run(["-q", "cart", "remove", "--cart", cart, "--product", "p2"])
    #expect(removed.status == 0, "\(context): \(removed.stderr)")
    #expect(removed.stdoutLines == ["p1"])
    let notThere = try till.run(["cart", "remove", "--cart", cart, "--product", "p2"])
    #expect(notThere.status == 4, "\(context): \(notThere.stderr)")
    #expect(notThere.stderr.contains("ITEM_NOT_FOUND"))

    let cleared = try till.run(["cart", "clear", "--cart", cart])
    #expect(cleared.status == 0, "\(context): \(cleared.stderr)")
    #expect(cleared.stdout == "Cart \(cart) is empty.\n")

    let unknown = try till.run(["cart", "show", "--cart", "nobody-\(UUID().uuidString)"])
    #expect(unknown.status == 4, "\(context): \(unknown.stderr)")
    #expect(unknown.stderr.contains("CART_NOT_FOUND"))
  }

  @Test(arguments: [SharedSandbox.baseURL + "/mcp", SharedSandbox.baseURL + "/mcp/sse"])
  func theGatewaysCartAgainstTheSandbox(endpoint: String) throws {
    try aWholeCart(comosTill(endpoint: endpoint), context: endpoint)
  }

  @Test(.mcpSDKServer, arguments: [MCPServerProcess.Mode.json, .legacy])
  func theGatewaysCartAgainstTheSDKServer(mode: MCPServerProcess.Mode) throws {
    let server = try MCPServerProcess.start(mode: mode)
    defer { server.stop() }
    try aWholeCart(comosTill(endpoint: server.baseURL), context: mode.rawValue)
  }

  @Test func theCartsOptionsAreTheGatewaysAndNeeded() throws {
    let till = comosTill()
    let noCart = try till.run(["cart", "show"])
    #expect(noCart.status == 2)
    #expect(noCart.stderr.contains("cart show needs --cart ID for --api comos"))
    let item = try till.run(["cart", "remove", "--cart", "c", "--item", "x"])
    #expect(item.status == 2)
    #expect(item.stderr.contains("--api comos names the product with --product ID"))
    let local = Till()
    let update = try local.run(["--api", "c2a", "cart", "update"])
    #expect(update.status == 2)
    #expect(update.stderr.contains("'cart update' changes a cart the server keeps"))
    let option = try local.run(["--api", "c2a", "cart", "show", "--cart", "c"])
    #expect(option.status == 2, "\(option.stderr)")
  }
}
