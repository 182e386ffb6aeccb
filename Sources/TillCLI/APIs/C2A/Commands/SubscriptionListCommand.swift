import TillArguments
import TillKit

/// `subscription list URN`: a customer's subscriptions, from the server.
struct SubscriptionListCommand: TillCommand {
  static let spec = CommandSpec(
    name: "list", abstract: "List a customer's subscriptions (C2A).",
    discussion: "With -q only the order identifiers are printed, one a line.",
    arguments: [ArgumentSpec(name: "urn", help: "The customerUrn (cu.…).")],
    examples: [Example(["subscription", "list", "cu.00.482"], "What cu.00.482 subscribes to.")])

  let invocation: Invocation

  func run() throws(TillError) -> ExitStatus {
    let urn = parsed.argument("urn") ?? ""
    guard !urn.isEmpty else { throw TillError(.usage, "subscription list needs URN") }
    let account = try C2AAccountCommand.account(invocation, ["subscription", "list"])
    let subscriptions = try account.subscriptions(customerUrn: urn)
    if settings.json {
      console.out(JSONValue.array(subscriptions.map(\.raw)).serialized())
    } else if settings.quiet {
      for subscription in subscriptions {
        try console.outID(subscription.orderIdentifier, what: "order id")
      }
    } else if subscriptions.isEmpty {
      console.out("No subscriptions for \(safe(urn)).")
    } else {
      let rows =
        [["ORDER", "BUNDLE", "STATE", "ENDS"]]
        + subscriptions.map { [$0.orderIdentifier, $0.bundleName, $0.state, $0.endDate ?? "-"] }
      for line in C2AAccountCommand.table(rows) { console.out(line) }
    }
    return .success
  }
}
