// The sandbox's own copy of the ticketing services' wire shapes, written from how the running
// ASP.NET Core services answer rather than from their document, which differs.

/// A request body read the way ASP.NET Core binds JSON with its web defaults: property names
/// match in any case, a number may also come as a string, and null is the same as absent.
///
/// What cannot be converted is collected as a model-state error; the services answer those
/// with a 400 validation problem before any of their own code runs.
struct BoundRequestBody {
  private let object: JSONText
  private(set) var errors: [(field: String, message: String)] = []

  init(_ body: [UInt8]) {
    if body.isEmpty {
      object = .object([])
      errors.append((field: "", message: "A non-empty request body is required."))
    } else if let parsed = JSONText.parse(body), parsed.isObject {
      object = parsed
    } else {
      object = .object([])
      errors.append((field: "$", message: "The request body is not a JSON object."))
    }
  }

  /// The caller its `userId` or `guestToken` names; nil when it names neither.
  mutating func owner() -> OrderOwner? {
    OrderOwner(userId: string("userId"), guestToken: string("guestToken"))
  }

  /// Whether the body has the property with a value other than null.
  func has(_ name: String) -> Bool {
    switch object.member(ignoringCase: name) {
    case nil, .null: false
    default: true
    }
  }

  mutating func string(_ name: String) -> String? {
    switch object.member(ignoringCase: name) {
    case nil, .null: return nil
    case .string(let text): return text
    default:
      errors.append(
        (field: "$.\(name)", message: "The JSON value could not be converted to System.String."))
      return nil
    }
  }

  /// A `Guid` in lower case. An empty string is an error, as in .NET.
  mutating func guid(_ name: String) -> String? {
    switch object.member(ignoringCase: name) {
    case nil, .null: return nil
    case .string(let text):
      if let uuid = Identifiers.canonicalUUID(text) { return uuid }
    default: break
    }
    errors.append(
      (field: "$.\(name)", message: "The JSON value could not be converted to System.Guid."))
    return nil
  }

  mutating func decimal(_ name: String) -> DecimalAmount? {
    let text: String
    switch object.member(ignoringCase: name) {
    case nil, .null: return nil
    case .number(let number): text = number
    case .string(let quoted) where JSONText.parse(Array(quoted.utf8)) == .number(quoted):
      text = quoted
    default:
      errors.append(
        (field: "$.\(name)", message: "The JSON value could not be converted to System.Decimal."))
      return nil
    }
    guard let amount = DecimalAmount(numberText: text) else {
      errors.append(
        (field: "$.\(name)", message: "The sandbox takes amounts in whole cents, up to 10^12."))
      return nil
    }
    return amount
  }

  /// Records a field the service requires, for the validation problem.
  mutating func require(_ name: String) {
    errors.append((field: name, message: "The \(name) field is required."))
  }
}

enum TicketingWire {
  static let eventId = "550e8400-e29b-41d4-a716-446655440000"
  static let eventName = "Sandbox Symphony"
  /// The Guid .NET binds a missing `Guid` property to.
  static let emptyGuid = "00000000-0000-0000-0000-000000000000"

  /// The bare order of `cart/add` and `orders/checkout`.
  static func order(_ order: TicketOrder) -> JSONText {
    .object([
      "id": .string(order.id),
      "userId": .string(orNull: order.owner.userId),
      "guestToken": .string(orNull: order.owner.guestToken),
      "totalAmount": .number(order.totalAmount.decimalText),
      "state": .string(order.state.rawValue),
      "createdAt": .string(timestamp(order.createdAt)),
      "paidAt": order.paidAt.map { .string(timestamp($0)) } ?? .null,
      "items": .array(
        order.items.map { item in
          .object([
            "id": .string(item.id),
            "seatId": .string(item.seatId),
            "price": .number(item.price.text),
          ])
        }),
    ])
  }

