import Synchronization

/// Maps requests to the C2A, ticketing, Acme and ComOS APIs and to the sandbox's own pages.
struct SandboxRoutes: HTTPResponder {
  /// The document's endpoint pages and its curl samples disagree on the prefix; the real
  /// service answers both, so the sandbox does too.
  static let c2aPrefixes = ["/api/v1/c2a/", "/api/c2a/"]

  private static let vendorJSON = "application/clientOutput+Json"
  private static let problemJSON = "application/problem+json"
  private static let plainJSON = "application/json"
  private static let html = "text/html; charset=utf-8"

  let ledger: CheckoutLedger
  let retryAfterSeconds: Int
  let counters: TrafficCounters
  let ticketing: TicketingRoutes
  let acme: AcmeRoutes
  let mcp: MCPRoutes

  func respond(to request: HTTPRequest, context: RequestContext) -> HTTPResponse {
    // Counted on arrival, so a stats request includes itself.
    counters.requestsServed.add(1, ordering: .relaxed)
    let path = request.path
    if let prefix = Self.c2aPrefixes.first(where: { path.hasPrefix($0) }) {
      let route = path.dropFirst(prefix.count)
      if route == "offer/checkout" {
        return only(["POST"], request) { submitCheckout(request, context: context) }
      }
      if let trackingNumber = Self.trackingNumber(inStatusRoute: route) {
        return only(["GET"], request) {
          checkoutStatus(request, trackingNumber: trackingNumber, context: context)
        }
      }
      return notFound(request)
    }
    if AcmeRoutes.claims(path) {
      return acme.respond(to: request)
    }
    if MCPRoutes.claims(path) {
      return mcp.respond(to: request, baseURL: context.baseURL)
    }
    if let answer = ticketing.respond(to: request) {
      return answer
    }
    if path == "/sandbox/stats" {
      return only(["GET"], request) { allStats() }
    }
    // Before the per-checkout stats below, whose tracking numbers all start with "trk_".
    if path == "/sandbox/stats/ticketing" {
      return only(["GET"], request) { ticketing.stats() }
    }
    if path == "/sandbox/stats/acme" {
      return only(["GET"], request) { acme.stats() }
    }
    if path == "/sandbox/stats/mcp" {
      return only(["GET"], request) { mcp.stats() }
    }
    if path == "/sandbox/mcp/expire-sessions" {
      return only(["POST"], request) { mcp.expireSessions() }
    }
    if let trackingNumber = Self.lastSegment(of: path, after: "/sandbox/stats/") {
      return only(["GET"], request) { checkoutStats(request, trackingNumber: trackingNumber) }
    }
    if let trackingNumber = Self.lastSegment(of: path, after: "/sandbox/3ds/") {
      return only(["GET", "POST"], request) { completeChallenge(trackingNumber) }
    }
    if let sessionId = Self.lastSegment(of: path, after: ComOSSagas.paymentPagePath) {
      return only(["GET", "POST"], request) { paymentPage(request, sessionId: sessionId) }
    }
    return notFound(request)
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
    var response = problem(
      status: rejection.status, slug: slug,
      title: HTTPResponse.reasonPhrase(rejection.status), detail: rejection.reason,
      instance: "")
    response.closesConnection = true
    return response
  }

  // MARK: C2A

  private func submitCheckout(_ request: HTTPRequest, context: RequestContext) -> HTTPResponse {
    let tenant: String
    switch callerTenant(request) {
    case .success(let found): tenant = found
    case .failure(let refusal): return refusal.response
    }
    let mediaType = request.header("Content-Type")?.split(separator: ";").first.map {
      HTTPText.trimmed($0).lowercased()
    }
    guard let mediaType, mediaType == "application/json" || mediaType.hasSuffix("+json") else {
      return problem(
        status: 415, slug: "unsupported-media-type", title: "Body must be JSON",
        detail: "Send the checkout request with Content-Type: application/json",
        instance: request.path)
    }
    guard let body = CheckoutRequestBody.decode(request.body) else {
      return problem(
        status: 400, slug: "malformed-body", title: "Body is not a checkout request",
        detail: "The body must be a JSON object shaped {\"order\": {...}, \"paymentMethod\": "
          + "{...}}", instance: request.path)
    }
    guard let offer = body.order?.offerIdentifier, !offer.isEmpty else {
      return problem(
        status: 400, slug: "missing-offer", title: "No offer to check out",
        detail: "order.offerIdentifier is required", instance: request.path)
    }
    guard let scenario = Scenario(rawValue: offer) else {
      let known = Scenario.allCases.map(\.offer).joined(separator: ", ")
      return problem(
        status: 400, slug: "unknown-offer", title: "Unknown offer",
        detail: "Offer '\(offer)' is not a sandbox scenario; known offers: \(known)",
        instance: request.path)
    }
    let correlationID = body.order?.correlationId.flatMap { $0.isEmpty ? nil : $0 }
    let reply = ledger.submit(
      tenant: tenant, correlationID: correlationID, scenario: scenario,
      connectionID: context.connectionID)
    let result = CheckoutResult(
      trackingNumber: reply.trackingNumber,
      status: .init(messageCode: "CHECK_OUT_PROCESSING"),
      followUpInstructions: .init(retryAfterSeconds: retryAfterSeconds, canFollowUp: true))
    return HTTPResponse(
      status: 202, contentType: Self.vendorJSON, body: result.json.bytes,
      headers: [("Retry-After", reply.retryAfter.headerValue)])
  }

