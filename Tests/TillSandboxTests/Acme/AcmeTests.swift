import Testing
import TillSandbox

@Suite struct AcmeTests {
  static let customer = "3f2b8c1e-9a4d-4e7b-8c2a-1d5e6f7a8b9c"
  static let declinedCustomer = "00000000-0000-0000-0000-000000000402"
  static let conflictCustomer = "00000000-0000-0000-0000-000000000409"

  /// Fills a cart (`cart` as it goes in the path) and checks it out; returns the checkout
  /// session id.
  private func checkedOutSession(
    _ client: LoopbackClient, cart: String, customer: String
  ) throws -> String {
    try #require(try client.addAcmeItem(cart: cart, product: "sku-1", quantity: 1).status == 200)
    let checkout = try client.checkoutAcmeCart(cart, customer: customer)
    try #require(checkout.status == 200, "\(checkout.text)")
    return try #require(try decode(AcmeCartShape.self, checkout).checkoutSessionId)
  }

  @Test func cartGrowsAndCheckoutAppliesThePromotion() throws {
    let sandbox = try startSandbox()
    defer { sandbox.stop() }
    let client = try LoopbackClient(port: sandbox.port)

    let first = try client.addAcmeItem(cart: "cart-1", product: "sku-1", quantity: 1)
    #expect(first.status == 200)
    #expect(first.header("Content-Type") == "application/json")
    #expect(first.text.contains(#""customerId":null"#))
    _ = try client.addAcmeItem(cart: "cart-1", product: "f4ee0000-gift", quantity: 3)
    let grown = try decode(
      AcmeCartShape.self, client.addAcmeItem(cart: "cart-1", product: "sku-1", quantity: 2))
    #expect(grown.cartId == "cart-1")
    #expect(grown.status == "OPEN")
    #expect(grown.customerId == nil)
    #expect(grown.items.map(\.productId) == ["sku-1", "f4ee0000-gift"])
    #expect(grown.items.map(\.quantity) == [3, 3])
    #expect(grown.items.map(\.unitPrice) == [1250, 0])
    #expect(grown.subtotal == 3750)
    #expect(grown.discount == 0)
    #expect(grown.total == 3750)
    #expect(grown.currency == "USD")
    #expect(grown.checkoutSessionId == nil)

    let checkout = try client.checkoutAcmeCart(
      "cart-1", customer: Self.customer.uppercased(), promotion: "SAVE10")
    #expect(checkout.status == 200)
    let cart = try decode(AcmeCartShape.self, checkout)
    #expect(cart.status == "CHECKED_OUT")
    #expect(cart.customerId == Self.customer)
    #expect(cart.subtotal == 3750)
    #expect(cart.discount == 375)
    #expect(cart.total == 3375)
    let sessionId = try #require(cart.checkoutSessionId)
    #expect(sessionId.hasPrefix("cs_"))
    #expect(sessionId.dropFirst(3).count == 26)
    #expect(sessionId.dropFirst(3).allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) })
    #expect(checkout.header("Location") == "/acme/checkout-sessions/\(sessionId)")

    // Without a promotion nothing is taken off; the cart reads back as it was answered.
    _ = try client.addAcmeItem(cart: "plain", product: "a", quantity: 1)
    let plain = try decode(
      AcmeCartShape.self, client.checkoutAcmeCart("plain", customer: Self.customer))
    #expect(plain.discount == 0)
    #expect(plain.total == 1250)
    let readBack = try decode(AcmeCartShape.self, client.request("GET", "/acme/carts/plain"))
    #expect(readBack.status == "CHECKED_OUT")
    #expect(readBack.checkoutSessionId == plain.checkoutSessionId)
  }

