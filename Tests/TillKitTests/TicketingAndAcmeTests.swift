import Testing

@testable import TillKit

/// Samples from the ticketing document ("POST /orders/checkout"), verbatim.
enum TicketingDocumentSamples {
  static let success = """
    {
      "id": "order-uuid-001",
      "userId": "user-123",
      "guestToken": null,
      "totalAmount": 50.00,
      "state": "pending",
      "createdAt": "2026-02-24T15:15:00Z",
      "paidAt": "2026-02-24T15:16:30Z",
      "items": [
        {
          "id": "item-001",
          "seatId": "550e8400-e29b-41d4-a716-446655440002",
          "price": 50.00
        }
      ]
    }
    """
  static let missingAuthentication = """
    {
      "error": "Either UserId or GuestToken must be provided"
    }
    """
  static let invalidState = """
    {
      "error": "Order is not in draft state"
    }
    """
  static let unauthorized = """
    {
      "error": "Unauthorized"
    }
    """
  static let notFound = """
    {
      "error": "Order not found"
    }
    """
}

@Suite struct TicketingAdapterTests {
  let adapter = TicketingAdapter(
    transport: UnusedTransport(), endpoint: APIEndpoint(baseURL: "http://127.0.0.1:1"),
    clock: FakeClock())

  @Test func decodesTheDocumentsOrderVerbatim() throws {
    let order = try JSONValue.parse(TicketingDocumentSamples.success)
    let status = try adapter.status(fromOrder: order, id: "x")
    #expect(status.id == "order-uuid-001")
    #expect(status.state == .pending)
    #expect(status.serverState == "pending")
    #expect(status.references.first { $0.0 == "totalAmount" }?.1 == "50.00")
    let summary = try adapter.cartSummary(order)
    #expect(summary.itemCount == 1)
    #expect(summary.total == "50.00")
  }

  @Test(arguments: [
    (
      TicketingDocumentSamples.missingAuthentication, 400, TillKit.ExitStatus.checkoutFailed,
      "Either UserId or GuestToken must be provided"
    ),
    (TicketingDocumentSamples.invalidState, 400, .checkoutFailed, "Order is not in draft state"),
    (TicketingDocumentSamples.unauthorized, 401, .authentication, "Unauthorized"),
    (TicketingDocumentSamples.notFound, 404, .notFound, "Order not found"),
    // The running service: bare text, or a JSON string literal when Accept names only JSON.
    ("Order not found", 404, .notFound, "Order not found"),
    ("\"Order is empty\"", 400, .checkoutFailed, "Order is empty"),
    ("Seat is already in the cart", 409, .conflict, "Seat is already in the cart"),
    (
      #"{"type":"https://tools.ietf.org/html/rfc9110#section-15.6.1","title":"An error occurred while processing your request.","status":500,"traceId":"00-abc"}"#,
      500, .serverOrNetwork, "An error occurred while processing your request."
    ),
    (
      #"{"code":"CART_EMPTY","message":"Cart c1 is empty"}"#, 409, .conflict,
      "CART_EMPTY: Cart c1 is empty"
    ),
  ])
  func errorShapesMapToMessageAndStatus(
    body: String, code: Int, status: TillKit.ExitStatus, message: String
  ) {
    let error = errorForStatus(HTTPResponse(status: code, body: Array(body.utf8)), doing: "x")
    #expect(error.status == status)
    #expect(error.message.contains("): " + message), "\(error.message)")
  }

  @Test(arguments: [
    ("draft", CheckoutState.pending), ("pending", .pending), ("paid", .completed),
    ("fulfilled", .completed), ("completed", .completed), ("cancelled", .cancelled),
    ("refunded", .unknown),
  ])
  func states(word: String, state: CheckoutState) {
    #expect(TicketingAdapter.state(for: word) == state)
  }

  @Test func anOrderWithoutStateIsShownAsItIs() throws {
    let order = try JSONValue.parse(
      #"{"orderId":"o1","customerEmail":null,"eventName":"Sandbox Symphony","price":50.00,"currency":"USD"}"#
    )
    let status = try adapter.status(fromOrder: order, id: "o1")
    #expect(status.state == .unknown)
    #expect(!status.state.isTerminal)
    #expect(status.serverState == "not reported")
    #expect(status.references.contains { $0 == ("price", "50.00") })
  }

