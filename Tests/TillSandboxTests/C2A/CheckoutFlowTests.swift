import Testing
import TillSandbox

@Suite struct CheckoutFlowTests {
  @Test func successPollsToDoneOverOneConnection() throws {
    let sandbox = try startSandbox(pollsBeforeDone: 2, retryAfterSeconds: 0)
    defer { sandbox.stop() }
    let client = try LoopbackClient(port: sandbox.port)

    let submitted = try client.submit(offer: "success")
    #expect(submitted.status == 202)
    #expect(submitted.header("Retry-After") == "0")
    #expect(submitted.header("Content-Type") == "application/clientOutput+Json")
    let accepted = try decode(CheckoutResultShape.self, submitted)
    #expect(accepted.status.messageCode == "CHECK_OUT_PROCESSING")
    #expect(accepted.followUpInstructions.canFollowUp)
    #expect(accepted.followUpInstructions.retryAfterSeconds == 0)
    let tracking = accepted.trackingNumber
    #expect(tracking.hasPrefix("trk_"))
    #expect(tracking.dropFirst(4).count == 26)
    #expect(tracking.dropFirst(4).allSatisfy { $0.isASCII && ($0.isUppercase || $0.isNumber) })

    var codes: [String] = []
    for _ in 0..<3 {
      let answer = try client.poll(tracking)
      #expect(answer.status == 200)
      let result = try decode(CheckoutResultShape.self, answer)
      #expect(result.trackingNumber == tracking)
      codes.append(result.status.messageCode)
      if result.status.messageCode == "CHECK_OUT_DONE" {
        #expect(answer.header("Retry-After") == nil)
        #expect(result.followUpInstructions.canFollowUp == false)
        #expect(result.followUpInstructions.retryAfterSeconds == nil)
      } else {
        #expect(answer.header("Retry-After") == "0")
        #expect(result.followUpInstructions.canFollowUp)
      }
    }
    #expect(codes == ["CHECK_OUT_PROCESSING", "CHECK_OUT_PROCESSING", "CHECK_OUT_DONE"])

    let checkout = try client.stats(tracking)
    #expect(checkout.scenario == "success")
    #expect(checkout.polls == 3)
    #expect(checkout.earlyPolls == 0)
    #expect(checkout.connections.count == 1)
    let totals = try client.stats()
    #expect(totals.connections == 1)
    #expect(totals.checkoutsCreated == 1)
    #expect(totals.requests == 6)
    #expect(totals.checkouts[tracking]?.polls == 3)
  }

  @Test func bothPathPrefixesServeTheAPI() throws {
    let sandbox = try startSandbox(pollsBeforeDone: 0)
    defer { sandbox.stop() }
    let client = try LoopbackClient(port: sandbox.port)
    let submitted = try client.submit(offer: "success", prefix: "/api/c2a/")
    #expect(submitted.status == 202)
    let tracking = try decode(CheckoutResultShape.self, submitted).trackingNumber
    let answer = try client.request(
      "GET", "/api/c2a/offer/checkout/\(tracking)/status", headers: credentials())
    #expect(try decode(CheckoutResultShape.self, answer).status.messageCode == "CHECK_OUT_DONE")
  }

  @Test func repeatedCorrelationIDReturnsTheSameCheckout() throws {
    let sandbox = try startSandbox()
    defer { sandbox.stop() }
    let client = try LoopbackClient(port: sandbox.port)
    let first = try decode(
      CheckoutResultShape.self, client.submit(offer: "success", correlationID: "order-42"))
    let second = try client.submit(offer: "success", correlationID: "order-42")
    #expect(second.status == 202)
    #expect(try decode(CheckoutResultShape.self, second).trackingNumber == first.trackingNumber)
    #expect(try client.stats().checkoutsCreated == 1)

    // The key is scoped to the tenant: another tenant's order-42 is its own checkout.
    let otherTenant = try decode(
      CheckoutResultShape.self,
      client.submit(offer: "success", correlationID: "order-42", tenant: "tenant-b"))
    #expect(otherTenant.trackingNumber != first.trackingNumber)
    #expect(try client.stats().checkoutsCreated == 2)
  }

  @Test func missingAPIKeyIs401AndMissingTenantIs400() throws {
    let sandbox = try startSandbox()
    defer { sandbox.stop() }
    let client = try LoopbackClient(port: sandbox.port)
    let json = [("Content-Type", "application/json")]

    let noKey = try client.request(
      "POST", "/api/v1/c2a/offer/checkout", headers: credentials(key: nil) + json,
      body: checkoutBody(offer: "success"))
    #expect(noKey.status == 401)
    #expect(noKey.header("Content-Type") == "application/problem+json")
    #expect(try decode(ProblemShape.self, noKey).status == 401)

    let emptyKey = try client.request(
      "GET", "/api/v1/c2a/offer/checkout/trk_X/status", headers: credentials(key: ""))
    #expect(emptyKey.status == 401)

    let noTenant = try client.request(
      "POST", "/api/v1/c2a/offer/checkout", headers: [("x-api-key", "k")] + json,
      body: checkoutBody(offer: "success"))
    #expect(noTenant.status == 400)
    #expect(try client.stats().checkoutsCreated == 0)
  }

