/// A C2A customer as `customer/store` and `customer/info` answer it.
public struct C2ACustomer: Sendable {
  public var urn: String
  public var externalID: String?
  public var email: String?
  public var status: String?
  public var countryCode: String?
  public var languageCode: String?
  public var raw: JSONValue

  init(_ json: JSONValue) {
    urn = json["customerUrn"]?.text ?? ""
    externalID = json["externalIdentifier"]?.text
    email = json["email"]?.string
    status = json["status"]?.string
    countryCode = json["claimedRegion"]?["countryCode"]?.string
    languageCode = json["claimedRegion"]?["languageCode"]?.string
    raw = json
  }
}

/// What a new customer is stored with.
public struct C2ANewCustomer: Sendable {
  public var externalID: String
  public var email: String
  public var countryCode: String
  public var languageCode: String

  public init(externalID: String, email: String, countryCode: String, languageCode: String) {
    self.externalID = externalID
    self.email = email
    self.countryCode = countryCode
    self.languageCode = languageCode
  }
}

/// One bundle of an offer, its price as money.
public struct C2ABundle: Sendable, Codable, Equatable {
  public var urn: String
  public var name: String
  /// `14.99 EUR`: the milpieces / 100, as the checkout page says to show them.
  public var price: String?

  public init(urn: String, name: String, price: String?) {
    self.urn = urn
    self.name = name
    self.price = price
  }
}

/// An offer `offer/bundles` or `offer/showcase` resolved.
public struct C2AOffer: Sendable {
  public var identifier: String
  public var bundles: [C2ABundle]
  public var campaigns: [String]
  public var expiresAt: String?
  public var isPurchasable: Bool
  public var raw: JSONValue

  init(_ json: JSONValue, showcase: Bool) {
    identifier = json["offerIdentifier"]?.text ?? ""
    bundles = (json["artifactGroups"]?.array ?? []).map { group in
      C2ABundle(
        urn: group["bundleUrn"]?.text ?? "", name: group["name"]?.string ?? "",
        price: C2AOffer.money(group["price"]))
    }
    campaigns = (json["campaigns"]?.array ?? []).compactMap { $0["name"]?.string ?? $0.string }
    expiresAt = json["expiresAt"]?.string
    isPurchasable = showcase ? false : (json["isPurchasable"]?.bool ?? true)
    raw = json
  }

  /// `{amountMilpieces: 1499, currency: "EUR"}` as `14.99 EUR`.
  static func money(_ price: JSONValue?) -> String? {
    guard let amount = price?["amountMilpieces"]?.int else { return nil }
    let currency = price?["currency"]?.string.map { " " + $0 } ?? ""
    return decimalText(minorUnits: amount) + currency
  }
}

/// What `offer/bundles` is asked for.
public struct C2AOfferQuery: Sendable {
  public var customerUrn: String?
  public var promotionCode: String?
  public var storefrontUrn: String?
  /// `NewAcquisition`, `Replace` or `RetentionWinback`.
  public var interactionType: String

  public init(
    customerUrn: String?, promotionCode: String? = nil, storefrontUrn: String? = nil,
    interactionType: String = "NewAcquisition"
  ) {
    self.customerUrn = customerUrn
    self.promotionCode = promotionCode
    self.storefrontUrn = storefrontUrn
    self.interactionType = interactionType
  }
}

/// One subscription of a customer.
public struct C2ASubscription: Sendable {
  public var orderIdentifier: String
  public var bundleName: String
  public var state: String
  public var endDate: String?
  public var raw: JSONValue

  init(_ json: JSONValue) {
    orderIdentifier = json["orderIdentifier"]?.text ?? ""
    bundleName = json["bundleName"]?.string ?? json["bundleSku"]?.text ?? ""
    state = json["state"]?.string ?? ""
    endDate = json["endDate"]?.string
    raw = json
  }
}

/// The C2A calls around the checkout: customers (C2A-01), offers (C2A-02) and subscriptions
/// (C2A-05). Every answer is judged by its `status.messageCode` first.
public struct C2AAccount {
  let transport: HTTPTransport
  let endpoint: APIEndpoint
  let prefix: String

  private func call(
    _ method: HTTPMethod, _ path: String, _ body: JSONValue?, doing action: String
  ) throws(TillError) -> JSONValue {
    var headers = HTTPHeaders()
    if let tenant = endpoint.tenant { headers.append("x-tn", tenant) }
    if let key = endpoint.apiKey { headers.append("x-api-key", key) }
    let request = jsonRequest(method, prefix + path, body, headers: headers)
    let response = try C2AAdapter.send(request, over: transport, endpoint: endpoint)
    if let error = C2AMessageCode.error(in: response, doing: action) { throw error }
    return try parseJSONBody(response, doing: action)
  }

  private func payload(_ json: JSONValue, _ key: String, doing action: String) throws(TillError)
    -> JSONValue
  {
    guard let value = json[key], value != .null else {
      throw TillError(
        .serverOrNetwork,
        "\(action): the answer has no '\(key)'; got \(json.serialized().prefix(80))")
    }
    return value
  }

