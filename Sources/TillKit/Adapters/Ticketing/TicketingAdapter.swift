/// A seat for a ticketing draft order: its price (decimal text, e.g. `50.00`) and its
/// reservation, made earlier or (`reserve`) first on the inventory service.
public struct TicketingSeat: Sendable {
  public var seat: String?
  public var price: String?
  public var reservation: String?
  public var reserve = false
  /// The event whose seat map gives the price, when `price` is not given.
  public var event: String?
  /// The reservation was made a moment ago: the ordering service may not have seen it yet.
  public var reservedJustNow = false

  public init(
    seat: String?, price: String?, reservation: String? = nil, reserve: Bool = false,
    event: String? = nil
  ) {
    self.seat = seat
    self.price = price
    self.reservation = reservation
    self.reserve = reserve
    self.event = event
  }
}

/// The draft order a ticketing checkout is for.
public struct TicketingCheckout: Sendable {
  public var order: String?

  public init(order: String?) { self.order = order }
}

/// The ticketing ordering service: a synchronous REST API (cart → draft order → pending →
/// paid), with its inventory and payment services beside it.
public final class TicketingAdapter: CheckoutAdapter {
  public let api = "ticketing"
  public let isAsynchronous = false
  private let transport: HTTPTransport
  private let endpoint: APIEndpoint
  private let clock: PollClock
  /// How long `cart add --reserve` waits for the reservation to reach the ordering service.
  private let reservationWait: Duration
  /// The inventory, payment and catalog services, each its own service (default: the base
  /// URL).
  private let inventoryURL: String?
  private let paymentURL: String?
  private let catalogURL: String?

  public init(
    transport: HTTPTransport, endpoint: APIEndpoint, clock: PollClock,
    reservationWait: Duration = .seconds(30), inventoryURL: String? = nil,
    paymentURL: String? = nil, catalogURL: String? = nil
  ) {
    self.transport = transport
    self.endpoint = endpoint
    self.clock = clock
    self.reservationWait = reservationWait
    self.inventoryURL = inventoryURL
    self.paymentURL = paymentURL
    self.catalogURL = catalogURL
  }

  // MARK: Catalog

  private var catalog: String { trimmedBase(catalogURL ?? endpoint.baseURL) }

  /// `GET /events` on the catalog service.
  public func events() throws(TillError) -> JSONValue {
    let response = try exchange(transport, jsonRequest(.get, catalog + "/events", nil))
    guard (200...299).contains(response.status) else {
      throw errorForStatus(response, doing: "listing the events")
    }
    return try parseJSONBody(response, doing: "listing the events")
  }

  /// `GET /events/{id}/seatmap`: the event's seats, each with its price and status.
  public func seatMap(event: String) throws(TillError) -> JSONValue {
    let action = "reading the seat map of event \(safe(event))"
    let url = catalog + "/events/" + CheckoutID.pathSegment(event) + "/seatmap"
    let response = try exchange(transport, jsonRequest(.get, url, nil))
    guard (200...299).contains(response.status) else {
      throw errorForStatus(response, doing: action)
    }
    let json = try parseJSONBody(response, doing: action)
    guard json["seats"]?.array != nil else {
      throw TillError(
        .serverOrNetwork, "\(action): the answer has no seats; got \(quoteBody(response.body))")
    }
    return json
  }

  /// The price of `seat` in `event`'s seat map, as the catalog writes it; an error when the
  /// seat is not in the map or not available.
  public func price(ofSeat seat: String, inEvent event: String) throws(TillError) -> String {
    let map = try seatMap(event: event)
    guard
      let entry = map["seats"]?.array?.first(where: {
        $0["id"]?.text?.lowercased() == seat.lowercased()
      })
    else {
      throw TillError(
        .notFound, "seat \(safe(seat)) is not in the seat map of event \(safe(event))")
    }
    let status = entry["status"]?.string ?? "available"
    guard status == "available" else {
      throw TillError(.conflict, "seat \(safe(seat)) of event \(safe(event)) is \(safe(status))")
    }
    guard let price = entry["price"]?.text, isDecimalAmount(price) else {
      throw TillError(
        .serverOrNetwork, "seat \(safe(seat)) of event \(safe(event)) has no price in the seat map")
    }
    return price
  }