  @Test func successfulSagaAdvancesOneStepPerPoll() throws {
    let sandbox = try startSandbox(retryAfterSeconds: 1)
    defer { sandbox.stop() }
    let client = try LoopbackClient(port: sandbox.port)
    let sessionId = try checkedOutSession(client, cart: "ok", customer: Self.customer)

    let (startedAnswer, started) = try client.pollAcmeSession(sessionId)
    #expect(startedAnswer.header("Retry-After") == "1")
    #expect(started.checkoutSessionId == sessionId)
    #expect(started.cartId == "ok")
    #expect(started.status == "STARTED")
    #expect(
      started.steps.map(\.name) == ["reserve_inventory", "authorize_payment", "create_order"])
    #expect(started.stepStatuses == ["current", "pending", "pending"])
    #expect(parseISO8601UTC(started.startedAt) != nil)
    #expect(parseISO8601UTC(started.updatedAt) != nil)
    #expect(started.orderId == nil && started.paymentAuthorizationId == nil)
    #expect(started.error == nil && started.compensation == nil)

    let (reservedAnswer, reserved) = try client.pollAcmeSession(sessionId)
    #expect(reservedAnswer.header("Retry-After") == "1")
    #expect(reserved.status == "INVENTORY_RESERVED")
    #expect(reserved.stepStatuses == ["done", "current", "pending"])
    #expect(reserved.steps[0].reservationId?.hasPrefix("res_") == true)

    let (authorizedAnswer, authorized) = try client.pollAcmeSession(sessionId)
    #expect(authorizedAnswer.header("Retry-After") == "1")
    #expect(authorized.status == "PAYMENT_AUTHORIZED")
    #expect(authorized.stepStatuses == ["done", "done", "current"])
    let authorization = try #require(authorized.paymentAuthorizationId)
    #expect(authorization.hasPrefix("pa_"))
    #expect(authorized.steps[1].paymentAuthorizationId == authorization)

    let (completedAnswer, completed) = try client.pollAcmeSession(sessionId)
    #expect(completedAnswer.header("Retry-After") == nil)
    #expect(completed.status == "COMPLETED")
    #expect(completed.stepStatuses == ["done", "done", "done"])
    #expect(completed.orderId?.hasPrefix("ord_") == true)
    #expect(completed.steps[2].orderId == completed.orderId)
    #expect(completed.paymentAuthorizationId == authorization)
    #expect(completed.error == nil && completed.compensation == nil)