  /// Whether the external id is free to store a customer under.
  public func validate(externalID: String) throws(TillError) -> (available: Bool, raw: JSONValue) {
    let action = "validating the customer"
    let json = try call(
      .post, "/customer/validate", ["externalId": .string(externalID)], doing: action)
    guard let available = json["isAvailable"]?.bool else {
      throw TillError(.serverOrNetwork, "\(action): the answer has no isAvailable")
    }
    return (available, json)
  }

  public func store(_ customer: C2ANewCustomer) throws(TillError) -> C2ACustomer {
    let action = "storing the customer"
    let body: JSONValue = .object([
      (
        "customer",
        .object([
          ("externalIdentifier", .string(customer.externalID)), ("email", .string(customer.email)),
        ])
      ),
      (
        "claimedRegion",
        .object([
          ("countryCode", .string(customer.countryCode)),
          ("languageCode", .string(customer.languageCode)),
        ])
      ),
    ])
    let json = try call(.post, "/customer/store", body, doing: action)
    let stored = C2ACustomer(try payload(json, "result", doing: action))
    guard !stored.urn.isEmpty else {
      throw TillError(.serverOrNetwork, "\(action): the answer has no customerUrn")
    }
    return stored
  }

  public func customer(urn: String) throws(TillError) -> C2ACustomer {
    let action = "reading customer \(safe(urn))"
    let json = try call(
      .get, "/customer/info?urn=" + CheckoutID.pathSegment(urn), nil, doing: action)
    return C2ACustomer(try payload(json, "result", doing: action))
  }

  public func resolveOffer(_ query: C2AOfferQuery, showcase: Bool) throws(TillError) -> C2AOffer {
    let action = showcase ? "reading the showcase offer" : "resolving the offer"
    var context: [(String, JSONValue)] = []
    if let urn = query.customerUrn { context.append(("customerUrn", .string(urn))) }
    if let code = query.promotionCode { context.append(("promotionCode", .string(code))) }
    context.append(("interactionType", .string(query.interactionType)))
    if let storefront = query.storefrontUrn {
      context.append(("storefrontUrn", .string(storefront)))
    }
    let json = try call(
      .post, showcase ? "/offer/showcase" : "/offer/bundles",
      .object([("context", .object(context))]), doing: action)
    let offer = C2AOffer(try payload(json, "offer", doing: action), showcase: showcase)
    guard !offer.identifier.isEmpty else {
      throw TillError(.serverOrNetwork, "\(action): the answer has no offerIdentifier")
    }
    return offer
  }

  public func subscriptions(customerUrn: String) throws(TillError) -> [C2ASubscription] {
    let action =
      "listing the subscriptions of \(safe(customerUrn))"
    let json = try call(
      .get, "/subscription/" + CheckoutID.pathSegment(customerUrn), nil, doing: action)
    guard let list = json["result"]?.array else {
      throw TillError(.serverOrNetwork, "\(action): the answer has no result list")
    }
    return list.map(C2ASubscription.init)
  }

  /// Cancels in the documented two phases: the request (which answers the cancellation
  /// methods and reasons to offer), then the confirmation with the first method offered.
  public func cancel(orderIdentifier: String, reason: String?) throws(TillError) -> C2ASubscription
  {
    let order = safe(orderIdentifier)
    let asked = try call(
      .post, "/subscription/cancel/request", ["orderIdentifier": .string(orderIdentifier)],
      doing: "requesting the cancellation of \(order)")
    let offered = asked["result"]?["cancelationMethods"]?.array?.first?.string ?? "EndOfTerm"
    if let reason {
      let reasons = asked["result"]?["reasons"]?.array?.compactMap { $0["code"]?.string } ?? []
      if !reasons.isEmpty, !reasons.contains(reason) {
        throw TillError(
          .usage,
          "'\(safe(reason))' is not a reason the server offers: "
            + reasons.map { safe($0) }.joined(separator: ", "))
      }
    }
    var body: [(String, JSONValue)] = [
      ("orderIdentifier", .string(orderIdentifier)), ("cancelationMethod", .string(offered)),
    ]
    if let reason { body.append(("survey", ["reason": .string(reason)])) }
    let action = "confirming the cancellation of \(order)"
    let json = try call(.post, "/subscription/cancel/confirm", .object(body), doing: action)
    return C2ASubscription(try payload(json, "result", doing: action))
  }

  public func reactivate(orderIdentifier: String) throws(TillError) -> C2ASubscription {
    let action = "reactivating \(safe(orderIdentifier))"
    let json = try call(
      .post, "/subscription/reactivate", ["orderIdentifier": .string(orderIdentifier)],
      doing: action)
    return C2ASubscription(try payload(json, "result", doing: action))
  }
}

extension C2AAdapter {
  /// Customers, offers and subscriptions, over the adapter's connection and credentials.
  public var account: C2AAccount {
    C2AAccount(transport: transport, endpoint: endpoint, prefix: prefix)
  }
}