  private func checkoutStatus(
    _ request: HTTPRequest, trackingNumber: String, context: RequestContext
  ) -> HTTPResponse {
    let tenant: String
    switch callerTenant(request) {
    case .success(let found): tenant = found
    case .failure(let refusal): return refusal.response
    }
    guard
      let reply = ledger.poll(
        trackingNumber: trackingNumber, tenant: tenant, connectionID: context.connectionID)
    else {
      return HTTPResponse(
        status: 404, contentType: Self.vendorJSON, body: OrderedItemNotFound.json.bytes)
    }
    let retryHeaders = reply.retryAfter.map { [("Retry-After", $0.headerValue)] } ?? []
    let followUp: CheckoutResult.FollowUpInstructions =
      reply.retryAfter == nil
      ? .init(retryAfterSeconds: nil, canFollowUp: false)
      : .init(retryAfterSeconds: retryAfterSeconds, canFollowUp: true)
    var result = CheckoutResult(
      trackingNumber: trackingNumber, status: .init(messageCode: "CHECK_OUT_PROCESSING"),
      followUpInstructions: followUp)

    switch reply.answer {
    case .processing:
      break
    case .threeDSRequired(let threeDIdentifier, let showsHTMLContent):
      let redirectURL = "\(context.baseURL)/sandbox/3ds/\(trackingNumber)"
      result.status.messageCode = "CHECK_OUT_3DS_REQUIRED"
      result.redirectInstructions = .init(
        redirectUrl: redirectURL,
        htmlContent: showsHTMLContent
          ? ChallengePages.autoSubmittingForm(
            redirectURL: redirectURL, threeDIdentifier: threeDIdentifier) : nil,
        threeDIdentifier: threeDIdentifier, isRedirectRequired: true, hasNextSteps: true,
        showHtmlContent: showsHTMLContent)
    case .done:
      result.status.messageCode = "CHECK_OUT_DONE"
    case .failed:
      result.status = .init(
        messageCode: "CHECK_OUT_FAILED", message: "Card declined by issuer (CARD_DECLINED)")
    case .throttled:
      return problem(
        status: 429, slug: "too-many-requests", title: "Too many status polls",
        detail: "Poll checkout \(trackingNumber) again after the Retry-After time",
        instance: request.path, headers: retryHeaders)
    case .unavailable:
      return problem(
        status: 503, slug: "service-unavailable", title: "Checkout service unavailable",
        detail: "The payment provider is unreachable; retry after the Retry-After time",
        instance: request.path, headers: retryHeaders)
    case .tenantConflict:
      return problem(
        status: 409, slug: "tenant-mismatch", title: "Tracking belongs to another tenant",
        detail: "Checkout \(trackingNumber) was created by another tenant",
        instance: request.path)
    }
    return HTTPResponse(
      status: 200, contentType: Self.vendorJSON, body: result.json.bytes,
      headers: retryHeaders)
  }

  private struct Refusal: Error {
    var response: HTTPResponse
  }

  /// The tenant a C2A call is made for. The key is checked first: an unauthenticated caller
  /// learns nothing else about its request.
  private func callerTenant(_ request: HTTPRequest) -> Result<String, Refusal> {
    guard let key = request.header("x-api-key"), !key.isEmpty else {
      return .failure(
        Refusal(
          response: problem(
            status: 401, slug: "missing-api-key", title: "API key required",
            detail: "Send the project's API key in the x-api-key header",
            instance: request.path)))
    }
    guard let tenant = request.header("x-tn"), !tenant.isEmpty else {
      return .failure(
        Refusal(
          response: problem(
            status: 400, slug: "missing-tenant", title: "Tenant required",
            detail: "Send the tenant id in the x-tn header", instance: request.path)))
    }
    return .success(tenant)
  }

  // MARK: Sandbox pages

