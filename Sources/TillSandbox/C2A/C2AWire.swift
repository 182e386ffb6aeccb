// The sandbox's own copy of the C2A wire shapes. It deliberately shares no code with the
// client library, so a misspelt field on one side shows up as a failure instead of agreeing
// with itself.

/// The submit body. Only what the sandbox acts on is read; every other field the client sends
/// (payment method, items, customer) is accepted without being checked.
struct CheckoutRequestBody: Equatable {
  struct Order: Equatable {
    var offerIdentifier: String?
    var correlationId: String?
  }

  var order: Order?

  /// Nil when the body is not a JSON object of this shape: `order`, when present and not
  /// null, an object whose `offerIdentifier` and `correlationId` are strings or null.
  static func decode(_ body: [UInt8]) -> CheckoutRequestBody? {
    guard let document = JSONText.parse(body), document.isObject else { return nil }
    guard let order = document["order"], order != .null else { return CheckoutRequestBody() }
    guard order.isObject else { return nil }
    guard let offer = optionalString(order["offerIdentifier"]),
      let correlation = optionalString(order["correlationId"])
    else { return nil }
    return CheckoutRequestBody(
      order: Order(offerIdentifier: offer, correlationId: correlation))
  }

  /// `.some(nil)` for a member that is absent or null, nil for one that is not a string.
  private static func optionalString(_ value: JSONText?) -> String?? {
    switch value {
    case nil, .null?: return .some(nil)
    case .string(let text)?: return .some(text)
    default: return nil
    }
  }
}

/// The body of both the submit (202) and the status (200) answers.
struct CheckoutResult {
  struct Status {
    var messageCode: String
    var message: String?
  }

  struct RedirectInstructions {
    var redirectUrl: String
    var htmlContent: String?
    var threeDIdentifier: String
    var isRedirectRequired: Bool
    var hasNextSteps: Bool
    var showHtmlContent: Bool
  }

  struct FollowUpInstructions {
    var retryAfterSeconds: Int?
    var canFollowUp: Bool
  }

  var trackingNumber: String
  var status: Status
  var redirectInstructions: RedirectInstructions?
  var followUpInstructions: FollowUpInstructions

  var json: JSONText {
    .object([
      "trackingNumber": .string(trackingNumber),
      "status": .object([
        "messageCode": .string(status.messageCode),
        "message": status.message.map(JSONText.string),
      ]),
      "redirectInstructions": redirectInstructions.map { redirect in
        .object([
          "redirectUrl": .string(redirect.redirectUrl),
          "htmlContent": redirect.htmlContent.map(JSONText.string),
          "threeDIdentifier": .string(redirect.threeDIdentifier),
          "isRedirectRequired": .boolean(redirect.isRedirectRequired),
          "hasNextSteps": .boolean(redirect.hasNextSteps),
          "showHtmlContent": .boolean(redirect.showHtmlContent),
        ])
      },
      "followUpInstructions": .object([
        "retryAfterSeconds": followUpInstructions.retryAfterSeconds.map(JSONText.integer),
        "canFollowUp": .boolean(followUpInstructions.canFollowUp),
      ]),
    ])
  }
}

/// The vendor's 404 body for a tracking id this tenant does not own.
enum OrderedItemNotFound {
  static let json = JSONText.object([
    "status": .object(["messageCode": .string("ORDERED_ITEM_NOT_FOUND")])
  ])
}

/// What `GET /sandbox/stats/<trackingId>` reports about one checkout.
struct CheckoutStatsReport: Sendable {
  var scenario: String
  var polls: Int
  var earlyPolls: Int
  var lateByMs: [Int]
  var connections: [Int]
  var threeDSCompleted: Bool

  var json: JSONText {
    .object([
      "scenario": .string(scenario),
      "polls": .integer(polls),
      "earlyPolls": .integer(earlyPolls),
      "lateByMs": .array(lateByMs.map(JSONText.integer)),
      "connections": .array(connections.map(JSONText.integer)),
      "threeDSCompleted": .boolean(threeDSCompleted),
    ])
  }
}

/// What `GET /sandbox/stats` reports: the traffic over every API, and each C2A checkout.
struct C2AStatsReport {
  var connections: Int
  var checkoutsCreated: Int
  var requests: Int
  /// In the order the checkouts were created.
  var checkouts: [(trackingNumber: String, report: CheckoutStatsReport)]

  var json: JSONText {
    .object([
      "connections": .integer(connections),
      "checkoutsCreated": .integer(checkoutsCreated),
      "requests": .integer(requests),
      "checkouts": .object(checkouts, key: \.trackingNumber) { $0.report.json },
    ])
  }
}
