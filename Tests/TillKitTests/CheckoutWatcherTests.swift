import Testing

@testable import TillKit

/// A clock that only moves when the code under test sleeps, recording each sleep.
final class FakeClock: PollClock {
  var now: Duration = .seconds(1000)
  var wallSeconds: Int64 = 1_795_000_000
  var sleeps: [Duration] = []
  var interruptAfterSleeps: Int?

  func sleep(until deadline: Duration) -> Bool {
    if let limit = interruptAfterSleeps, sleeps.count >= limit { return false }
    sleeps.append(max(deadline - now, .zero))
    if deadline > now { now = deadline }
    return true
  }
}

@Suite struct CheckoutWatcherTests {
  func status(
    _ state: CheckoutState, retryAfter: Duration? = nil, body: Duration? = nil,
    canFollowUp: Bool = true, hasNextSteps: Bool = true
  ) -> CheckoutStatus {
    CheckoutStatus(
      id: "trk_1", api: "c2a", state: state, serverState: state.rawValue,
      redirect: state == .actionRequired
        ? RedirectInstructions(url: "https://psp/3ds", hasNextSteps: hasNextSteps) : nil,
      hint: PollHint(retryAfter: retryAfter, suggestedDelay: body, canFollowUp: canFollowUp))
  }

  /// Runs a watch over scripted answers, recording when each poll happened.
  func run(
    _ answers: [CheckoutStatus], initial: CheckoutStatus? = nil, policy: PollPolicy = PollPolicy(),
    clock: FakeClock = FakeClock(), serverLatency: Duration = .milliseconds(30)
  ) throws -> (WatchOutcome, [Duration], [Int]) {
    var remaining = answers
    var pollTimes: [Duration] = []
    var changes: [Int] = []
    let watcher = CheckoutWatcher(clock: clock, policy: policy)
    let outcome = try watcher.watch(
      initial: initial,
      fetch: { () throws(TillError) -> CheckoutStatus in
        pollTimes.append(clock.now)
        clock.now += serverLatency
        guard !remaining.isEmpty else { throw TillError(.serverOrNetwork, "script ran out") }
        return remaining.removeFirst()
      },
      onChange: { _, poll in changes.append(poll) })
    return (outcome, pollTimes, changes)
  }

  /// A condition of the caller's (a saga asking for payment) ends the watch at the first
  /// status that meets it, without another poll; the initial status is judged too.
  @Test func aConditionEndsTheWatchWhereItHolds() throws {
    let watcher = CheckoutWatcher(clock: FakeClock(), policy: PollPolicy())
    var answers = [
      status(.processing), status(.actionRequired), status(.processing), status(.completed),
    ]
    var fetched = 0
    let outcome = try watcher.watch(
      initial: status(.pending),
      fetch: { () throws(TillError) -> CheckoutStatus in
        fetched += 1
        return answers.removeFirst()
      },
      onChange: { _, _ in }, until: { $0.state == .actionRequired })
    #expect(outcome == .reached(status(.actionRequired)))
    #expect(fetched == 2)
    let already = try watcher.watch(
      initial: status(.actionRequired),
      fetch: { () throws(TillError) -> CheckoutStatus in
        Issue.record("polled although the initial status met the condition")
        return status(.completed)
      },
      onChange: { _, _ in }, until: { $0.state == .actionRequired })
    #expect(already == .reached(status(.actionRequired)))
    // Without a condition the same answers are watched to the end.
    answers = [status(.processing), status(.completed)]
    let whole = try watcher.watch(
      initial: status(.pending),
      fetch: { () throws(TillError) -> CheckoutStatus in answers.removeFirst() },
      onChange: { _, _ in })
    guard case .terminal(let last) = whole else {
      Issue.record("not watched to the end: \(whole)")
      return
    }
    #expect(last.state == .completed)
  }

