/// An answer to a request sent through a `ConcurrentHTTPTransport`, with the tag it was sent
/// with.
public struct TaggedResponse: Sendable {
  public var tag: Int
  public var result: Result<HTTPResponse, TransportError>

  public init(tag: Int, result: Result<HTTPResponse, TransportError>) {
    self.tag = tag
    self.result = result
  }
}

/// Sends many requests at once and hands their answers back as they arrive: where the fan-out
/// watch meets the network (`CurlMulti`), and where tests give it canned answers.
public protocol ConcurrentHTTPTransport: AnyObject {
  /// Starts sending `request`; its answer comes back from `wait(until:)` with `tag`.
  func begin(_ request: HTTPRequest, tag: Int)
  /// Waits until at least one exchange has finished, `deadline` (monotonic, on the watcher's
  /// clock) has passed, or the user has interrupted, and returns the exchanges that finished.
  /// Without a deadline it waits for an answer.
  func wait(until deadline: Duration?) -> [TaggedResponse]
}

/// How a fan-out watch paces and bounds itself.
public struct FanOutPolicy: Sendable {
  /// How each checkout is paced, as a single watch would be; `--max-wait` is for the whole
  /// watch.
  public var poll: PollPolicy
  /// Requests in flight at most (`--parallel`).
  public var parallel: Int
  /// False for one look at each checkout; true to follow each to its end (`--watch`).
  public var follows: Bool
  /// How 429 and 503 answers and dropped connections are retried, as for a single request.
  public var retry: RetryPolicy
  /// How often a `.tick` event comes, for a display that shows ages; nil for never.
  public var tick: Duration?

  public init(
    poll: PollPolicy = PollPolicy(), parallel: Int = 16, follows: Bool = true,
    retry: RetryPolicy = RetryPolicy(), tick: Duration? = nil
  ) {
    self.poll = poll
    self.parallel = max(1, parallel)
    self.follows = follows
    self.retry = retry
    self.tick = tick
  }
}

/// How one checkout of a fan-out ended.
public enum FanOutEnding: Sendable, Equatable {
  /// One look, without `--watch`: the state it was in.
  case seen(CheckoutStatus)
  case watched(WatchOutcome)
  /// No status could be read: not found, refused, the server or the network failed.
  case failed(TillError)

  public var exitStatus: ExitStatus {
    switch self {
    case .seen(let status): return status.state.exitStatus
    case .watched(let outcome): return outcome.exitStatus
    case .failed(let error): return error.status
    }
  }

  public static func == (lhs: FanOutEnding, rhs: FanOutEnding) -> Bool {
    switch (lhs, rhs) {
    case (.seen(let left), .seen(let right)): return left == right
    case (.watched(let left), .watched(let right)): return left == right
    case (.failed(let left), .failed(let right)):
      return left.status == right.status && left.message == right.message
    default: return false
    }
  }
}

/// One checkout of a fan-out, as far as the watch has got.
public struct WatchedCheckout: Sendable {
  public let id: String
  /// What the watch has read of it so far, and what it remembers to decide the next poll.
  public internal(set) var progress: WatchProgress
  /// The latest status read.
  public var last: CheckoutStatus? { progress.last }
  /// Status answers read (a retried request counts once, as for a single watch).
  public var polls: Int { progress.polls }
  /// Nil while the checkout is still watched.
  public internal(set) var ending: FanOutEnding?
  /// When it ended, on the watcher's clock.
  public internal(set) var endedAt: Duration?
  /// Requests in a row that were answered 429 or 503, or lost their connection.
  var failedAttempts = 0

  init(id: String, startedAt: Duration) {
    self.id = id
    progress = WatchProgress(startedAt: startedAt)
  }
}

/// What a fan-out watch reports while it runs.
public enum FanOutEvent: Sendable, Equatable {
  /// A checkout's first status, or one that differs from the one before (`poll` counts from 1).
  case changed(index: Int, status: CheckoutStatus, poll: Int)
  /// `checkouts[index].ending` is now set.
  case ended(index: Int)
  /// `FanOutPolicy.tick` has passed since the last tick.
  case tick
}

