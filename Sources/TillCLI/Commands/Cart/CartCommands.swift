import TillKit

/// A `cart` subcommand: `CartCommands` does the action its name says.
protocol CartSubcommand: TillCommand {}

extension CartSubcommand {
  func run() throws(TillError) -> ExitStatus {
    try CartCommands(invocation: invocation).run(Self.spec.name)
  }
}

/// `cart add|show|remove|clear`: the local cart `checkout start` submits when given no --item.
struct CartCommands {
  let invocation: Invocation

  private var directory: PrivateDirectory { invocation.stateDirectory }
  private var console: Console { invocation.console }

  func run(_ action: String) throws(TillError) -> ExitStatus {
    let api = invocation.api
    if !api.capabilities.keepsLocalCart {
      if action == "add" { return try addOnServer() }
      if let status = try api.serverCart(action, invocation) { return status }
      throw TillError(
        .usage,
        "'cart \(action)' is for a cart kept on this machine; --api \(api.name) keeps its cart "
          + "on the server")
    }
    if action == "update" {
      throw TillError(
        .usage,
        "'cart update' changes a cart the server keeps; --api \(api.name) keeps its cart on this "
          + "machine: use cart add and cart remove")
    }
    // Read, change and write the cart under its lock: runs at once each keep their change.
    let cart = try directory.holdingLock(for: LocalCart.name) { () throws(TillError) -> LocalCart in
      var cart = try LocalCart.load(from: directory)
      switch action {
      case "add":
        let items = try api.localCartItems(invocation)
        guard !items.isEmpty else {
          let options = api.options.filter { $0.command == ["cart", "add"] }
            .map { "--\($0.spec.long)" + ($0.spec.value.map { " " + $0.name } ?? "") }
          throw TillError(
            .usage, "cart add needs at least one " + options.joined(separator: " or "))
        }
        for item in items { try cart.add(item) }
        try cart.save(to: directory)
      case "remove":
        let ids = invocation.parsed.values("item")
        guard !ids.isEmpty else { throw TillError(.usage, "cart remove needs --item ID") }
        for id in ids where !cart.remove(id: id) {
          throw TillError(.notFound, "'\(id)' is not in the cart")
        }
        try cart.save(to: directory)
      case "clear":
        cart = LocalCart()
        try cart.save(to: directory)
      default:
        break
      }
      return cart
    }
    show(cart)
    return .success
  }

  /// The cart lives on the server.
  private func addOnServer() throws(TillError) -> ExitStatus {
    let addition = try invocation.api.cartAddition(invocation)
    let clock = SystemClock(interruption: interruption)
    invocation.installSignalHandlers()
    let summary = try invocation.makeAdapter(clock: clock).addToCart(addition)
    let settings = invocation.settings
    for note in summary.notes where !settings.quiet && !settings.json {
      console.err(safe(note))
    }
    let output = ListOutput(invocation: invocation)
    try output.show(summary.raw, ids: [summary.id], what: "cart or order id") {
      let id = safe(summary.id)
      let noun = invocation.api.capabilities.cartNoun
      let total = summary.total.map { ", total \(safe($0))" } ?? ""
      let items = summary.itemCount == 1 ? "1 item" : "\(summary.itemCount) items"
      console.out(
        "\(noun) \(id) (\(safe(summary.state))): \(items)\(total)")
    }
    return .success
  }

  private func show(_ cart: LocalCart) {
    let settings = invocation.settings
    if settings.json {
      let items: [JSONValue] = cart.items.map {
        ["id": .string($0.id), "quantity": .number(String($0.quantity))]
      }
      console.out(JSONValue.object([("items", .array(items))]).serialized())
      return
    }
    if settings.quiet { return }
    guard !cart.items.isEmpty else {
      console.out("The cart is empty.")
      return
    }
    let ids = cart.items.map { safe($0.id) }
    let width = ids.map { displayWidth($0) }.max() ?? 0
    for (id, item) in zip(ids, cart.items) {
      console.out(
        id + String(repeating: " ", count: width - displayWidth(id) + 2) + "× \(item.quantity)")
    }
  }
}
