import Glibc
import Testing

@testable import TillKit

/// Monotonic time that moves only when the fan-out waits on its transport.
final class FanOutClock: PollClock {
  var now: Duration = .seconds(500)
  var wallSeconds: Int64 = 1_795_000_000

  func sleep(until deadline: Duration) -> Bool {
    if deadline > now { now = deadline }
    return true
  }
}

/// An HTTP transport the adapters are built with but the fan-out must never use: it sends
/// every request through its `ConcurrentHTTPTransport` instead.
final class OneAtATimeTransport: HTTPTransport {
  func send(_ request: HTTPRequest) throws(TransportError) -> HTTPResponse {
    Issue.record("the fan-out sent \(request.url) one at a time")
    throw .other(code: -1, reason: "unused")
  }
}

/// A C2A server behind the fan-out's transport seam. Each checkout answers from its script,
/// each answer takes `latency`, and the clock moves only while the watcher waits. Like the
/// sandbox, it notes when each checkout may next be polled (its `Retry-After`) and counts the
/// polls that came earlier.
final class ScriptedServer: ConcurrentHTTPTransport {
  enum Answer {
    case status(String, retryAfter: Int?)
    case http(Int, retryAfter: Int?)
    case dropped
  }

  struct Request: Equatable {
    var id: String
    var time: Duration
  }

  let clock: FanOutClock
  var scripts: [String: [Answer]]
  var latency: Duration = .milliseconds(20)
  private(set) var requests: [Request] = []
  private(set) var earlyPolls: [String] = []
  private(set) var mostInFlight = 0
  /// Set after this many answers, as a Ctrl-C would.
  var interruptAfterAnswers: Int?
  let interruption = InterruptionFlag()
  private var answered = 0
  private var inFlight: [(tag: Int, id: String, due: Duration)] = []
  private var notBefore: [String: Duration] = [:]

  init(clock: FanOutClock, scripts: [String: [Answer]]) {
    self.clock = clock
    self.scripts = scripts
  }

  func begin(_ request: HTTPRequest, tag: Int) {
    let id = request.url.split(separator: "/").dropLast().last.map(String.init) ?? ""
    requests.append(Request(id: id, time: clock.now))
    if let earliest = notBefore[id], clock.now < earliest { earlyPolls.append(id) }
    inFlight.append((tag, id, clock.now + latency))
    mostInFlight = max(mostInFlight, inFlight.count)
  }

  func wait(until deadline: Duration?) -> [TaggedResponse] {
    let nextAnswer = inFlight.map(\.due).min()
    guard let target = [nextAnswer, deadline].compactMap({ $0 }).min() else {
      Issue.record("the watcher waited with nothing in flight and nothing to wake for")
      return []
    }
    if target > clock.now { clock.now = target }
    let ready = inFlight.filter { $0.due <= clock.now }
    inFlight.removeAll { $0.due <= clock.now }
    return ready.map { entry in
      answered += 1
      if let limit = interruptAfterAnswers, answered >= limit { interruption.set(2) }
      return TaggedResponse(tag: entry.tag, result: answer(for: entry.id))
    }
  }

