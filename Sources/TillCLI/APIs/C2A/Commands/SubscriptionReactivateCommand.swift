import TillArguments
import TillKit

/// `subscription reactivate ORDER_ID`: undo a cancellation before the end date.
struct SubscriptionReactivateCommand: TillCommand {
  static let spec = CommandSpec(
    name: "reactivate", abstract: "Keep a cancelled subscription before its end date (C2A).",
    arguments: [ArgumentSpec(name: "order-id", help: "The subscription's orderIdentifier.")],
    examples: [Example(["subscription", "reactivate", "or.00.905"], "Keep or.00.905.")])

  let invocation: Invocation

  func run() throws(TillError) -> ExitStatus {
    let order = parsed.argument("order-id") ?? ""
    guard !order.isEmpty else {
      throw TillError(.usage, "subscription reactivate needs ORDER_ID")
    }
    let account = try C2AAccountCommand.account(invocation, ["subscription", "reactivate"])
    try SubscriptionOutput(invocation: invocation).show(
      try account.reactivate(orderIdentifier: order), "Reactivated")
    return .success
  }
}
