/// The cart an Acme checkout is for, and by whom.
public struct AcmeCheckout: Sendable {
  public var cart: String?
  public var customer: String?
  public var promotionCode: String?

  public init(cart: String?, customer: String?, promotionCode: String? = nil) {
    self.cart = cart
    self.customer = customer
    self.promotionCode = promotionCode
  }
}

/// The Acme checkout system: Add Item To Cart and Checkout Cart commands, then a saga
/// (reserve inventory → authorize payment → create order, compensating on failure) read from
/// the checkout session.
public final class AcmeAdapter: CheckoutAdapter {
  public let api = "acme"
  /// The catalog names the checkout session but no endpoint for it; this is where till looks
  /// unless `--status-path` (or a profile's `status-path`) says otherwise.
  public static let defaultStatusPath = "/checkout-sessions/{id}"

  private let transport: HTTPTransport
  private let endpoint: APIEndpoint
  private let clock: PollClock
  /// Where a checkout session is read, below the orchestrator's URL, with `{id}` for its id.
  private let statusTemplate: String
  /// The Checkout Orchestrator, another service in another domain: where sessions live.
  private let orchestrator: String
  /// Where the session of a cart is looked up, below the orchestrator's URL, with `{cartId}`.
  private let sessionLookup: String?

  public init(
    transport: HTTPTransport, endpoint: APIEndpoint, clock: PollClock, statusPath: String? = nil,
    orchestratorURL: String? = nil, sessionLookup: String? = nil
  ) {
    self.transport = transport
    self.endpoint = endpoint
    self.clock = clock
    self.statusTemplate = statusPath ?? AcmeAdapter.defaultStatusPath
    self.orchestrator = trimmedBase(orchestratorURL ?? endpoint.baseURL)
    self.sessionLookup = sessionLookup
  }

  private var base: String { trimmedBase(endpoint.baseURL) }

  /// The Acme catalog types cartId, productId and customerId as `uuid`: an id that is not one
  /// is refused before anything is sent, naming the field.
  public static func checkUUIDs(_ ids: [(field: String, value: String)]) throws(TillError) {
    for (field, value) in ids where !isUUID(value) {
      throw TillError(
        .usage,
        "\(field) '\(safe(value))' is not a UUID, and the Acme schemas type \(field) as one "
          + "(e.g. 3f2b8c1e-6d4a-4f7e-9b2c-1a2b3c4d5e6f)")
    }
  }

  public func addToCart(_ request: CartAddition) throws(TillError) -> CartSummary {
    let (addition, cart, product) = try ProductLine.required(request, api: api)
    guard addition.quantity >= 1 else {
      throw TillError(.usage, "invalid value '\(addition.quantity)' for '--quantity': at least 1")
    }
    try Self.checkUUIDs([("cartId", cart), ("productId", product)])
    let url = base + "/carts/" + CheckoutID.pathSegment(cart) + "/items"
    let body: JSONValue = [
      "productId": .string(product), "quantity": .number(String(addition.quantity)),
    ]
    let response = try exchange(transport, jsonRequest(.post, url, body))
    guard (200...299).contains(response.status) else {
      throw errorForStatus(response, doing: "adding \(safe(product)) to cart \(safe(cart))")
    }
    let json = try parseJSONBody(response, doing: "adding to the cart")
    let items = json["items"]?.array ?? []
    let count = try totalQuantity(items, cart: cart)
    return CartSummary(
      id: json["cartId"]?.text ?? cart, state: json["status"]?.string ?? "OPEN",
      itemCount: count,
      total: AcmeAdapter.money(json["total"], currency: json["currency"]), raw: json)
  }

  /// `DELETE /carts/{cartId}/items/{productId}`: the Cart API's Remove Item; answers the cart.
  public func removeItem(cart: String, product: String) throws(TillError) -> CartSummary {
    try Self.checkUUIDs([("cartId", cart), ("productId", product)])
    let url =
      base + "/carts/" + CheckoutID.pathSegment(cart) + "/items/"
      + CheckoutID.pathSegment(product)
    let action = "removing \(safe(product)) from cart \(safe(cart))"
    let response = try exchange(transport, jsonRequest(.delete, url, nil))
    guard (200...299).contains(response.status) else {
      throw errorForStatus(response, doing: action)
    }
    let json = try parseJSONBody(response, doing: action)
    return CartSummary(
      id: json["cartId"]?.text ?? cart, state: json["status"]?.string ?? "OPEN",
      itemCount: try totalQuantity(json["items"]?.array ?? [], cart: cart),
      total: AcmeAdapter.money(json["total"], currency: json["currency"]), raw: json)
  }

