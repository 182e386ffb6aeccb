/// Maps requests to the ticketing system's inventory, ordering and payment services, which
/// the real deployment runs on separate ports and the sandbox serves at its root.
struct TicketingRoutes: Sendable {
  private static let json = "application/json; charset=utf-8"
  private static let plainText = "text/plain; charset=utf-8"
  private static let problemJSON = "application/problem+json"

  let desk: TicketingDesk

  /// Nil when the path is not one of the ticketing routes.
  func respond(to request: HTTPRequest) -> HTTPResponse? {
    let segments = request.path.split(separator: "/", omittingEmptySubsequences: false)
      .dropFirst()
    switch Array(segments) {
    case ["reservations"]:
      return only("POST", request) { reserve(request) }
    case ["cart", "add"]:
      return only("POST", request) { addToCart(request) }
    case ["orders", "checkout"]:
      return only("POST", request) { checkout(request) }
    case ["payments"]:
      return only("POST", request) { pay(request) }
    case ["events"]:
      return only("GET", request) {
        jsonResponse(200, .array(TicketingCatalog.events.map(TicketingCatalog.wire)))
      }
    case let route where route.count >= 2 && route.count <= 3 && route[0] == "events":
      guard let (index, event) = TicketingCatalog.event(id: String(route[1])) else {
        return jsonResponse(404, TicketingWire.error("Event \(route[1]) not found"))
      }
      if route.count == 2 {
        return only("GET", request) { jsonResponse(200, TicketingCatalog.wire(event)) }
      }
      guard route[2] == "seatmap" else { return nil }
      return only("GET", request) {
        jsonResponse(200, TicketingCatalog.seatMap(index, event, status: desk.seatStatus))
      }
    case let route where route.count == 2 && route[0] == "orders" && !route[1].isEmpty:
      return only("GET", request) { orderDetails(request, id: String(route[1])) }
    case let route
    where route.count == 3 && route[0] == "orders" && !route[1].isEmpty && route[2] == "cancel":
      return only("PATCH", request) { cancel(request, id: String(route[1])) }
    default:
      return nil
    }
  }

  func stats() -> HTTPResponse {
    jsonResponse(200, TicketingWire.stats(desk.statsReport()))
  }

  // MARK: Inventory

  private func reserve(_ request: HTTPRequest) -> HTTPResponse {
    var body = BoundRequestBody(request.body)
    let seatId = body.guid("seatId")
    let customerId = body.string("customerId")
    guard body.errors.isEmpty else { return validationProblem(body) }
    guard let seatId, seatId != TicketingWire.emptyGuid else {
      return jsonResponse(400, TicketingWire.error("SeatId is required"))
    }
    guard let customerId, !customerId.isEmpty else {
      return jsonResponse(400, TicketingWire.error("CustomerId is required"))
    }
    switch desk.reserve(seatId: seatId, customerId: customerId) {
    case .reserved(let reservation):
      return jsonResponse(201, TicketingWire.reservation(reservation))
    case .seatTaken:
      return jsonResponse(409, TicketingWire.error("Seat is already reserved"))
    }
  }

  // MARK: Ordering

  private func addToCart(_ request: HTTPRequest) -> HTTPResponse {
    desk.noteCartAddAttempt()
    var body = BoundRequestBody(request.body)
    let reservationId = body.guid("reservationId")
    let seatId = body.guid("seatId")
    let price = body.decimal("price")
    let owner = body.owner()
    if !body.has("seatId") || seatId == TicketingWire.emptyGuid { body.require("SeatId") }
    if !body.has("price") { body.require("Price") }
    guard body.errors.isEmpty, let seatId, let price else { return validationProblem(body) }
    guard let owner else {
      return message(400, "Either UserId or GuestToken must be provided", for: request)
    }
    switch desk.addToCart(
      reservationId: reservationId, seatId: seatId, price: price, owner: owner)
    {
    case .added(let order):
      return jsonResponse(200, TicketingWire.order(order))
    case .reservationNotFound:
      return message(400, "Reservation not found", for: request)
    case .seatAlreadyInCart:
      return message(400, "Seat is already in the cart", for: request)
    case .serverFault:
      return HTTPResponse(
        status: 500, contentType: Self.problemJSON, json: TicketingWire.serverProblem())
    }
  }