  private func answer(for id: String) -> Result<HTTPResponse, TransportError> {
    guard var script = scripts[id], !script.isEmpty else {
      return .success(HTTPResponse(status: 404, body: Array(#"{"status":{}}"#.utf8)))
    }
    let next = script.removeFirst()
    scripts[id] = script
    switch next {
    case .dropped:
      return .failure(.connectionLost(endpoint: "127.0.0.1:9", reason: "reset by peer"))
    case .http(let status, let retryAfter):
      return .success(response(status: status, body: "{}", retryAfter: retryAfter, id: id))
    case .status(let code, let retryAfter):
      let followUp =
        retryAfter.map {
          #""followUpInstructions":{"retryAfterSeconds":\#($0),"canFollowUp":true}"#
        }
        ?? #""followUpInstructions":{"canFollowUp":false}"#
      let body = #"{"trackingNumber":"\#(id)","status":{"messageCode":"\#(code)"},\#(followUp)}"#
      return .success(response(status: 200, body: body, retryAfter: retryAfter, id: id))
    }
  }

  private func response(status: Int, body: String, retryAfter: Int?, id: String) -> HTTPResponse {
    var headers = HTTPHeaders()
    if let retryAfter {
      headers.append("Retry-After", String(retryAfter))
      notBefore[id] = clock.now + .seconds(retryAfter)
    }
    return HTTPResponse(status: status, headers: headers, body: Array(body.utf8))
  }

  func times(of id: String) -> [Duration] { requests.filter { $0.id == id }.map(\.time) }
}

@Suite struct FanOutWatcherTests {
  static let processing = "CHECK_OUT_PROCESSING"
  static let done = "CHECK_OUT_DONE"

  /// Processing `polls` times, each asking for `retryAfter` seconds, then `last`.
  static func script(
    _ polls: Int, retryAfter: Int, then last: String = done
  ) -> [ScriptedServer.Answer] {
    Array(repeating: .status(processing, retryAfter: retryAfter), count: polls)
      + [.status(last, retryAfter: nil)]
  }

  func watch(
    _ ids: [String], server: ScriptedServer, policy: FanOutPolicy = FanOutPolicy(),
    events: inout [FanOutEvent]
  ) -> (TillKit.ExitStatus, FanOutWatcher) {
    let adapter = C2AAdapter(
      transport: OneAtATimeTransport(),
      endpoint: APIEndpoint(baseURL: "http://127.0.0.1:9", tenant: "t1", apiKey: "sk_test"),
      clock: server.clock)
    let watcher = FanOutWatcher(
      ids: ids, adapter: adapter, transport: server, clock: server.clock, policy: policy,
      interruption: server.interruption)
    var seen: [FanOutEvent] = []
    let status = watcher.run { seen.append($0) }
    events = seen
    return (status, watcher)
  }

  @Test func eachCheckoutKeepsItsOwnScheduleAndIsNeverPolledEarly() {
    let clock = FanOutClock()
    let start = clock.now
    let server = ScriptedServer(
      clock: clock,
      scripts: [
        "a": Self.script(2, retryAfter: 1), "b": Self.script(2, retryAfter: 2),
        "c": Self.script(1, retryAfter: 3),
      ])
    var events: [FanOutEvent] = []
    let (status, watcher) = watch(["a", "b", "c"], server: server, events: &events)
    #expect(status == .success)
    #expect(server.earlyPolls.isEmpty)
    // Each wait is measured from that checkout's own last answer, 20 ms after its request.
    let latency = server.latency
    #expect(
      server.times(of: "a") == [
        start, start + .seconds(1) + latency, start + .seconds(2) + latency * 2,
      ])
    #expect(
      server.times(of: "b") == [
        start, start + .seconds(2) + latency, start + .seconds(4) + latency * 2,
      ])
    #expect(server.times(of: "c") == [start, start + .seconds(3) + latency])
    #expect(watcher.checkouts.map(\.polls) == [3, 3, 2])
    // A change is reported when the state moves, not at every poll.
    let changes = events.compactMap { event -> String? in
      guard case .changed(let index, let checkout, let poll) = event else { return nil }
      return "\(watcher.checkouts[index].id):\(checkout.state.rawValue):\(poll)"
    }
    #expect(
      changes == [
        "a:processing:1", "b:processing:1", "c:processing:1", "a:completed:3", "c:completed:2",
        "b:completed:3",
      ])
  }

  @Test(arguments: [1, 3, 16])
  func neverMoreRequestsInFlightThanParallel(parallel: Int) {
    let clock = FanOutClock()
    let ids = (1...12).map { "trk_\($0)" }
    var scripts: [String: [ScriptedServer.Answer]] = [:]
    for id in ids { scripts[id] = Self.script(2, retryAfter: 1) }
    let server = ScriptedServer(clock: clock, scripts: scripts)
    var events: [FanOutEvent] = []
    let (status, watcher) = watch(
      ids, server: server, policy: FanOutPolicy(parallel: parallel), events: &events)
    #expect(status == .success)
    #expect(server.mostInFlight == min(parallel, ids.count))
    #expect(server.requests.count == ids.count * 3)
    #expect(server.earlyPolls.isEmpty)
    #expect(watcher.checkouts.allSatisfy { $0.ending.map { $0.exitStatus == .success } == true })
  }

