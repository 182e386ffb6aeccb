import Glibc

/// The cart for an API without a server-side one: a JSON file under the state directory.
public struct LocalCart: Equatable, Sendable {
  public var items: [CartItem] = []

  public init(items: [CartItem] = []) { self.items = items }

  /// Adds an item, growing the quantity of one already there. A quantity past `Int.max` is
  /// refused, not wrapped: the cart is left as it was.
  public mutating func add(_ item: CartItem) throws(TillError) {
    guard let index = items.firstIndex(where: { $0.id == item.id }) else {
      items.append(item)
      return
    }
    let (sum, overflow) = items[index].quantity.addingReportingOverflow(item.quantity)
    guard !overflow else {
      throw TillError(
        .usage,
        "the quantity of '\(safe(item.id))' would pass "
          + "\(Int.max): the cart holds \(items[index].quantity), and \(item.quantity) more "
          + "was asked for")
    }
    items[index].quantity = sum
  }

  /// Removes an item; false when it was not in the cart.
  public mutating func remove(id: String) -> Bool {
    let before = items.count
    items.removeAll { $0.id == id }
    return items.count != before
  }

  public static let name = "cart.json"

  /// The cart in `directory` (its `cart.json`), empty when there is none.
  public static func load(from directory: PrivateDirectory) throws(TillError) -> LocalCart {
    guard let bytes = try directory.read(name, what: "cart file") else { return LocalCart() }
    let path = directory.path(of: name)
    guard let json = try? JSONValue.parse(bytes), let list = json["items"]?.array else {
      throw TillError(
        .usage, "the cart file '\(path)' is damaged; remove it or run 'till cart clear'")
    }
    var cart = LocalCart()
    for entry in list {
      guard let id = entry["id"]?.text, let quantity = entry["quantity"]?.int, quantity >= 1
      else {
        throw TillError(
          .usage, "the cart file '\(path)' is damaged; remove it or run 'till cart clear'")
      }
      do throws(TillError) {
        try cart.add(CartItem(id: id, quantity: quantity))
      } catch {
        throw TillError(.usage, "the cart file '\(path)' is damaged: \(error.message)")
      }
    }
    return cart
  }

  public func save(to directory: PrivateDirectory) throws(TillError) {
    let json: JSONValue = [
      "items": .array(
        items.map { ["id": .string($0.id), "quantity": .number(String($0.quantity))] })
    ]
    try directory.write(
      Array((json.serialized() + "\n").utf8), to: LocalCart.name, what: "cart file")
  }
}
