import TillArguments
import TillKit

/// `subscription cancel ORDER_ID`: the documented two-phase cancel, request then confirm.
struct SubscriptionCancelCommand: C2ACommand {
  static let spec = CommandSpec(
    name: "cancel", abstract: "Cancel a subscription at the end of its term (C2A).",
    discussion: """
      Requests the cancellation (/subscription/cancel/request, which answers the methods and \
      reasons the server offers), then confirms it with the first method offered. The \
      subscription stays usable until its end date and can be reactivated before then.
      """,
    arguments: [ArgumentSpec(name: "order-id", help: "The subscription's orderIdentifier.")],
    options: [
      .value(
        "reason", "CODE",
        help: "A cancellation reason the server offers (TOO_EXPENSIVE, NOT_USED, …).")
    ],
    examples: [
      Example(
        ["subscription", "cancel", "or.00.905", "--reason", "NOT_USED"],
        "Cancel or.00.905, saying why.")
    ])

  let invocation: Invocation

  func run() throws(TillError) -> ExitStatus {
    let order = try parsed.nonEmptyArgument("order-id")
    let subscription = try account().cancel(orderIdentifier: order, reason: parsed.value("reason"))
    try SubscriptionOutput(invocation: invocation).show(subscription, "Cancelled")
    return .success
  }
}

/// One subscription after a change, as `cancel` and `reactivate` print it.
struct SubscriptionOutput {
  let invocation: Invocation

  func show(_ subscription: C2ASubscription, _ verb: String) throws(TillError) {
    let output = ListOutput(invocation: invocation)
    try output.show(subscription.raw, ids: [subscription.orderIdentifier], what: "order id") {
      describe(subscription, verb)
    }
  }

  private func describe(_ subscription: C2ASubscription, _ verb: String) {
    let console = invocation.console
    let order = safe(subscription.orderIdentifier)
    let name = safe(subscription.bundleName)
    let state = safe(subscription.state)
    let end = safe(subscription.endDate ?? "the end of its term")
    let until =
      subscription.state == "Active" ? "renews \(end)" : "usable until \(end)"
    console.out("\(verb) \(order) (\(name)): \(state), \(until).")
    if subscription.state != "Active" {
      console.out("To keep it: till subscription reactivate \(order)")
    }
  }
}
