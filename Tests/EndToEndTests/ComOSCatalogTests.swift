import Foundation
import Testing

/// Finding what to buy: `tenant list|show` and `catalog search|show`, from a query to a cart,
/// against the sandbox and a server built on the official MCP Python SDK.
@Suite struct ComOSCatalogTests {
  @Test(arguments: [SharedSandbox.baseURL + "/mcp", SharedSandbox.baseURL + "/mcp/sse"])
  func fromAQueryToACartAgainstTheSandbox(endpoint: String) throws {
    let anyTenant = comosTill(endpoint: endpoint)
    anyTenant.environment["TILL_TENANT"] = nil
    let tenants = try anyTenant.run(["tenant", "list"])
    #expect(tenants.status == 0, "\(tenants.stderr)")
    #expect(tenants.stdoutLines.first?.hasPrefix("TENANT       NAME") == true)
    #expect(
      tenants.stdoutLines.contains {
        $0.hasPrefix("tenant-demo  Demo Coffee Roasters  active")
      }, "\(tenants.stdout)")
    let ids = try anyTenant.run(["-q", "tenant", "list"])
    #expect(ids.stdoutLines == ["tenant-demo", "tenant-e2e"])
    let json = try anyTenant.run(["--json", "tenant", "list"])
    #expect(json.stdout.hasPrefix(#"[{"tenant_id":"tenant-demo","name":"Demo Coffee Roasters""#))
    let shown = try anyTenant.run(["-q", "tenant", "show", "tenant-demo"])
    #expect(shown.stdout == "tenant-demo\n", "\(shown.stderr)")

    let till = comosTill(endpoint: endpoint)
    till.environment["TILL_TENANT"] = "tenant-demo"
    let all = try till.run(["catalog", "search"])
    #expect(all.status == 0, "\(all.stderr)")
    #expect(all.stdoutLines.count == 5, "\(all.stdout)")
    #expect(all.stdoutLines[0].hasPrefix("PRODUCT                   PRICE      KIND"))
    #expect(
      all.stdoutLines.contains(
        "665f1c2ae4b0a1d2c3f40002  49.00 USD  physical  8      Pour-over kettle"))
    let kettle = try till.run(["-q", "catalog", "search", "kettle", "--max-price", "60"])
    #expect(kettle.stdoutLines == ["665f1c2ae4b0a1d2c3f40002"], "\(kettle.stderr)")
    let cheap = try till.run(["-q", "catalog", "search", "--max-price", "20", "--limit", "1"])
    #expect(cheap.stdoutLines == ["665f1c2ae4b0a1d2c3f40003"])
    let category = try till.run(["-q", "catalog", "search", "--category", "gifts"])
    #expect(category.stdoutLines == ["665f1c2ae4b0a1d2c3f40004"])
    let products = try till.run([
      "--json", "catalog", "show", "665f1c2ae4b0a1d2c3f40001", "665f1c2ae4b0a1d2c3f40003",
    ])
    #expect(products.status == 0, "\(products.stderr)")
    #expect(products.stdout.contains(#""_id":"665f1c2ae4b0a1d2c3f40001""#))
    let missing = try till.run(["catalog", "show", "665f00000000000000000000"])
    #expect(missing.status == 4)
    #expect(missing.stderr.contains("SKU_NOT_FOUND"))

    // The id a script took from the search goes straight into the cart.
    let cart = "shop-\(UUID().uuidString)@example.com"
    let added = try till.run([
      "cart", "add", "--cart", cart, "--product", kettle.stdoutLines.first ?? "",
    ])
    #expect(added.status == 0, "\(added.stderr)")
  }

  @Test func badFiltersAreUsageErrorsAndOtherAPIsHaveNoCatalog() throws {
    let till = comosTill()
    for (option, value) in [("--min-price", "abc"), ("--max-price", "-1"), ("--limit", "0")] {
      let result = try till.run(["catalog", "search", option, value])
      #expect(result.status == 2, "\(option) \(value): \(result.stderr)")
    }
    let other = try Till().run(["--api", "c2a", "catalog", "search"])
    #expect(other.status == 2)
    #expect(other.stderr.contains("'catalog search' is for --api comos"))
    let noTenant = comosTill()
    noTenant.environment["TILL_TENANT"] = nil
    let search = try noTenant.run(["catalog", "search"])
    #expect(search.status == 2)
    #expect(search.stderr.contains("--tenant ID"))
  }

  @Test(.mcpSDKServer, arguments: [MCPServerProcess.Mode.json, .legacy])
  func theCatalogOfTheSDKServer(mode: MCPServerProcess.Mode) throws {
    let server = try MCPServerProcess.start(mode: mode)
    defer { server.stop() }
    let till = comosTill(endpoint: server.baseURL)
    let tenants = try till.run(["-q", "tenant", "list"])
    #expect(tenants.stdoutLines == ["tenant-e2e", "tenant-demo"], "\(tenants.stderr)")
    let shoes = try till.run(["catalog", "search", "shoes"])
    #expect(shoes.status == 0, "\(shoes.stderr)")
    #expect(
      shoes.stdoutLines.last == "665f1c2ae4b0a1d2c3f4a001  89.5 USD  physical  4      Trail shoes",
      "\(shoes.stdout)")
    let shown = try till.run(["-q", "catalog", "show", "665f1c2ae4b0a1d2c3f4a002"])
    #expect(shown.stdoutLines == ["665f1c2ae4b0a1d2c3f4a002"], "\(shown.stderr)")
  }

  @Test(.mcpSDKServer) func aToolTheGatewayLacksIsNamedWithTheGateway() throws {
    let server = try MCPServerProcess.start(mode: .json, omitting: ["catalog_search"])
    defer { server.stop() }
    let till = comosTill(endpoint: server.baseURL)
    let result = try till.run(["-v", "catalog", "search", "shoes"])
    #expect(result.status == 1, "\(result.stderr)")
    let error = result.stderr.split(separator: "\n").filter { $0.hasPrefix("till: error:") }
    #expect(error.count == 1, "\(result.stderr)")
    let line = error.first.map(String.init) ?? ""
    #expect(
      line.hasPrefix(
        "till: error: the gateway at \(server.baseURL) offers no tool 'catalog_search' "
          + "(tools/list names "), "\(line)")
    #expect(
      line.hasSuffix(" tools); it may be an older or smaller gateway than this command needs"))
    // Asked once, and the tool never called.
    #expect(result.stderr.components(separatedBy: "> POST /mcp ").count - 1 == 3)
  }
}
