/// A merchant on the gateway (`federation_list_tenants`, `federation_tenant_info`).
public struct ComOSTenant: Sendable {
  public var id: String
  public var name: String?
  public var description: String?
  public var status: String?
  public var raw: JSONValue

  init(json: JSONValue) {
    id = (json["tenant_id"] ?? json["tenantId"] ?? json["id"] ?? json["_id"])?.text ?? "?"
    name = (json["name"] ?? json["displayName"])?.string
    description = (json["description"] ?? json["domain"] ?? json["url"])?.string
    status = json["status"]?.string
    raw = json
  }
}

/// A product of a tenant's catalog (`catalog_search`, `catalog_get_products`). Ids are
/// MongoDB ObjectIds, as text or as `{"$oid": …}`.
public struct ComOSProduct: Sendable {
  public var id: String
  public var name: String?
  public var price: String?
  public var category: String?
  /// `physical` (needs a shipping address) or `digital`, when the gateway says.
  public var kind: String?
  public var stock: String?
  public var raw: JSONValue

  init(json: JSONValue) {
    let identifier = json["_id"] ?? json["id"] ?? json["productId"] ?? json["sku"]
    id = identifier?.text ?? identifier?["$oid"]?.string ?? "?"
    name = (json["name"] ?? json["title"])?.string
    let currency = json["currency"]?.string
    if let amount = json["price"]?.text {
      price = currency.map { "\(amount) \($0)" } ?? amount
    } else if let money = json["price"], let amount = money["amount"]?.text {
      price = money["currency"]?.string.map { "\(amount) \($0)" } ?? amount
    }
    category = json["category"]?.string ?? json["categories"]?.array?.first?.string
    if let type = (json["type"] ?? json["productType"] ?? json["kind"])?.string {
      kind = type
    } else if let digital = json["isDigital"]?.bool ?? json["digital"]?.bool {
      kind = digital ? "digital" : "physical"
    } else if let shipping = json["requiresShipping"]?.bool {
      kind = shipping ? "physical" : "digital"
    }
    if let inStock = json["inStock"]?.bool {
      stock = inStock ? "in stock" : "out of stock"
    } else {
      stock = (json["stock"] ?? json["inventory"] ?? json["quantity"])?.text
    }
    raw = json
  }
}

extension ComOSAdapter {
  /// The list in an answer: the answer itself, or its first member that is a list.
  static func list(in json: JSONValue, _ keys: [String]) -> [JSONValue] {
    if let array = json.array { return array }
    for key in keys { if let array = json[key]?.array { return array } }
    return []
  }

  /// `federation_list_tenants`: every merchant, without a tenant of its own.
  public func listTenants() throws(TillError) -> (tenants: [ComOSTenant], raw: JSONValue) {
    let json = try toolCall(
      "federation_list_tenants", [], doing: "listing the gateway's tenants", onlyReads: true,
      tenanted: false)
    return (
      Self.list(in: json, ["tenants", "merchants", "items", "result"]).map(ComOSTenant.init), json
    )
  }

  /// `federation_tenant_info` for `id`, or the run's own tenant.
  public func tenantInfo(_ id: String?) throws(TillError) -> ComOSTenant {
    let tenant: String
    if let id { tenant = id } else { tenant = try requireTenant() }
    let json = try toolCall(
      "federation_tenant_info", [("tenant_id", .string(tenant))],
      doing: "reading tenant \(tenant)", onlyReads: true, tenanted: false)
    let info = json["tenant"]?.isObject == true ? json["tenant"]! : json
    var result = ComOSTenant(json: info)
    if result.id == "?" { result.id = tenant }
    result.raw = json
    return result
  }

  /// `catalog_search`; every filter is optional.
  public func searchCatalog(
    query: String?, category: String?, minPrice: String?, maxPrice: String?, limit: Int?
  ) throws(TillError) -> (products: [ComOSProduct], raw: JSONValue) {
    var members: [(String, JSONValue)] = []
    if let query { members.append(("query", .string(query))) }
    if let category { members.append(("category", .string(category))) }
    if let minPrice { members.append(("minPrice", .number(minPrice))) }
    if let maxPrice { members.append(("maxPrice", .number(maxPrice))) }
    if let limit { members.append(("limit", .number(String(limit)))) }
    let json = try toolCall(
      "catalog_search", members, doing: "searching the catalog", onlyReads: true)
    return (
      Self.list(in: json, ["products", "results", "items", "result"]).map(ComOSProduct.init), json
    )
  }

  /// `catalog_get_products` for these ids. The list's parameter is named as the tool's schema
  /// names its one array (`productIds` when the schema says nothing).
  public func products(_ ids: [String]) throws(TillError) -> (
    products: [ComOSProduct], raw: JSONValue
  ) {
    let schema = try offeredTool("catalog_get_products")
    var parameter = "productIds"
    if case .object(let properties)? = schema?["properties"] {
      if let array = properties.first(where: { $0.1["type"]?.string == "array" }) {
        parameter = array.0
      }
    }
    let json = try toolCall(
      "catalog_get_products", [(parameter, .array(ids.map { .string($0) }))],
      doing: "reading products \(ids.joined(separator: ", "))", onlyReads: true)
    return (
      Self.list(in: json, ["products", "results", "items", "result"]).map(ComOSProduct.init), json
    )
  }
}
