// The sandbox's copy of the ComOS gateway's tool results: the saga object, the cart, the
// payment session and the REST passthrough's {status, body}. Absent values are written as
// null rather than left out, so every saga answer has the same keys.

enum ComOSWire {
  static func saga(_ saga: ComOSSaga) -> JSONText {
    .object([
      "sagaId": .string(saga.id),
      "status": .string(saga.status.rawValue),
      "cartId": .string(saga.cart.cartId),
      "userId": .string(saga.userId),
      "completedSteps": .array(saga.completedSteps.map { .string($0.rawValue) }),
      "currentStep": .string(orNull: saga.currentStep?.rawValue),
      "error": saga.error.map(fault) ?? .null,
      "compensation": saga.compensation.map { compensation in
        .object([
          "reason": .string(compensation.reason),
          "compensatedSteps": .array(compensation.steps.map { .string($0.rawValue) }),
        ])
      } ?? .null,
      "orderId": .string(orNull: saga.orderId),
      "paymentIntentId": .string(orNull: saga.paymentIntentId),
      "paymentUrl": .string(orNull: saga.paymentUrl),
      "createdAt": .string(ISO8601UTC.string(fromUnixSeconds: saga.createdAt)),
      "updatedAt": .string(ISO8601UTC.string(fromUnixSeconds: saga.updatedAt)),
      "attempt": .integer(saga.attempt),
    ])
  }

  static func cart(id: String, lines: [ComOSCartLine]) -> JSONText {
    .object([
      "cartId": .string(id),
      "items": .array(
        lines.map { line in
          .object(["productId": .string(line.productId), "quantity": .integer(line.quantity)])
        }),
      "itemCount": .integer(lines.reduce(0) { $0 + $1.quantity }),
    ])
  }

  /// Where an order's delivery is after `polls` tracking calls.
  static let deliverySteps = [
    "confirmed", "label_created", "in_transit", "out_for_delivery", "delivered",
  ]

  static func orderStatus(_ saga: ComOSSaga) -> String {
    deliverySteps[min(saga.trackingPolls, deliverySteps.count - 1)]
  }

  static func order(_ saga: ComOSSaga) -> JSONText {
    .object([
      "orderId": .string(saga.orderId ?? ""),
      "sagaId": .string(saga.id),
      "userId": .string(saga.userId),
      "status": .string(orderStatus(saga)),
      "total": .number(orderTotal(saga)),
      "currency": .string("USD"),
      "items": .array(
        saga.orderLines.map { line in
          .object(["productId": .string(line.productId), "quantity": .integer(line.quantity)])
        }),
      "createdAt": .string(ISO8601UTC.string(fromUnixSeconds: saga.updatedAt)),
    ])
  }

  /// The catalog prices of the order's lines; a product the catalog lacks costs 10.00.
  static func orderTotal(_ saga: ComOSSaga) -> String {
    var cents = 0
    if let shipping = saga.shipping {
      let parts = shipping.price.split(separator: ".")
      cents += (Int(parts[0]) ?? 0) * 100 + (parts.count > 1 ? Int(parts[1]) ?? 0 : 0)
    }
    for line in saga.orderLines {
      let price = ComOSCatalog.product(line.productId)?.price ?? "10.00"
      let parts = price.split(separator: ".")
      let unit = (Int(parts[0]) ?? 0) * 100 + (parts.count > 1 ? Int(parts[1]) ?? 0 : 0)
      cents += unit * line.quantity
    }
    return "\(cents / 100).\(cents % 100 < 10 ? "0" : "")\(cents % 100)"
  }

  static func tracking(_ saga: ComOSSaga) -> JSONText {
    let reached = min(saga.trackingPolls, deliverySteps.count - 1)
    return .object([
      "orderId": .string(saga.orderId ?? ""),
      "status": .string(orderStatus(saga)),
      "carrier": .string("ups"),
      "trackingNumber": .string("1Z" + String(saga.id.suffix(16)).uppercased()),
      "events": .array(
        deliverySteps[0...reached].map { step in
          .object([
            "status": .string(step),
            "at": .string(ISO8601UTC.string(fromUnixSeconds: saga.updatedAt)),
          ])
        }),
    ])
  }

  static func shipping(_ option: ComOSShipping, chosen: Bool) -> JSONText {
    .object([
      "carrierId": .string(option.carrierId), "serviceId": .string(option.serviceId),
      "name": .string(option.name), "price": .number(option.price),
      "currency": .string("USD"), "estimatedDays": .integer(option.days),
      "selected": .boolean(chosen),
    ])
  }

  /// The cart's catalog prices plus the chosen shipping.
  static func sagaTotal(_ saga: ComOSSaga, sagas: ComOSSagas) -> String {
    var copy = saga
    copy.orderLines = sagas.cart(saga.cart) ?? []
    return orderTotal(copy)
  }

  static func paymentSession(_ session: ComOSPaymentSession) -> JSONText {
    .object([
      "sagaId": .string(session.sagaId),
      "sessionId": .string(session.sessionId),
      "url": .string(session.url),
      "expiresAt": .string(ISO8601UTC.string(fromUnixSeconds: session.expiresAt)),
    ])
  }

  /// What `api_call` answers: the wrapped endpoint's HTTP status and body.
  static func restAnswer(status: Int, body: JSONText) -> JSONText {
    .object(["status": .integer(status), "body": body])
  }

  static func restError(_ message: String) -> JSONText {
    .object(["error": .string(message)])
  }

  private static func fault(_ fault: ComOSFault) -> JSONText {
    .object([
      "code": .string(fault.code),
      "message": .string(fault.message),
      "retryable": .boolean(fault.retryable),
      "step": .string(fault.step.rawValue),
    ])
  }
}