  public func start(_ checkout: CheckoutRequest) throws(TillError) -> CheckoutStatus {
    let request = try details(
      checkout.details, AcmeCheckout.self, api: api, for: "checkout start")
    guard let cart = request.cart, !cart.isEmpty else {
      throw TillError(.usage, "checkout start needs --cart ID for --api acme")
    }
    guard let customer = request.customer, !customer.isEmpty else {
      throw TillError(.usage, "checkout start needs --customer UUID for --api acme")
    }
    try Self.checkUUIDs([("cartId", cart), ("customerId", customer)])
    var body: [(String, JSONValue)] = [("customerId", .string(customer))]
    if let code = request.promotionCode { body.append(("promotionCode", .string(code))) }
    let url = base + "/carts/" + CheckoutID.pathSegment(cart) + "/checkout"
    let response = try exchange(
      transport,
      jsonRequest(.post, url, .object(body), idempotencyKey: nil))
    guard (200...299).contains(response.status) else {
      throw errorForStatus(response, doing: "checking out cart \(safe(cart))")
    }
    let json = try parseJSONBody(response, doing: "checking out cart \(safe(cart))")
    let session = try sessionID(of: cart, answer: json, headers: response.headers)
    var status = CheckoutStatus(
      id: session, api: api, state: .processing, serverState: json["status"]?.string ?? "STARTED",
      hint: PollHint(retryAfter: RetryAfter.delay(in: response.headers, now: clock.wallSeconds)),
      raw: json)
    status.references = [("cartId", json["cartId"]?.text ?? cart)]
    if let total = AcmeAdapter.money(json["total"], currency: json["currency"]) {
      status.references.append(("total", total))
    }
    return status
  }

  /// The checkout session's own id, found the ways a deployment may offer it: in the answer
  /// (`checkoutSessionId`), its `Location`, its `Link: <…>; rel="checkout-session"`, a lookup
  /// by cart (`--session-lookup`), else the cart's id.
  private func sessionID(of cart: String, answer json: JSONValue, headers: HTTPHeaders)
    throws(TillError) -> String
  {
    if let id = json["checkoutSessionId"]?.text, !id.isEmpty { return id }
    let linked = headers["Location"] ?? AcmeAdapter.link(headers["Link"], rel: "checkout-session")
    if let target = linked, let id = target.split(separator: "/").last.map(String.init),
      !id.isEmpty
    {
      return AcmeAdapter.percentDecoded(id)
    }
    guard let lookup = sessionLookup else { return cart }
    let path = lookup.replacingOccurrences("{cartId}", with: CheckoutID.pathSegment(cart))
    let action = "looking up the checkout session of cart \(safe(cart))"
    let response = try exchange(transport, jsonRequest(.get, orchestrator + path, nil))
    guard (200...299).contains(response.status) else {
      throw errorForStatus(response, doing: action)
    }
    let found = try parseJSONBody(response, doing: action)
    // A session, or a list of them: the newest (latest startedAt) is this checkout's.
    let sessions = found.array ?? found["sessions"]?.array ?? [found]
    let newest = sessions.max { ($0["startedAt"]?.string ?? "") < ($1["startedAt"]?.string ?? "") }
    guard let id = newest?["checkoutSessionId"]?.text, !id.isEmpty else {
      throw TillError(
        .serverOrNetwork,
        "\(action): the answer names no checkoutSessionId; got \(quoteBody(response.body))")
    }
    return id
  }