  @Test func guestTokensAreRedactedInWhatIsShown() throws {
    let order = try JSONValue.parse(
      #"{"id":"o1","guestToken":"guest-abc123xyz-secret","state":"draft","items":[]}"#)
    let summary = try adapter.cartSummary(order)
    #expect(summary.raw["guestToken"]?.string == "gues…")
    #expect(!summary.raw.serialized().contains("secret"))
  }

  @Test(arguments: [
    ("50.00", true), ("0.13", true), ("50", true), ("50.1", true), ("", false), ("-1", false),
    ("1e3", false), ("50.001", false), ("0x10", false), ("5.", false), (".5", false),
  ])
  func decimalAmounts(text: String, valid: Bool) {
    #expect(isDecimalAmount(text) == valid)
  }

  @Test func minorUnitsAsText() {
    #expect(decimalText(minorUnits: 1250) == "12.50")
    #expect(decimalText(minorUnits: 5) == "0.05")
    #expect(decimalText(minorUnits: -105) == "-1.05")
  }
}

@Suite struct AcmeAdapterTests {
  @Test(arguments: [
    (#"</acme/checkout-sessions/cs_1>; rel="checkout-session""#, "/acme/checkout-sessions/cs_1"),
    (#"<https://o.example/s/cs_2>; rel=checkout-session"#, "https://o.example/s/cs_2"),
    (#"</next>; rel="next", </s/cs_3>; rel="self checkout-session""#, "/s/cs_3"),
    (#"</s/cs_4> ; REL = "checkout-session""#, "/s/cs_4"),
  ])
  func aLinkHeaderNamesTheSession(header: String, target: String) {
    #expect(AcmeAdapter.link(header, rel: "checkout-session") == target)
  }

  @Test(arguments: [#"</next>; rel="next""#, "cs_5", #"</s/cs_6>; rel="checkout""#, ""])
  func otherLinksNameNone(header: String) {
    #expect(AcmeAdapter.link(header, rel: "checkout-session") == nil)
  }

  @Test func aSessionSegmentIsPercentDecoded() {
    #expect(AcmeAdapter.percentDecoded("cs%5F7") == "cs_7")
    #expect(AcmeAdapter.percentDecoded("cs_8%") == "cs_8%")
    #expect(AcmeAdapter.percentDecoded("%zz") == "%zz")
  }

  @Test func readsASagaWithCompensation() throws {
    let session = try JSONValue.parse(
      """
      {"checkoutSessionId":"cs_1","cartId":"cart-1","status":"COMPENSATED",
       "startedAt":"2026-11-22T10:00:00Z","updatedAt":"2026-11-22T10:00:04Z",
       "steps":[{"name":"reserve_inventory","status":"compensated"},
                {"name":"authorize_payment","status":"failed"},
                {"name":"create_order","status":"pending"}],
       "error":{"code":"PAYMENT_DECLINED","message":"Authorization declined by the issuer"},
       "compensation":[{"step":"reserve_inventory","action":"reservation released",
                        "reason":"payment authorization declined"}]}
      """)
    let status = try AcmeAdapter.status(from: session, id: "cs_1", response: nil, now: 0)
    #expect(status.state == .compensated)
    #expect(status.state.exitStatus == .checkoutFailed)
    #expect(status.steps.map(\.status) == [.compensated, .failed, .pending])
    #expect(
      status.steps[0].compensation == "reservation released (payment authorization declined)")
    #expect(status.message == "PAYMENT_DECLINED: Authorization declined by the issuer")
    #expect(status.references.first?.1 == "cart-1")
    #expect(status.stateSince == ISOTime.parse("2026-11-22T10:00:04Z"))
  }

  @Test(arguments: [
    ("STARTED", CheckoutState.processing), ("INVENTORY_RESERVED", .processing),
    ("PAYMENT_AUTHORIZED", .processing), ("COMPENSATING", .processing),
    ("COMPLETED", .completed), ("COMPENSATED", .compensated), ("FAILED", .failed),
    ("ON_HOLD", .unknown),
  ])
  func states(word: String, state: CheckoutState) throws {
    let json = JSONValue.object([("status", .string(word))])
    let status = try AcmeAdapter.status(from: json, id: "cs", response: nil, now: 0)
    #expect(status.state == state)
    #expect(status.serverState == word)
  }

  @Test func toleratesMissingFields() throws {
    let status = try AcmeAdapter.status(from: [:], id: "cs_9", response: nil, now: 0)
    #expect(status.id == "cs_9")
    #expect(status.state == .unknown)
    #expect(status.steps.isEmpty)
  }
}

/// For tests of pure mapping: any request is a test bug.
final class UnusedTransport: HTTPTransport {
  func send(_ request: HTTPRequest) throws(TransportError) -> HTTPResponse {
    Issue.record("unexpected request to \(request.url)")
    throw .other(code: 0, reason: "unused")
  }
}