    // A final answer stays final, and every poll is counted.
    let (laterAnswer, later) = try client.pollAcmeSession(sessionId)
    #expect(later.status == "COMPLETED")
    #expect(laterAnswer.header("Retry-After") == nil)
    let stats = try client.acmeStats()
    #expect(stats.carts == 1)
    #expect(stats.sessions[sessionId]?.status == "COMPLETED")
    #expect(stats.sessions[sessionId]?.polls == 5)
  }

  @Test func declinedAuthorizationReleasesTheReservation() throws {
    let sandbox = try startSandbox(retryAfterSeconds: 1)
    defer { sandbox.stop() }
    let client = try LoopbackClient(port: sandbox.port)
    let sessionId = try checkedOutSession(client, cart: "d", customer: Self.declinedCustomer)

    let views = try (0..<4).map { _ in try client.pollAcmeSession(sessionId) }
    #expect(
      views.map(\.1.status) == ["STARTED", "INVENTORY_RESERVED", "COMPENSATING", "COMPENSATED"])
    #expect(views.map { $0.0.header("Retry-After") } == ["1", "1", "1", nil])

    let compensating = views[2].1
    #expect(compensating.stepStatuses == ["done", "failed", "pending"])
    #expect(compensating.error?.code == "PAYMENT_DECLINED")
    #expect(compensating.error?.message == "Authorization declined by the issuer")
    #expect(compensating.paymentAuthorizationId == nil)

    let compensated = views[3].1
    #expect(compensated.stepStatuses == ["compensated", "failed", "pending"])
    #expect(compensated.error?.code == "PAYMENT_DECLINED")
    #expect(
      compensated.compensation == [
        .init(
          step: "reserve_inventory", action: "reservation released",
          reason: "payment authorization declined")
      ])
    #expect(compensated.orderId == nil)
    #expect(try client.acmeStats().sessions[sessionId]?.status == "COMPENSATED")
  }

  @Test func failedOrderCreationVoidsAndReleases() throws {
    let sandbox = try startSandbox(retryAfterSeconds: 1)
    defer { sandbox.stop() }
    let client = try LoopbackClient(port: sandbox.port)
    let sessionId = try checkedOutSession(client, cart: "c", customer: Self.conflictCustomer)

    let views = try (0..<5).map { _ in try client.pollAcmeSession(sessionId) }
    #expect(
      views.map(\.1.status) == [
        "STARTED", "INVENTORY_RESERVED", "PAYMENT_AUTHORIZED", "COMPENSATING", "COMPENSATED",
      ])
    #expect(views.map { $0.0.header("Retry-After") } == ["1", "1", "1", "1", nil])

    let compensating = views[3].1
    #expect(compensating.stepStatuses == ["done", "done", "failed"])
    #expect(compensating.error?.code == "ORDER_CONFLICT")
    #expect(compensating.error?.message == "Order could not be created")
    #expect(compensating.compensation == nil)

    let compensated = views[4].1
    #expect(compensated.stepStatuses == ["compensated", "compensated", "failed"])
    #expect(compensated.orderId == nil)
    #expect(compensated.paymentAuthorizationId?.hasPrefix("pa_") == true)
    let reason = "order creation failed"
    #expect(
      compensated.compensation == [
        .init(step: "authorize_payment", action: "authorization voided", reason: reason),
        .init(step: "reserve_inventory", action: "reservation released", reason: reason),
      ])
  }

  @Test func cartPathAnswersTheSameSession() throws {
    let sandbox = try startSandbox()
    defer { sandbox.stop() }
    let client = try LoopbackClient(port: sandbox.port)
    // Cart ids are path segments: a client percent-encodes them, the API decodes them.
    let sessionId = try checkedOutSession(client, cart: "my%20cart", customer: Self.customer)

    let viaCart = try client.request("GET", "/acme/carts/my%20cart/checkout-session")
    #expect(viaCart.status == 200)
    let first = try decode(AcmeSessionShape.self, viaCart)
    #expect(first.checkoutSessionId == sessionId)
    #expect(first.cartId == "my cart")
    #expect(first.status == "STARTED")
    // Both paths poll one saga.
    #expect(try client.pollAcmeSession(sessionId).1.status == "INVENTORY_RESERVED")
    #expect(try client.acmeStats().sessions[sessionId]?.polls == 2)

    _ = try client.addAcmeItem(cart: "open", product: "p", quantity: 1)
    let notYet = try client.request("GET", "/acme/carts/open/checkout-session")
    #expect(notYet.status == 404)
    #expect(try decode(AcmeErrorShape.self, notYet).code == "SESSION_NOT_FOUND")
    let noCart = try client.request("GET", "/acme/carts/none/checkout-session")
    #expect(try decode(AcmeErrorShape.self, noCart).code == "CART_NOT_FOUND")
  }

  @Test(arguments: [
    (#"{"productId":"p","quantity":0}"#, "quantity must be at least 1"),
    (#"{"productId":"p","quantity":-2}"#, "quantity must be at least 1"),
    (#"{"productId":"p"}"#, "quantity is required"),
    (#"{"productId":"p","quantity":1.5}"#, "quantity must be a whole number"),
    (#"{"productId":"p","quantity":"2"}"#, "quantity must be a number"),
    (#"{"productId":"p","quantity":1001}"#, "quantity must be at most 1000"),
    (#"{"quantity":1}"#, "productId is required"),
    (#"{"productId":"","quantity":1}"#, "productId is required"),
    ("not json", "the body must be a JSON object {productId, quantity}"),
  ])
  func badItemsAreInvalidRequests(body: String, message: String) throws {
    let sandbox = try startSandbox()
    defer { sandbox.stop() }
    let client = try LoopbackClient(port: sandbox.port)
    let answer = try client.postJSON("/acme/carts/c1/items", body)
    #expect(answer.status == 400)
    #expect(answer.header("Content-Type") == "application/json")
    let error = try decode(AcmeErrorShape.self, answer)
    #expect(error.code == "INVALID_REQUEST")
    #expect(error.message == message)
    #expect(try client.acmeStats().carts == 0)
  }

  @Test func checkoutErrors() throws {
    let sandbox = try startSandbox()
    defer { sandbox.stop() }
    let client = try LoopbackClient(port: sandbox.port)
    func expectError(_ answer: LoopbackResponse, _ status: Int, _ code: String) throws {
      #expect(answer.status == status, "\(answer.text)")
      #expect(try decode(AcmeErrorShape.self, answer).code == code)
    }

    _ = try client.addAcmeItem(cart: "c1", product: "p", quantity: 1)
    for customer in ["not-a-uuid", "", "3f2b8c1e9a4d4e7b8c2a1d5e6f7a8b9c"] {
      try expectError(
        try client.checkoutAcmeCart("c1", customer: customer), 400, "INVALID_CUSTOMER")
    }
    try expectError(
      try client.postJSON("/acme/carts/c1/checkout", #"{"customerId":42}"#), 400,
      "INVALID_CUSTOMER")
    let unknownCart = try client.checkoutAcmeCart("nope", customer: Self.customer)
    try expectError(unknownCart, 404, "CART_NOT_FOUND")
    #expect(try decode(AcmeErrorShape.self, unknownCart).message == "Cart nope not found")
    let badPromotion = try client.checkoutAcmeCart("c1", customer: Self.customer, promotion: "X")
    try expectError(badPromotion, 400, "INVALID_PROMOTION")

    // Emptied by removing its only product.
    _ = try client.addAcmeItem(cart: "c2", product: "p", quantity: 1)
    let emptied = try client.request("DELETE", "/acme/carts/c2/items/p")
    #expect(try decode(AcmeCartShape.self, emptied).items.isEmpty)
    let empty = try client.checkoutAcmeCart("c2", customer: Self.customer)
    try expectError(empty, 409, "CART_EMPTY")
    #expect(try decode(AcmeErrorShape.self, empty).message == "Cart c2 is empty")
    try expectError(try client.request("DELETE", "/acme/carts/c2/items/p"), 404, "ITEM_NOT_FOUND")

    #expect(try client.checkoutAcmeCart("c1", customer: Self.customer).status == 200)
    let twice = try client.checkoutAcmeCart("c1", customer: Self.customer)
    try expectError(twice, 409, "CART_CHECKED_OUT")
    #expect(try decode(AcmeErrorShape.self, twice).message == "Cart c1 is already checked out")
    let lateItem = try client.addAcmeItem(cart: "c1", product: "p", quantity: 1)
    try expectError(lateItem, 409, "CART_CHECKED_OUT")
    #expect(try client.acmeStats().sessions.count == 1)
  }

  @Test func unknownSessionsRoutesAndMethods() throws {
    let sandbox = try startSandbox()
    defer { sandbox.stop() }
    let client = try LoopbackClient(port: sandbox.port)

    let unknown = try client.request("GET", "/acme/checkout-sessions/cs_NOPE")
    #expect(unknown.status == 404)
    #expect(try decode(AcmeErrorShape.self, unknown).code == "SESSION_NOT_FOUND")
    #expect(try client.request("GET", "/acme/carts/none").status == 404)

    let route = try client.request("GET", "/acme/orders")
    #expect(route.status == 404)
    #expect(try decode(AcmeErrorShape.self, route).code == "NOT_FOUND")

    let method = try client.request("GET", "/acme/carts/c1/items")
    #expect(method.status == 405)
    #expect(method.header("Allow") == "POST")
    #expect(try decode(AcmeErrorShape.self, method).code == "METHOD_NOT_ALLOWED")
  }
}
