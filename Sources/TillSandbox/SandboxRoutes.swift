/// Hands each request to the API that claims its path, and answers what none claims.
struct SandboxRoutes: HTTPResponder {
  /// Every API the sandbox serves, in the order help lists them. An API is its own folder and
  /// one line here.
  static let apis: [any SandboxAPI.Type] = [
    C2ASandboxAPI.self,
    TicketingSandboxAPI.self,
    AcmeSandboxAPI.self,
    ComOSSandboxAPI.self,
  ]

  private static let notFoundDetail =
    "The sandbox serves "
    + (apis.map { $0.routeSummary } + apis.flatMap { $0.pages }).joined(separator: ", ")
    + " and /sandbox/stats"

  private let apis: [any SandboxAPI]
  private let counters: TrafficCounters

  init(configuration: SandboxConfiguration, counters: TrafficCounters) {
    self.apis = Self.apis.map { $0.init(configuration: configuration, counters: counters) }
    self.counters = counters
  }

  func respond(to request: HTTPRequest, context: RequestContext) -> HTTPResponse {
    // Counted on arrival, so a stats request includes itself.
    counters.requestsServed.add(1, ordering: .relaxed)
    // Stats pages first: a page one segment below another API's stats page is that page, not
    // an id the other API looks up there.
    if let api = apis.first(where: { type(of: $0).statsPath == request.path }) {
      return .allowing(["GET"], request) { api.stats() }
    }
    for api in apis {
      if let answer = api.respond(to: request, context: context) {
        return answer
      }
    }
    return .problem(
      status: 404, slug: "not-found", title: "No such route", detail: Self.notFoundDetail,
      instance: request.path)
  }

  func respond(toRejected rejection: HTTPRequestRejection, context: RequestContext)
    -> HTTPResponse
  {
    let slug =
      switch rejection.status {
      case 413: "content-too-large"
      case 417: "expectation-failed"
      case 431: "request-head-too-large"
      case 501: "transfer-encoding-unsupported"
      case 505: "http-version-unsupported"
      default: "malformed-request"
      }
    var response = HTTPResponse.problem(
      status: rejection.status, slug: slug,
      title: HTTPResponse.reasonPhrase(rejection.status), detail: rejection.reason,
      instance: "")
    response.closesConnection = true
    return response
  }
}
