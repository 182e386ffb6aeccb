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
  static let routeSummary =
    "offer/checkout under \(C2ARoutes.prefixes.joined(separator: " and "))"
  static let pages: [String] = [C2ARoutes.challengePath]
  static let statsPath = "/sandbox/stats"

  private let routes: C2ARoutes

  init(configuration: SandboxConfiguration, counters: TrafficCounters) {
    routes = C2ARoutes(
      checkouts: C2ACheckouts(
        pollsBeforeDone: configuration.pollsBeforeDone,
        retryAfterSeconds: configuration.retryAfterSeconds),
      retryAfterSeconds: max(0, configuration.retryAfterSeconds), counters: counters)
  }

  func respond(to request: HTTPRequest, context: RequestContext) -> HTTPResponse? {
    routes.respond(to: request, context: context)
  }

  func stats() -> HTTPResponse {
    routes.stats()
  }
}
