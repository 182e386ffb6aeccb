/// The C2A routes around the checkout: customers (C2A-01), offers (C2A-02) and subscriptions
/// (C2A-05). Every answer is an AzotteStatus envelope, `status.messageCode` beside the payload.
struct C2AAccountRoutes: Sendable {
  let accounts: C2AAccounts

  /// The routes below the prefix this answers, for the sandbox's not-found text.
  static let summary = "customer/…, offer/bundles, offer/showcase and subscription/…"

  /// Nil when `route` is none of these; `tenant` checks the caller only once a route matched.
  func respond(
    to request: HTTPRequest, route: Substring, tenant: () -> Result<String, C2ARoutes.Refusal>
  ) -> HTTPResponse? {
    let handler: ((HTTPRequest, String) -> HTTPResponse)?
    var methods = ["POST"]
    switch route {
    case "customer/validate": handler = validate
    case "customer/store": handler = store
    case "customer/info":
      methods = ["GET"]
      handler = info
    case "offer/bundles": handler = { offer($0, tenant: $1, showcase: false) }
    case "offer/showcase": handler = { offer($0, tenant: $1, showcase: true) }
    case "subscription/cancel/request": handler = cancelRequest
    case "subscription/cancel/confirm": handler = cancelConfirm
    case "subscription/reactivate": handler = reactivate
    default:
      let segments = route.split(separator: "/", omittingEmptySubsequences: false)
      guard segments.count == 2, segments[0] == "subscription", !segments[1].isEmpty else {
        return nil
      }
      methods = ["GET"]
      let urn = HTTPText.percentDecoded(segments[1]) ?? String(segments[1])
      handler = { list($0, customerUrn: urn, tenant: $1) }
    }
    guard let handler else { return nil }
    return .allowing(methods, request) {
      switch tenant() {
      case .success(let found): handler(request, found)
      case .failure(let refusal): refusal.response
      }
    }
  }

  // MARK: Customers

  private func validate(_ request: HTTPRequest, tenant: String) -> HTTPResponse {
    guard let body = JSONText.parse(request.body), let id = body["externalId"]?.stringValue,
      !id.isEmpty
    else { return Self.invalid("The body must be {\"externalId\": \"…\"}") }
    let available = accounts.isAvailable(externalID: id, tenant: tenant)
    return Self.success(["isAvailable": .boolean(available)])
  }

  private func store(_ request: HTTPRequest, tenant: String) -> HTTPResponse {
    guard let body = JSONText.parse(request.body), let customer = body["customer"],
      customer.isObject
    else { return Self.invalid("The body must be {\"customer\": {…}, \"claimedRegion\": {…}}") }
    let region = body["claimedRegion"]
    let new = C2AAccounts.NewCustomer(
      externalID: customer["externalIdentifier"]?.stringValue ?? "",
      email: customer["email"]?.stringValue ?? "",
      countryCode: region?["countryCode"]?.stringValue ?? "",
      languageCode: region?["languageCode"]?.stringValue ?? "")
    let stored = accounts.store(new, tenant: tenant)
    switch stored {
    case .success(let customer): return Self.success(["result": Self.json(customer)])
    case .failure(let refusal): return Self.refused(refusal, payload: "result")
    }
  }

  private func info(_ request: HTTPRequest, tenant: String) -> HTTPResponse {
    let query = Self.query(of: request)
    guard query["urn"] != nil || query["exId"] != nil else {
      return Self.invalid("Give ?urn=… or ?exId=…")
    }
    guard
      let customer = accounts.customer(urn: query["urn"], externalID: query["exId"], tenant: tenant)
    else {
      let asked = query["urn"] ?? query["exId"] ?? ""
      return Self.refused(
        AzotteRefusal(status: 404, code: "CUSTOMER_NOT_FOUND", message: "No customer '\(asked)'"),
        payload: "result")
    }
    return Self.success(["result": Self.json(customer)])
  }

  // MARK: Offers

  private func offer(_ request: HTTPRequest, tenant: String, showcase: Bool) -> HTTPResponse {
    guard let body = JSONText.parse(request.body), body.isObject else {
      return Self.invalid("The body must be {\"context\": {…}}", payload: "offer")
    }
    let context = body["context"] ?? .object([])
    // Each member has a short alias too (CU, PC, SF, IT).
    func member(_ name: String, _ alias: String) -> String? {
      (context[name] ?? context[alias])?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
    }
    let interaction = member("interactionType", "IT")
    let known = ["NewAcquisition", "Replace", "RetentionWinback"]
    if !showcase, !known.contains(interaction ?? "") {
      return Self.invalid(
        "context.interactionType is required: one of \(known.joined(separator: ", "))",
        payload: "offer")
    }
    let asked = OfferContext(
      customerUrn: member("customerUrn", "CU"), promotionCode: member("promotionCode", "PC"),
      storefrontUrn: member("storefrontUrn", "SFU"), interactionType: interaction)
    switch accounts.resolveOffer(asked, tenant: tenant, showcase: showcase) {
    case .success(let offer): return Self.success(["offer": Self.json(offer)])
    case .failure(let refusal): return Self.refused(refusal, payload: "offer")
    }
  }

  // MARK: Subscriptions

  private func list(_ request: HTTPRequest, customerUrn: String, tenant: String) -> HTTPResponse {
    guard let subscriptions = accounts.subscriptions(customerUrn: customerUrn, tenant: tenant)
    else {
      return Self.refused(
        AzotteRefusal(
          status: 404, code: "CUSTOMER_NOT_FOUND", message: "No customer '\(customerUrn)'"),
        payload: "result")
    }
    return Self.success(["result": .array(subscriptions.map(Self.json))])
  }

