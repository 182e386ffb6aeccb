import Testing

@testable import TillSandbox

@Suite struct SandboxRoutesTests {
  @Test func apiListNamesEveryAPIAndTrigger() {
    #expect(Sandbox.apis.map(\.api) == ["c2a", "ticketing", "acme", "comos"])
    #expect(Sandbox.apis.allSatisfy { !$0.summary.isEmpty })
    let values = Sandbox.triggers.map(\.value).joined(separator: " ")
    for trigger in [
      "00000000-0000-0000-0000-000000000500", ".13", "00000000-0000-0000-0000-000000000402",
      "00000000-0000-0000-0000-000000000409", "SAVE10", "f4ee0000-", "correct-horse",
      "no paymentMethodId", "declined", "pm_card_chargeDeclined", "flaky",
      "00000000-0000-0000-0000-0000000000e0", "4000000000003220",
      "7a1c2e3f-0000-4000-8000-000000000013",
    ] {
      #expect(values.contains(trigger))
    }
  }
  @Test func everyAPIHasItsOwnNameAndStatsPage() {
    let names = SandboxRoutes.apis.map { $0.name }
    #expect(Set(names).count == names.count)
    let statsPaths = SandboxRoutes.apis.map { $0.statsPath }
    #expect(Set(statsPaths).count == statsPaths.count)
    #expect(statsPaths.allSatisfy { $0.hasPrefix("/sandbox/stats") })
  }

  @Test func everyStatsPageAnswersGETOnly() throws {
    let sandbox = try startSandbox()
    defer { sandbox.stop() }
    let client = try LoopbackClient(port: sandbox.port)
    for api in SandboxRoutes.apis {
      let page = try client.request("GET", api.statsPath)
      #expect(page.status == 200)
      #expect(page.header("Content-Type")?.hasPrefix("application/json") == true)
      let post = try client.request("POST", api.statsPath)
      #expect(post.status == 405)
      #expect(post.header("Allow") == "GET")
    }
  }

  @Test func notFoundNamesWhereEveryAPIIs() throws {
    let sandbox = try startSandbox()
    defer { sandbox.stop() }
    let client = try LoopbackClient(port: sandbox.port)
    let missing = try client.request("GET", "/nowhere")
    #expect(missing.status == 404)
    let detail = try decode(ProblemShape.self, missing).detail
    #expect(
      detail
        == "The sandbox serves offer/checkout, customer/…, offer/bundles, offer/showcase and "
        + "subscription/… under /api/v1/c2a/ and /api/c2a/, the ticketing "
        + "routes /reservations, /cart/add, /orders/… and /payments, the Acme API under /acme/, "
        + "the ComOS MCP endpoint at /mcp and /mcp-sse, legacy HTTP+SSE at /mcp/sse, "
        + "/sandbox/3ds/, /sandbox/pay/ and /sandbox/stats")
  }
}