  @Test func theExitStatusIsTheMostSevereEnding() {
    let clock = FanOutClock()
    let server = ScriptedServer(
      clock: clock,
      scripts: [
        "ok": Self.script(1, retryAfter: 1),
        "declined": Self.script(1, retryAfter: 1, then: "CHECK_OUT_FAILED"),
        "taken": [.http(409, retryAfter: nil)],
      ])
    var events: [FanOutEvent] = []
    let (status, watcher) = watch(
      ["ok", "declined", "taken", "unknown"], server: server, events: &events)
    // 409 (conflict) ranks above 404 (not found), which ranks above a failed payment.
    #expect(status == .conflict)
    #expect(
      watcher.checkouts.map { $0.ending?.exitStatus } == [
        .success, .checkoutFailed, .conflict, .notFound,
      ])
    let ended = events.filter { if case .ended = $0 { true } else { false } }
    #expect(ended.count == 4)
  }

  @Test(arguments: [
    ([TillKit.ExitStatus.success, .actionRequired, .timedOut], TillKit.ExitStatus.timedOut),
    ([.timedOut, .checkoutFailed, .success], .checkoutFailed),
    ([.checkoutFailed, .notFound], .notFound),
    ([.notFound, .conflict], .conflict),
    ([.conflict, .authentication], .authentication),
    ([.authentication, .serverOrNetwork, .success], .serverOrNetwork),
    ([.serverOrNetwork, .interrupted], .interrupted),
    ([], .success),
  ])
  func severityOrder(statuses: [TillKit.ExitStatus], expected: TillKit.ExitStatus) {
    #expect(TillKit.ExitStatus.mostSevere(statuses) == expected)
  }

  @Test func maxWaitEndsTheWatchWithoutAPollPastIt() {
    let clock = FanOutClock()
    let start = clock.now
    let server = ScriptedServer(clock: clock, scripts: ["slow": Self.script(10, retryAfter: 2)])
    var events: [FanOutEvent] = []
    let (status, watcher) = watch(
      ["slow"], server: server, policy: FanOutPolicy(poll: PollPolicy(maxWait: .seconds(5))),
      events: &events)
    #expect(status == .timedOut)
    #expect(server.requests.count == 3)
    #expect(server.requests.allSatisfy { $0.time <= start + .seconds(5) })
    guard case .watched(.timedOut(_, let polls)) = watcher.checkouts[0].ending else {
      Issue.record("expected a timeout, got \(String(describing: watcher.checkouts[0].ending))")
      return
    }
    #expect(polls == 3)
  }

  @Test func aThrottledPollIsRepeatedAfterItsRetryAfter() {
    let clock = FanOutClock()
    let server = ScriptedServer(
      clock: clock,
      scripts: ["t": [.http(429, retryAfter: 3)] + Self.script(0, retryAfter: 1)])
    var events: [FanOutEvent] = []
    let (status, watcher) = watch(["t"], server: server, events: &events)
    #expect(status == .success)
    #expect(server.earlyPolls.isEmpty)
    #expect(server.requests.count == 2)
    #expect(watcher.requestsSent == 2)
    // The retried request reads one status, as a single watch counts it.
    #expect(watcher.checkouts[0].polls == 1)
  }

  @Test func droppedConnectionsAreRetriedAFewTimesThenReported() {
    let clock = FanOutClock()
    let start = clock.now
    let server = ScriptedServer(
      clock: clock, scripts: ["gone": Array(repeating: .dropped, count: 6)])
    var events: [FanOutEvent] = []
    let (status, watcher) = watch(["gone"], server: server, events: &events)
    #expect(status == .serverOrNetwork)
    let policy = RetryingTransport.Policy()
    #expect(server.requests.count == policy.maxAttempts)
    // Backing off: 0.5 s, then 1 s, then 2 s after each failed answer.
    let latency = server.latency
    #expect(
      server.times(of: "gone") == [
        start, start + latency + .milliseconds(500), start + latency * 2 + .milliseconds(1500),
        start + latency * 3 + .milliseconds(3500),
      ])
    guard case .failed(let error) = watcher.checkouts[0].ending else {
      Issue.record("expected a failure, got \(String(describing: watcher.checkouts[0].ending))")
      return
    }
    #expect(error.message.contains("gone"))
    #expect(error.message.contains("reset by peer"))
  }

  @Test func withoutFollowingEachCheckoutIsReadOnce() {
    let clock = FanOutClock()
    let server = ScriptedServer(
      clock: clock,
      scripts: ["a": Self.script(3, retryAfter: 1), "b": Self.script(0, retryAfter: 1)])
    var events: [FanOutEvent] = []
    let (status, watcher) = watch(
      ["a", "b"], server: server, policy: FanOutPolicy(follows: false), events: &events)
    #expect(status == .success)
    #expect(server.requests.count == 2)
    #expect(watcher.checkouts.map { $0.last?.state } == [.processing, .completed])
    guard case .seen = watcher.checkouts[0].ending else {
      Issue.record("expected one look, got \(String(describing: watcher.checkouts[0].ending))")
      return
    }
  }

  @Test func anInterruptionEndsEveryCheckoutStillWatched() {
    let clock = FanOutClock()
    let server = ScriptedServer(
      clock: clock,
      scripts: ["a": Self.script(0, retryAfter: 1), "b": Self.script(5, retryAfter: 1)])
    server.interruptAfterAnswers = 2
    var events: [FanOutEvent] = []
    let (status, watcher) = watch(["a", "b"], server: server, events: &events)
    #expect(status == .interrupted)
    #expect(server.requests.count == 2)
    #expect(watcher.checkouts[0].ending == .watched(.terminal(watcher.checkouts[0].last!)))
    #expect(watcher.checkouts[1].ending == .watched(.interrupted(watcher.checkouts[1].last)))
  }

  @Test func ticksComeWhileNothingElseHappens() {
    let clock = FanOutClock()
    let server = ScriptedServer(clock: clock, scripts: ["a": Self.script(1, retryAfter: 2)])
    var events: [FanOutEvent] = []
    let (status, _) = watch(
      ["a"], server: server, policy: FanOutPolicy(tick: .milliseconds(500)), events: &events)
    #expect(status == .success)
    let ticks = events.filter { $0 == .tick }.count
    // About two seconds pass between the two polls: four half-second ticks.
    #expect((3...5).contains(ticks), "\(ticks) ticks")
  }

  @Test func everyAdapterThatCanGivesItsStatusRequestThroughTheProtocol() {
    let clock = FanOutClock()
    let endpoint = APIEndpoint(baseURL: "http://127.0.0.1:9", tenant: "t1", apiKey: "sk_test")
    let adapters: [CheckoutAdapter] = [
      C2AAdapter(transport: OneAtATimeTransport(), endpoint: endpoint, clock: clock),
      TicketingAdapter(transport: OneAtATimeTransport(), endpoint: endpoint, clock: clock),
      AcmeAdapter(transport: OneAtATimeTransport(), endpoint: endpoint, clock: clock),
    ]
    for adapter in adapters {
      let request = adapter.statusRequest(id: "id-1")
      #expect(request?.url.contains("id-1") == true, "\(adapter.api)")
      #expect(request?.method == .get, "\(adapter.api)")
    }
  }

  @Test func theScheduleYieldsTheEarliestFirstAndTiesInGivenOrder() {
    var schedule = PollSchedule()
    let times = [7, 3, 9, 3, 1, 8, 3, 2, 9, 0, 5]
    for (index, seconds) in times.enumerated() { schedule.insert(index, at: .seconds(seconds)) }
    var order: [PollSchedule.Entry] = []
    while schedule.first != nil { order.append(schedule.removeFirst()) }
    let expected = times.enumerated().sorted { ($0.element, $0.offset) < ($1.element, $1.offset) }
    #expect(order.map(\.index) == expected.map(\.offset))
    #expect(order.map(\.time) == expected.map { .seconds($0.element) })
  }
}

