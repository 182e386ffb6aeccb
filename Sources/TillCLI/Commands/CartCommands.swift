import TillKit

/// `cart add|show|remove|clear`: the local cart `checkout start` submits when given no --item.
struct CartCommands {
  let invocation: Invocation

  init(_ invocation: Invocation) { self.invocation = invocation }

  private var path: String { invocation.stateDirectory + "/cart.json" }
  private var console: Console { invocation.console }

  func run(_ action: String) throws(TillError) -> ExitStatus {
    var cart = try LocalCart.load(from: path)
    switch action {
    case "add":
      let arguments = invocation.parsed.values("item")
      guard !arguments.isEmpty else {
        throw TillError(.usage, "cart add needs at least one --item ID[:QTY]")
      }
      for argument in arguments {
        guard let item = CartItem(argument: argument) else {
          throw TillError(
            .usage,
            "invalid value '\(argument)' for '--item': expected ID or ID:QTY with QTY at least 1")
        }
        cart.add(item)
      }
      try cart.save(to: path)
    case "remove":
      let ids = invocation.parsed.values("item")
      guard !ids.isEmpty else { throw TillError(.usage, "cart remove needs --item ID") }
      for id in ids where !cart.remove(id: id) {
        throw TillError(.notFound, "'\(id)' is not in the cart")
      }
      try cart.save(to: path)
    case "clear":
      cart = LocalCart()
      try cart.save(to: path)
    default:
      break
    }
    show(cart)
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
    let width = cart.items.map(\.id.count).max() ?? 0
    for item in cart.items {
      let id = sanitizeForTerminal(item.id, singleLine: true)
      console.out(
        id + String(repeating: " ", count: width - item.id.count + 2) + "× \(item.quantity)")
    }
  }
}