extension ExitStatus {
  /// The order in which one status is chosen for many checkouts, most severe first: an
  /// interruption; then failures that cast doubt on every answer (the server or the network,
  /// the credentials); then what single checkouts said (a conflict, an unknown id, a failed
  /// payment); then checkouts that did not end (--max-wait) or wait for a human; success last.
  public static let severityOrder: [ExitStatus] = [
    .terminated, .interrupted, .usage, .serverOrNetwork, .authentication, .conflict, .notFound,
    .checkoutFailed, .timedOut, .actionRequired, .success,
  ]

  /// `143 > 130 > 8 > …`, for help: the order without the usage error, which comes before
  /// any checkout is read.
  public static var severityText: String {
    var text = ""
    for status in severityOrder where status != .usage {
      if !text.isEmpty { text += " > " }
      text += status.rawValue.description
    }
    return text
  }

  /// The most severe of `statuses` by `severityOrder`; success when there are none.
  public static func mostSevere(_ statuses: some Sequence<ExitStatus>) -> ExitStatus {
    var rank = severityOrder.count - 1
    for status in statuses {
      if let position = severityOrder.firstIndex(of: status), position < rank { rank = position }
    }
    return severityOrder[rank]
  }
}

/// Watches many checkouts at once from one thread: each on its own schedule, at most
/// `parallel` requests in flight, and `--max-wait` for the whole watch.
///
/// What comes after each status (the next poll's time, or the end) is `WatchProgress`'s
/// decision, and which failed requests are tried again is `RetryPolicy`'s: the same as for a
/// single watch. The next poll of every checkout sits in a min-heap; the watcher starts the
/// polls that are due while there is room, then waits on the transport until an answer comes or
/// the next poll is due. Answers are read by the same adapter code as a single status.
public final class FanOutWatcher {
  public private(set) var checkouts: [WatchedCheckout]
  /// When the watch began, on `clock`.
  public let startedAt: Duration
  /// Requests sent, retries included.
  public private(set) var requestsSent = 0

  private let adapter: CheckoutAdapter
  private let transport: ConcurrentHTTPTransport
  private let clock: PollClock
  private let policy: FanOutPolicy
  private let interruption: InterruptionFlag?
  private var schedule = PollSchedule()
  private var inFlight = 0
  private var unfinished: Int

  /// The adapter must give a `statusRequest` for these ids.
  public init(
    ids: [String], adapter: CheckoutAdapter, transport: ConcurrentHTTPTransport,
    clock: PollClock, policy: FanOutPolicy, interruption: InterruptionFlag? = nil
  ) {
    let startedAt = clock.now
    checkouts = ids.map { WatchedCheckout(id: $0, startedAt: startedAt) }
    unfinished = ids.count
    self.adapter = adapter
    self.transport = transport
    self.clock = clock
    self.policy = policy
    self.interruption = interruption
    self.startedAt = startedAt
  }

  /// Polls until every checkout has ended (or, without `follows`, has been seen once) and
  /// returns the most severe exit status among them.
  public func run(onEvent: (FanOutEvent) -> Void) -> ExitStatus {
    let deadline = policy.poll.maxWait.map { startedAt + $0 }
    for index in checkouts.indices { schedule.insert(index, at: startedAt) }
    var lastTick = clock.now
    while unfinished > 0 {
      if interruption?.isSet == true {
        for index in checkouts.indices where checkouts[index].ending == nil {
          end(index, .watched(.interrupted(checkouts[index].last)), onEvent)
        }
        break
      }
      let now = clock.now
      while inFlight < policy.parallel, let next = schedule.first, next.time <= now {
        schedule.removeFirst()
        switch checkouts[next.index].progress.pollDue(at: now, policy: policy.poll) {
        case .stop(let outcome): end(next.index, .watched(outcome), onEvent)
        case .poll: send(next.index, onEvent)
        }
      }
      guard unfinished > 0 else { break }
      var wake = inFlight < policy.parallel ? schedule.first?.time : nil
      if let tick = policy.tick { wake = min(wake ?? lastTick + tick, lastTick + tick) }
      for answer in transport.wait(until: wake) { read(answer, deadline: deadline, onEvent) }
      if let tick = policy.tick, clock.now >= lastTick + tick {
        onEvent(.tick)
        lastTick = clock.now
      }
    }
    return ExitStatus.mostSevere(checkouts.compactMap { $0.ending?.exitStatus })
  }

  private func send(_ index: Int, _ onEvent: (FanOutEvent) -> Void) {
    guard let request = adapter.statusRequest(id: checkouts[index].id) else {
      let refusal = TillError(.usage, "--api \(adapter.api) cannot read many checkouts at once")
      end(index, .failed(refusal), onEvent)
      return
    }
    inFlight += 1
    requestsSent += 1
    transport.begin(request, tag: index)
  }