  private var ordering: String { trimmedBase(endpoint.baseURL) }

  public func addToCart(_ request: CartAddition) throws(TillError) -> CartSummary {
    let addition = try details(request.details, TicketingSeat.self, api: api, for: "cart add")
    guard let seat = addition.seat, isUUID(seat) else {
      throw TillError(.usage, "cart add needs --seat UUID for --api ticketing")
    }
    var given = addition.price
    if given == nil, let event = addition.event {
      given = try price(ofSeat: seat, inEvent: event)
    }
    guard let price = given, isDecimalAmount(price) else {
      throw TillError(
        .usage,
        "cart add needs --event ID (the price comes from its seat map) or --price AMOUNT "
          + "(e.g. 50.00) for --api ticketing")
    }
    guard let owner = request.owner else {
      throw TillError(.usage, "cart add needs --user ID or --guest TOKEN for --api ticketing")
    }
    var notes: [String] = []
    var reservation = addition.reservation
    if addition.reserve {
      let reserved = try reserve(seat: seat, owner: owner)
      reservation = reserved
      notes.append("Reserved seat \(seat) (reservation \(reserved)).")
    }
    var body: [(String, JSONValue)] = []
    if let reservation { body.append(("reservationId", .string(reservation))) }
    body += [("seatId", .string(seat)), ("price", .number(price))]
    body += ownerFields(owner)
    let request = jsonRequest(.post, ordering + "/cart/add", .object(body))
    // The reservation reaches the ordering service through an event, a moment after it was
    // made: retry while the service has not seen it yet, instead of a blind sleep.
    let began = clock.now
    var attempts = 1
    var pause: Duration = .milliseconds(250)
    while true {
      let response = try exchange(transport, request)
      if response.status == 400, addition.reserve || addition.reservedJustNow,
        serverMessage(in: response) == "Reservation not found",
        clock.now + pause <= began + reservationWait
      {
        guard clock.sleep(until: clock.now + pause) else {
          throw TillError(.interrupted, "interrupted")
        }
        attempts += 1
        pause = min(pause * 2, .seconds(2))
        continue
      }
      guard (200...299).contains(response.status) else {
        throw errorForStatus(response, doing: "adding seat \(seat) to the cart")
      }
      if attempts > 1 {
        notes.append(
          "The ordering service saw the reservation after \(attempts) tries "
            + "(\(formatDuration(clock.now - began))).")
      }
      let order = try parseJSONBody(response, doing: "adding to the cart")
      var summary = try cartSummary(order)
      summary.notes = notes
      return summary
    }
  }

  /// `POST /reservations` on the inventory service: the reservation's id.
  public func reserve(seat: String, owner: Owner) throws(TillError) -> String {
    let inventory = trimmedBase(inventoryURL ?? endpoint.baseURL)
    let body: JSONValue = ["seatId": .string(seat), "customerId": .string(owner.identifier)]
    let response = try exchange(transport, jsonRequest(.post, inventory + "/reservations", body))
    guard (200...299).contains(response.status) else {
      throw errorForStatus(response, doing: "reserving seat \(seat)")
    }
    let json = try parseJSONBody(response, doing: "reserving seat \(seat)")
    guard let id = json["reservationId"]?.text else {
      throw TillError(
        .serverOrNetwork,
        "reserving seat \(seat): the answer has no reservationId; got \(quoteBody(response.body))")
    }
    return id
  }