  private func cancelRequest(_ request: HTTPRequest, tenant: String) -> HTTPResponse {
    transition(
      request, tenant: tenant, from: "Active", to: "Active", refusal: "SUBSCRIPTION_NOT_CANCELABLE"
    ) {
      .object([
        "orderIdentifier": .string($0.orderIdentifier),
        "cancelationMethods": .array([.string("EndOfTerm")]),
        "reasons": .array(
          [("TOO_EXPENSIVE", "Too expensive"), ("NOT_USED", "I do not use it"), ("OTHER", "Other")]
            .map { .object(["code": .string($0.0), "text": .string($0.1)]) }),
      ])
    }
  }

  private func cancelConfirm(_ request: HTTPRequest, tenant: String) -> HTTPResponse {
    transition(
      request, tenant: tenant, from: "Active", to: "PendingCancel",
      refusal: "SUBSCRIPTION_NOT_CANCELABLE", result: Self.json)
  }

  private func reactivate(_ request: HTTPRequest, tenant: String) -> HTTPResponse {
    transition(
      request, tenant: tenant, from: "PendingCancel", to: "Active",
      refusal: "SUBSCRIPTION_NOT_REACTIVATABLE", result: Self.json)
  }

  private func transition(
    _ request: HTTPRequest, tenant: String, from: String, to: String, refusal: String,
    result: (C2AAccounts.Subscription) -> JSONText
  ) -> HTTPResponse {
    guard let body = JSONText.parse(request.body),
      let order = body["orderIdentifier"]?.stringValue, !order.isEmpty
    else { return Self.invalid("The body must be {\"orderIdentifier\": \"…\"}") }
    switch accounts.transition(
      orderIdentifier: order, tenant: tenant, from: from, to: to, refusal: refusal)
    {
    case .success(let subscription): return Self.success(["result": result(subscription)])
    case .failure(let refusal): return Self.refused(refusal, payload: "result")
    }
  }

  // MARK: Wire

  static let vendorJSON = "application/clientOutput+Json"

  /// The payload's members, then `status: {messageCode: SUCCESS}`.
  static func success(_ payload: KeyValuePairs<String, JSONText?>) -> HTTPResponse {
    let members = payload.compactMap { key, value in
      value.map { JSONText.Member(key: key, value: $0) }
    }
    let status = JSONText.Member(
      key: "status", value: .object(["messageCode": .string("SUCCESS")]))
    return HTTPResponse(
      status: 200, contentType: vendorJSON, json: .object(members + [status]))
  }

  static func refused(_ refusal: AzotteRefusal, payload: String) -> HTTPResponse {
    HTTPResponse(
      status: refusal.status, contentType: vendorJSON,
      json: .object([
        .init(key: payload, value: .null),
        .init(
          key: "status",
          value: .object([
            "messageCode": .string(refusal.code), "message": .string(refusal.message),
          ])),
      ]))
  }

  private static func invalid(_ message: String, payload: String = "result") -> HTTPResponse {
    refused(
      AzotteRefusal(status: 400, code: "VALIDATION_ERROR", message: message), payload: payload)
  }

  private static func query(of request: HTTPRequest) -> [String: String] {
    guard let mark = request.target.firstIndex(of: "?") else { return [:] }
    var pairs: [String: String] = [:]
    for pair in request.target[request.target.index(after: mark)...].split(separator: "&") {
      let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      guard parts.count == 2, let key = HTTPText.percentDecoded(parts[0]),
        let value = HTTPText.percentDecoded(parts[1])
      else { continue }
      pairs[key] = value
    }
    return pairs
  }

  private static func json(_ customer: C2AAccounts.Customer) -> JSONText {
    .object([
      "customerUrn": .string(customer.urn),
      "externalIdentifier": .string(customer.given.externalID),
      "email": .string(customer.given.email),
      "status": .string("Active"),
      "claimedRegion": .object([
        "countryCode": .string(customer.given.countryCode),
        "languageCode": .string(customer.given.languageCode),
      ]),
      "createdAt": .string(ISO8601UTC.string(fromUnixSeconds: customer.createdAt)),
    ])
  }

  private static func json(_ offer: C2AAccounts.Offer) -> JSONText {
    .object([
      "offerIdentifier": .string(offer.identifier),
      "storefrontUrn": .string(offer.storefrontUrn),
      "isPurchasable": .boolean(offer.isPurchasable),
      "expiresAt": .string(ISO8601UTC.string(fromUnixSeconds: offer.expiresAt)),
      "campaigns": .array(offer.campaign.map { [.object(["name": .string($0)])] } ?? []),
      "artifactGroups": .array(
        offer.bundles.map { bundle in
          .object([
            "bundleUrn": .string(bundle.urn),
            "name": .string(bundle.name),
            "sku": .string(bundle.sku),
            "price": .object([
              "amountMilpieces": .integer(bundle.amountMilpieces),
              "currency": .string(bundle.currency),
            ]),
          ])
        }),
    ])
  }

  private static func json(_ subscription: C2AAccounts.Subscription) -> JSONText {
    .object([
      "bundleName": .string(subscription.bundle.name),
      "bundleSku": .string(subscription.bundle.sku),
      "bundleUrn": .string(subscription.bundle.urn),
      "state": .string(subscription.state),
      "startDate": .string(ISO8601UTC.string(fromUnixSeconds: subscription.startDate)),
      "endDate": .string(ISO8601UTC.string(fromUnixSeconds: subscription.endDate)),
      "orderIdentifier": .string(subscription.orderIdentifier),
      "options": .object([
        "canCancel": .boolean(subscription.state == "Active"),
        "canReplace": .boolean(subscription.state == "Active"),
      ]),
    ])
  }
}

extension JSONText {
  /// The text of a string value; nil for anything else.
  var stringValue: String? {
    if case .string(let text) = self { return text }
    return nil
  }
}
