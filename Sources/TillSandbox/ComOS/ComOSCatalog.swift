/// The sandbox's merchants and their one catalog: products with MongoDB-style ObjectIds, some
/// physical (checkout needs a shipping address) and some digital.
enum ComOSCatalog {
  struct Product: Sendable {
    var id: String
    var name: String
    var price: String
    var category: String
    var physical: Bool
    var stock: Int
  }

  struct Tenant: Sendable {
    var id: String
    var name: String
    var description: String
  }

  static let tenants: [Tenant] = [
    Tenant(
      id: "tenant-demo", name: "Demo Coffee Roasters",
      description: "Beans, brewing gear and courses"),
    Tenant(id: "tenant-e2e", name: "End-to-End Test Shop", description: "For till's own tests"),
  ]

  /// Id, name, price, category, physical or digital, stock.
  static let products: [Product] = [
    ("665f1c2ae4b0a1d2c3f40001", "Espresso beans, 1 kg", "24.90", "coffee", true, 120),
    ("665f1c2ae4b0a1d2c3f40002", "Pour-over kettle", "49.00", "equipment", true, 8),
    ("665f1c2ae4b0a1d2c3f40003", "Home barista course (video)", "19.00", "courses", false, 9999),
    ("665f1c2ae4b0a1d2c3f40004", "Gift card 25", "25.00", "gifts", false, 9999),
  ].map(Product.init)

  static func product(_ id: String) -> Product? {
    products.first { $0.id == id }
  }

  static func wire(_ product: Product) -> JSONText {
    .object([
      "_id": .string(product.id),
      "name": .string(product.name),
      "price": .number(product.price),
      "currency": .string("USD"),
      "category": .string(product.category),
      "type": .string(product.physical ? "physical" : "digital"),
      "stock": .integer(product.stock),
    ])
  }

  static func wire(_ tenant: Tenant) -> JSONText {
    .object([
      "tenant_id": .string(tenant.id),
      "name": .string(tenant.name),
      "description": .string(tenant.description),
      "status": .string("active"),
    ])
  }

  /// `catalog_search`: words in the name, category, price range, at most `limit`.
  static func search(
    query: String?, category: String?, minPrice: Double?, maxPrice: Double?, limit: Int?
  ) -> [Product] {
    let words = (query ?? "").lowercased().split(separator: " ")
    let found = products.filter { product in
      let price = Double(product.price) ?? 0
      return words.allSatisfy { product.name.lowercased().contains($0) }
        && (category.map { $0.lowercased() == product.category } ?? true)
        && (minPrice.map { price >= $0 } ?? true) && (maxPrice.map { price <= $0 } ?? true)
    }
    return Array(found.prefix(limit ?? 20))
  }
}
