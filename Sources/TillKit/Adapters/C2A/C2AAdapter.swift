/// What a C2A order holds beyond the idempotency key: the offer, items, customer and payment,
/// or a complete body given by the user, sent as it is.
public struct C2AOrder: Sendable {
  public var offer: String?
  public var items: [CartItem] = []
  public var customer: String?
  public var paymentChannel: String?
  public var useStoredMethod = false
  /// The card as a JSON object (read from `--card-file`); never printed.
  public var creditCard: JSONValue?
  public var body: [UInt8]?

  public init(offer: String? = nil, items: [CartItem] = []) {
    self.offer = offer
    self.items = items
  }
}

/// C2A offer checkout: submit (202 + tracking number + Retry-After), then poll the status.
public final class C2AAdapter: CheckoutAdapter {
  public let api = "c2a"
  let transport: HTTPTransport
  let endpoint: APIEndpoint
  private let clock: PollClock
  /// `https://host/api/v1/c2a` with no trailing slash.
  public let prefix: String

  public init(transport: HTTPTransport, endpoint: APIEndpoint, clock: PollClock) {
    self.transport = transport
    self.endpoint = endpoint
    self.clock = clock
    self.prefix = C2AAdapter.prefix(for: endpoint.baseURL)
  }

  /// The vendor's pages show both `/api/v1/c2a` and `/api/c2a`; a base URL ending in either is
  /// used as it is, anything else is a server root.
  public static func prefix(for baseURL: String) -> String {
    let base = trimmedBase(baseURL)
    if base.hasSuffix("/api/v1/c2a") || base.hasSuffix("/api/c2a") { return base }
    return base + "/api/v1/c2a"
  }

  private func headers(json: Bool) -> HTTPHeaders {
    var headers = HTTPHeaders()
    if let tenant = endpoint.tenant { headers.append("x-tn", tenant) }
    if let key = endpoint.apiKey { headers.append("x-api-key", key) }
    headers.append("Accept", "application/json, application/problem+json, */*")
    if json { headers.append("Content-Type", "application/json") }
    return headers
  }

  public func start(_ request: CheckoutRequest) throws(TillError) -> CheckoutStatus {
    let order = try details(request.details, C2AOrder.self, api: api, for: "checkout start")
    let body =
      order.body
      ?? Array(C2AAdapter.body(for: order, correlationId: request.correlationId).serialized().utf8)
    let http = HTTPRequest(
      method: .post, url: prefix + "/offer/checkout", headers: headers(json: true), body: body,
      idempotencyKey: request.retriesSubmit ? request.correlationId : nil)
    let response = try send(http)
    let action = "submitting the checkout"
    guard (200...299).contains(response.status) else {
      // A refusal with a known message code (OFFER_EXPIRED, CARD_DECLINED, …) says more than
      // its HTTP status.
      if let code = (try? JSONValue.parse(response.body))?["status"]?["messageCode"]?.string,
        C2AMessageCode.meaning(of: code) != nil,
        let error = C2AMessageCode.error(in: response, doing: action)
      {
        throw error
      }
      if response.status == 404 {
        throw TillError(
          .notFound,
          "\(action): \(http.url) answered 404; check --base-url (the server root, or a URL "
            + "ending in /api/v1/c2a)")
      }
      throw errorForStatus(response, doing: action)
    }
    let json = try parseJSONBody(response, doing: action)
    guard let tracking = json["trackingNumber"]?.text, !tracking.isEmpty else {
      throw TillError(
        .serverOrNetwork,
        "\(action): the answer (HTTP \(response.status)) has no trackingNumber; got \(quoteBody(response.body))"
      )
    }
    return try C2AAdapter.status(
      from: json, id: tracking, response: response, now: clock.wallSeconds)
  }

  public func status(id: String) throws(TillError) -> CheckoutStatus {
    try status(id: id, from: send(request(forStatusOf: id)))
  }

  // Optional, as the protocol declares it: a non-optional one would not be its witness.
  public func statusRequest(id: String) -> HTTPRequest? { request(forStatusOf: id) }

  private func request(forStatusOf id: String) -> HTTPRequest {
    let url = prefix + "/offer/checkout/" + CheckoutID.pathSegment(id) + "/status"
    return HTTPRequest(url: url, headers: headers(json: false))
  }

