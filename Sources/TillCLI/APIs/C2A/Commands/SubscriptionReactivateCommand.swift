import TillArguments
import TillKit

/// `subscription reactivate ORDER_ID`: undo a cancellation before the end date.
struct SubscriptionReactivateCommand: C2ACommand {
  static let spec = CommandSpec(
    name: "reactivate", abstract: "Keep a cancelled subscription before its end date (C2A).",
    arguments: [ArgumentSpec(name: "order-id", help: "The subscription's orderIdentifier.")],
    examples: [Example(["subscription", "reactivate", "or.00.905"], "Keep or.00.905.")])

  let invocation: Invocation

  func run() throws(TillError) -> ExitStatus {
    let order = try parsed.nonEmptyArgument("order-id")
    try SubscriptionOutput(invocation: invocation).show(
      try account().reactivate(orderIdentifier: order), "Reactivated")
    return .success
  }
}