  /// A path segment with its `%XX` escapes decoded; one that does not decode stays as it is.
  static func percentDecoded(_ segment: String) -> String {
    var bytes: [UInt8] = []
    var utf8 = Array(segment.utf8)[...]
    while let byte = utf8.popFirst() {
      guard byte == UInt8(ascii: "%"), utf8.count >= 2,
        let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16)
      else {
        bytes.append(byte)
        continue
      }
      bytes.append(value)
      utf8 = utf8.dropFirst(2)
    }
    return String(validating: bytes, as: UTF8.self) ?? segment
  }

  /// The target of the link with relation `rel` in a `Link` header (RFC 8288), if any.
  static func link(_ header: String?, rel: String) -> String? {
    guard let header else { return nil }
    for part in header.split(separator: ",") {
      let fields = part.split(separator: ";").map { $0.trimmingWhitespace() }
      guard let target = fields.first, target.hasPrefix("<"), target.hasSuffix(">") else {
        continue
      }
      let rels = fields.dropFirst().compactMap { field -> String? in
        let pair = field.split(separator: "=", maxSplits: 1).map { $0.trimmingWhitespace() }
        guard pair.count == 2, pair[0].lowercased() == "rel" else { return nil }
        return String(pair[1].filter { $0 != "\"" })
      }
      if rels.contains(where: { $0.split(separator: " ").contains(Substring(rel)) }) {
        return String(target.dropFirst().dropLast())
      }
    }
    return nil
  }

  public func status(id: String) throws(TillError) -> CheckoutStatus {
    try status(id: id, from: exchange(transport, request(forStatusOf: id)))
  }

  // Optional, as the protocol declares it: a non-optional one would not be its witness.
  public func statusRequest(id: String) -> HTTPRequest? { request(forStatusOf: id) }

  private func request(forStatusOf id: String) -> HTTPRequest {
    let path = statusTemplate.replacingOccurrences("{id}", with: CheckoutID.pathSegment(id))
    return jsonRequest(.get, orchestrator + path, nil)
  }

  public func status(id: String, from response: HTTPResponse) throws(TillError)
    -> CheckoutStatus
  {
    let template = statusTemplate
    guard (200...299).contains(response.status) else {
      var error = errorForStatus(response, doing: "reading checkout session \(safe(id))")
      if response.status == 404 {
        error.message +=
          "; if sessions live elsewhere, set --orchestrator-url, --status-path (now \(template)) "
          + "or --session-lookup"
      }
      throw error
    }
    let json = try parseJSONBody(response, doing: "reading checkout session \(safe(id))")
    return try AcmeAdapter.status(from: json, id: id, response: response, now: clock.wallSeconds)
  }

  /// Maps a checkout session onto the common model. Missing fields are tolerated.
  public static func status(from json: JSONValue, id: String, response: HTTPResponse?, now: Int64)
    throws(TillError) -> CheckoutStatus
  {
    guard json.isObject else {
      throw TillError(.serverOrNetwork, "the checkout session is not a JSON object")
    }
    let word = json["status"]?.string ?? ""
    let state: CheckoutState
    switch word.uppercased() {
    case "STARTED", "PENDING", "INVENTORY_RESERVED", "PAYMENT_AUTHORIZED", "COMPENSATING",
      "IN_PROGRESS":
      state = .processing
    case "COMPLETED", "SUCCEEDED": state = .completed
    case "COMPENSATED": state = .compensated
    case "FAILED": state = .failed
    case "CANCELLED", "CANCELED": state = .cancelled
    default: state = .unknown
    }
    var status = CheckoutStatus(
      id: json["checkoutSessionId"]?.text ?? id, api: "acme", state: state,
      serverState: word.isEmpty ? "(no status)" : word,
      message: json["error"].flatMap { error in
        [error["code"]?.text, error["message"]?.string].compactMap { $0 }.joined(separator: ": ")
      },
      hint: PollHint(
        retryAfter: response.flatMap { RetryAfter.delay(in: $0.headers, now: now) },
        canFollowUp: !state.isTerminal),
      raw: json)
    status.steps = sagaSteps(json["steps"])
    // Compensation notes belong to the steps they undid.
    for entry in json["compensation"]?.array ?? [] {
      guard let step = entry["step"]?.string,
        let index = status.steps.firstIndex(where: { $0.name == step })
      else { continue }
      let action = entry["action"]?.string ?? "compensated"
      status.steps[index].compensation =
        entry["reason"]?.string.map { "\(action) (\($0))" } ?? action
    }
    for key in ["cartId", "orderId", "paymentAuthorizationId"] {
      if let value = json[key]?.text { status.references.append((key, value)) }
    }
    status.stateSince = (json["updatedAt"] ?? json["startedAt"])?.string.flatMap(ISOTime.parse)
    return status
  }

  /// Minor units with their currency: (1250, USD) → `12.50 USD`.
  static func money(_ amount: JSONValue?, currency: JSONValue?) -> String? {
    guard let minor = amount?.int else { return nil }
    return decimalText(minorUnits: minor) + (currency?.string.map { " " + $0 } ?? "")
  }

}

extension String {
  func replacingOccurrences(_ target: String, with replacement: String) -> String {
    guard !target.isEmpty else { return self }
    var result = ""
    var rest = Substring(self)
    while let range = rest.firstRange(of: target) {
      result += rest[..<range.lowerBound] + replacement
      rest = rest[range.upperBound...]
    }
    return result + rest
  }
}
