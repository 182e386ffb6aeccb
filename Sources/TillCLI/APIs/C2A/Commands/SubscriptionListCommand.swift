import TillArguments
import TillKit

/// `subscription list URN`: a customer's subscriptions, from the server.
struct SubscriptionListCommand: C2ACommand {
  static let spec = CommandSpec(
    name: "list", abstract: "List a customer's subscriptions (C2A).",
    discussion: "With -q only the order identifiers are printed, one a line.",
    arguments: [ArgumentSpec(name: "urn", help: "The customerUrn (cu.…).")],
    examples: [Example(["subscription", "list", "cu.00.482"], "What cu.00.482 subscribes to.")])

  let invocation: Invocation

  func run() throws(TillError) -> ExitStatus {
    let urn = try parsed.nonEmptyArgument("urn")
    let subscriptions = try account().subscriptions(customerUrn: urn)
    let ids = subscriptions.map(\.orderIdentifier)
    try output.show(.array(subscriptions.map(\.raw)), ids: ids, what: "order id") {
      guard !subscriptions.isEmpty else { return console.out("No subscriptions for \(safe(urn)).") }
      let rows =
        [["ORDER", "BUNDLE", "STATE", "ENDS"]]
        + subscriptions.map { [$0.orderIdentifier, $0.bundleName, $0.state, $0.endDate ?? "-"] }
      for line in C2AAccountCommand.table(rows) { console.out(line) }
    }
    return .success
  }
}
