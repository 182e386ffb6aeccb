import TillKit

/// `cart add|show|remove|clear`: the local cart `checkout start` submits when given no --item.
struct CartCommands {
  let invocation: Invocation

  init(_ invocation: Invocation) { self.invocation = invocation }

  private var directory: PrivateDirectory { invocation.stateDirectory }
  private var console: Console { invocation.console }

  func run(_ action: String) throws(TillError) -> ExitStatus {
    let api = invocation.settings.api.value
    if api != "c2a" {
      guard action == "add" else {
        throw TillError(
          .usage,
          "'cart \(action)' is for the local C2A cart; --api \(api) keeps its cart on the server")
      }
      return try addOnServer()
    }
    // Read, change and write the cart under its lock: runs at once each keep their change.
    let cart = try directory.holdingLock(for: LocalCart.name) { () throws(TillError) -> LocalCart in
      var cart = try LocalCart.load(from: directory)
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
          try cart.add(item)
        }
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

  /// Ticketing and Acme: the cart lives on the server.
  private func addOnServer() throws(TillError) -> ExitStatus {
    let parsed = invocation.parsed
    if !parsed.values("item").isEmpty {
      throw TillError(.usage, "--item is for --api c2a; see 'till cart add --help'")
    }
    var addition = CartAddition()
    addition.seat = parsed.value("seat")
    addition.price = parsed.value("price")
    addition.reservation = parsed.value("reservation")
    addition.reserve = parsed.flag("reserve")
    addition.owner = try invocation.owner()
    addition.cart = parsed.value("cart")
    addition.product = parsed.value("product")
    if let text = parsed.value("quantity") {
      guard let quantity = Int(text), quantity >= 1 else {
        throw TillError(.usage, "invalid value '\(text)' for '--quantity': expected 1 or more")
      }
      addition.quantity = quantity
    }
    if addition.reserve, addition.reservation != nil {
      throw TillError(.usage, "give --reservation or --reserve, not both")
    }
    let clock = SystemClock(interruption: interruption)
    invocation.installSignalHandlers()
    let summary = try invocation.makeAdapter(clock: clock).addToCart(addition)
    let settings = invocation.settings
    for note in summary.notes where !settings.quiet && !settings.json {
      console.err(sanitizeForTerminal(note, singleLine: true))
    }
    let id = sanitizeForTerminal(summary.id, singleLine: true)
    if settings.json {
      console.out(summary.raw.serialized())
    } else if settings.quiet {
      console.out(id)
    } else {
      let noun = settings.api.value == "ticketing" ? "Order" : "Cart"
      let total = summary.total.map { ", total \(sanitizeForTerminal($0, singleLine: true))" } ?? ""
      let items = summary.itemCount == 1 ? "1 item" : "\(summary.itemCount) items"
      console.out(
        "\(noun) \(id) (\(sanitizeForTerminal(summary.state, singleLine: true))): \(items)\(total)")
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
    let ids = cart.items.map { sanitizeForTerminal($0.id, singleLine: true) }
    let width = ids.map { displayWidth($0) }.max() ?? 0
    for (id, item) in zip(ids, cart.items) {
      console.out(
        id + String(repeating: " ", count: width - displayWidth(id) + 2) + "× \(item.quantity)")
    }
  }
}