  /// `GET /orders/{id}`: the ticket as the order page shows it, with no state.
  static func orderDetails(_ order: TicketOrder) -> JSONText {
    let first = order.items.first
    return .object([
      "orderId": .string(order.id),
      "customerEmail": order.owner.userId.map { .string("\($0)@example.test") } ?? .null,
      "eventId": .string(eventId),
      "eventName": .string(eventName),
      "seatNumber": first.map { .string(seatNumber(of: $0.seatId)) } ?? .null,
      "price": first.map { .number($0.price.text) } ?? .null,
      "currency": .string("USD"),
    ])
  }

  static func reservation(_ reservation: SeatReservation) -> JSONText {
    .object([
      "reservationId": .string(reservation.id),
      "seatId": .string(reservation.seatId),
      "customerId": .string(reservation.customerId),
      "expiresAt": .string(timestamp(reservation.expiresAt)),
      "status": .string("reserved"),
    ])
  }

  static func paymentResult(_ payment: TicketPayment) -> JSONText {
    .object([
      "success": .boolean(!payment.declined),
      "errorMessage": payment.declined ? .string("Payment failed: your card was declined.") : .null,
      "payment": .object([
        "id": .string(payment.id),
        "orderId": .string(payment.orderId),
        "amount": .number(payment.amount.text),
        "currency": .string(payment.currency),
        "status": .string(payment.declined ? "failed" : "succeeded"),
        "errorCode": payment.declined ? .string("CARD_DECLINED") : .null,
        "isSimulated": .boolean(true),
        "createdAt": .string(timestamp(payment.createdAt)),
      ]),
    ])
  }

  /// A `PaymentResponse` with no payment: what the payment service answers when it did not
  /// charge.
  static func failedPayment(_ message: String) -> JSONText {
    .object(["success": .boolean(false), "errorMessage": .string(message), "payment": .null])
  }

  /// `{"error": "…"}`, the shape of every error but the ordering service's bare strings.
  static func error(_ message: String) -> JSONText {
    .object(["error": .string(message)])
  }

  /// The ProblemDetails ASP.NET Core's exception handler writes for an unhandled exception.
  static func serverProblem() -> JSONText {
    .object([
      "type": .string("https://tools.ietf.org/html/rfc9110#section-15.6.1"),
      "title": .string("An error occurred while processing your request."),
      "status": .integer(500),
      "traceId": .string(Identifiers.traceParent()),
    ])
  }

  /// The ValidationProblemDetails `[ApiController]` answers a body it cannot bind with.
  static func validationProblem(_ errors: [(field: String, message: String)]) -> JSONText {
    var fields: [JSONText.Member] = []
    for error in errors {
      if let index = fields.firstIndex(where: { $0.key == error.field }),
        case .array(let messages) = fields[index].value
      {
        fields[index].value = .array(messages + [.string(error.message)])
      } else {
        fields.append(JSONText.Member(key: error.field, value: .array([.string(error.message)])))
      }
    }
    return .object([
      "type": .string("https://tools.ietf.org/html/rfc9110#section-15.5.1"),
      "title": .string("One or more validation errors occurred."),
      "status": .integer(400),
      "errors": .object(fields),
      "traceId": .string(Identifiers.traceParent()),
    ])
  }

  static func stats(_ report: TicketingStatsReport) -> JSONText {
    .object([
      "reservations": .integer(report.reservations),
      "cartAddAttempts": .integer(report.cartAddAttempts),
      "orders": .object(report.orders, key: \.id) { order in
        .object([
          "state": .string(order.state.rawValue),
          "items": .integer(order.items.count),
          "totalAmount": .string(order.totalAmount.decimalText),
        ])
      },
      "payments": .integer(report.payments),
    ])
  }

  /// `A-<n>`, the row-and-number label of a seat, stable for each seat id: its last four hex
  /// digits taken modulo 100, so seat `…0002` is `A-2`.
  static func seatNumber(of seatId: String) -> String {
    let number = (Int(seatId.suffix(4), radix: 16) ?? 0) % 100
    return "A-\(number == 0 ? 100 : number)"
  }

  private static func timestamp(_ unixSeconds: Int64) -> String {
    ISO8601UTC.string(fromUnixSeconds: unixSeconds)
  }
}
