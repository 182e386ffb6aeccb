import Testing

@testable import TillKit

/// One sequence of answers from a server, and what every kind of watch must make of it.
struct WatchScript: Sendable, CustomTestStringConvertible {
  typealias Reply = StatusScriptServer.Reply

  enum API: Sendable {
    case c2a, acme, ticketing, saga

    func adapter(_ transport: HTTPTransport, baseURL: String, clock: PollClock)
      -> CheckoutAdapter
    {
      let endpoint = APIEndpoint(baseURL: baseURL, tenant: "t1", apiKey: "sk_test")
      switch self {
      case .c2a: return C2AAdapter(transport: transport, endpoint: endpoint, clock: clock)
      case .acme: return AcmeAdapter(transport: transport, endpoint: endpoint, clock: clock)
      case .ticketing:
        return TicketingAdapter(transport: transport, endpoint: endpoint, clock: clock)
      case .saga: return SagaOverHTTPAdapter(transport: transport, baseURL: baseURL)
      }
    }
  }

  var name: String
  var api: API
  var answers: [Reply]
  var policy = PollPolicy()
  /// How the watch ends and how many statuses it read.
  var outcome: String
  /// The time between one request and the next, retries included, in milliseconds; each
  /// exchange takes `WatchEngineTests.latency`, and each wait counts from the answer.
  var gaps: [Int]

  var testDescription: String { name }
}

/// The answers of each API's status request, as the table writes them.
extension StatusScriptServer.Reply {
  static func c2a(_ code: String, retryAfter: Int? = nil, nextSteps: Bool? = nil) -> Self {
    var body = #"{"status":{"messageCode":"CHECK_OUT_\#(code)"}"#
    if let nextSteps {
      body += #","redirectInstructions":{"redirectUrl":"https://psp.example/3ds","#
      body += #""hasNextSteps":\#(nextSteps)}"#
    }
    if let retryAfter {
      body += #","followUpInstructions":{"retryAfterSeconds":\#(retryAfter),"canFollowUp":true}"#
    }
    return Self(
      status: 200, headers: retryAfter.map { [("Retry-After", String($0))] } ?? [],
      body: body + "}")
  }

