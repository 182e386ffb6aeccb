import TillArguments
import TillKit

/// The product table of `catalog search` and `catalog show`.
private func showProducts(
  _ products: [ComOSProduct], raw: JSONValue, _ command: some ComOSCommand
) throws(TillError) {
  try command.output.list(
    raw, ids: products.map(\.id), what: "product id", empty: "No products found.",
    header: ["PRODUCT", "PRICE", "KIND", "STOCK", "NAME"],
    rows: products.map { [$0.id, $0.price, $0.kind, $0.stock, $0.name] })
}

/// `catalog search [QUERY]` (`catalog_search`).
struct CatalogSearchCommand: ComOSCommand {
  static let spec = CommandSpec(
    name: "search", abstract: "Search the tenant's catalog on the ComOS gateway.",
    discussion: """
      Product ids are what cart add --product takes. A physical product needs a shipping \
      address at checkout start (--shipping-address).
      """,
    arguments: [
      ArgumentSpec(
        name: "query", help: "Words to search for; all products when left out.",
        isOptional: true, isRepeatable: true)
    ],
    options: [
      .value("category", "NAME", help: "Only this category."),
      .value("min-price", "AMOUNT", help: "The lowest price."),
      .value("max-price", "AMOUNT", help: "The highest price."),
      .value("limit", "N", .integer, help: "At most this many products."),
    ],
    examples: [
      Example(
        ["--api", "comos", "--tenant", "tenant-demo", "-q", "catalog", "search", "kettle"],
        "The ids of the products that match, one a line.")
    ])

  let invocation: Invocation

  func run() throws(TillError) -> ExitStatus {
    let words = parsed.arguments("query")
    let price = { (name: String) throws(TillError) -> String? in
      guard let text = parsed.value(name) else { return nil }
      guard let value = Double(text), value >= 0, value.isFinite,
        text.allSatisfy({ $0.isNumber || $0 == "." })
      else {
        throw TillError(
          .usage, "invalid value '\(text)' for '--\(name)': expected an amount such as 19.99")
      }
      return text
    }
    var limit: Int?
    if let text = parsed.value("limit") {
      guard let value = Int(text), value >= 1 else {
        throw TillError(.usage, "invalid value '\(text)' for '--limit': expected 1 or more")
      }
      limit = value
    }
    let minPrice = try price("min-price")
    let maxPrice = try price("max-price")
    let (products, raw) = try gateway().searchCatalog(
      query: words.isEmpty ? nil : words.joined(separator: " "), category: parsed.value("category"),
      minPrice: minPrice, maxPrice: maxPrice, limit: limit)
    try showProducts(products, raw: raw, self)
    return .success
  }
}

/// `catalog show ID...` (`catalog_get_products`).
struct CatalogShowCommand: ComOSCommand {
  static let spec = CommandSpec(
    name: "show", abstract: "Show products of the tenant's catalog by id.",
    arguments: [
      ArgumentSpec(name: "id", help: "A product id; several at once.", isRepeatable: true)
    ])

  let invocation: Invocation

  func run() throws(TillError) -> ExitStatus {
    let ids = parsed.arguments("id")
    let (products, raw) = try gateway().products(ids)
    try showProducts(products, raw: raw, self)
    let found = Set(products.map(\.id))
    let missing = ids.filter { !found.contains($0) }
    guard missing.isEmpty || products.isEmpty && settings.json || found.contains("?") else {
      throw TillError(
        .notFound,
        "the catalog has no product "
          + missing.map { safe($0) }.joined(separator: ", "))
    }
    return products.isEmpty ? .notFound : .success
  }
}