  public func start(_ request: CheckoutRequest) throws(TillError) -> CheckoutStatus {
    let checkout = try details(
      request.details, TicketingCheckout.self, api: api, for: "checkout start")
    guard let order = checkout.order, !order.isEmpty else {
      throw TillError(.usage, "checkout start needs --order ID for --api ticketing")
    }
    guard let owner = request.owner else {
      throw TillError(
        .usage, "checkout start needs --user ID or --guest TOKEN for --api ticketing")
    }
    let body = JSONValue.object([("orderId", .string(order))] + ownerFields(owner))
    let response = try exchange(transport, jsonRequest(.post, ordering + "/orders/checkout", body))
    guard (200...299).contains(response.status) else {
      throw errorForStatus(
        response, doing: "checking out order \(safe(order))", authorisationHint: ownerHint)
    }
    return try status(fromOrder: parseJSONBody(response, doing: "checking out"), id: order)
  }

  public func status(id: String) throws(TillError) -> CheckoutStatus {
    try status(id: id, from: exchange(transport, request(forStatusOf: id)))
  }

  // Optional, as the protocol declares it: a non-optional one would not be its witness.
  public func statusRequest(id: String) -> HTTPRequest? { request(forStatusOf: id) }

  private func request(forStatusOf id: String) -> HTTPRequest {
    jsonRequest(.get, ordering + "/orders/" + CheckoutID.pathSegment(id), nil)
  }

  public func status(id: String, from response: HTTPResponse) throws(TillError)
    -> CheckoutStatus
  {
    guard (200...299).contains(response.status) else {
      throw errorForStatus(response, doing: "reading order \(safe(id))")
    }
    return try status(fromOrder: parseJSONBody(response, doing: "reading order"), id: id)
  }

  public func cancel(id: String) throws(TillError) -> CheckoutStatus {
    let url = ordering + "/orders/" + CheckoutID.pathSegment(id) + "/cancel"
    let response = try exchange(transport, jsonRequest(.patch, url, nil))
    guard (200...299).contains(response.status) else {
      guard response.status == 404 else {
        throw errorForStatus(response, doing: "cancelling order \(safe(id))")
      }
      // The service says "not found or cannot be cancelled" for both: look the order up.
      let lookup = try exchange(
        transport, jsonRequest(.get, ordering + "/orders/" + CheckoutID.pathSegment(id), nil))
      guard (200...299).contains(lookup.status) else {
        throw TillError(.notFound, "cancelling order \(safe(id)): no such order (HTTP 404)")
      }
      throw TillError(
        .conflict,
        "cancelling order \(safe(id)): the order exists but cannot be cancelled (only a draft "
          + "or pending order can; a paid one stays paid)")
    }
    return CheckoutStatus(
      id: id, api: api, state: .cancelled, serverState: "cancelled",
      hint: PollHint(canFollowUp: false))
  }

  /// The payment service's `PaymentRequest.customerId` is a Guid: an owner that is not one
  /// is refused before anything is sent, named (a guest token never shown), with `advice`.
  public static func checkPayer(_ owner: Owner, for command: String, _ advice: String)
    throws(TillError)
  {
    guard !isUUID(owner.identifier) else { return }
    let given =
      if case .user(let user) = owner { "--user '\(safe(user))'" } else { "the guest token" }
    throw TillError(
      .usage,
      "\(command): \(given) is not a GUID, and the payment service's "
        + "PaymentRequest.customerId is one; \(advice)")
  }

