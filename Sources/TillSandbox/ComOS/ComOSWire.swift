// The sandbox's copy of the ComOS gateway's tool results: the saga object, the cart, the
// payment session and the REST passthrough's {status, body}. Absent values are written as
// null rather than left out, so every saga answer has the same keys.

enum ComOSWire {
  static func saga(_ saga: ComOSSaga) -> JSONText {
    .object([
      JSONText.Member(key: "sagaId", value: .string(saga.id)),
      JSONText.Member(key: "status", value: .string(saga.status.rawValue)),
      JSONText.Member(key: "cartId", value: .string(saga.cartId)),
      JSONText.Member(key: "userId", value: .string(saga.userId)),
      JSONText.Member(
        key: "completedSteps", value: .array(saga.completedSteps.map { .string($0.rawValue) })),
      JSONText.Member(key: "currentStep", value: optional(saga.currentStep?.rawValue)),
      JSONText.Member(key: "error", value: saga.error.map(fault) ?? .null),
      JSONText.Member(
        key: "compensation",
        value: saga.compensation.map { compensation in
          .object([
            "reason": .string(compensation.reason),
            "compensatedSteps": .array(compensation.steps.map { .string($0.rawValue) }),
          ])
        } ?? .null),
      JSONText.Member(key: "orderId", value: optional(saga.orderId)),
      JSONText.Member(key: "paymentIntentId", value: optional(saga.paymentIntentId)),
      JSONText.Member(key: "paymentUrl", value: optional(saga.paymentUrl)),
      JSONText.Member(
        key: "createdAt", value: .string(ISO8601UTC.string(fromUnixSeconds: saga.createdAt))),
      JSONText.Member(
        key: "updatedAt", value: .string(ISO8601UTC.string(fromUnixSeconds: saga.updatedAt))),
      JSONText.Member(key: "attempt", value: .integer(saga.attempt)),
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

  private static func optional(_ text: String?) -> JSONText {
    text.map(JSONText.string) ?? .null
  }
}