  private func completeChallenge(_ trackingNumber: String) -> HTTPResponse {
    guard ledger.completeChallenge(trackingNumber: trackingNumber) else {
      return HTTPResponse(
        status: 404, contentType: Self.html, body: Array(ChallengePages.unknownCheckout.utf8))
    }
    return HTTPResponse(
      status: 200, contentType: Self.html, body: Array(ChallengePages.completed.utf8))
  }

  /// The hosted payment page: GET shows it, POST (its Pay button) pays it.
  private func paymentPage(_ request: HTTPRequest, sessionId: String) -> HTTPResponse {
    let page: (status: Int, html: String)
    if request.method == "GET" {
      page =
        switch mcp.tools.sagas.paymentSession(sessionId) {
        case .unpaid(let sagaId):
          (200, ChallengePages.paymentForm(action: request.path, sagaId: sagaId))
        case .paid: (200, ChallengePages.paid)
        case .unknown: (404, ChallengePages.unknownPaymentSession)
        }
    } else {
      page =
        switch mcp.tools.sagas.pay(sessionId) {
        case .unpaid, .paid: (200, ChallengePages.paid)
        case .unknown: (404, ChallengePages.unknownPaymentSession)
        }
    }
    return HTTPResponse(status: page.status, contentType: Self.html, body: Array(page.html.utf8))
  }

  private func allStats() -> HTTPResponse {
    let ledgerReport = ledger.statsReport()
    let report = SandboxStatsReport(
      connections: counters.connectionsAccepted.load(ordering: .relaxed),
      checkoutsCreated: ledgerReport.checkoutsCreated,
      requests: counters.requestsServed.load(ordering: .relaxed),
      checkouts: ledgerReport.checkouts)
    return HTTPResponse(status: 200, contentType: Self.plainJSON, body: report.json.bytes)
  }

  private func checkoutStats(_ request: HTTPRequest, trackingNumber: String) -> HTTPResponse {
    guard let report = ledger.statsReport(trackingNumber: trackingNumber) else {
      return problem(
        status: 404, slug: "unknown-checkout", title: "Unknown checkout",
        detail: "The sandbox has no checkout \(trackingNumber)", instance: request.path)
    }
    return HTTPResponse(status: 200, contentType: Self.plainJSON, body: report.json.bytes)
  }

  // MARK: Helpers

  private func only(
    _ methods: [String], _ request: HTTPRequest, _ handler: () -> HTTPResponse
  ) -> HTTPResponse {
    guard methods.contains(request.method) else {
      let allowed = methods.joined(separator: ", ")
      return problem(
        status: 405, slug: "method-not-allowed", title: "Method not allowed",
        detail: "\(request.method) is not served here; use \(allowed)",
        instance: request.path, headers: [("Allow", allowed)])
    }
    return handler()
  }

  private func notFound(_ request: HTTPRequest) -> HTTPResponse {
    problem(
      status: 404, slug: "not-found", title: "No such route",
      detail: "The sandbox serves offer/checkout under "
        + "\(Self.c2aPrefixes.joined(separator: " and ")), the ticketing routes /reservations, "
        + "/cart/add, /orders/… and /payments, the Acme API under \(AcmeRoutes.prefix), "
        + "the ComOS MCP endpoint at \(MCPRoutes.jsonPath) and \(MCPRoutes.streamPath), "
        + "/sandbox/3ds/, \(ComOSSagas.paymentPagePath) and /sandbox/stats",
      instance: request.path)
  }

  private func problem(
    status: Int, slug: String, title: String, detail: String, instance: String,
    headers: [(String, String)] = []
  ) -> HTTPResponse {
    let details = ProblemDetails(
      slug: slug, title: title, status: status, detail: detail, instance: instance)
    return HTTPResponse(
      status: status, contentType: Self.problemJSON, body: details.json.bytes,
      headers: headers)
  }

  /// The tracking number in `offer/checkout/{trackingId}/status`.
  private static func trackingNumber(inStatusRoute route: Substring) -> String? {
    let segments = route.split(separator: "/", omittingEmptySubsequences: false)
    guard segments.count == 4, segments[0] == "offer", segments[1] == "checkout",
      !segments[2].isEmpty, segments[3] == "status"
    else { return nil }
    return String(segments[2])
  }

  /// The one non-empty path segment after `prefix`, if the path is exactly that.
  private static func lastSegment(of path: String, after prefix: String) -> String? {
    guard path.hasPrefix(prefix) else { return nil }
    let rest = path.dropFirst(prefix.count)
    guard !rest.isEmpty, !rest.contains("/") else { return nil }
    return String(rest)
  }
}