  @Test func unknownTrackingAndAnotherTenantsTrackingAre404() throws {
    let sandbox = try startSandbox()
    defer { sandbox.stop() }
    let client = try LoopbackClient(port: sandbox.port)

    let unknown = try client.poll("trk_00000000000000000000000000")
    #expect(unknown.status == 404)
    #expect(try decode(NotFoundShape.self, unknown).status.messageCode == "ORDERED_ITEM_NOT_FOUND")

    let tracking = try decode(
      CheckoutResultShape.self, client.submit(offer: "success", tenant: "tenant-a")
    ).trackingNumber
    let foreign = try client.poll(tracking, tenant: "tenant-b")
    #expect(foreign.status == 404)
    #expect(try decode(NotFoundShape.self, foreign).status.messageCode == "ORDERED_ITEM_NOT_FOUND")
    #expect(try client.poll(tracking, tenant: "tenant-a").status == 200)
    // The foreign poll is not the owner's poll, so it is not scored against the checkout.
    #expect(try client.stats(tracking).polls == 1)
  }

  @Test func badSubmitBodiesAre400ProblemDetails() throws {
    let sandbox = try startSandbox()
    defer { sandbox.stop() }
    let client = try LoopbackClient(port: sandbox.port)
    let headers = credentials() + [("Content-Type", "application/json")]

    let malformed = try client.request(
      "POST", "/api/v1/c2a/offer/checkout", headers: headers, body: "{\"order\": ")
    #expect(malformed.status == 400)
    #expect(try decode(ProblemShape.self, malformed).instance == "/api/v1/c2a/offer/checkout")

    let noOffer = try client.request(
      "POST", "/api/v1/c2a/offer/checkout", headers: headers,
      body: "{\"order\":{\"correlationId\":\"c\"}}")
    #expect(noOffer.status == 400)

    let unknownOffer = try client.submit(offer: "gold-plan")
    #expect(unknownOffer.status == 400)
    let problem = try decode(ProblemShape.self, unknownOffer)
    for scenario in Sandbox.scenarios {
      #expect(problem.detail.contains(scenario.offer))
    }
    #expect(try client.stats().checkoutsCreated == 0)
  }

  @Test func threeDSWaitsForTheRedirectToBeVisited() throws {
    let sandbox = try startSandbox(retryAfterSeconds: 0)
    defer { sandbox.stop() }
    let client = try LoopbackClient(port: sandbox.port)
    let tracking = try decode(CheckoutResultShape.self, client.submit(offer: "3ds"))
      .trackingNumber

    #expect(
      try decode(CheckoutResultShape.self, client.poll(tracking)).status.messageCode
        == "CHECK_OUT_PROCESSING")
    for _ in 0..<2 {
      let challenge = try client.poll(tracking)
      #expect(challenge.header("Retry-After") == "0")
      let result = try decode(CheckoutResultShape.self, challenge)
      #expect(result.status.messageCode == "CHECK_OUT_3DS_REQUIRED")
      #expect(result.followUpInstructions.canFollowUp)
      let redirect = try #require(result.redirectInstructions)
      #expect(redirect.redirectUrl == "\(sandbox.baseURL)/sandbox/3ds/\(tracking)")
      #expect(redirect.threeDIdentifier.hasPrefix("3ds_"))
      #expect(redirect.isRedirectRequired && redirect.hasNextSteps)
      #expect(redirect.showHtmlContent == false)
      #expect(redirect.htmlContent == nil)
    }
    #expect(try client.stats(tracking).threeDSCompleted == false)

    let page = try client.request("GET", "/sandbox/3ds/\(tracking)")
    #expect(page.status == 200)
    #expect(page.header("Content-Type")?.hasPrefix("text/html") == true)
    #expect(page.text.contains("Authentication complete. You can return to your terminal."))

    let codes = try (0..<2).map { _ in
      try decode(CheckoutResultShape.self, client.poll(tracking)).status.messageCode
    }
    #expect(codes == ["CHECK_OUT_PROCESSING", "CHECK_OUT_DONE"])
    #expect(try client.stats(tracking).threeDSCompleted)
    #expect(try client.request("POST", "/sandbox/3ds/trk_unknown", body: "").status == 404)
  }

  @Test func threeDSHTMLCarriesAFormThatPostsToTheRedirect() throws {
    let sandbox = try startSandbox()
    defer { sandbox.stop() }
    let client = try LoopbackClient(port: sandbox.port)
    let tracking = try decode(CheckoutResultShape.self, client.submit(offer: "3ds-html"))
      .trackingNumber
    _ = try client.poll(tracking)
    let result = try decode(CheckoutResultShape.self, client.poll(tracking))
    let redirect = try #require(result.redirectInstructions)
    #expect(redirect.showHtmlContent)
    let html = try #require(redirect.htmlContent)
    #expect(html.contains("<form method=\"post\" action=\"\(redirect.redirectUrl)\">"))
    #expect(html.contains("submit()"))
    #expect(html.hasSuffix("</html>"))

    // What a browser does with the form: post it, url-encoded.
    let posted = try client.request(
      "POST", "/sandbox/3ds/\(tracking)",
      headers: [("Content-Type", "application/x-www-form-urlencoded")],
      body: "threeDIdentifier=\(redirect.threeDIdentifier)")
    #expect(posted.status == 200)
    #expect(try client.stats(tracking).threeDSCompleted)
  }
}
