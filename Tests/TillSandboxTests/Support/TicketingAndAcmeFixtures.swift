import Glibc
import Testing

// The test side's own reading of the ticketing and Acme answers, written from the wire
// contract rather than from the sandbox's code. Amounts are checked in the raw body text,
// never through a decoded Double.

struct TicketOrderShape: Decodable {
  struct Item: Decodable {
    var id: String
    var seatId: String
  }

  var id: String
  var userId: String?
  var guestToken: String?
  var state: String
  var createdAt: String
  var paidAt: String?
  var items: [Item]
}

struct ReservationShape: Decodable {
  var reservationId: String
  var seatId: String
  var customerId: String
  var expiresAt: String
  var status: String
}

struct OrderDetailsShape: Decodable {
  var orderId: String
  var customerEmail: String?
  var eventId: String
  var eventName: String
  var seatNumber: String?
  var currency: String
}

struct PaymentResultShape: Decodable {
  struct Payment: Decodable {
    var id: String
    var orderId: String
    var currency: String
    var status: String
    var errorCode: String?
    var isSimulated: Bool
    var createdAt: String
  }

  var success: Bool
  var errorMessage: String?
  var payment: Payment
}

/// A `PaymentResponse` that charged nothing.
struct FailedPaymentShape: Decodable {
  var success: Bool
  var errorMessage: String
  var payment: String?
}

struct ErrorShape: Decodable {
  var error: String
}

struct AspNetProblemShape: Decodable {
  var type: String
  var title: String
  var status: Int
  var traceId: String
  var errors: [String: [String]]?
}

struct TicketingStatsShape: Decodable {
  struct Order: Decodable {
    var state: String
    var items: Int
    var totalAmount: String
  }

  var reservations: Int
  var cartAddAttempts: Int
  var orders: [String: Order]
  var payments: Int
}

struct AcmeCartShape: Decodable {
  struct Item: Decodable {
    var productId: String
    var quantity: Int
    var unitPrice: Int
  }

  var cartId: String
  var customerId: String?
  var status: String
  var items: [Item]
  var subtotal: Int
  var discount: Int
  var total: Int
  var currency: String
  var checkoutSessionId: String?
}

struct AcmeErrorShape: Decodable {
  var code: String
  var message: String
}

struct AcmeSessionShape: Decodable {
  struct Step: Decodable {
    var name: String
    var status: String
    var reservationId: String?
    var paymentAuthorizationId: String?
    var orderId: String?
  }

  struct Compensation: Decodable, Equatable {
    var step: String
    var action: String
    var reason: String
  }

  var checkoutSessionId: String
  var cartId: String
  var status: String
  var startedAt: String
  var updatedAt: String
  var steps: [Step]
  var orderId: String?
  var paymentAuthorizationId: String?
  var error: AcmeErrorShape?
  var compensation: [Compensation]?

  var stepStatuses: [String] { steps.map(\.status) }
}

struct AcmeStatsShape: Decodable {
  struct Session: Decodable {
    var status: String
    var polls: Int
  }

  var carts: Int
  var sessions: [String: Session]
}

let jsonContentType = ("Content-Type", "application/json")

/// A fresh lower-case UUID-shaped seat id, so tests never share a seat.
func randomSeatId() -> String {
  let hex = "0123456789abcdef"
  func group(_ count: Int) -> String {
    String((0..<count).map { _ in hex.randomElement() ?? "0" })
  }
  return "\(group(8))-\(group(4))-4\(group(3))-a\(group(3))-\(group(12))"
}

func isLowercaseUUID(_ text: String) -> Bool {
  let groups = text.split(separator: "-", omittingEmptySubsequences: false)
  return groups.map(\.count) == [8, 4, 4, 4, 12]
    && text.allSatisfy { $0 == "-" || $0.isNumber || ("a"..."f").contains($0) }
}

/// Parses `2026-02-24T15:15:00Z` into Unix seconds; nil for any other form.
func parseISO8601UTC(_ text: String) -> Int64? {
  let parts = text.split(whereSeparator: { "-T:Z".contains($0) }).compactMap { Int32($0) }
  guard text.count == 20, text.hasSuffix("Z"), parts.count == 6 else { return nil }
  var fields = tm()
  fields.tm_year = parts[0] - 1900
  fields.tm_mon = parts[1] - 1
  fields.tm_mday = parts[2]
  fields.tm_hour = parts[3]
  fields.tm_min = parts[4]
  fields.tm_sec = parts[5]
  return Int64(timegm(&fields))
}

extension LoopbackClient {
  func postJSON(_ path: String, _ body: String, accept: String? = nil) throws
    -> LoopbackResponse
  {
    var headers = [jsonContentType]
    if let accept { headers.append(("Accept", accept)) }
    return try request("POST", path, headers: headers, body: body)
  }

  /// Reserves a seat and returns the reservation id.
  func reserve(seat: String, customer: String = "user-1") throws -> String {
    let answer = try postJSON(
      "/reservations", #"{"seatId":"\#(seat)","customerId":"\#(customer)"}"#)
    try #require(answer.status == 201, "\(answer.text)")
    return try decode(ReservationShape.self, answer).reservationId
  }

  /// `cart/add` for `owner` (a JSON fragment such as `"userId":"u1"`).
  func addToCart(
    seat: String, price: String, owner: String, reservation: String? = nil,
    accept: String? = nil
  ) throws -> LoopbackResponse {
    let reservationField = reservation.map { #""reservationId":"\#($0)","# } ?? ""
    return try postJSON(
      "/cart/add", #"{\#(reservationField)"seatId":"\#(seat)","price":\#(price),\#(owner)}"#,
      accept: accept)
  }

  /// Reserves a seat and adds it, going past the attempts the reservation is not yet visible
  /// to. Returns the order.
  func reserveAndAdd(seat: String = randomSeatId(), price: String, owner: String) throws
    -> TicketOrderShape
  {
    let reservation = try reserve(seat: seat)
    for _ in 0..<2 {
      _ = try addToCart(seat: seat, price: price, owner: owner, reservation: reservation)
    }
    let added = try addToCart(seat: seat, price: price, owner: owner, reservation: reservation)
    try #require(added.status == 200, "\(added.text)")
    return try decode(TicketOrderShape.self, added)
  }

  func ticketingStats() throws -> TicketingStatsShape {
    try decode(TicketingStatsShape.self, request("GET", "/sandbox/stats/ticketing"))
  }

  func acmeStats() throws -> AcmeStatsShape {
    try decode(AcmeStatsShape.self, request("GET", "/sandbox/stats/acme"))
  }

  func addAcmeItem(cart: String, product: String, quantity: Int) throws -> LoopbackResponse {
    try postJSON(
      "/acme/carts/\(cart)/items", #"{"productId":"\#(product)","quantity":\#(quantity)}"#)
  }

  func checkoutAcmeCart(_ cart: String, customer: String, promotion: String? = nil) throws
    -> LoopbackResponse
  {
    let promotionField = promotion.map { #","promotionCode":"\#($0)""# } ?? ""
    return try postJSON(
      "/acme/carts/\(cart)/checkout", #"{"customerId":"\#(customer)"\#(promotionField)}"#)
  }

  func pollAcmeSession(_ id: String) throws -> (LoopbackResponse, AcmeSessionShape) {
    let answer = try request("GET", "/acme/checkout-sessions/\(id)")
    try #require(answer.status == 200, "\(answer.text)")
    return (answer, try decode(AcmeSessionShape.self, answer))
  }
}
