import FoundationEssentials
import Testing
import TillSandbox

/// The ComOS sagas behind the sandbox's MCP endpoint: every scenario step by step, and the
/// rules of retries and payment sessions.
@Suite struct ComOSSagaTests {
  private func isIdentifier(_ text: String, prefix: String, length: Int) -> Bool {
    text.hasPrefix(prefix) && text.dropFirst(prefix.count).count == length
      && text.dropFirst(prefix.count).allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
  }

  @Test(arguments: ["/mcp", "/mcp-sse"])
  func aStoredPaymentMethodRunsEveryStepToCompleted(path: String) throws {
    let (sandbox, session) = try openMCPSession(path: path)
    defer { sandbox.stop() }
    let before = Int64(wallClockSeconds())
    let started = try session.startSaga(cart: "cart-ok", user: "user-7")
    #expect(isIdentifier(started.sagaId, prefix: "saga_", length: 26))
    #expect(started.status == "pending")
    #expect(started.cartId == "cart-ok")
    #expect(started.userId == "user-7")
    #expect(started.completedSteps == [])
    #expect(started.currentStep == "validate_cart")
    #expect(started.error == nil && started.compensation == nil)
    #expect(started.orderId == nil && started.paymentIntentId == nil && started.paymentUrl == nil)
    #expect(started.attempt == 1)
    let created = try #require(parseISO8601UTC(started.createdAt))
    #expect(created >= before && created <= Int64(wallClockSeconds()))
    #expect(started.updatedAt == started.createdAt)

    let polls = try session.statuses(started.sagaId, times: 8)
    // One step per poll, each the next in order.
    for (index, saga) in polls.prefix(6).enumerated() {
      #expect(saga.status == "in_progress", "poll \(index + 1)")
      #expect(saga.completedSteps == Array(allSagaSteps.prefix(index + 1)), "poll \(index + 1)")
      #expect(saga.currentStep == allSagaSteps[index + 1], "poll \(index + 1)")
      #expect(saga.error == nil)
      #expect((saga.orderId != nil) == (index >= 2), "poll \(index + 1)")
      #expect((saga.paymentIntentId != nil) == (index >= 3), "poll \(index + 1)")
    }
    let orderId = try #require(polls[2].orderId)
    #expect(isIdentifier(orderId, prefix: "ord_", length: 20))
    let paymentIntent = try #require(polls[3].paymentIntentId)
    #expect(isIdentifier(paymentIntent, prefix: "pi_", length: 24))

    let completed = polls[6]
    #expect(completed.status == "completed")
    #expect(completed.completedSteps == allSagaSteps)
    #expect(completed.currentStep == nil)
    #expect(completed.orderId == orderId)
    #expect(completed.paymentIntentId == paymentIntent)
    #expect(completed.paymentUrl == nil)
    #expect(completed.createdAt == started.createdAt)
    // Completed stays completed.
    #expect(polls[7] == completed)
  }

  @Test func everySagaAnswerHasEveryKeyWithNullsWritten() throws {
    let (sandbox, session) = try openMCPSession()
    defer { sandbox.stop() }
    let saga = try session.startSaga(cart: "keys")
    let (_, json) = try session.rpc(
      "tools/call",
      params: #"{"name":"checkout_status","arguments":\#(sagaArguments(saga.sagaId))}"#)
    for key in [
      "sagaId", "status", "cartId", "userId", "completedSteps", "currentStep", "error",
      "compensation", "orderId", "paymentIntentId", "paymentUrl", "createdAt", "updatedAt",
      "attempt",
    ] {
      #expect(json.contains(#"\"\#(key)\":"#), "text content lacks \(key)")
      #expect(json.contains(#""\#(key)":"#), "structuredContent lacks \(key)")
    }
    #expect(json.contains(#""error":null,"compensation":null,"orderId":null"#))
    #expect(json.contains(#""isError":false"#))
  }

  @Test func withoutAPaymentMethodTheSagaWaitsForThePaymentSession() throws {
    let (sandbox, session) = try openMCPSession()
    defer { sandbox.stop() }
    let started = try session.startSaga(cart: "cart-pay", paymentMethod: nil)

    // Too early: the saga is not waiting for payment yet.
    #expect(
      try session.toolError("checkout_create_payment_session", sagaArguments(started.sagaId))
        == "Saga \(started.sagaId) is pending; a payment session needs payment_pending")

    let polls = try session.statuses(started.sagaId, times: 4)
    #expect(
      polls.map(\.status) == ["in_progress", "in_progress", "payment_pending", "payment_pending"])
    #expect(polls[2].currentStep == "process_payment")
    #expect(polls[2].completedSteps == Array(allSagaSteps.prefix(3)))
    #expect(polls[3] == polls[2])
    #expect(polls[2].paymentIntentId == nil && polls[2].paymentUrl == nil)

