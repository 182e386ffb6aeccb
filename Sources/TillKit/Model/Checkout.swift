/// Where a checkout is, in words common to every API.
public enum CheckoutState: String, Sendable, CaseIterable {
  case pending
  case processing
  case actionRequired = "action_required"
  case completed
  case failed
  case cancelled
  case compensated
  /// A state the server named that till does not know; shown as it is, never terminal.
  case unknown

  public var isTerminal: Bool {
    switch self {
    case .completed, .failed, .cancelled, .compensated: return true
    default: return false
    }
  }

  /// The exit status a command reports when it stops at this state.
  public var exitStatus: ExitStatus {
    switch self {
    case .completed, .pending, .processing, .unknown: return .success
    case .actionRequired: return .actionRequired
    case .failed, .cancelled, .compensated: return .checkoutFailed
    }
  }
}

/// What a human must do before the checkout can go on (3-D Secure, a hosted payment page).
public struct RedirectInstructions: Sendable, Equatable {
  public var url: String?
  public var htmlContent: String?
  public var threeDIdentifier: String?
  public var isRedirectRequired = true
  /// Polling resumes after the human acts.
  public var hasNextSteps = true
  public var showHtmlContent = false
  /// Where till saved `htmlContent` (never printed raw to a terminal).
  public var htmlFile: String?
}

/// One step of a saga (reserve inventory, authorize payment, …) as the server reported it.
public struct CheckoutStep: Sendable, Equatable {
  public enum Status: String, Sendable {
    case done, current, failed, compensated, pending
  }

  public var name: String
  public var status: Status
  public var errorCode: String?
  public var message: String?
  /// For a failed step: whether the server says a retry may succeed.
  public var retryable: Bool?
  /// For a compensated step: what was undone and why.
  public var compensation: String?
}

/// What the server said about the next poll.
public struct PollHint: Sendable, Equatable {
  /// From the `Retry-After` header.
  public var retryAfter: Duration?
  /// From the body (`followUpInstructions.retryAfterSeconds`).
  public var suggestedDelay: Duration?
  /// False when the server says polling is pointless (`canFollowUp: false`).
  public var canFollowUp: Bool

  public init(
    retryAfter: Duration? = nil, suggestedDelay: Duration? = nil, canFollowUp: Bool = true
  ) {
    self.retryAfter = retryAfter
    self.suggestedDelay = suggestedDelay
    self.canFollowUp = canFollowUp
  }
}

/// One checkout as every renderer and the poller see it, whatever API it came from.
public struct CheckoutStatus: Sendable, Equatable {
  public var id: String
  public var api: String
  public var state: CheckoutState
  /// The server's own name for the state (`CHECK_OUT_PROCESSING`, `in_progress`, `paid`).
  public var serverState: String
  public var message: String?
  public var redirect: RedirectInstructions?
  public var hint: PollHint
  /// A saga's steps in order; empty for APIs without one.
  public var steps: [CheckoutStep] = []
  /// Ids of what the checkout produced or refers to, in the server's words
  /// (`orderId`, `paymentAuthorizationId`, `cartId`, …), in display order.
  public var references: [(String, String)] = []

  /// The reference the server calls `name` (`orderId`), if it names one.
  public func reference(_ name: String) -> String? { references.first { $0.0 == name }?.1 }
  /// Seconds since the epoch when the checkout entered its current state, if the server says.
  public var stateSince: Int64?
  /// The response as the server sent it.
  public var raw: JSONValue?
  /// A failure that the server may still roll back (a saga `failed`, not retryable, on its
  /// way to `compensated`): a watch keeps following it for a while.
  public var compensationMayFollow = false

  public init(
    id: String, api: String, state: CheckoutState, serverState: String, message: String? = nil,
    redirect: RedirectInstructions? = nil, hint: PollHint = PollHint(), raw: JSONValue? = nil
  ) {
    self.id = id
    self.api = api
    self.state = state
    self.serverState = serverState
    self.message = message
    self.redirect = redirect
    self.hint = hint
    self.raw = raw
  }

  public static func == (lhs: CheckoutStatus, rhs: CheckoutStatus) -> Bool {
    lhs.id == rhs.id && lhs.api == rhs.api && lhs.state == rhs.state
      && lhs.serverState == rhs.serverState && lhs.message == rhs.message
      && lhs.redirect == rhs.redirect && lhs.hint == rhs.hint && lhs.steps == rhs.steps
      && lhs.references.elementsEqual(rhs.references) { $0 == $1 }
      && lhs.stateSince == rhs.stateSince && lhs.raw == rhs.raw
  }

  /// Whether a watcher should report this as news after `previous`.
  public func differs(from previous: CheckoutStatus) -> Bool {
    state != previous.state || serverState != previous.serverState
      || message != previous.message || redirect?.url != previous.redirect?.url
      || redirect?.htmlContent != previous.redirect?.htmlContent || steps != previous.steps
  }
}
