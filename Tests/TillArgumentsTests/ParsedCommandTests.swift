import Testing
import TillArguments

@Suite struct ParsedCommandTests {
  @Test func askingForAnUndeclaredOptionTraps() async {
    await #expect(processExitsWith: .failure) {
      _ = try? ExampleTree.till.parse(["cart", "show"]).flag("watch")
    }
  }

  @Test func askingForAnUndeclaredArgumentTraps() async {
    await #expect(processExitsWith: .failure) {
      _ = try? ExampleTree.till.parse(["cart", "show"]).argument("id")
    }
  }

  @Test func resolvedCommandIsTheDeclaredSpec() throws {
    let parsed = try ExampleTree.till.parse(["checkout", "status", "x"])
    #expect(parsed.command == ExampleTree.checkoutStatus)
  }
}
