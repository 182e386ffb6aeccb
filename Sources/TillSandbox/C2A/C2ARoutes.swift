/// Maps requests to the C2A offer checkout API and to the sandbox pages that belong to it:
/// the stand-in 3DS challenge and each checkout's poll score.
struct C2ARoutes: Sendable {
  /// The document's endpoint pages and its curl samples disagree on the prefix; the real
  /// service answers both, so the sandbox does too.
  static let prefixes = ["/api/v1/c2a/", "/api/c2a/"]
  /// Where a checkout's 3DS challenge is passed, by tracking number.
  static let challengePath = "/sandbox/3ds/"
  /// Where one checkout's score is, by tracking number.
  static let checkoutStatsPath = "/sandbox/stats/"

  private static let vendorJSON = "application/clientOutput+Json"

  let checkouts: C2ACheckouts
  /// Customers, resolved offers and subscriptions, which a checkout of a resolved offer reads.
  let accounts: C2AAccounts
  let retryAfterSeconds: Int
  /// The sandbox's traffic, which the stats page reports beside the checkouts.
  let counters: TrafficCounters

  /// Nil when the path is not one of C2A's, or is under its prefixes but names no route.
  func respond(to request: HTTPRequest, context: RequestContext) -> HTTPResponse? {
    let path = request.path
    if let prefix = Self.prefixes.first(where: { path.hasPrefix($0) }) {
      let route = path.dropFirst(prefix.count)
      if route == "offer/checkout" {
        return .allowing(["POST"], request) { submitCheckout(request, context: context) }
      }
      if let trackingNumber = Self.trackingNumber(inStatusRoute: route) {
        return .allowing(["GET"], request) {
          checkoutStatus(request, trackingNumber: trackingNumber, context: context)
        }
      }
      return C2AAccountRoutes(accounts: accounts).respond(to: request, route: route) {
        callerTenant(request)
      }
    }
    if let trackingNumber = request.pathSegment(after: Self.checkoutStatsPath) {
      return .allowing(["GET"], request) { checkoutStats(request, trackingNumber: trackingNumber) }
    }
    if let trackingNumber = request.pathSegment(after: Self.challengePath) {
      return .allowing(["GET", "POST"], request) { completeChallenge(trackingNumber) }
    }
    return nil
  }

  /// The sandbox's connection and request counts, and every checkout's score.
  func stats() -> HTTPResponse {
    let checkoutsReport = checkouts.statsReport()
    let report = C2AStatsReport(
      connections: counters.connectionsAccepted.load(ordering: .relaxed),
      checkoutsCreated: checkoutsReport.checkoutsCreated,
      requests: counters.requestsServed.load(ordering: .relaxed),
      checkouts: checkoutsReport.checkouts)
    return HTTPResponse(status: 200, json: report.json)
  }

  // MARK: Checkout API

  private func submitCheckout(_ request: HTTPRequest, context: RequestContext) -> HTTPResponse {
    let tenant: String
    switch callerTenant(request) {
    case .success(let found): tenant = found
    case .failure(let refusal): return refusal.response
    }
    guard let mediaType = request.mediaType,
      mediaType == "application/json" || mediaType.hasSuffix("+json")
    else {
      return .problem(
        status: 415, slug: "unsupported-media-type", title: "Body must be JSON",
        detail: "Send the checkout request with Content-Type: application/json",
        instance: request.path)
    }
    guard let body = CheckoutRequestBody.decode(request.body) else {
      return .problem(
        status: 400, slug: "malformed-body", title: "Body is not a checkout request",
        detail: "The body must be a JSON object shaped {\"order\": {...}, \"paymentMethod\": "
          + "{...}}", instance: request.path)
    }
    guard let offer = body.order?.offerIdentifier, !offer.isEmpty else {
      return .problem(
        status: 400, slug: "missing-offer", title: "No offer to check out",
        detail: "order.offerIdentifier is required", instance: request.path)
    }
    if accounts.knowsOffer(offer) {
      return submitResolvedOffer(request, offer: offer, tenant: tenant, context: context)
    }
    guard let scenario = Scenario(rawValue: offer) else {
      let known = Scenario.allCases.map(\.offer).joined(separator: ", ")
      return .problem(
        status: 400, slug: "unknown-offer", title: "Unknown offer",
        detail: "Offer '\(offer)' is not a sandbox scenario; known offers: \(known)",
        instance: request.path)
    }
    let correlationID = body.order?.correlationId.flatMap { $0.isEmpty ? nil : $0 }
    let reply = checkouts.submit(
      tenant: tenant, correlationID: correlationID, scenario: scenario,
      connectionID: context.connectionID)
    return accepted(reply)
  }

