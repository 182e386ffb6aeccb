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

  static let products: [Product] = [
    Product(
      id: "665f1c2ae4b0a1d2c3f40001", name: "Espresso beans, 1 kg", price: "24.90",
      category: "coffee", physical: true, stock: 120),
    Product(
      id: "665f1c2ae4b0a1d2c3f40002", name: "Pour-over kettle", price: "49.00",
      category: "equipment", physical: true, stock: 8),
    Product(
      id: "665f1c2ae4b0a1d2c3f40003", name: "Home barista course (video)", price: "19.00",
      category: "courses", physical: false, stock: 9999),
    Product(
      id: "665f1c2ae4b0a1d2c3f40004", name: "Gift card 25", price: "25.00",
      category: "gifts", physical: false, stock: 9999),
  ]

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
