/// The Acme checkout system under `/acme/`, whose saga advances one step per status poll;
/// state at `/sandbox/stats/acme`.
struct AcmeSandboxAPI: SandboxAPI {
  static let name = "acme"
  static let summary =
    "carts and checkout under \(AcmeRoutes.prefix); the saga advances one step per poll of "
    + "\(AcmeRoutes.prefix)checkout-sessions/{id}"
  static let faultValues: [(value: String, summary: String)] = [
    (
      value: "customerId \(SagaScript.declinedCustomerId)",
      summary: "authorization declined; the reservation is released (COMPENSATED)"
    ),
    (
      value: "customerId \(SagaScript.conflictCustomerId)",
      summary: "order creation fails; authorization voided, reservation released"
    ),
    (
      value: "productId \(SagaScript.soldOutProductId)",
      summary: "out of stock: the saga fails at reserve_inventory (FAILED, OUT_OF_STOCK)"
    ),
    (value: "promotionCode SAVE10", summary: "10% off the subtotal, rounded down to the cent"),
    (value: "productId beginning \(AcmeCart.freeMarker)", summary: "a product that costs 0"),
    (
      value: "cartId beginning \(AcmeRoutes.bareMarker)",
      summary: "checkout answers the bare Cart; find the session at carts/{cartId}/checkout-session"
    ),
    (
      value: "cartId beginning \(AcmeRoutes.linkMarker)",
      summary: "checkout names the session only in Link: <…>; rel=\"checkout-session\""
    ),
  ]
  static let routeSummary = "the Acme API under \(AcmeRoutes.prefix)"
  static let statsPath = "/sandbox/stats/acme"

  private let routes: AcmeRoutes

  init(configuration: SandboxConfiguration, counters: TrafficCounters) {
    routes = AcmeRoutes(
      checkouts: AcmeCheckouts(), retryAfterSeconds: max(0, configuration.retryAfterSeconds))
  }

  func respond(to request: HTTPRequest, context: RequestContext) -> HTTPResponse? {
    AcmeRoutes.claims(request.path) ? routes.respond(to: request) : nil
  }

  func stats() -> HTTPResponse {
    routes.stats()
  }
}
