import Testing
import TillSandbox

@Suite struct TicketingTests {
  static let plainText = "text/plain; charset=utf-8"
  static let json = "application/json; charset=utf-8"

  @Test func reservationIsInvisibleToTwoCartAddsThenAdded() throws {
    let sandbox = try startSandbox()
    defer { sandbox.stop() }
    let client = try LoopbackClient(port: sandbox.port)
    let seat = randomSeatId()

    let before = Int64(wallClockSeconds())
    let reserved = try client.postJSON(
      "/reservations", #"{"seatId":"\#(seat.uppercased())","customerId":"user-1"}"#)
    let after = Int64(wallClockSeconds())
    #expect(reserved.status == 201)
    #expect(reserved.header("Content-Type") == Self.json)
    let reservation = try decode(ReservationShape.self, reserved)
    #expect(isLowercaseUUID(reservation.reservationId))
    #expect(reservation.seatId == seat)
    #expect(reservation.customerId == "user-1")
    #expect(reservation.status == "reserved")
    let expiresAt = try #require(parseISO8601UTC(reservation.expiresAt))
    #expect((before + 600)...(after + 600) ~= expiresAt)

    for _ in 0..<2 {
      let early = try client.addToCart(
        seat: seat, price: "50.00", owner: #""userId":"user-1""#,
        reservation: reservation.reservationId)
      #expect(early.status == 400)
      #expect(early.header("Content-Type") == Self.plainText)
      #expect(early.text == "Reservation not found")
    }
    let added = try client.addToCart(
      seat: seat, price: "50.00", owner: #""userId":"user-1""#,
      reservation: reservation.reservationId)
    #expect(added.status == 200)
    #expect(added.header("Content-Type") == Self.json)
    let order = try decode(TicketOrderShape.self, added)
    #expect(isLowercaseUUID(order.id))
    #expect(order.userId == "user-1")
    #expect(order.guestToken == nil)
    #expect(order.state == "draft")
    #expect(order.paidAt == nil)
    #expect(parseISO8601UTC(order.createdAt) != nil)
    #expect(order.items.map(\.seatId) == [seat])
    #expect(added.text.contains(#""guestToken":null"#))
    #expect(added.text.contains(#""paidAt":null"#))
    #expect(added.text.contains(#""totalAmount":50.00,"#))

    let stats = try client.ticketingStats()
    #expect(stats.reservations == 1)
    #expect(stats.cartAddAttempts == 3)
    #expect(stats.orders[order.id]?.state == "draft")
    #expect(stats.orders[order.id]?.items == 1)
  }

  @Test func sameOwnerGrowsOneOrderAndTotalsStayDecimal() throws {
    let sandbox = try startSandbox()
    defer { sandbox.stop() }
    let client = try LoopbackClient(port: sandbox.port)
    let owner = #""guestToken":"guest-abc""#

    let first = try client.addToCart(seat: randomSeatId(), price: "0.13", owner: owner)
    #expect(first.text.contains(#""totalAmount":0.13,"#))
    let second = try client.addToCart(seat: randomSeatId(), price: "50.00", owner: owner)
    #expect(second.status == 200)
    #expect(second.text.contains(#""totalAmount":50.13,"#))
    #expect(second.text.contains(#""price":0.13}"#))
    #expect(second.text.contains(#""price":50.00}"#))
    let grown = try decode(TicketOrderShape.self, second)
    #expect(try grown.id == decode(TicketOrderShape.self, first).id)
    #expect(grown.items.count == 2)
    #expect(grown.userId == nil)
    #expect(grown.guestToken == "guest-abc")

    // A price sent as a string is read as ASP.NET reads it; the total gets two decimals.
    let third = try client.addToCart(seat: randomSeatId(), price: #""12.5""#, owner: owner)
    #expect(third.text.contains(#""price":12.5}"#))
    #expect(third.text.contains(#""totalAmount":62.63,"#))

    let other = try client.addToCart(
      seat: randomSeatId(), price: "1", owner: #""guestToken":"guest-other""#)
    #expect(try decode(TicketOrderShape.self, other).id != grown.id)
    #expect(try client.ticketingStats().orders[grown.id]?.totalAmount == "62.63")
  }

  @Test func cartAddErrorsAreBareText() throws {
    let sandbox = try startSandbox()
    defer { sandbox.stop() }
    let client = try LoopbackClient(port: sandbox.port)
    let seat = randomSeatId()

    let noOwner = try client.postJSON("/cart/add", #"{"seatId":"\#(seat)","price":5}"#)
    #expect(noOwner.status == 400)
    #expect(noOwner.header("Content-Type") == Self.plainText)
    #expect(noOwner.text == "Either UserId or GuestToken must be provided")
    let emptyOwner = try client.addToCart(
      seat: seat, price: "5", owner: #""userId":"","guestToken":null"#)
    #expect(emptyOwner.text == "Either UserId or GuestToken must be provided")

    #expect(try client.addToCart(seat: seat, price: "5", owner: #""userId":"u""#).status == 200)
    let again = try client.addToCart(seat: seat, price: "5", owner: #""userId":"u""#)
    #expect(again.status == 400)
    #expect(again.header("Content-Type") == Self.plainText)
    #expect(again.text == "Seat is already in the cart")

    let unknown = try client.addToCart(
      seat: randomSeatId(), price: "5", owner: #""userId":"u""#, reservation: randomSeatId())
    #expect(unknown.status == 400)
    #expect(unknown.text == "Reservation not found")

    // A visible reservation for another seat is no reservation for this one.
    let reservation = try client.reserve(seat: randomSeatId())
    for _ in 0..<3 {
      let mismatch = try client.addToCart(
        seat: randomSeatId(), price: "5", owner: #""userId":"u""#, reservation: reservation)
      #expect(mismatch.text == "Reservation not found")
    }
  }

  @Test func faultySeatIsA500ProblemAndLeavesAnEmptyDraft() throws {
    let sandbox = try startSandbox()
    defer { sandbox.stop() }
    let client = try LoopbackClient(port: sandbox.port)

    let fault = try client.addToCart(
      seat: "00000000-0000-0000-0000-000000000500", price: "10", owner: #""userId":"u5""#,
      accept: "application/json")
    #expect(fault.status == 500)
    #expect(fault.header("Content-Type") == "application/problem+json")
    let problem = try decode(AspNetProblemShape.self, fault)
    #expect(problem.type == "https://tools.ietf.org/html/rfc9110#section-15.6.1")
    #expect(problem.title == "An error occurred while processing your request.")
    #expect(problem.status == 500)
    #expect(problem.traceId.hasPrefix("00-"))
    #expect(problem.traceId.split(separator: "-").map(\.count) == [2, 32, 16, 2])

    let drafts = try client.ticketingStats().orders
    #expect(drafts.count == 1)
    let (orderId, draft) = try #require(drafts.first)
    #expect(draft.state == "draft")
    #expect(draft.items == 0)
    #expect(draft.totalAmount == "0.00")
    let empty = try client.postJSON(
      "/orders/checkout", #"{"orderId":"\#(orderId)","userId":"u5"}"#)
    #expect(empty.status == 400)
    #expect(empty.text == "Order is empty")
  }

  @Test(arguments: [
    ("application/json", true),
    ("application/json; charset=utf-8", true),
    ("text/plain, application/json", true),
    ("application/json, */*", false),
    ("application/json, */*;q=0.1", false),
    ("*/*", false),
    ("text/plain", false),
    ("application/problem+json", false),
  ])
  func bareStringsFollowTheAcceptHeader(accept: String, answersJSON: Bool) throws {
    let sandbox = try startSandbox()
    defer { sandbox.stop() }
    let client = try LoopbackClient(port: sandbox.port)
    let unknownOrder = randomSeatId()
    let answers = [
      (
        try client.postJSON(
          "/orders/checkout", #"{"orderId":"\#(unknownOrder)","userId":"u"}"#, accept: accept),
        "Order not found"
      ),
      (
        try client.request("GET", "/orders/\(unknownOrder)", headers: [("Accept", accept)]),
        "Order not found"
      ),
      (
        try client.request(
          "PATCH", "/orders/\(unknownOrder)/cancel", headers: [("Accept", accept)]),
        "Order not found or cannot be cancelled"
      ),
    ]
    for (answer, text) in answers {
      #expect(answer.status == 404)
      #expect(answer.header("Content-Type") == (answersJSON ? Self.json : Self.plainText))
      #expect(answer.text == (answersJSON ? "\"\(text)\"" : text))
    }
    let noOwner = try client.postJSON(
      "/cart/add", #"{"seatId":"\#(randomSeatId())","price":1}"#, accept: accept)
    #expect(
      noOwner.text
        == (answersJSON
          ? "\"Either UserId or GuestToken must be provided\""
          : "Either UserId or GuestToken must be provided"))
  }

  @Test func requestWithoutAcceptGetsPlainText() throws {
    let sandbox = try startSandbox()
    defer { sandbox.stop() }
    let client = try LoopbackClient(port: sandbox.port)
    let answer = try client.request("GET", "/orders/\(randomSeatId())")
    #expect(answer.status == 404)
    #expect(answer.header("Content-Type") == Self.plainText)
    #expect(answer.text == "Order not found")
  }

  @Test func checkoutChecksOwnerAndState() throws {
    let sandbox = try startSandbox()
    defer { sandbox.stop() }
    let client = try LoopbackClient(port: sandbox.port)
    let order = try client.reserveAndAdd(price: "50.00", owner: #""userId":"user-1""#)

    let noOwner = try client.postJSON("/orders/checkout", #"{"orderId":"\#(order.id)"}"#)
    #expect(noOwner.status == 400)
    #expect(noOwner.text == "Either UserId or GuestToken must be provided")
    let unknown = try client.postJSON(
      "/orders/checkout", #"{"orderId":"\#(randomSeatId())","userId":"user-1"}"#)
    #expect(unknown.status == 404)
    #expect(unknown.text == "Order not found")
    let stranger = try client.postJSON(
      "/orders/checkout", #"{"orderId":"\#(order.id)","userId":"user-2"}"#)
    #expect(stranger.status == 401)
    #expect(stranger.header("Content-Type") == Self.plainText)
    #expect(stranger.text == "Unauthorized")
    let guest = try client.postJSON(
      "/orders/checkout", #"{"orderId":"\#(order.id)","guestToken":"user-1"}"#)
    #expect(guest.status == 401)

    let checkedOut = try client.postJSON(
      "/orders/checkout", #"{"OrderId":"\#(order.id.uppercased())","userId":"user-1"}"#)
    #expect(checkedOut.status == 200)
    let pending = try decode(TicketOrderShape.self, checkedOut)
    #expect(pending.id == order.id)
    #expect(pending.state == "pending")
    #expect(checkedOut.text.contains(#""totalAmount":50.00,"#))

    let twice = try client.postJSON(
      "/orders/checkout", #"{"orderId":"\#(order.id)","userId":"user-1"}"#)
    #expect(twice.status == 400)
    #expect(twice.text == "Order is not in draft state")

    // The order is no longer a draft, so the owner's next seat starts a new order.
    let next = try client.addToCart(seat: randomSeatId(), price: "1", owner: #""userId":"user-1""#)
    #expect(try decode(TicketOrderShape.self, next).id != order.id)
  }

  @Test func orderDetailsHaveNoState() throws {
    let sandbox = try startSandbox()
    defer { sandbox.stop() }
    let client = try LoopbackClient(port: sandbox.port)
    let seat = "550e8400-e29b-41d4-a716-446655440002"
    let order = try client.reserveAndAdd(seat: seat, price: "50.00", owner: #""userId":"ann""#)

    let details = try client.request("GET", "/orders/\(order.id)")
    #expect(details.status == 200)
    let shape = try decode(OrderDetailsShape.self, details)
    #expect(shape.orderId == order.id)
    #expect(shape.customerEmail == "ann@example.test")
    #expect(shape.eventId == "550e8400-e29b-41d4-a716-446655440000")
    #expect(shape.eventName == "Sandbox Symphony")
    #expect(shape.seatNumber == "A-2")
    #expect(shape.currency == "USD")
    #expect(details.text.contains(#""price":50.00,"#))
    #expect(!details.text.contains("state"))

    let guestOrder = try client.addToCart(
      seat: randomSeatId(), price: "3", owner: #""guestToken":"g""#)
    let guestId = try decode(TicketOrderShape.self, guestOrder).id
    let guestDetails = try client.request("GET", "/orders/\(guestId)")
    #expect(guestDetails.text.contains(#""customerEmail":null"#))
    #expect(try client.request("GET", "/orders/not-a-guid").text == "Order not found")
  }

  @Test func cancelAnswers204AndRefusesPaidOrders() throws {
    let sandbox = try startSandbox()
    defer { sandbox.stop() }
    let client = try LoopbackClient(port: sandbox.port)
    let seat = randomSeatId()
    let draft = try client.reserveAndAdd(seat: seat, price: "20.00", owner: #""userId":"c1""#)

    let cancelled = try client.request("PATCH", "/orders/\(draft.id)/cancel")
    #expect(cancelled.status == 204)
    #expect(cancelled.header("Content-Length") == nil)
    #expect(cancelled.body.isEmpty)
    #expect(try client.ticketingStats().orders[draft.id]?.state == "cancelled")
    // Its seat is free again, for anyone.
    #expect(try client.reserve(seat: seat, customer: "someone-else").count == 36)

    // The service answers an unknown order and one it cannot cancel alike.
    let unknown = try client.request("PATCH", "/orders/\(randomSeatId())/cancel")
    #expect(unknown.status == 404)
    #expect(unknown.text == "Order not found or cannot be cancelled")

    let customer = randomSeatId()
    let paid = try client.reserveAndAdd(price: "20.00", owner: #""userId":"\#(customer)""#)
    _ = try client.postJSON(
      "/orders/checkout", #"{"orderId":"\#(paid.id)","userId":"\#(customer)"}"#)
    let payment = try client.postJSON(
      "/payments",
      #"{"orderId":"\#(paid.id)","customerId":"\#(customer)","amount":20.00,"currency":"USD","#
        + #""paymentMethod":"credit_card"}"#)
    #expect(payment.status == 200)
    let refused = try client.request("PATCH", "/orders/\(paid.id)/cancel")
    #expect(refused.status == 404)
    #expect(refused.header("Content-Type") == Self.plainText)
    #expect(refused.text == "Order not found or cannot be cancelled")
    #expect(try client.request("GET", "/orders/\(paid.id)/cancel").status == 405)
  }

  @Test func paymentSucceedsAndMarksTheOrderPaid() throws {
    let sandbox = try startSandbox()
    defer { sandbox.stop() }
    let client = try LoopbackClient(port: sandbox.port)
    let customer = randomSeatId()
    let order = try client.reserveAndAdd(price: "50.13", owner: #""userId":"\#(customer)""#)
    _ = try client.postJSON(
      "/orders/checkout", #"{"orderId":"\#(order.id)","userId":"\#(customer)"}"#)

    let paid = try client.postJSON(
      "/payments",
      #"{"orderId":"\#(order.id)","customerId":"\#(customer)","amount":50.10,"#
        + #""currency":"USD","paymentMethod":"credit_card"}"#)
    #expect(paid.status == 200)
    #expect(paid.header("Content-Type") == Self.json)
    let result = try decode(PaymentResultShape.self, paid)
    #expect(result.success)
    #expect(result.errorMessage == nil)
    #expect(paid.text.contains(#""errorMessage":null"#))
    #expect(isLowercaseUUID(result.payment.id))
    #expect(result.payment.orderId == order.id)
    #expect(result.payment.status == "succeeded")
    #expect(result.payment.errorCode == nil)
    #expect(result.payment.isSimulated)
    #expect(result.payment.currency == "USD")
    #expect(paid.text.contains(#""amount":50.10,"#))
    #expect(parseISO8601UTC(result.payment.createdAt) != nil)

    let stats = try client.ticketingStats()
    #expect(stats.orders[order.id]?.state == "paid")
    #expect(stats.payments == 1)
    let again = try client.postJSON(
      "/payments", #"{"orderId":"\#(order.id)","customerId":"\#(customer)","amount":1}"#)
    #expect(again.status == 400)
    let refused = try decode(FailedPaymentShape.self, again)
    #expect(!refused.success && refused.payment == nil)
    #expect(refused.errorMessage == "Order validation failed: the order is not pending")
  }

  @Test(arguments: ["13.13", "0.13", "\"7.13\""])
  func paymentWithThirteenCentsIsDeclinedAndCancelsTheOrder(amount: String) throws {
    let sandbox = try startSandbox()
    defer { sandbox.stop() }
    let client = try LoopbackClient(port: sandbox.port)
    let order = try client.reserveAndAdd(price: "13.13", owner: #""guestToken":"g13""#)
    _ = try client.postJSON("/orders/checkout", #"{"orderId":"\#(order.id)","guestToken":"g13"}"#)

    let declined = try client.postJSON(
      "/payments",
      #"{"orderId":"\#(order.id)","customerId":"\#(randomSeatId())","amount":\#(amount),"#
        + #""currency":"USD"}"#)
    #expect(declined.status == 422)
    let result = try decode(PaymentResultShape.self, declined)
    #expect(result.success == false)
    #expect(result.errorMessage == "Payment failed: your card was declined.")
    #expect(result.payment.status == "failed")
    #expect(result.payment.errorCode == "CARD_DECLINED")
    #expect(result.payment.orderId == order.id)
    let stats = try client.ticketingStats()
    #expect(stats.orders[order.id]?.state == "cancelled")
    #expect(stats.payments == 1)
  }

  /// The payment service's `PaymentResponse` for what it did not charge, with the status its
  /// controller picks from the message; a customerId that is not a Guid fails model binding.
  @Test func paymentErrorsAreFailedPaymentResponses() throws {
    let sandbox = try startSandbox()
    defer { sandbox.stop() }
    let client = try LoopbackClient(port: sandbox.port)
    let customer = randomSeatId()
    let order = try client.reserveAndAdd(price: "5.66", owner: #""userId":"\#(customer)""#)
    _ = try client.postJSON(
      "/orders/checkout", #"{"orderId":"\#(order.id)","userId":"\#(customer)"}"#)
    func pay(_ orderId: String, _ customerId: String, _ amount: String) throws
      -> LoopbackResponse
    {
      try client.postJSON(
        "/payments",
        #"{"orderId":"\#(orderId)","customerId":"\#(customerId)","amount":\#(amount)}"#)
    }
    let cases: [(LoopbackResponse, Int, String)] = [
      (
        try pay(order.id, customer, "0"), 400,
        "Order validation failed: the amount must be positive"
      ),
      (try pay(randomSeatId(), customer, "5.00"), 404, "Order not found"),
      (try pay(order.id, randomSeatId(), "5.66"), 401, "Unauthorized"),
      (try pay(order.id, customer, "5.66"), 500, "An error occurred while processing the payment"),
    ]
    for (answer, status, message) in cases {
      #expect(answer.status == status, "\(answer.text)")
      #expect(answer.header("Content-Type") == Self.json)
      let failed = try decode(FailedPaymentShape.self, answer)
      #expect(!failed.success && failed.payment == nil && failed.errorMessage == message)
    }
    let notGuid = try pay(order.id, "user-123", "5.00")
    #expect(notGuid.status == 400)
    #expect(notGuid.text.contains("The JSON value could not be converted to System.Guid."))
    #expect(try client.ticketingStats().payments == 0)
  }

  @Test func reservationErrors() throws {
    let sandbox = try startSandbox()
    defer { sandbox.stop() }
    let client = try LoopbackClient(port: sandbox.port)
    let seat = randomSeatId()
    let first = try client.reserve(seat: seat, customer: "alice")
    #expect(try client.reserve(seat: seat, customer: "alice") == first)

    let taken = try client.postJSON(
      "/reservations", #"{"seatId":"\#(seat)","customerId":"bob"}"#)
    #expect(taken.status == 409)
    #expect(taken.header("Content-Type") == Self.json)
    #expect(try decode(ErrorShape.self, taken).error == "Seat is already reserved")

    for body in [
      #"{"customerId":"bob"}"#, #"{"seatId":null,"customerId":"bob"}"#,
      #"{"seatId":"00000000-0000-0000-0000-000000000000","customerId":"bob"}"#,
    ] {
      let missing = try client.postJSON("/reservations", body)
      #expect(missing.status == 400)
      #expect(try decode(ErrorShape.self, missing).error == "SeatId is required")
    }
    #expect(try client.ticketingStats().reservations == 1)
  }

  @Test func unbindableBodiesAreValidationProblems() throws {
    let sandbox = try startSandbox()
    defer { sandbox.stop() }
    let client = try LoopbackClient(port: sandbox.port)
    let cases: [(path: String, body: String, field: String)] = [
      ("/cart/add", #"{"seatId":"seat-1","price":1,"userId":"u"}"#, "$.seatId"),
      ("/cart/add", #"{"seatId":"\#(randomSeatId())","price":"lots","userId":"u"}"#, "$.price"),
      ("/cart/add", #"{"seatId":"\#(randomSeatId())","price":0.125,"userId":"u"}"#, "$.price"),
      ("/cart/add", #"{"seatId":"\#(randomSeatId())","userId":"u"}"#, "Price"),
      ("/orders/checkout", #"{"orderId":42,"userId":"u"}"#, "$.orderId"),
      ("/payments", "[1,2]", "$"),
      ("/reservations", "", ""),
    ]
    for (path, body, field) in cases {
      let answer = try client.postJSON(path, body)
      #expect(answer.status == 400, "\(path) \(body)")
      #expect(answer.header("Content-Type") == "application/problem+json; charset=utf-8")
      let problem = try decode(AspNetProblemShape.self, answer)
      #expect(problem.title == "One or more validation errors occurred.")
      #expect(problem.errors?[field] != nil, "\(answer.text)")
    }
    #expect(try client.ticketingStats().orders.isEmpty)
  }

  @Test func wrongMethodIsAnEmpty405() throws {
    let sandbox = try startSandbox()
    defer { sandbox.stop() }
    let client = try LoopbackClient(port: sandbox.port)
    let answer = try client.request("GET", "/cart/add")
    #expect(answer.status == 405)
    #expect(answer.header("Allow") == "POST")
    #expect(answer.body.isEmpty)
    #expect(try client.request("DELETE", "/orders/checkout").header("Allow") == "POST")
  }
}
