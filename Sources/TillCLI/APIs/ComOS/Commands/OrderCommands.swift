import TillArguments
import TillKit

/// `order list --user U [--status S]` (`orders_list`).
struct OrderListCommand: ComOSCommand {
  static let spec = CommandSpec(
    name: "list", abstract: "List a user's orders on the ComOS gateway.",
    discussion: "Orders need a token: run 'till login' first.",
    options: [
      .value("user", "ID", help: "The user whose orders."),
      .value("status", "STATUS", help: "Only this status."),
    ])

  let invocation: Invocation

  func run() throws(TillError) -> ExitStatus {
    let user = try parsed.requiredValue("user", "ID")
    let (orders, raw) = try gateway().listOrders(user: user, status: parsed.value("status"))
    try output.list(
      raw, ids: orders.map(\.id), what: "order id", empty: "No orders.",
      header: ["ORDER", "STATUS", "TOTAL", "CREATED", "SAGA"],
      rows: orders.map { [$0.id, $0.status, $0.total, $0.created, $0.saga] })
    return .success
  }
}

/// `order show ID` (`orders_get`).
struct OrderShowCommand: ComOSCommand {
  static let spec = CommandSpec(
    name: "show", abstract: "Show one order of the ComOS gateway.",
    discussion: "The order id is the saga's orderId, which checkout status shows.",
    arguments: [ArgumentSpec(name: "id", help: "The order's id (ord_…).")])

  let invocation: Invocation

  func run() throws(TillError) -> ExitStatus {
    let order = try gateway().order(try parsed.nonEmptyArgument("id"))
    try output.show(order.raw, ids: [order.id], what: "order id") {
      let safe = { (text: String?) in TillKit.safe((text ?? "-").prefix(120)) }
      console.out("Order \(safe(order.id)): \(safe(order.status))")
      if let saga = order.saga { console.out("  saga     \(safe(saga))") }
      if let total = order.total { console.out("  total    \(safe(total))") }
      if let created = order.created { console.out("  created  \(safe(created))") }
      for item in order.items {
        console.out("  item     \(safe(item.product)) × \(item.quantity)")
      }
      console.out("Delivery: till order track \(safe(order.id))")
    }
    return .success
  }
}

/// `order track ID` (`orders_track`): where the delivery is.
struct OrderTrackCommand: ComOSCommand {
  static let spec = CommandSpec(
    name: "track", abstract: "Show where an order's delivery is.",
    arguments: [ArgumentSpec(name: "id", help: "The order's id (ord_…).")])

  let invocation: Invocation

  func run() throws(TillError) -> ExitStatus {
    let tracking = try gateway().track(try parsed.nonEmptyArgument("id"))
    if settings.json {
      output.json(tracking.raw)
      return .success
    }
    if settings.quiet {
      console.out(safe(tracking.status ?? "unknown"))
      return .success
    }
    let safe = { (text: String?) in TillKit.safe((text ?? "-").prefix(120))
    }
    let carrier = [tracking.carrier, tracking.trackingNumber].compactMap { $0 }.map { safe($0) }
      .joined(separator: " ")
    console.out(
      "Order \(safe(tracking.order)): \(safe(tracking.status))"
        + (carrier.isEmpty ? "" : " (\(carrier))"))
    if !tracking.events.isEmpty {
      output.table(
        ["STATUS", "AT", "WHERE"], tracking.events.map { [$0.status, $0.at, $0.location] })
    }
    return .success
  }
}
