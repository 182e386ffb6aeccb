/// Why a watch stopped.
public enum WatchOutcome: Sendable, Equatable {
  /// Completed, failed, cancelled or compensated.
  case terminal(CheckoutStatus)
  /// A human must act and the server said nothing more will happen until then.
  case actionRequired(CheckoutStatus)
  /// `--max-wait` would pass before the next poll was allowed.
  case timedOut(CheckoutStatus?, polls: Int)
  /// The server said not to follow up (`canFollowUp: false`) before a terminal state.
  case followUpStopped(CheckoutStatus)
  case interrupted(CheckoutStatus?)
  /// The watch's own condition held (a saga asking for payment) before any of the above.
  case reached(CheckoutStatus)

  public var exitStatus: ExitStatus {
    switch self {
    case .terminal(let status): return status.state.exitStatus
    case .actionRequired: return .actionRequired
    case .timedOut, .followUpStopped: return .timedOut
    case .interrupted: return .interrupted
    case .reached: return .success
    }
  }
}

/// What comes after a status.
public enum WatchStep: Sendable, Equatable {
  /// Poll again at this time, on the watch's clock.
  case poll(at: Duration)
  case stop(WatchOutcome)
}

/// One checkout's watch so far, as a value: all a watch remembers between two polls. `next`
/// is the one decision of what comes after a status, for a single watch (`CheckoutWatcher`)
/// and for each checkout of a fan-out (`FanOutWatcher`); the watchers only wait, send, report
/// and `record` what they read.
public struct WatchProgress: Sendable, Equatable {
  /// When the watch began, on its clock: `--max-wait` counts from here.
  public let startedAt: Duration
  /// The latest status read.
  public private(set) var last: CheckoutStatus?
  /// Status answers read by polls (the start's answer is not one).
  public private(set) var polls = 0
  /// Whether the latest status was the first or differs from the one before: news to report.
  public private(set) var isNews = false
  /// Polls in a row that found nothing new, for `PollPolicy.backsOffWhileUnchanged`.
  public private(set) var unchangedPolls = 0
  /// The end of the compensation grace, set at the first failure a compensation may follow.
  public private(set) var settleBy: Duration?

  public init(startedAt: Duration) {
    self.startedAt = startedAt
  }

  /// The end of `--max-wait`, if there is one.
  public func deadline(_ policy: PollPolicy) -> Duration? {
    policy.maxWait.map { startedAt + $0 }
  }

  /// A poll that is due `now`: sent, unless `--max-wait` has passed.
  public func pollDue(at now: Duration, policy: PollPolicy) -> WatchStep {
    if let deadline = deadline(policy), now > deadline {
      return .stop(.timedOut(last, polls: polls))
    }
    return .poll(at: now)
  }

  /// Takes in `status`, read by a poll or, with `polled: false`, by the request that started
  /// the checkout.
  public mutating func record(_ status: CheckoutStatus, polled: Bool = true) {
    isNews = last.map { status.differs(from: $0) } ?? true
    if polled {
      polls += 1
      unchangedPolls = isNews ? 0 : unchangedPolls + 1
    }
    last = status
  }

  /// The wait before the next poll that the latest status asks for: the server's hint
  /// (`Retry-After`, else the body's), else the interval, backing off while nothing changes if
  /// the policy says so.
  public func delay(_ policy: PollPolicy) -> Duration {
    guard let last else { return .zero }
    return policy.delay(after: last.hint, unchangedPolls: unchangedPolls)
  }

  /// What comes after the latest status, decided at `now`:
  /// - a terminal state stops the watch, except a failure a compensation may follow, which is
  ///   polled on until it is compensated, `compensationGrace` has passed or `--max-wait` ends;
  /// - a redirect with no next steps stops it (a human must act), as does `canFollowUp: false`;
  /// - otherwise the next poll comes `delay(policy)` from now, unless that is after
  ///   `--max-wait`, which ends the watch now.
  ///
  /// Before any status, the first poll is due now.
  public mutating func next(at now: Duration, policy: PollPolicy) -> WatchStep {
    guard let status = last else { return pollDue(at: now, policy: policy) }
    let next = now + delay(policy)
    let deadline = deadline(policy)
    if status.state.isTerminal {
      guard status.compensationMayFollow else { return .stop(.terminal(status)) }
      let settleBy = settleBy ?? now + policy.compensationGrace
      self.settleBy = settleBy
      if next > settleBy || deadline.map({ next > $0 }) == true {
        return .stop(.terminal(status))
      }
      return .poll(at: next)
    }
    if status.state == .actionRequired, status.redirect?.hasNextSteps == false {
      return .stop(.actionRequired(status))
    }
    if !status.hint.canFollowUp { return .stop(.followUpStopped(status)) }
    if let deadline, next > deadline { return .stop(.timedOut(status, polls: polls)) }
    return .poll(at: next)
  }
}