/// `CheckoutHistory.ids()` and `contains(_:)`, which tell a status command, and each checkout
/// of a fan-out, whether the history has the checkout to update.
@Suite struct HistoryIDsTests {
  @Test func everyShapeOfLineGivesItsId() throws {
    let history = CheckoutHistory(stateDirectory: "/tmp/till-fan-out-history-" + makeUUID())
    for id in ["trk_A", #"odd "id" \ here"#] {
      try history.record(
        HistoryEntry(
          id: id, api: "c2a", baseURL: "http://127.0.0.1:9", profile: nil, startedAt: 1,
          state: "processing", updatedAt: 1))
    }
    // Fields in another order, garbage, a blank line, and a line cut short after its id.
    let descriptor = open(history.path, O_WRONLY | O_APPEND)
    let tail = "{\"api\":\"c2a\",\"id\":\"trk_B\"}\nnot json\n\n{\"id\":\"trk_C\",\"api"
    _ = tail.withCString { write(descriptor, $0, strlen($0)) }
    close(descriptor)
    #expect(history.ids() == ["trk_A", #"odd "id" \ here"#, "trk_B", "trk_C"])
    #expect(Set(history.entries().entries.map(\.id)).isSubset(of: history.ids()))
    for id in ["trk_A", #"odd "id" \ here"#, "trk_B", "trk_C"] {
      #expect(history.contains(id), "\(id)")
    }
    for id in ["trk_", "trk_AB", "rk_A", "odd ", "not json", "", "api"] {
      #expect(!history.contains(id), "\(id)")
    }
  }

  @Test func noFileMeansNoIds() {
    let history = CheckoutHistory(stateDirectory: "/tmp/till-fan-out-none-" + makeUUID())
    #expect(history.ids() == [])
    #expect(!history.contains("trk_A"))
  }
}