  /// A checkout of an offer `offer/bundles` resolved: checked against the offer and the card,
  /// then played as the success scenario (the 3ds one for the challenge card), its bundles becoming subscriptions once done.
  private func submitResolvedOffer(
    _ request: HTTPRequest, offer: String, tenant: String, context: RequestContext
  ) -> HTTPResponse {
    let document = JSONText.parse(request.body)
    let order = document?["order"]
    var items: [String] = []
    if case .array(let list)? = order?["items"] {
      items = list.compactMap { $0["itemIdentifier"]?.stringValue }
    }
    let card = document?["paymentMethod"]?["creditCard"]?["cardNumber"]?.stringValue
    if let refusal = accounts.check(
      offer: offer, tenant: tenant, items: items,
      customerUrn: order?["customer"]?["customerUrn"]?.stringValue, cardNumber: card)
    {
      return C2AAccountRoutes.refused(refusal, payload: "trackingNumber")
    }
    let correlationID = order?["correlationId"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
    // A card that asks its holder to confirm: the checkout waits in 3DS_REQUIRED until the
    // challenge page is visited, as the 3ds scenario does.
    let scenario: Scenario = card == C2AAccounts.challengeCard ? .threeDS : .success
    let reply = checkouts.submit(
      tenant: tenant, correlationID: correlationID, scenario: scenario,
      connectionID: context.connectionID)
    if reply.created {
      accounts.recordOrder(trackingNumber: reply.trackingNumber, offer: offer, items: items)
    }
    return accepted(reply)
  }

  /// 202: the checkout is submitted and processing; follow it up after the Retry-After.
  private func accepted(_ reply: SubmitReply) -> HTTPResponse {
    let result = CheckoutResult(
      trackingNumber: reply.trackingNumber,
      status: .init(messageCode: "CHECK_OUT_PROCESSING"),
      followUpInstructions: .init(retryAfterSeconds: retryAfterSeconds, canFollowUp: true))
    return HTTPResponse(
      status: 202, contentType: Self.vendorJSON, json: result.json,
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
      let reply = checkouts.poll(
        trackingNumber: trackingNumber, tenant: tenant, connectionID: context.connectionID)
    else {
      return HTTPResponse(
        status: 404, contentType: Self.vendorJSON, json: OrderedItemNotFound.json)
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
      let redirectURL = "\(context.baseURL)\(Self.challengePath)\(trackingNumber)"
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
      accounts.fulfil(trackingNumber: trackingNumber)
    case .failed:
      result.status = .init(
        messageCode: "CHECK_OUT_FAILED", message: "Card declined by issuer (CARD_DECLINED)")
    case .throttled:
      return .problem(
        status: 429, slug: "too-many-requests", title: "Too many status polls",
        detail: "Poll checkout \(trackingNumber) again after the Retry-After time",
        instance: request.path, headers: retryHeaders)
    case .unavailable:
      return .problem(
        status: 503, slug: "service-unavailable", title: "Checkout service unavailable",
        detail: "The payment provider is unreachable; retry after the Retry-After time",
        instance: request.path, headers: retryHeaders)
    case .tenantConflict:
      return .problem(
        status: 409, slug: "tenant-mismatch", title: "Tracking belongs to another tenant",
        detail: "Checkout \(trackingNumber) was created by another tenant",
        instance: request.path)
    }
    return HTTPResponse(
      status: 200, contentType: Self.vendorJSON, json: result.json,
      headers: retryHeaders)
  }

  struct Refusal: Error {
    var response: HTTPResponse
  }

  /// The tenant a call is made for. The key is checked first: an unauthenticated caller
  /// learns nothing else about its request.
  func callerTenant(_ request: HTTPRequest) -> Result<String, Refusal> {
    guard let key = request.header("x-api-key"), !key.isEmpty else {
      return .failure(
        Refusal(
          response: .problem(
            status: 401, slug: "missing-api-key", title: "API key required",
            detail: "Send the project's API key in the x-api-key header",
            instance: request.path)))
    }
    guard let tenant = request.header("x-tn"), !tenant.isEmpty else {
      return .failure(
        Refusal(
          response: .problem(
            status: 400, slug: "missing-tenant", title: "Tenant required",
            detail: "Send the tenant id in the x-tn header", instance: request.path)))
    }
    return .success(tenant)
  }

  // MARK: Sandbox pages

  private func completeChallenge(_ trackingNumber: String) -> HTTPResponse {
    guard checkouts.completeChallenge(trackingNumber: trackingNumber) else {
      return HTMLPages.response(status: 404, ChallengePages.unknownCheckout)
    }
    return HTMLPages.response(status: 200, ChallengePages.completed)
  }

  private func checkoutStats(_ request: HTTPRequest, trackingNumber: String) -> HTTPResponse {
    guard let report = checkouts.statsReport(trackingNumber: trackingNumber) else {
      return .problem(
        status: 404, slug: "unknown-checkout", title: "Unknown checkout",
        detail: "The sandbox has no checkout \(trackingNumber)", instance: request.path)
    }
    return HTTPResponse(status: 200, json: report.json)
  }

  /// The tracking number in `offer/checkout/{trackingId}/status`.
  private static func trackingNumber(inStatusRoute route: Substring) -> String? {
    let segments = route.split(separator: "/", omittingEmptySubsequences: false)
    guard segments.count == 4, segments[0] == "offer", segments[1] == "checkout",
      !segments[2].isEmpty, segments[3] == "status"
    else { return nil }
    return String(segments[2])
  }
}
