/// C2A under both `/api/v1/c2a/` and `/api/c2a/`, playing the scenario named by each order's
/// `offerIdentifier`, and keeping score at `/sandbox/stats`: how many connections were
/// opened, and for every checkout whether a poll came before the `Retry-After` it was told.
struct C2ASandboxAPI: SandboxAPI {
  static let name = "c2a"
  static let summary =
    "C2A offer checkout at /api/v1/c2a/ and /api/c2a/; the offer picks a scenario"
  static let scenarios: [(offer: String, summary: String)] = Scenario.allCases.map {
    (offer: $0.offer, summary: $0.summary)
  }
  static let faultValues: [(value: String, summary: String)] = [
    (
      "externalId \(C2AAccounts.takenExternalID)",
      "customer/validate: not available; store: CUSTOMER_ALREADY_STORED"
    ),
    ("email \(C2AAccounts.takenEmail)", "customer/store: USER_WITH_SAME_EMAIL_EXISTS"),
    ("promotionCode \(C2AAccounts.welcomeCode)", "offer/bundles: 10% off every bundle"),
    (
      "promotionCode \(C2AAccounts.expiringCode)",
      "offer/bundles: an offer whose checkout is OFFER_EXPIRED"
    ),
    ("any other promotionCode", "offer/bundles: INVALID_PROMOTION_CODE"),
    ("storefrontUrn other than \(C2AAccounts.storefront)", "offer/bundles: STOREFRONT_NOT_FOUND"),
    (
      "interactionType Replace or RetentionWinback",
      "NO_OFFER_FOUND without a subscription to replace or win back"
    ),
    ("an offer from offer/showcase", "offer/checkout: OFFER_NOT_PURCHASABLE"),
    ("cardNumber \(C2AAccounts.declinedCard)", "offer/checkout of a resolved offer: CARD_DECLINED"),
    (
      "cardNumber \(C2AAccounts.pspDownCard)", "offer/checkout of a resolved offer: PSP_UNAVAILABLE"
    ),
    (
      "cardNumber \(C2AAccounts.challengeCard)",
      "offer/checkout of a resolved offer: 3DS_REQUIRED until the challenge page is visited"
    ),
  ]
  static let routeSummary =
    "offer/checkout, \(C2AAccountRoutes.summary) under "
    + C2ARoutes.prefixes.joined(separator: " and ")
  static let pages: [String] = [C2ARoutes.challengePath]
  static let statsPath = "/sandbox/stats"

  private let routes: C2ARoutes

  init(configuration: SandboxConfiguration, counters: TrafficCounters) {
    routes = C2ARoutes(
      checkouts: C2ACheckouts(
        pollsBeforeDone: configuration.pollsBeforeDone,
        retryAfterSeconds: configuration.retryAfterSeconds), accounts: C2AAccounts(),
      retryAfterSeconds: max(0, configuration.retryAfterSeconds), counters: counters)
  }

  func respond(to request: HTTPRequest, context: RequestContext) -> HTTPResponse? {
    routes.respond(to: request, context: context)
  }

  func stats() -> HTTPResponse {
    routes.stats()
  }
}
