/// An order the gateway made from a completed saga (`orders_list`, `orders_get`).
public struct ComOSOrder: Sendable {
  public var id: String
  public var status: String?
  public var saga: String?
  public var total: String?
  public var created: String?
  public var items: [(product: String, quantity: Int)]
  public var raw: JSONValue

  init(json: JSONValue) {
    let order = json["order"]?.isObject == true ? json["order"]! : json
    id = (order["orderId"] ?? order["id"] ?? order["_id"] ?? order["orderNumber"])?.text ?? "?"
    status = order["status"]?.string
    saga = order["sagaId"]?.text
    let currency = order["currency"]?.string
    total = (order["total"] ?? order["totalAmount"])?.text.map { amount in
      currency.map { "\(amount) \($0)" } ?? amount
    }
    created = (order["createdAt"] ?? order["date"])?.string
    items = (order["items"]?.array ?? []).map { item in
      ((item["productId"] ?? item["id"] ?? item["sku"])?.text ?? "?", item["quantity"]?.int ?? 1)
    }
    raw = json
  }
}

/// Where an order's delivery is (`orders_track`).
public struct ComOSTracking: Sendable {
  public var order: String
  public var status: String?
  public var carrier: String?
  public var trackingNumber: String?
  public var events: [(status: String, at: String?, location: String?)]
  public var raw: JSONValue

  init(json: JSONValue, order: String) {
    let tracking = json["tracking"]?.isObject == true ? json["tracking"]! : json
    self.order = tracking["orderId"]?.text ?? order
    status = tracking["status"]?.string
    carrier = tracking["carrier"]?.string
    trackingNumber = tracking["trackingNumber"]?.text
    events = (tracking["events"]?.array ?? tracking["history"]?.array ?? []).map { event in
      (
        (event["status"] ?? event["description"])?.string ?? "?",
        (event["at"] ?? event["timestamp"] ?? event["date"])?.string,
        event["location"]?.string
      )
    }
    raw = json
  }
}

extension ComOSAdapter {
  /// `orders_list` for a user, or `orders_recent` for the tenant when there is no user.
  public func listOrders(user: String?, status: String?) throws(TillError) -> (
    orders: [ComOSOrder], raw: JSONValue
  ) {
    var members: [(String, JSONValue)] = []
    if let user { members.append(("userId", .string(user))) }
    if let status { members.append(("status", .string(status))) }
    let json = try toolCall(
      user == nil ? "orders_recent" : "orders_list", members,
      doing: user.map { "listing the orders of \($0)" } ?? "listing recent orders",
      onlyReads: true)
    return (Self.list(in: json, ["orders", "result", "items"]).map(ComOSOrder.init), json)
  }

  /// `orders_get`.
  public func order(_ id: String) throws(TillError) -> ComOSOrder {
    let json = try toolCall(
      "orders_get", [("orderId", .string(id))], doing: "reading order \(id)", onlyReads: true)
    var order = ComOSOrder(json: json)
    if order.id == "?" { order.id = id }
    return order
  }

  /// `orders_track`.
  public func track(_ id: String) throws(TillError) -> ComOSTracking {
    let json = try toolCall(
      "orders_track", [("orderId", .string(id))], doing: "tracking order \(id)",
      onlyReads: true)
    return ComOSTracking(json: json, order: id)
  }
}

/// A shipping method a saga may use (`checkout_shipping_options`).
public struct ComOSShippingOption: Sendable {
  public var carrier: String
  public var service: String
  public var name: String?
  public var price: String?
  public var days: String?
  public var selected: Bool

  init(json: JSONValue) {
    carrier = (json["carrierId"] ?? json["carrier"])?.text ?? "?"
    service = (json["serviceId"] ?? json["service"])?.text ?? "?"
    name = (json["name"] ?? json["description"])?.string
    let currency = json["currency"]?.string
    price = (json["price"] ?? json["cost"])?.text.map { amount in
      currency.map { "\(amount) \($0)" } ?? amount
    }
    days = (json["estimatedDays"] ?? json["days"])?.text
    selected = json["selected"]?.bool ?? false
  }
}

extension ComOSAdapter {
  /// `checkout_shipping_options`.
  public func shippingOptions(saga: String) throws(TillError) -> (
    options: [ComOSShippingOption], raw: JSONValue
  ) {
    let json = try toolCall(
      "checkout_shipping_options", [("sagaId", .string(saga))],
      doing: "reading the shipping options of saga \(saga)", onlyReads: true)
    return (
      Self.list(in: json, ["options", "shippingOptions", "rates", "result"]).map(
        ComOSShippingOption.init), json
    )
  }

  /// `checkout_select_shipping`: the gateway's answer, with the new total.
  public func selectShipping(saga: String, carrier: String, service: String) throws(TillError)
    -> JSONValue
  {
    try toolCall(
      "checkout_select_shipping",
      [
        ("sagaId", .string(saga)), ("carrierId", .string(carrier)), ("serviceId", .string(service)),
      ],
      doing: "choosing \(carrier)/\(service) for saga \(saga)")
  }
}
