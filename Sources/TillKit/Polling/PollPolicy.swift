/// How a watch paces and bounds itself: how long to wait between polls when the server gives no
/// hint, how long to watch at most, and how long to follow a failure that may be compensated.
/// The same for one checkout and for each of a fan-out's.
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