    let before = Int64(wallClockSeconds())
    let payment = try session.value(
      "checkout_create_payment_session", sagaArguments(started.sagaId),
      as: PaymentSessionShape.self)
    let after = Int64(wallClockSeconds())
    #expect(payment.sagaId == started.sagaId)
    #expect(payment.sessionId.hasPrefix("cs_test_"))
    let pagePath = "/sandbox/pay/\(payment.sessionId)"
    #expect(payment.url == "http://127.0.0.1:\(sandbox.port)\(pagePath)")
    let expires = try #require(parseISO8601UTC(payment.expiresAt))
    #expect(expires >= before + 86_400 && expires <= after + 86_400)

    // Until the customer pays the page, the saga waits however often it is polled.
    #expect(
      try session.statuses(started.sagaId, times: 3).map(\.status)
        == Array(repeating: "payment_pending", count: 3))
    let page = try session.client.request("GET", pagePath, headers: [], body: "")
    #expect(page.status == 200)
    #expect(page.text.contains(#"<form method="post" action="\#(pagePath)">"#))
    #expect(page.text.contains(started.sagaId))
    #expect(try session.status(started.sagaId).status == "payment_pending")
    #expect(
      try session.client.request("GET", "/sandbox/pay/cs_test_nope", headers: [], body: "").status
        == 404)

    // The customer pays; the saga carries on to the end.
    let payPost = try session.client.request("POST", pagePath, headers: [], body: "")
    #expect(payPost.status == 200 && payPost.text.contains("Payment received"))
    let paid = try session.status(started.sagaId)
    #expect(paid.status == "in_progress")
    #expect(paid.completedSteps == Array(allSagaSteps.prefix(4)))
    #expect(paid.currentStep == "confirm_order")
    #expect(paid.paymentIntentId?.hasPrefix("pi_") == true)
    #expect(paid.paymentUrl == payment.url)
    let rest = try session.statuses(started.sagaId, times: 3)
    #expect(rest.map(\.status) == ["in_progress", "in_progress", "completed"])
    #expect(rest[2].paymentUrl == payment.url)

    #expect(
      try session.toolError("checkout_create_payment_session", sagaArguments(started.sagaId))
        == "Saga \(started.sagaId) is completed; a payment session needs payment_pending")
  }

  /// How a declined payment is set up: by cart id, by payment method, or by a cart id whose
  /// saga waits for a payment session first.
  static let declinedSetups: [(cart: String, paymentMethod: String?)] = [
    (cart: "cart-declined-1", paymentMethod: "pm_card_visa"),
    (cart: "cart-plain", paymentMethod: "pm_card_chargeDeclined"),
    (cart: "declined-guest", paymentMethod: nil),
  ]

  @Test(arguments: declinedSetups)
  func aDeclinedPaymentFailsThenCompensates(cart: String, paymentMethod: String?) throws {
    let (sandbox, session) = try openMCPSession()
    defer { sandbox.stop() }
    let started = try session.startSaga(cart: cart, paymentMethod: paymentMethod)
    let upToPayment = try session.statuses(started.sagaId, times: 3)
    #expect(upToPayment[2].currentStep == "process_payment")
    if paymentMethod == nil {
      #expect(upToPayment[2].status == "payment_pending")
      try session.pay(started.sagaId)
    } else {
      #expect(upToPayment[2].status == "in_progress")
    }

    let failed = try session.status(started.sagaId)
    #expect(failed.status == "failed")
    #expect(
      failed.error
        == .init(
          code: "PAYMENT_DECLINED", message: "Your card was declined", retryable: false,
          step: "process_payment"))
    #expect(failed.completedSteps == Array(allSagaSteps.prefix(3)))
    #expect(failed.currentStep == nil)
    #expect(failed.compensation == nil)
    #expect(failed.paymentIntentId == nil)
    let orderId = try #require(failed.orderId)

    let compensating = try session.status(started.sagaId)
    #expect(compensating.status == "compensating")
    #expect(
      compensating.compensation
        == .init(reason: "payment declined", compensatedSteps: ["create_order"]))
    #expect(compensating.error == failed.error)

    let compensated = try session.status(started.sagaId)
    #expect(compensated.status == "compensated")
    #expect(
      compensated.compensation
        == .init(
          reason: "payment declined", compensatedSteps: ["create_order", "reserve_inventory"]))
    #expect(compensated.error == failed.error)
    #expect(compensated.orderId == orderId)
    #expect(compensated.completedSteps == Array(allSagaSteps.prefix(3)))
    #expect(try session.status(started.sagaId) == compensated)

    // A retry is allowed from compensated, but a card that is declined stays declined.
    let retried = try session.value("checkout_retry", sagaArguments(started.sagaId))
    #expect(retried.attempt == 2)
    #expect(retried.status == "pending")
    let again = try session.statuses(started.sagaId, times: 3)
    if paymentMethod == nil {
      try session.pay(started.sagaId)
    }
    #expect(again[2].currentStep == "process_payment")
    #expect(try session.status(started.sagaId).error?.code == "PAYMENT_DECLINED")
  }

  @Test func aFlakyInventoryFailsOnceAndARetryCompletes() throws {
    let (sandbox, session) = try openMCPSession()
    defer { sandbox.stop() }
    let started = try session.startSaga(cart: "flaky-cart")
    let first = try session.statuses(started.sagaId, times: 3)
    #expect(first[0].status == "in_progress")
    #expect(first[0].currentStep == "reserve_inventory")
    let failed = first[1]
    #expect(failed.status == "failed")
    #expect(
      failed.error
        == .init(
          code: "INVENTORY_SERVICE_ERROR", message: "Inventory service did not answer in time",
          retryable: true, step: "reserve_inventory"))
    #expect(failed.completedSteps == ["validate_cart"])
    #expect(failed.currentStep == nil)
    // Nothing was done that needs undoing: the saga stays failed.
    #expect(first[2] == failed)

    let retried = try session.value("checkout_retry", sagaArguments(started.sagaId))
    #expect(retried.sagaId == started.sagaId)
    #expect(retried.attempt == 2)
    #expect(retried.status == "pending")
    #expect(retried.completedSteps == [])
    #expect(retried.currentStep == "validate_cart")
    #expect(retried.error == nil && retried.compensation == nil && retried.orderId == nil)
    let failedAt = try #require(parseISO8601UTC(failed.updatedAt))
    #expect(try #require(parseISO8601UTC(retried.updatedAt)) >= failedAt)

    let second = try session.statuses(started.sagaId, times: 7)
    #expect(second.map(\.status) == Array(repeating: "in_progress", count: 6) + ["completed"])
    #expect(second[6].completedSteps == allSagaSteps)
    #expect(second[6].attempt == 2)
    #expect(second[6].orderId != nil && second[6].paymentIntentId != nil)
  }

  @Test func anEmptyOrUnknownCartFailsAtValidateCart() throws {
    let (sandbox, session) = try openMCPSession()
    defer { sandbox.stop() }
    let started = try session.startSaga(cart: "guest-empty", fill: false)
    #expect(started.status == "pending")
    let failed = try session.status(started.sagaId)
    #expect(failed.status == "failed")
    #expect(
      failed.error
        == .init(
          code: "CART_EMPTY", message: "Cart guest-empty is empty", retryable: false,
          step: "validate_cart"))
    #expect(failed.completedSteps == [])
    #expect(try session.status(started.sagaId) == failed)

    // Carts belong to their tenant: the same cart id filled in another tenant does not help.
    try session.addItem(cart: "guest-empty", tenant: "tenant-b")
    _ = try session.value("checkout_retry", sagaArguments(started.sagaId))
    #expect(try session.status(started.sagaId).error?.code == "CART_EMPTY")

    // Filled and retried, it runs through; the last step empties the cart.
    try session.addItem(cart: "guest-empty")
    _ = try session.value("checkout_retry", sagaArguments(started.sagaId))
    let run = try session.statuses(started.sagaId, times: 7)
    #expect(run[6].status == "completed")
    let next = try session.startSaga(cart: "guest-empty", fill: false)
    #expect(try session.status(next.sagaId).error?.code == "CART_EMPTY")
  }

  @Test func onlyFailedOrCompensatedSagasCanBeRetried() throws {
    let (sandbox, session) = try openMCPSession()
    defer { sandbox.stop() }
    func refusal(_ sagaId: String, _ status: String) -> String {
      "Saga \(sagaId) is \(status); only failed or compensated sagas can be retried"
    }
    let saga = try session.startSaga(cart: "retry-rules", paymentMethod: nil)
    #expect(
      try session.toolError("checkout_retry", sagaArguments(saga.sagaId))
        == refusal(saga.sagaId, "pending"))
    _ = try session.status(saga.sagaId)
    #expect(
      try session.toolError("checkout_retry", sagaArguments(saga.sagaId))
        == refusal(saga.sagaId, "in_progress"))
    _ = try session.statuses(saga.sagaId, times: 2)
    #expect(
      try session.toolError("checkout_retry", sagaArguments(saga.sagaId))
        == refusal(saga.sagaId, "payment_pending"))
    try session.pay(saga.sagaId)
    #expect(try session.statuses(saga.sagaId, times: 4).last?.status == "completed")
    #expect(
      try session.toolError("checkout_retry", sagaArguments(saga.sagaId))
        == refusal(saga.sagaId, "completed"))

    let declined = try session.startSaga(cart: "declined-retry")
    let toCompensating = try session.statuses(declined.sagaId, times: 5)
    #expect(toCompensating.map(\.status).suffix(2) == ["failed", "compensating"])
    #expect(
      try session.toolError("checkout_retry", sagaArguments(declined.sagaId))
        == refusal(declined.sagaId, "compensating"))
    #expect(try session.status(declined.sagaId).status == "compensated")
    #expect(try session.value("checkout_retry", sagaArguments(declined.sagaId)).attempt == 2)

    #expect(
      try session.codedToolError("checkout_retry", sagaArguments("saga_NOPE"))
        == .init(code: "SAGA_NOT_FOUND", message: "Saga saga_NOPE not found", retryable: false))
  }
}