  @Test func waitsAsToldAndNeverPollsEarly() throws {
    let clock = FakeClock()
    let start = clock.now
    let initial = status(.processing, retryAfter: .seconds(2))
    let (outcome, times, changes) = try run(
      [
        status(.processing, retryAfter: .seconds(3), body: .seconds(9)),
        status(.processing, body: .seconds(4)),
        status(.processing),
        status(.completed, canFollowUp: false),
      ], initial: initial, policy: PollPolicy(interval: .seconds(5)), clock: clock)
    guard case .terminal(let last) = outcome else {
      Issue.record("expected a terminal outcome, got \(outcome)")
      return
    }
    #expect(last.state == .completed)
    // Header first, then the body's hint, then the interval; each measured from the answer.
    let latency = Duration.milliseconds(30)
    #expect(
      times == [
        start + .seconds(2), start + .seconds(5) + latency, start + .seconds(9) + latency * 2,
        start + .seconds(14) + latency * 3,
      ])
    #expect(changes == [0, 4])
  }

  @Test func stopsWhenTheServerSaysNotToFollowUp() throws {
    let (outcome, times, _) = try run([
      status(.processing, retryAfter: .seconds(1)), status(.processing, canFollowUp: false),
      status(.completed),
    ])
    #expect(times.count == 2)
    guard case .followUpStopped(let last) = outcome else {
      Issue.record("expected followUpStopped, got \(outcome)")
      return
    }
    #expect(last.state == .processing)
    #expect(outcome.exitStatus == .timedOut)
  }

  @Test func honoursMaxWait() throws {
    let clock = FakeClock()
    let start = clock.now
    let answers = Array(repeating: status(.processing, retryAfter: .seconds(3)), count: 100)
    let (outcome, times, _) = try run(
      answers, policy: PollPolicy(maxWait: .seconds(10)), clock: clock)
    guard case .timedOut(_, let polls) = outcome else {
      Issue.record("expected timedOut, got \(outcome)")
      return
    }
    // Polls at 0, 3, 6 and 9 s; the next would come after the 10 s deadline.
    #expect(polls == 4)
    #expect(times.last! <= start + .seconds(10))
    #expect(clock.now <= start + .seconds(10))
    #expect(outcome.exitStatus == .timedOut)
  }

  @Test func keepsPollingThroughThreeDSWithNextSteps() throws {
    let (outcome, times, changes) = try run([
      status(.actionRequired, retryAfter: .seconds(1)),
      status(.actionRequired, retryAfter: .seconds(1)),
      status(.processing, retryAfter: .seconds(1)), status(.completed),
    ])
    #expect(times.count == 4)
    #expect(changes == [1, 3, 4])
    #expect(outcome.exitStatus == .success)
  }

  @Test func stopsAtARedirectWithNoNextSteps() throws {
    let (outcome, times, _) = try run([status(.actionRequired, hasNextSteps: false)])
    #expect(times.count == 1)
    #expect(outcome.exitStatus == .actionRequired)
  }

  @Test func failureIsTerminalWithExitOne() throws {
    let (outcome, _, _) = try run([status(.processing), status(.failed)])
    #expect(outcome.exitStatus == .checkoutFailed)
  }

  @Test func interruptionEndsTheWait() throws {
    let clock = FakeClock()
    clock.interruptAfterSleeps = 1
    let (outcome, times, _) = try run(
      [status(.processing, retryAfter: .seconds(60)), status(.completed)], clock: clock)
    #expect(times.count == 1)
    #expect(outcome.exitStatus == .interrupted)
  }

  @Test func backsOffGentlyWhileNothingMovesWhenTheServerGivesNoPace() throws {
    let clock = FakeClock()
    let start = clock.now
    let policy = PollPolicy(interval: .seconds(2), backsOffWhileUnchanged: true)
    let answers =
      Array(repeating: status(.processing), count: 7) + [
        status(.actionRequired), status(.completed),
      ]
    let (_, times, _) = try run(answers, policy: policy, clock: clock, serverLatency: .zero)
    let gaps = zip(times.dropFirst(), times).map { $0 - $1 }
    // 2 s, then ×1.5 for each poll that found nothing new, capped at 8 s; back to 2 s on news.
    #expect(gaps == [2, 3, 4.5, 6.75, 8, 8, 8, 2].map { Duration.milliseconds(Int($0 * 1000)) })
    #expect(times.first == start)
  }

  @Test(arguments: [
    (PollHint(retryAfter: .seconds(1), suggestedDelay: .seconds(9)), Duration.seconds(1)),
    (PollHint(suggestedDelay: .seconds(9)), .seconds(9)),
    (PollHint(), .seconds(2)),
    (PollHint(suggestedDelay: .seconds(999_999)), .seconds(21_600)),
  ])
  func delayChoice(hint: PollHint, expected: Duration) {
    #expect(PollPolicy().delay(after: hint) == expected)
  }

  func failedAwaitingCompensation() -> CheckoutStatus {
    var failed = status(.failed)
    failed.compensationMayFollow = true
    return failed
  }

  @Test func followsAFailureThatMayBeCompensatedToTheCompensation() throws {
    let (outcome, times, _) = try run([
      status(.processing), failedAwaitingCompensation(), failedAwaitingCompensation(),
      status(.compensated),
    ])
    #expect(outcome == .terminal(status(.compensated)))
    #expect(times.count == 4)
  }

  @Test func aFailureThatIsNeverCompensatedEndsAfterTheGrace() throws {
    var policy = PollPolicy(interval: .seconds(2))
    policy.compensationGrace = .seconds(10)
    let answers = Array(repeating: failedAwaitingCompensation(), count: 20)
    let (outcome, times, _) = try run(answers, policy: policy)
    #expect(outcome == .terminal(failedAwaitingCompensation()))
    // The first answer starts the 10 s grace; polls every 2 s (and 30 ms of latency) after it
    // until the next would pass it: at about 0, 2, 4, 6 and 8 s.
    #expect(times.count == 5, "\(times)")
  }

  @Test func maxWaitEndsTheGraceWithTheFailure() throws {
    let answers = Array(repeating: failedAwaitingCompensation(), count: 20)
    let (outcome, times, _) = try run(
      answers, policy: PollPolicy(interval: .seconds(2), maxWait: .seconds(3)))
    #expect(outcome == .terminal(failedAwaitingCompensation()), "not timed out: it did fail")
    #expect(times.count == 2)
  }

  @Test func aRetryableFailureStopsAtOnce() throws {
    let (outcome, times, _) = try run([status(.failed), status(.compensated)])
    #expect(outcome == .terminal(status(.failed)))
    #expect(times.count == 1)
  }
}
