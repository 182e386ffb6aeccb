import Synchronization

/// How the sandbox tells a client when to come back.
enum RetryAdvice: Equatable, Sendable {
  case seconds(Int)
  /// An absolute time, sent as an IMF-fixdate.
  case date(unixSeconds: Int64)

  var headerValue: String {
    switch self {
    case .seconds(let seconds): "\(seconds)"
    case .date(let unixSeconds): IMFFixdate.string(fromUnixSeconds: unixSeconds)
    }
  }
}

/// What a status poll is answered with, before it is put into HTTP terms.
enum StatusAnswer: Equatable, Sendable {
  case processing(canFollowUp: Bool)
  case threeDSRequired(threeDIdentifier: String, showsHTMLContent: Bool)
  case done
  case failed
  case throttled
  case unavailable
  case tenantConflict
}

struct SubmitReply: Sendable {
  var trackingNumber: String
  var retryAfter: RetryAdvice
  /// False when the correlation id was seen before and the earlier checkout was returned.
  var created: Bool
}

struct PollReply: Sendable {
  var trackingNumber: String
  var answer: StatusAnswer
  /// Nil for answers after which the client must not poll again.
  var retryAfter: RetryAdvice?
}

/// Every C2A checkout the sandbox knows, and the score it keeps on how clients poll them.
///
/// One lock guards everything so that deciding an answer and recording when the client may
/// next poll happen as one step, even when polls for one checkout race on two connections.
final class C2ACheckouts: Sendable {
  private struct IdempotencyKey: Hashable {
    var tenant: String
    var correlationID: String
  }

  private struct Checkout {
    let trackingNumber: String
    let tenant: String
    let scenario: Scenario
    let threeDIdentifier: String
    var polls = 0
    var earlyPolls = 0
    var lateByMs: [Int] = []
    var connections: [Int] = []
    var threeDSCompleted = false
    var pollsSinceChallenge = 0
    /// The earliest moment a punctual client may poll, from the last answer sent for it.
    var notBefore: MonotonicInstant

    mutating func noteConnection(_ connectionID: Int) {
      if !connections.contains(connectionID) {
        connections.append(connectionID)
      }
    }

    var statsReport: CheckoutStatsReport {
      CheckoutStatsReport(
        scenario: scenario.rawValue, polls: polls, earlyPolls: earlyPolls, lateByMs: lateByMs,
        connections: connections, threeDSCompleted: threeDSCompleted)
    }
  }

  private struct State {
    var checkouts: [String: Checkout] = [:]
    /// Tracking numbers in creation order, so stats list checkouts the way they happened.
    var creationOrder: [String] = []
    var trackingByIdempotencyKey: [IdempotencyKey: String] = [:]
    var checkoutsCreated = 0
  }

  /// A poll this much before `notBefore` counts as early; the slack absorbs rounding in the
  /// client's timer, not a client that ignores `Retry-After`.
  private static let earlyToleranceNanoseconds: Int64 = 1_000_000

  private let pollsBeforeDone: Int
  private let retryAfterSeconds: Int
  private let state = Mutex(State())

  init(pollsBeforeDone: Int, retryAfterSeconds: Int) {
    self.pollsBeforeDone = max(0, pollsBeforeDone)
    self.retryAfterSeconds = max(0, retryAfterSeconds)
  }

  /// Records a submit. A repeated `(tenant, correlationID)` returns the earlier checkout, as
  /// the real service promises never to charge one correlation id twice.
  func submit(
    tenant: String, correlationID: String?, scenario: Scenario, connectionID: Int
  ) -> SubmitReply {
    state.withLock { state in
      let key = correlationID.map { IdempotencyKey(tenant: tenant, correlationID: $0) }
      if let key, let known = state.trackingByIdempotencyKey[key],
        var checkout = state.checkouts[known]
      {
        let advice = advise(scenario: checkout.scenario, notBefore: &checkout.notBefore)
        checkout.noteConnection(connectionID)
        state.checkouts[known] = checkout
        return SubmitReply(trackingNumber: known, retryAfter: advice, created: false)
      }
      var trackingNumber = Self.makeTrackingNumber()
      while state.checkouts[trackingNumber] != nil {
        trackingNumber = Self.makeTrackingNumber()
      }
      var checkout = Checkout(
        trackingNumber: trackingNumber, tenant: tenant, scenario: scenario,
        threeDIdentifier: Identifiers.prefixed(
          "3ds_", 20, from: "0123456789abcdefghjkmnpqrstvwxyz"),
        notBefore: .now())
      let advice = advise(scenario: scenario, notBefore: &checkout.notBefore)
      checkout.noteConnection(connectionID)
      state.checkouts[trackingNumber] = checkout
      state.creationOrder.append(trackingNumber)
      state.checkoutsCreated += 1
      if let key {
        state.trackingByIdempotencyKey[key] = trackingNumber
      }
      return SubmitReply(trackingNumber: trackingNumber, retryAfter: advice, created: true)
    }
  }

