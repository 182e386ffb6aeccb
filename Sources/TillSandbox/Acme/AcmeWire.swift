// The sandbox's own copy of the Acme checkout system's wire shapes: the catalog's Cart and
// checkout session, with amounts in minor units and errors as {code, message}.

enum AcmeWire {
  static func cart(_ cart: AcmeCart, withSession: Bool = true) -> JSONText {
    .object([
      "cartId": .string(cart.id),
      "customerId": .string(orNull: cart.customerId),
      "status": .string(cart.status.rawValue),
      "items": .array(
        cart.lines.map { line in
          .object([
            "productId": .string(line.productId),
            "quantity": .integer(line.quantity),
            "unitPrice": .integer(line.unitPrice),
          ])
        }),
      "subtotal": .integer(cart.subtotal),
      "discount": .integer(cart.discount),
      "total": .integer(cart.total),
      "currency": .string("USD"),
      "checkoutSessionId": withSession ? cart.checkoutSessionId.map(JSONText.string) : nil,
    ])
  }

  static func session(_ session: AcmeCheckoutSession) -> JSONText {
    let view = session.view
    let authorized = view.hasCompleted(.authorizePayment)
    let ordered = view.status(of: .createOrder) == .done
    return .object([
      "checkoutSessionId": .string(session.id),
      "cartId": .string(session.cartId),
      "status": .string(view.status),
      "startedAt": .string(ISO8601UTC.string(fromUnixSeconds: session.startedAt)),
      "updatedAt": .string(ISO8601UTC.string(fromUnixSeconds: session.updatedAt)),
      "steps": .array(view.steps.map { step(name: $0.step, status: $0.status, of: session) }),
      "orderId": ordered ? .string(session.orderId) : nil,
      "paymentAuthorizationId": authorized ? .string(session.paymentAuthorizationId) : nil,
      "error": view.failure.map { failure in
        .object(["code": .string(failure.code), "message": .string(failure.message)])
      },
      "compensation": view.compensated.isEmpty
        ? nil
        : .array(
          view.compensated.map { step in
            .object([
              "step": .string(step.rawValue),
              "action": .string(compensatingAction(for: step)),
              "reason": .string(view.failure?.reason ?? ""),
            ])
          }),
    ])
  }

  static func error(code: String, message: String) -> JSONText {
    .object(["code": .string(code), "message": .string(message)])
  }

  static func stats(_ report: AcmeStatsReport) -> JSONText {
    .object([
      "carts": .integer(report.carts),
      "sessions": .object(report.sessions, key: \.id) { session in
        .object(["status": .string(session.view.status), "polls": .integer(session.polls)])
      },
    ])
  }

  /// A step, with the id of what it produced once it has run.
  private static func step(
    name: SagaStep, status: SagaStepStatus, of session: AcmeCheckoutSession
  ) -> JSONText {
    let ran = status == .done || status == .compensated
    let produced: (key: String, id: String) =
      switch name {
      case .reserveInventory: (key: "reservationId", id: session.reservationId)
      case .authorizePayment: (key: "paymentAuthorizationId", id: session.paymentAuthorizationId)
      case .createOrder: (key: "orderId", id: session.orderId)
      }
    var members = [
      JSONText.Member(key: "name", value: .string(name.rawValue)),
      JSONText.Member(key: "status", value: .string(status.rawValue)),
    ]
    if ran {
      members.append(JSONText.Member(key: produced.key, value: .string(produced.id)))
    }
    return .object(members)
  }

  private static func compensatingAction(for step: SagaStep) -> String {
    switch step {
    case .reserveInventory: "reservation released"
    case .authorizePayment: "authorization voided"
    case .createOrder: "order cancelled"
    }
  }
}
