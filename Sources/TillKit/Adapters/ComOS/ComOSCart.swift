/// A cart as the gateway keeps it (`cart_view` and the tools that change it). No format is
/// published: every field is optional, and the names seen in the wild are all read.
public struct ComOSCart: Sendable {
  public struct Line: Sendable, Equatable {
    public var product: String
    public var name: String?
    public var quantity: Int
    public var price: String?
  }

  public var id: String
  public var lines: [Line]
  public var itemCount: Int
  public var total: String?
  public var raw: JSONValue

  public init(json: JSONValue, id: String) {
    let cart = json["cart"]?.isObject == true ? json["cart"]! : json
    self.id = cart["cartId"]?.text ?? cart["id"]?.text ?? id
    let currency = cart["currency"]?.string
    lines = (cart["items"]?.array ?? []).map { item in
      let price = (item["price"] ?? item["unitPrice"])?.text
      return Line(
        product: (item["productId"] ?? item["product_id"] ?? item["id"] ?? item["sku"])?.text
          ?? "?",
        name: (item["name"] ?? item["title"])?.string,
        quantity: item["quantity"]?.int ?? 1,
        price: price.map { amount in currency.map { "\(amount) \($0)" } ?? amount })
    }
    itemCount = cart["itemCount"]?.int ?? lines.reduce(0) { $0 + $1.quantity }
    total = (cart["total"] ?? cart["subtotal"])?.text.map { text in
      currency.map { "\(text) \($0)" } ?? text
    }
    raw = json
  }
}

extension ComOSAdapter {
  /// `cart_view`.
  public func viewCart(_ cart: String) throws(TillError) -> ComOSCart {
    let json = try toolCall(
      "cart_view", [("cartId", .string(cart))], doing: "reading cart \(cart)", onlyReads: true)
    return ComOSCart(json: json, id: cart)
  }

  /// `cart_update_quantity`: the gateway takes 1 to 99.
  public func updateCartItem(cart: String, product: String, quantity: Int) throws(TillError)
    -> ComOSCart
  {
    guard (1...99).contains(quantity) else {
      throw TillError(
        .usage, "invalid value '\(quantity)' for '--quantity': the gateway takes 1 to 99")
    }
    let json = try toolCall(
      "cart_update_quantity",
      [
        ("cartId", .string(cart)), ("productId", .string(product)),
        ("quantity", .number(String(quantity))),
      ], doing: "setting \(product) in cart \(cart) to \(quantity)")
    return ComOSCart(json: json, id: cart)
  }

  /// `cart_remove_item`.
  public func removeCartItem(cart: String, product: String) throws(TillError) -> ComOSCart {
    let json = try toolCall(
      "cart_remove_item", [("cartId", .string(cart)), ("productId", .string(product))],
      doing: "removing \(product) from cart \(cart)")
    return ComOSCart(json: json, id: cart)
  }

  /// `cart_clear`.
  public func clearCart(_ cart: String) throws(TillError) -> ComOSCart {
    let json = try toolCall(
      "cart_clear", [("cartId", .string(cart))], doing: "clearing cart \(cart)")
    return ComOSCart(json: json, id: cart)
  }
}
