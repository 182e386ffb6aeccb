import Testing
import TillSandbox

@Suite struct ScenarioTests {
  @Test func throttleAnswers429WithRetryAfterFirst() throws {
    let sandbox = try startSandbox(pollsBeforeDone: 1, retryAfterSeconds: 3)
    defer { sandbox.stop() }
    let client = try LoopbackClient(port: sandbox.port)
    let tracking = try decode(CheckoutResultShape.self, client.submit(offer: "throttle"))
      .trackingNumber

    let throttled = try client.poll(tracking)
    #expect(throttled.status == 429)
    #expect(throttled.header("Retry-After") == "3")
    #expect(throttled.header("Content-Type") == "application/problem+json")
    #expect(try decode(ProblemShape.self, throttled).status == 429)

    let codes = try (0..<2).map { _ in
      try decode(CheckoutResultShape.self, client.poll(tracking)).status.messageCode
    }
    #expect(codes == ["CHECK_OUT_PROCESSING", "CHECK_OUT_DONE"])
  }

  @Test func unavailableAnswers503WithRetryAfterFirst() throws {
    let sandbox = try startSandbox(pollsBeforeDone: 0, retryAfterSeconds: 2)
    defer { sandbox.stop() }
    let client = try LoopbackClient(port: sandbox.port)
    let tracking = try decode(CheckoutResultShape.self, client.submit(offer: "unavailable"))
      .trackingNumber
    let unavailable = try client.poll(tracking)
    #expect(unavailable.status == 503)
    #expect(unavailable.header("Retry-After") == "2")
    let after = try decode(CheckoutResultShape.self, client.poll(tracking))
    #expect(after.status.messageCode == "CHECK_OUT_DONE")
  }

  @Test func failEndsWithTheDeclineMessage() throws {
    let sandbox = try startSandbox(pollsBeforeDone: 1)
    defer { sandbox.stop() }
    let client = try LoopbackClient(port: sandbox.port)
    let tracking = try decode(CheckoutResultShape.self, client.submit(offer: "fail"))
      .trackingNumber
    _ = try client.poll(tracking)
    let failed = try client.poll(tracking)
    #expect(failed.status == 200)
    #expect(failed.header("Retry-After") == nil)
    let result = try decode(CheckoutResultShape.self, failed)
    #expect(result.status.messageCode == "CHECK_OUT_FAILED")
    #expect(result.status.message == "Card declined by issuer (CARD_DECLINED)")
    #expect(result.followUpInstructions.canFollowUp == false)
  }

  @Test func neverStaysProcessing() throws {
    let sandbox = try startSandbox(pollsBeforeDone: 1)
    defer { sandbox.stop() }
    let client = try LoopbackClient(port: sandbox.port)
    let tracking = try decode(CheckoutResultShape.self, client.submit(offer: "never"))
      .trackingNumber
    for _ in 0..<5 {
      let result = try decode(CheckoutResultShape.self, client.poll(tracking))
      #expect(result.status.messageCode == "CHECK_OUT_PROCESSING")
      #expect(result.followUpInstructions.canFollowUp)
    }
  }

  @Test func noFollowUpSaysSoWithoutRetryAfter() throws {
    let sandbox = try startSandbox()
    defer { sandbox.stop() }
    let client = try LoopbackClient(port: sandbox.port)
    let tracking = try decode(CheckoutResultShape.self, client.submit(offer: "no-follow-up"))
      .trackingNumber
    for _ in 0..<2 {
      let answer = try client.poll(tracking)
      #expect(answer.header("Retry-After") == nil)
      let result = try decode(CheckoutResultShape.self, answer)
      #expect(result.status.messageCode == "CHECK_OUT_PROCESSING")
      #expect(result.followUpInstructions.canFollowUp == false)
      #expect(result.followUpInstructions.retryAfterSeconds == nil)
    }
  }

  @Test func otherTenantAnswers409ProblemDetails() throws {
    let sandbox = try startSandbox()
    defer { sandbox.stop() }
    let client = try LoopbackClient(port: sandbox.port)
    let tracking = try decode(CheckoutResultShape.self, client.submit(offer: "other-tenant"))
      .trackingNumber
    let conflict = try client.poll(tracking)
    #expect(conflict.status == 409)
    #expect(conflict.header("Content-Type") == "application/problem+json")
    let problem = try decode(ProblemShape.self, conflict)
    #expect(problem.type == "https://sandbox.till/problems/tenant-mismatch")
    #expect(problem.title == "Tracking belongs to another tenant")
    #expect(problem.status == 409)
    #expect(problem.detail == "Checkout \(tracking) was created by another tenant")
    #expect(problem.instance == "/api/v1/c2a/offer/checkout/\(tracking)/status")
  }

  @Test func scenarioListNamesEveryOffer() {
    let offers = Sandbox.scenarios.map(\.offer)
    #expect(
      offers == [
        "success", "3ds", "3ds-html", "fail", "throttle", "unavailable", "http-date", "never",
        "no-follow-up", "other-tenant",
      ])
    #expect(Sandbox.scenarios.allSatisfy { !$0.summary.isEmpty })
  }
}