  /// Answers a status poll and scores its timing. Nil when the tracking number is unknown to
  /// this tenant: the real service does not reveal that another tenant owns it.
  func poll(trackingNumber: String, tenant: String, connectionID: Int) -> PollReply? {
    let arrival = MonotonicInstant.now()
    return state.withLock { state in
      guard var checkout = state.checkouts[trackingNumber], checkout.tenant == tenant else {
        return nil
      }
      let lateByNanoseconds = arrival.nanoseconds - checkout.notBefore.nanoseconds
      checkout.lateByMs.append(Int(lateByNanoseconds / 1_000_000))
      if lateByNanoseconds < -Self.earlyToleranceNanoseconds {
        checkout.earlyPolls += 1
      }
      checkout.polls += 1
      checkout.noteConnection(connectionID)

      let answer = nextAnswer(for: &checkout)
      let advice: RetryAdvice?
      switch answer {
      case .processing(canFollowUp: true), .threeDSRequired, .throttled, .unavailable:
        advice = advise(scenario: checkout.scenario, notBefore: &checkout.notBefore)
      case .processing(canFollowUp: false), .done, .failed, .tenantConflict:
        // Nothing was promised, so any later poll is on time; the poll count still shows a
        // client that polls past a terminal answer.
        advice = nil
        checkout.notBefore = .now()
      }
      state.checkouts[trackingNumber] = checkout
      return PollReply(trackingNumber: trackingNumber, answer: answer, retryAfter: advice)
    }
  }

  /// Marks the 3DS challenge of a checkout as passed. False when the checkout is unknown.
  func completeChallenge(trackingNumber: String) -> Bool {
    state.withLock { state in
      guard state.checkouts[trackingNumber] != nil else { return false }
      state.checkouts[trackingNumber]?.threeDSCompleted = true
      return true
    }
  }

  func statsReport() -> (
    checkoutsCreated: Int, checkouts: [(trackingNumber: String, report: CheckoutStatsReport)]
  ) {
    state.withLock { state in
      let checkouts = state.creationOrder.compactMap { trackingNumber in
        state.checkouts[trackingNumber].map { (trackingNumber, $0.statsReport) }
      }
      return (state.checkoutsCreated, checkouts)
    }
  }

  func statsReport(trackingNumber: String) -> CheckoutStatsReport? {
    state.withLock { state in state.checkouts[trackingNumber]?.statsReport }
  }

  /// The scenario's script. `checkout.polls` already counts the poll being answered.
  private func nextAnswer(for checkout: inout Checkout) -> StatusAnswer {
    let poll = checkout.polls
    switch checkout.scenario {
    case .success, .httpDate:
      return poll <= pollsBeforeDone ? .processing(canFollowUp: true) : .done
    case .fail:
      return poll <= pollsBeforeDone ? .processing(canFollowUp: true) : .failed
    case .throttle:
      if poll == 1 { return .throttled }
      return poll - 1 <= pollsBeforeDone ? .processing(canFollowUp: true) : .done
    case .unavailable:
      if poll == 1 { return .unavailable }
      return poll - 1 <= pollsBeforeDone ? .processing(canFollowUp: true) : .done
    case .never:
      return .processing(canFollowUp: true)
    case .noFollowUp:
      return .processing(canFollowUp: false)
    case .otherTenant:
      return .tenantConflict
    case .threeDS, .threeDSHTML:
      if checkout.threeDSCompleted {
        // The provider takes one more round to confirm the challenge before capturing.
        checkout.pollsSinceChallenge += 1
        return checkout.pollsSinceChallenge == 1 ? .processing(canFollowUp: true) : .done
      }
      if poll == 1 { return .processing(canFollowUp: true) }
      return .threeDSRequired(
        threeDIdentifier: checkout.threeDIdentifier,
        showsHTMLContent: checkout.scenario == .threeDSHTML)
    }
  }

  /// Decides what `Retry-After` to tell and moves `notBefore` to match, stamped now, just
  /// before the answer is written, so a client that waits exactly as told is never early.
  private func advise(scenario: Scenario, notBefore: inout MonotonicInstant) -> RetryAdvice {
    let now = MonotonicInstant.now()
    guard scenario.tellsRetryAfterAsDate else {
      notBefore = now.adding(seconds: retryAfterSeconds)
      return .seconds(retryAfterSeconds)
    }
    // An HTTP-date has whole-second resolution, so the next whole second is the soonest
    // honest date; the monotonic target is that same date seen from the monotonic clock.
    let wallNow = WallClock.nowNanoseconds()
    let dateSeconds = wallNow / 1_000_000_000 + 1 + Int64(retryAfterSeconds)
    notBefore = now.adding(nanoseconds: dateSeconds * 1_000_000_000 - wallNow)
    return .date(unixSeconds: dateSeconds)
  }

  private static func makeTrackingNumber() -> String {
    // Upper-case alphanumerics in the 26-character shape of the vendor's ULID-like samples.
    Identifiers.prefixed("trk_", 26)
  }
}
