/// How a checkout behaves while it is polled, chosen by the order's `offerIdentifier`.
///
/// Each scenario exercises one thing a C2A client must get right, so that `till demo` and the
/// tests can drive every branch of the polling loop against a server that keeps score.
enum Scenario: String, CaseIterable, Sendable {
  case success
  case threeDS = "3ds"
  case threeDSHTML = "3ds-html"
  case fail
  case throttle
  case unavailable
  case httpDate = "http-date"
  case never
  case noFollowUp = "no-follow-up"
  case otherTenant = "other-tenant"

  /// The offer identifier a client submits to get this scenario.
  var offer: String { rawValue }

  var summary: String {
    switch self {
    case .success:
      "PROCESSING for the first polls, then CHECK_OUT_DONE"
    case .threeDS:
      "3DS_REQUIRED with a redirectUrl until it is visited, then DONE"
    case .threeDSHTML:
      "3DS_REQUIRED with an auto-submitting htmlContent form, then DONE"
    case .fail:
      "PROCESSING for the first polls, then CHECK_OUT_FAILED (card declined)"
    case .throttle:
      "first poll answered 429 with Retry-After, then as success"
    case .unavailable:
      "first poll answered 503 with Retry-After, then as success"
    case .httpDate:
      "as success, but Retry-After is an HTTP-date instead of seconds"
    case .never:
      "PROCESSING forever (exercises the client's timeout)"
    case .noFollowUp:
      "PROCESSING with canFollowUp false and no Retry-After"
    case .otherTenant:
      "every status poll answered 409 ProblemDetails (tenant mismatch)"
    }
  }

  /// Whether `Retry-After` is sent as an IMF-fixdate rather than delta-seconds.
  var tellsRetryAfterAsDate: Bool { self == .httpDate }
}