  private func read(
    _ answer: TaggedResponse, deadline: Duration?, _ onEvent: (FanOutEvent) -> Void
  ) {
    inFlight -= 1
    let index = answer.tag
    guard checkouts.indices.contains(index), checkouts[index].ending == nil else { return }
    let id = checkouts[index].id
    let now = clock.now
    switch answer.result {
    case .failure(.interrupted):
      end(index, .watched(.interrupted(checkouts[index].last)), onEvent)
    case .failure(let error):
      if retry(index, after: answer.result, now: now, deadline: deadline) { return }
      let what = "reading checkout \(safe(id))"
      end(index, .failed(TillError(.serverOrNetwork, "\(what): \(error)")), onEvent)
    case .success(var response):
      if retry(index, after: answer.result, now: now, deadline: deadline) { return }
      response.attempts = checkouts[index].failedAttempts + 1
      checkouts[index].failedAttempts = 0
      let status: CheckoutStatus
      do {
        status = try adapter.status(id: id, from: response)
      } catch {
        end(index, .failed(error), onEvent)
        return
      }
      record(status, index: index, now: now, onEvent)
    }
  }

  /// Schedules the same poll again when `RetryPolicy` says to try again after `answer`; false
  /// when it does not (not a transient failure, the attempts are spent, or the wait would pass
  /// the deadline). Status requests change nothing, so they may always be sent twice.
  private func retry(
    _ index: Int, after answer: Result<HTTPResponse, TransportError>, now: Duration,
    deadline: Duration?
  ) -> Bool {
    guard
      let retry = policy.retry.retry(
        after: answer, attempt: checkouts[index].failedAttempts + 1, now: now,
        wallSeconds: clock.wallSeconds, deadline: deadline)
    else { return false }
    checkouts[index].failedAttempts += 1
    schedule.insert(index, at: now + retry.wait)
    return true
  }

  /// Takes in a checkout's status and follows `WatchProgress`'s decision.
  private func record(
    _ status: CheckoutStatus, index: Int, now: Duration, _ onEvent: (FanOutEvent) -> Void
  ) {
    checkouts[index].progress.record(status)
    let checkout = checkouts[index]
    if checkout.progress.isNews {
      onEvent(.changed(index: index, status: status, poll: checkout.polls))
    }
    guard policy.follows else {
      end(index, .seen(status), onEvent)
      return
    }
    switch checkouts[index].progress.next(at: now, policy: policy.poll) {
    case .stop(let outcome): end(index, .watched(outcome), onEvent)
    case .poll(let time): schedule.insert(index, at: time)
    }
  }

  private func end(_ index: Int, _ ending: FanOutEnding, _ onEvent: (FanOutEvent) -> Void) {
    checkouts[index].ending = ending
    checkouts[index].endedAt = clock.now
    unfinished -= 1
    onEvent(.ended(index: index))
  }
}

/// When each checkout may next be polled: a binary min-heap, earliest first, and of two polls
/// due at the same time the one of the checkout given first.
struct PollSchedule {
  struct Entry: Equatable {
    var time: Duration
    var index: Int

    func precedes(_ other: Entry) -> Bool {
      time < other.time || (time == other.time && index < other.index)
    }
  }

  private var heap: [Entry] = []

  var first: Entry? { heap.first }
  var count: Int { heap.count }

  mutating func insert(_ index: Int, at time: Duration) {
    heap.append(Entry(time: time, index: index))
    var child = heap.count - 1
    while child > 0 {
      let parent = (child - 1) / 2
      guard heap[child].precedes(heap[parent]) else { break }
      heap.swapAt(child, parent)
      child = parent
    }
  }

  @discardableResult
  mutating func removeFirst() -> Entry {
    let first = heap[0]
    let last = heap.removeLast()
    guard !heap.isEmpty else { return first }
    heap[0] = last
    var parent = 0
    while true {
      let left = 2 * parent + 1
      guard left < heap.count else { break }
      var earliest = left
      if left + 1 < heap.count, heap[left + 1].precedes(heap[left]) { earliest = left + 1 }
      guard heap[earliest].precedes(heap[parent]) else { break }
      heap.swapAt(earliest, parent)
      parent = earliest
    }
    return first
  }
}
