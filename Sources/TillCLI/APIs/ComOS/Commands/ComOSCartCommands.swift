import TillKit

/// `cart show|update|remove|clear` on the gateway's own cart (`cart_view`,
/// `cart_update_quantity`, `cart_remove_item`, `cart_clear`).
struct ComOSCartCommands {
  let invocation: Invocation

  func run(_ action: String) throws(TillError) -> ExitStatus {
    let parsed = invocation.parsed
    // `--item` is the local cart's option of `cart remove`.
    if action == "remove", !parsed.values("item").isEmpty {
      throw TillError(
        .usage,
        "--item is for a cart kept on this machine; --api comos names the product with "
          + "--product ID")
    }
    let cart = try parsed.requiredValue("cart", "ID", "for --api comos (an email or guest id)")
    func product() throws(TillError) -> String {
      try parsed.requiredValue("product", "ID", "for --api comos")
    }
    let result: ComOSCart
    switch action {
    case "update":
      guard let text = parsed.value("quantity") else {
        throw TillError(.usage, "cart update needs --quantity N (1 to 99)")
      }
      let wanted = try quantity(text)
      let product = try product()
      result = try comosAdapter(invocation, for: "cart \(action)").updateCartItem(
        cart: cart, product: product, quantity: wanted)
    case "remove":
      let product = try product()
      result = try comosAdapter(invocation, for: "cart \(action)").removeCartItem(
        cart: cart, product: product)
    case "clear":
      result = try comosAdapter(invocation, for: "cart \(action)").clearCart(cart)
    default:
      result = try comosAdapter(invocation, for: "cart \(action)").viewCart(cart)
    }
    try show(result)
    return .success
  }

  private func show(_ cart: ComOSCart) throws(TillError) {
    let output = ListOutput(invocation: invocation)
    try output.show(cart.raw, ids: cart.lines.map(\.product), what: "product id") {
      let id = safe(cart.id)
      guard !cart.lines.isEmpty else {
        invocation.console.out("Cart \(id) is empty.")
        return
      }
      let items = cart.itemCount == 1 ? "1 item" : "\(cart.itemCount) items"
      let total = cart.total.map { ", total \(safe($0))" } ?? ""
      invocation.console.out("Cart \(id): \(items)\(total)")
      output.table(
        ["PRODUCT", "QTY", "PRICE", "NAME"],
        cart.lines.map { [$0.product, String($0.quantity), $0.price, $0.name] })
    }
  }
}