  private func checkout(_ request: HTTPRequest) -> HTTPResponse {
    var body = BoundRequestBody(request.body)
    let orderId = body.guid("orderId")
    let owner = body.owner()
    guard body.errors.isEmpty else { return validationProblem(body) }
    guard let owner else {
      return message(400, "Either UserId or GuestToken must be provided", for: request)
    }
    switch desk.checkout(orderId: orderId ?? TicketingWire.emptyGuid, owner: owner) {
    case .checkedOut(let order):
      return jsonResponse(200, TicketingWire.order(order))
    case .orderNotFound:
      return message(404, "Order not found", for: request)
    case .unauthorized:
      return message(401, "Unauthorized", for: request)
    case .notDraft:
      return message(400, "Order is not in draft state", for: request)
    case .empty:
      return message(400, "Order is empty", for: request)
    }
  }

  private func orderDetails(_ request: HTTPRequest, id: String) -> HTTPResponse {
    guard let order = Identifiers.canonicalUUID(id).flatMap({ desk.order(id: $0) }) else {
      return message(404, "Order not found", for: request)
    }
    return jsonResponse(200, TicketingWire.orderDetails(order))
  }

  private func cancel(_ request: HTTPRequest, id: String) -> HTTPResponse {
    switch Identifiers.canonicalUUID(id).map({ desk.cancel(orderId: $0) }) ?? .orderNotFound {
    case .cancelled:
      return HTTPResponse(status: 204)
    case .orderNotFound, .notCancellable:
      // One answer for both, as the service gives it: the client must look to tell which.
      return message(404, "Order not found or cannot be cancelled", for: request)
    }
  }

  // MARK: Payment

  /// The payment service's own contract: `PaymentRequest` bound by model binding (a
  /// `customerId` that is not a Guid is a 400 ValidationProblemDetails), then a
  /// `PaymentResponse {success, errorMessage, payment}` whose status the controller picks from
  /// the message: not found 404, validation 400, `Unauthorized` 401, declined 422, else 500.
  private func pay(_ request: HTTPRequest) -> HTTPResponse {
    var body = BoundRequestBody(request.body)
    let orderId = body.guid("orderId")
    let customerId = body.guid("customerId")
    _ = body.guid("reservationId")
    let amount = body.decimal("amount")
    let currency = body.string("currency")
    _ = body.string("paymentMethod")
    guard body.errors.isEmpty else { return validationProblem(body) }
    let outcome = desk.pay(
      orderId: orderId ?? TicketingWire.emptyGuid, customerId: customerId ?? "",
      amount: amount, currency: currency ?? "USD")
    switch outcome {
    case .succeeded(let payment):
      return jsonResponse(200, TicketingWire.paymentResult(payment))
    case .declined(let payment):
      return jsonResponse(422, TicketingWire.paymentResult(payment))
    case .amountNotPositive:
      return failedPayment(400, "Order validation failed: the amount must be positive")
    case .orderNotFound:
      return failedPayment(404, "Order not found")
    case .notAwaitingPayment:
      return failedPayment(400, "Order validation failed: the order is not pending")
    case .unauthorized:
      return failedPayment(401, "Unauthorized")
    case .processingError:
      return failedPayment(500, "An error occurred while processing the payment")
    }
  }

  private func failedPayment(_ status: Int, _ message: String) -> HTTPResponse {
    jsonResponse(status, TicketingWire.failedPayment(message))
  }

  // MARK: Helpers

  /// A bare string result. ASP.NET Core writes it with its plain-text formatter, except when
  /// the request's `Accept` names JSON and no `*/*`: then the JSON formatter wins and the
  /// message goes out as a JSON string literal.
  private func message(_ status: Int, _ text: String, for request: HTTPRequest) -> HTTPResponse {
    let accepted = request.acceptedMediaTypes
    if accepted.contains("application/json") && !accepted.contains("*/*") {
      return jsonResponse(status, .string(text))
    }
    return HTTPResponse(status: status, contentType: Self.plainText, body: Array(text.utf8))
  }

  private func jsonResponse(_ status: Int, _ body: JSONText) -> HTTPResponse {
    HTTPResponse(status: status, contentType: Self.json, json: body)
  }

  private func validationProblem(_ body: BoundRequestBody) -> HTTPResponse {
    HTTPResponse(
      status: 400, contentType: Self.problemJSON + "; charset=utf-8",
      json: TicketingWire.validationProblem(body.errors))
  }

  /// ASP.NET Core answers a route it has under another method with an empty 405.
  private func only(
    _ method: String, _ request: HTTPRequest, _ handler: () -> HTTPResponse
  ) -> HTTPResponse {
    guard request.method == method else {
      return HTTPResponse(status: 405, headers: [("Allow", method)])
    }
    return handler()
  }
}
