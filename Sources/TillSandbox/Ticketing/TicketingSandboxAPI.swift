/// The ticketing services (inventory, ordering, payment) at the root, with their ASP.NET Core
/// quirks; state at `/sandbox/stats/ticketing`.
struct TicketingSandboxAPI: SandboxAPI {
  static let name = "ticketing"
  static let summary =
    "reserve, cart/add, orders/checkout, payments at the root; a new reservation misses its "
    + "first \(TicketingDesk.attemptsBeforeReservationVisible) cart/add calls"
  static let faultValues: [(value: String, summary: String)] = [
    (
      value: "seatId \(TicketingDesk.faultySeatId)",
      summary: "cart/add answers 500 ProblemDetails, leaving the owner an empty draft order"
    ),
    (
      value: "amount with .\(TicketingDesk.declinedCents) cents",
      summary: "payment declined: 422 with errorCode CARD_DECLINED; the order is cancelled"
    ),
    (
      value: "a seat of event \(TicketingCatalog.events[2].id)",
      summary: "priced 13.13, so a purchase of it is declined at the payment"
    ),
    (
      value: "amount with .\(TicketingDesk.failingCents) cents",
      summary: "the payment provider fails: 500 PaymentResponse"
    ),
    (
      value: "customerId not the order's user",
      summary: "payment 401 Unauthorized; a customerId that is not a Guid: 400 validation"
    ),
  ]
  static let routeSummary = "the ticketing routes /reservations, /cart/add, /orders/… and /payments"
  static let statsPath = "/sandbox/stats/ticketing"

  private let routes: TicketingRoutes

  init(configuration: SandboxConfiguration, counters: TrafficCounters) {
    routes = TicketingRoutes(desk: TicketingDesk())
  }

  func respond(to request: HTTPRequest, context: RequestContext) -> HTTPResponse? {
    routes.respond(to: request)
  }

  func stats() -> HTTPResponse {
    routes.stats()
  }
}