  public func status(id: String, from response: HTTPResponse) throws(TillError)
    -> CheckoutStatus
  {
    let action = "reading checkout \(safe(id))"
    switch response.status {
    case 200...299:
      let json = try parseJSONBody(response, doing: action)
      return try C2AAdapter.status(from: json, id: id, response: response, now: clock.wallSeconds)
    case 404:
      let code = (try? JSONValue.parse(response.body))?["status"]?["messageCode"]?.string
      let tenant =
        endpoint.tenant.map { " for tenant \(safe($0))" } ?? ""
      throw TillError(
        .notFound,
        "checkout \(safe(id)) not found\(tenant)"
          + (code.map { " (\(safe($0)))" } ?? " (HTTP 404)"))
    default:
      throw errorForStatus(response, doing: action)
    }
  }

  private func send(_ request: HTTPRequest) throws(TillError) -> HTTPResponse {
    try C2AAdapter.send(request, over: transport, endpoint: endpoint)
  }

  /// One exchange with a C2A server; a 401 to a request that carried no key says how to give
  /// one.
  static func send(_ request: HTTPRequest, over transport: HTTPTransport, endpoint: APIEndpoint)
    throws(TillError) -> HTTPResponse
  {
    let response = try exchange(transport, request)
    if response.status == 401, endpoint.apiKey == nil {
      throw TillError(
        .authentication,
        "the server wants an API key (HTTP 401) and none was given: set TILL_API_KEY or "
          + "use --api-key-file FILE")
    }
    return response
  }

  /// The submit body, in the field order of the vendor's document.
  public static func body(for request: C2AOrder, correlationId: String) -> JSONValue {
    var order: [(String, JSONValue)] = [
      ("offerIdentifier", .string(request.offer ?? "")),
      ("correlationId", .string(correlationId)),
      (
        "items",
        .array(
          request.items.map {
            ["itemIdentifier": .string($0.id), "quantity": .number(String($0.quantity))]
          })
      ),
    ]
    if let customer = request.customer {
      order.append(("customer", ["customerUrn": .string(customer)]))
    }
    var payment: [(String, JSONValue)] = []
    if let channel = request.paymentChannel { payment.append(("paymentChannel", .string(channel))) }
    if request.useStoredMethod { payment.append(("useStoredMethod", true)) }
    if let card = request.creditCard { payment.append(("creditCard", card)) }
    var body: [(String, JSONValue)] = [("order", .object(order))]
    if !payment.isEmpty { body.append(("paymentMethod", .object(payment))) }
    return .object(body)
  }

  /// Maps a `CheckoutResult` onto the common model. Missing fields are tolerated; an unknown
  /// message code is kept as it is and treated as still running.
  public static func status(
    from json: JSONValue, id: String, response: HTTPResponse?, now: Int64
  ) throws(TillError) -> CheckoutStatus {
    guard json.isObject else {
      throw TillError(
        .serverOrNetwork,
        "the checkout status is not a JSON object: \(json.serialized().prefix(80))")
    }
    let code = json["status"]?["messageCode"]?.string ?? json["messageCode"]?.string ?? ""
    let state: CheckoutState
    switch code {
    case "CHECK_OUT_PROCESSING": state = .processing
    case "CHECK_OUT_3DS_REQUIRED": state = .actionRequired
    case "CHECK_OUT_DONE": state = .completed
    case "CHECK_OUT_FAILED": state = .failed
    default: state = .unknown
    }
    let message = json["status"]?["message"]?.string ?? json["message"]?.string
    var redirect: RedirectInstructions?
    if let instructions = json["redirectInstructions"], instructions.isObject {
      redirect = RedirectInstructions(
        url: instructions["redirectUrl"]?.string,
        htmlContent: instructions["htmlContent"]?.string,
        threeDIdentifier: instructions["threeDIdentifier"]?.text,
        isRedirectRequired: instructions["isRedirectRequired"]?.bool ?? true,
        hasNextSteps: instructions["hasNextSteps"]?.bool ?? true,
        showHtmlContent: instructions["showHtmlContent"]?.bool ?? false)
    }
    let followUp = json["followUpInstructions"]
    // Read as a Retry-After's delay-seconds: a number past the cap means the cap.
    let seconds = followUp?["retryAfterSeconds"]?.text
    let hint = PollHint(
      retryAfter: response.flatMap { RetryAfter.delay(in: $0.headers, now: now) },
      suggestedDelay: seconds.flatMap { RetryAfter.delay(seconds: $0) },
      canFollowUp: followUp?["canFollowUp"]?.bool ?? !state.isTerminal)
    return CheckoutStatus(
      id: json["trackingNumber"]?.text ?? id, api: "c2a", state: state,
      serverState: code.isEmpty ? "(no messageCode)" : code, message: message,
      redirect: redirect, hint: hint, raw: json)
  }
}