  static func acme(_ status: String) -> Self {
    Self(status: 200, body: #"{"status":"\#(status)","steps":[]}"#)
  }

  static func saga(_ status: String) -> Self {
    let error = status == "failed" ? #","error":{"code":"DECLINED","retryable":false}"# : ""
    return Self(status: 200, body: #"{"status":"\#(status)","currentStep":"pay"\#(error)}"#)
  }

  static func order(_ state: String) -> Self {
    Self(status: 200, body: #"{"id":"o1","state":"\#(state)"}"#)
  }

  static func http(_ status: Int, retryAfter: Int? = nil) -> Self {
    Self(status: status, headers: retryAfter.map { [("Retry-After", String($0))] } ?? [])
  }
}

/// The same status sequences watched for one id (`CheckoutWatcher`) and for three at once
/// (`FanOutWatcher`, each id given the same sequence), against a real HTTP server on 127.0.0.1
/// and on a fake clock: both must end the same way after the same polls, equally spaced.
@Suite struct WatchEngineTests {
  static let latency: Duration = .milliseconds(30)

  /// What a watch of an API that gives no pacing is told (`!isServerPaced`).
  static let noPace = PollPolicy(interval: .seconds(2), backsOffWhileUnchanged: true)

  static var shortGrace: PollPolicy {
    var policy = noPace
    policy.compensationGrace = .seconds(10)
    return policy
  }

  static let table: [WatchScript] = [
    WatchScript(
      name: "C2A with Retry-After: processing twice, then done", api: .c2a,
      answers: [
        .c2a("PROCESSING", retryAfter: 1), .c2a("PROCESSING", retryAfter: 1), .c2a("DONE"),
      ],
      outcome: "completed after 3 polls", gaps: [1030, 1030]),
    // 2 s, then 1.5 times longer for each poll that found nothing new, at most 8 s.
    WatchScript(
      name: "Acme without Retry-After: backs off while nothing changes", api: .acme,
      answers: Array(repeating: .acme("IN_PROGRESS"), count: 5) + [.acme("COMPLETED")],
      policy: noPace, outcome: "completed after 6 polls",
      gaps: [2030, 3030, 4530, 6780, 8030]),
    WatchScript(
      name: "a saga fails, then compensates within the grace", api: .saga,
      answers: [.saga("in_progress"), .saga("failed"), .saga("failed"), .saga("compensated")],
      policy: noPace, outcome: "compensated after 4 polls", gaps: [2030, 2030, 3030]),
    // The failure's answer, 2.06 s in, starts a 10 s grace; the poll after the fifth would
    // come at 18.4 s.
    WatchScript(
      name: "a saga fails and is never compensated: the grace ends the watch", api: .saga,
      answers: [.saga("in_progress")] + Array(repeating: .saga("failed"), count: 8),
      policy: shortGrace, outcome: "failed after 5 polls", gaps: [2030, 2030, 3030, 4530]),
    WatchScript(
      name: "3-D Secure: action required while the human acts, then done", api: .c2a,
      answers: [
        .c2a("3DS_REQUIRED", retryAfter: 1, nextSteps: true),
        .c2a("3DS_REQUIRED", retryAfter: 1, nextSteps: true), .c2a("PROCESSING", retryAfter: 1),
        .c2a("DONE"),
      ],
      outcome: "completed after 4 polls", gaps: [1030, 1030, 1030]),
    WatchScript(
      name: "3-D Secure with no next steps: stops for the human", api: .c2a,
      answers: [.c2a("3DS_REQUIRED", nextSteps: false)],
      outcome: "action required after 1 poll", gaps: []),
    WatchScript(
      name: "429 with Retry-After: 2, then 200", api: .c2a,
      answers: [.http(429, retryAfter: 2), .c2a("PROCESSING", retryAfter: 1), .c2a("DONE")],
      outcome: "completed after 2 polls", gaps: [2030, 1030]),
    // Retries back off 0.5 s, then 1 s, then 2 s; the fourth attempt is the last.
    WatchScript(
      name: "503 twice without Retry-After: backs off, then 200", api: .c2a,
      answers: [.http(503), .http(503), .c2a("DONE")],
      outcome: "completed after 1 poll", gaps: [530, 1030]),
    WatchScript(
      name: "429 on every attempt: the retries run out", api: .c2a,
      answers: Array(repeating: .http(429), count: 6),
      outcome: "failed with exit status 8 after 0 polls", gaps: [530, 1030, 2030]),
    WatchScript(
      name: "--max-wait ends the watch before a poll that would pass it", api: .c2a,
      answers: Array(repeating: .c2a("PROCESSING", retryAfter: 3), count: 10),
      policy: PollPolicy(maxWait: .seconds(10)),
      outcome: "timed out while processing after 4 polls", gaps: [3030, 3030, 3030]),
    WatchScript(
      name: "ticketing: the server says not to follow up", api: .ticketing,
      answers: [.order("pending")], outcome: "follow-up stopped while pending after 1 poll",
      gaps: []),
  ]

  /// How a watch ended, and the spacing of its requests.
  struct Watched: Equatable, CustomStringConvertible {
    var outcome: String
    var gaps: [Int]

    init(_ outcome: String, polls: Int, times: [Duration]) {
      self.outcome = outcome + " after \(polls) \(polls == 1 ? "poll" : "polls")"
      gaps = zip(times.dropFirst(), times).map { Int(($0 - $1).milliseconds) }
    }

    var description: String { "\(outcome), gaps \(gaps)" }
  }

  @Test(arguments: table)
  func oneIdAndManyIdsAreWatchedAlike(_ script: WatchScript) throws {
    let ids = ["a", "b", "c"]
    var scripts: [String: [WatchScript.Reply]] = [:]
    for id in ["one"] + ids { scripts[id] = script.answers }
    let server = try StatusScriptServer(scripts)
    let one = try watchOne("one", script, server: server)
    #expect(one.outcome == script.outcome, "one id: \(one)")
    #expect(one.gaps == script.gaps, "one id: \(one)")
    #expect(server.requests(for: "one") == one.gaps.count + 1)
    let many = try watchMany(ids, script, server: server)
    for (id, watched) in zip(ids, many) {
      #expect(watched.outcome == script.outcome, "id \(id) of many: \(watched)")
      #expect(watched.gaps == script.gaps, "id \(id) of many: \(watched)")
      #expect(server.requests(for: id) == watched.gaps.count + 1)
    }
  }

  /// As `checkout status ID --watch` does: the adapter over retries, watched by
  /// `CheckoutWatcher`.
  func watchOne(_ id: String, _ script: WatchScript, server: StatusScriptServer) throws
    -> Watched
  {
    let clock = FakeClock()
    let paced = PacedTransport(try CurlTransport(), clock: clock, latency: Self.latency)
    let retrying = RetryingTransport(paced, clock: clock)
    retrying.deadline = script.policy.maxWait.map { clock.now + $0 }
    let adapter = script.api.adapter(retrying, baseURL: server.baseURL, clock: clock)
    var polls = 0
    let outcome: String
    do {
      let watched = try CheckoutWatcher(clock: clock, policy: script.policy).watch(
        initial: nil,
        fetch: { () throws(TillError) -> CheckoutStatus in
          let status = try adapter.status(id: id)
          polls += 1
          return status
        },
        onChange: { _, _ in })
      outcome = Self.describe(watched)
    } catch {
      outcome = "failed with exit status \(error.status.rawValue)"
    }
    return Watched(outcome, polls: polls, times: paced.times)
  }

  /// As `checkout status ID ID ID --watch` does: `FanOutWatcher` over libcurl's multi
  /// interface.
  func watchMany(_ ids: [String], _ script: WatchScript, server: StatusScriptServer) throws
    -> [Watched]
  {
    let clock = FakeClock()
    let multi = PacedMulti(
      try CurlMulti(options: TransportOptions(), connections: ids.count), clock: clock,
      latency: Self.latency)
    let adapter = script.api.adapter(OneAtATimeTransport(), baseURL: server.baseURL, clock: clock)
    let watcher = FanOutWatcher(
      ids: ids, adapter: adapter, transport: multi, clock: clock,
      policy: FanOutPolicy(poll: script.policy, parallel: ids.count))
    _ = watcher.run { _ in }
    return watcher.checkouts.indices.map { index in
      let checkout = watcher.checkouts[index]
      let outcome: String
      switch checkout.ending {
      case .watched(let watched): outcome = Self.describe(watched)
      case .failed(let error): outcome = "failed with exit status \(error.status.rawValue)"
      case .seen: outcome = "seen once"
      case nil: outcome = "not ended"
      }
      return Watched(outcome, polls: checkout.polls, times: multi.times[index] ?? [])
    }
  }

  static func describe(_ outcome: WatchOutcome) -> String {
    switch outcome {
    case .terminal(let status): return status.state.rawValue
    case .actionRequired: return "action required"
    case .timedOut(let status, _): return "timed out while \(status?.state.rawValue ?? "unread")"
    case .followUpStopped(let status): return "follow-up stopped while \(status.state.rawValue)"
    case .interrupted: return "interrupted"
    case .reached(let status): return "reached while \(status.state.rawValue)"
    }
  }
}
