/// Polls one checkout until it ends, honouring the server's pacing: never early, never
/// busy-waiting, never past `--max-wait`. What comes after each status is `WatchProgress`'s
/// decision, the same as for each checkout of a fan-out.
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
  ///   - until: a condition that ends the watch early, as `.reached`, once a status meets it
  ///     (a saga asking for payment); nil to watch to the end.
  public func watch(
    initial: CheckoutStatus?,
    startedAt: Duration? = nil,
    fetch: () throws(TillError) -> CheckoutStatus,
    onChange: (CheckoutStatus, _ poll: Int) -> Void,
    until: ((CheckoutStatus) -> Bool)? = nil
  ) throws(TillError) -> WatchOutcome {
    var progress = WatchProgress(startedAt: startedAt ?? clock.now)
    if let initial {
      progress.record(initial, polled: false)
      onChange(initial, 0)
      recorder?.notePoll(after: initial.hint, delay: progress.delay(policy))
    }
    while true {
      if let until, let last = progress.last, until(last) { return .reached(last) }
      // Decided after the note, so the HAR log's planned wait is never longer than the wait.
      switch progress.next(at: clock.now, policy: policy) {
      case .stop(let outcome):
        return outcome
      case .poll(let time):
        guard clock.sleep(until: time) else { return .interrupted(progress.last) }
        let status = try fetch()
        progress.record(status)
        if progress.isNews { onChange(status, progress.polls) }
        recorder?.notePoll(after: status.hint, delay: progress.delay(policy))
      }
    }
  }
}
