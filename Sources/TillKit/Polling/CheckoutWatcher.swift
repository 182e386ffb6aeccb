/// How long to wait between polls when the server gives no hint, and how long to watch at most.
public struct PollPolicy: Sendable {
  public var interval: Duration
  public var maxWait: Duration?
  /// For an API that gives no pacing: each poll that finds nothing new waits 1.5 times longer,
  /// up to four times the interval, so a saga stuck for an hour is not polled every 2 s.
  public var backsOffWhileUnchanged: Bool

  public init(
    interval: Duration = .seconds(2), maxWait: Duration? = nil,
    backsOffWhileUnchanged: Bool = false
  ) {
    self.interval = interval
    self.maxWait = maxWait
    self.backsOffWhileUnchanged = backsOffWhileUnchanged
  }

  /// The wait after `unchangedPolls` polls in a row that found nothing new.
  public func delay(after hint: PollHint, unchangedPolls: Int) -> Duration {
    guard backsOffWhileUnchanged, hint.retryAfter == nil, hint.suggestedDelay == nil else {
      return delay(after: hint)
    }
    var wait = interval
    for _ in 0..<min(unchangedPolls, 4) { wait = wait * 3 / 2 }
    return max(min(wait, interval * 4, RetryAfter.cap), minimumDelay)
  }

  /// The wait before the next poll: the `Retry-After` header, else the body's hint, else the
  /// interval. Every source is capped like `Retry-After`, and none is shorter than
  /// `minimumDelay`.
  public func delay(after hint: PollHint) -> Duration {
    PollPolicy.serverDelay(hint) ?? max(min(interval, RetryAfter.cap), minimumDelay)
  }

  /// The wait the server asked for (`Retry-After`, else the body's hint) as till will wait
  /// it: capped, and never under `minimumDelay`; nil when it asked for none. What a message
  /// about the next poll says.
  public static func serverDelay(_ hint: PollHint) -> Duration? {
    (hint.retryAfter ?? hint.suggestedDelay).map { max(min($0, RetryAfter.cap), minimumDelay) }
  }

  /// `Retry-After: 0` or a date in the past means "now"; a server that says so at every poll
  /// must not be polled in a tight loop, so a poll never follows the one before sooner. Short
  /// enough not to slow a watch the user asked to be fast (`--interval 200ms`).
  public static let minimumDelay: Duration = .milliseconds(100)

  /// How long a watch goes on following a failure whose compensation may follow, when the
  /// server does not compensate (nor `--max-wait` end it) sooner.
  public var compensationGrace: Duration = .seconds(30)

  private var minimumDelay: Duration { PollPolicy.minimumDelay }
}

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

  public var exitStatus: ExitStatus {
    switch self {
    case .terminal(let status): return status.state.exitStatus
    case .actionRequired: return .actionRequired
    case .timedOut, .followUpStopped: return .timedOut
    case .interrupted: return .interrupted
    }
  }
}

/// Polls one checkout until it ends, honouring the server's pacing: never early, never
/// busy-waiting, never past `--max-wait`.
public struct CheckoutWatcher {
  public let clock: PollClock
  public let policy: PollPolicy
  /// Told each wait, with the hint it came from, for the HAR log's record of each poll.
  public var recorder: HARRecorder?

  public init(clock: PollClock, policy: PollPolicy, recorder: HARRecorder? = nil) {
    self.clock = clock
    self.policy = policy
    self.recorder = recorder
  }

  /// - Parameters:
  ///   - initial: what the start request answered, if the watch follows a start; its hint
  ///     paces the first poll.
  ///   - startedAt: when the watch began (on `clock`), for the deadline; defaults to now.
  ///   - fetch: one status request.
  ///   - onChange: called for the initial state and for each poll whose state differs from the
  ///     one before.
  public func watch(
    initial: CheckoutStatus?,
    startedAt: Duration? = nil,
    fetch: () throws(TillError) -> CheckoutStatus,
    onChange: (CheckoutStatus, _ poll: Int) -> Void
  ) throws(TillError) -> WatchOutcome {
    let start = startedAt ?? clock.now
    let deadline = policy.maxWait.map { start + $0 }
    var last = initial
    var polls = 0
    var unchanged = 0
    var nextPoll = clock.now
    if let initial {
      onChange(initial, 0)
      let delay = policy.delay(after: initial.hint)
      recorder?.notePoll(after: initial.hint, delay: delay)
      nextPoll = clock.now + delay
    }
    // Set at the first failure that a compensation may follow.
    var settleBy: Duration?
    while true {
      if let last, last.state.isTerminal {
        guard last.compensationMayFollow else { return .terminal(last) }
        if settleBy == nil { settleBy = clock.now + policy.compensationGrace }
        if let settleBy, nextPoll > settleBy { return .terminal(last) }
        if let deadline, nextPoll > deadline { return .terminal(last) }
      } else if let last {
        if last.state == .actionRequired, last.redirect?.hasNextSteps == false {
          return .actionRequired(last)
        }
        if !last.hint.canFollowUp { return .followUpStopped(last) }
      }
      if let deadline, nextPoll > deadline { return .timedOut(last, polls: polls) }
      guard clock.sleep(until: nextPoll) else { return .interrupted(last) }
      let status = try fetch()
      polls += 1
      if last.map({ status.differs(from: $0) }) ?? true {
        onChange(status, polls)
        unchanged = 0
      } else {
        unchanged += 1
      }
      last = status
      let delay = policy.delay(after: status.hint, unchangedPolls: unchanged)
      recorder?.notePoll(after: status.hint, delay: delay)
      nextPoll = clock.now + delay
    }
  }
}