  /// `POST /payments` on the payment service. Its `PaymentRequest.customerId` is a Guid: the
  /// owner must be one, checked here before anything is sent. Its `PaymentResponse {success,
  /// errorMessage, payment}` comes back with the status its message decides.
  public func pay(id: String, amount: String, owner: Owner?) throws(TillError) -> PaymentResult {
    guard isDecimalAmount(amount) else {
      throw TillError(.usage, "invalid value '\(amount)' for '--amount': expected e.g. 50.00")
    }
    guard let owner else {
      throw TillError(.usage, "checkout pay needs --user ID or --guest TOKEN for --api ticketing")
    }
    try Self.checkPayer(
      owner, for: "checkout pay",
      "pay as the GUID the seat was reserved and the order made for")
    let payments = trimmedBase(paymentURL ?? endpoint.baseURL)
    let body: JSONValue = [
      "orderId": .string(id), "customerId": .string(owner.identifier), "amount": .number(amount),
      "currency": "USD", "paymentMethod": "credit_card",
    ]
    let response = try exchange(transport, jsonRequest(.post, payments + "/payments", body))
    let json = try? JSONValue.parse(response.body)
    let payment = json?["payment"]
    let action = "paying order \(safe(id))"
    if (200...299).contains(response.status), let json, json["success"]?.bool != false {
      return PaymentResult(
        id: payment?["id"]?.text, status: payment?["status"]?.string ?? "succeeded", raw: json)
    }
    guard let said = json?["errorMessage"]?.string else {
      throw errorForStatus(response, doing: action)
    }
    let message = safe(said)
    let code = payment?["errorCode"]?.text.map { " (\(safe($0)))" } ?? ""
    switch response.status {
    case 404:
      throw TillError(.notFound, "\(action): \(message) (HTTP 404)")
    case 400:
      throw TillError(.checkoutFailed, "\(action): refused (HTTP 400): \(message)")
    case 401, 403:
      throw TillError(
        .authentication,
        "\(action): refused (HTTP \(response.status)): \(message); pay as the order's owner")
    case 422, 200...299:
      throw TillError(.checkoutFailed, "\(action): declined: \(message)\(code)")
    default:
      throw TillError(
        .serverOrNetwork,
        "\(action): the payment service failed (HTTP \(response.status)): \(message)")
    }
  }

  /// Maps an order onto the common model. The running service's `GET /orders/{id}` sends no
  /// state at all; the document's `completed` is the service's `paid`.
  func status(fromOrder order: JSONValue, id: String) throws(TillError) -> CheckoutStatus {
    guard order.isObject else {
      throw TillError(.serverOrNetwork, "the order is not a JSON object")
    }
    let serverState = order["state"]?.string
    var status = CheckoutStatus(
      id: order["id"]?.text ?? order["orderId"]?.text ?? id, api: api,
      state: serverState.map(TicketingAdapter.state(for:)) ?? .unknown,
      serverState: serverState ?? "not reported", hint: PollHint(canFollowUp: false),
      raw: redactingGuestToken(order))
    if serverState == nil {
      status.message = "the ordering service does not report an order's state"
    }
    for key in ["totalAmount", "eventName", "seatNumber", "price", "currency", "paidAt"] {
      if let value = order[key]?.text { status.references.append((key, value)) }
    }
    return status
  }

  public static func state(for word: String) -> CheckoutState {
    switch word.lowercased() {
    case "draft", "pending": return .pending
    case "paid", "fulfilled", "completed": return .completed
    case "cancelled", "canceled": return .cancelled
    default: return .unknown
    }
  }

  func cartSummary(_ order: JSONValue) throws(TillError) -> CartSummary {
    guard let id = order["id"]?.text else {
      throw TillError(.serverOrNetwork, "the order has no id: \(order.serialized().prefix(80))")
    }
    return CartSummary(
      id: id, state: order["state"]?.string ?? "draft",
      itemCount: order["items"]?.array?.count ?? 0,
      total: order["totalAmount"]?.text, raw: redactingGuestToken(order))
  }

  private func ownerFields(_ owner: Owner) -> [(String, JSONValue)] {
    switch owner {
    case .user(let id): return [("userId", .string(id))]
    case .guest(let token): return [("guestToken", .string(token))]
    }
  }

  /// The service answers 401 when --user or --guest is not the order's owner.
  private let ownerHint = "give the --user or --guest the order was created with"

}

extension Owner {
  /// What the inventory and payment services call the customer.
  public var identifier: String {
    switch self {
    case .user(let id): return id
    case .guest(let token): return token
    }
  }
}

/// The order as the server sent it, with the guest token (a secret) reduced to `gues…`.
func redactingGuestToken(_ json: JSONValue) -> JSONValue {
  guard case .object(let members) = json else { return json }
  return .object(
    members.map { key, value in
      if key == "guestToken", let token = value.string {
        return (key, .string(token.count >= 12 ? String(token.prefix(4)) + "…" : "…"))
      }
      return (key, value)
    })
}
