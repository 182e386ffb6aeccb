import Foundation
import Testing
import TillKit
import TillSandbox

/// One fault or hostile input, run end to end with the built binary: how to provoke it, what
/// `till` must answer, and what else must hold afterwards.
struct FaultCase: Sendable, CustomTestStringConvertible {
  enum Group: String, Sendable, CaseIterable {
    case network = "Network and HTTP faults"
    case retryAfter = "Absurd Retry-After values"
    case idempotency = "Idempotency"
    case signals = "Signals"
    case hostile = "Hostile server text"
    case tls = "TLS"
    case mcp = "MCP transport"
    case redirects = "Redirects and secrets"
    case injection = "Injection"
    case overflow = "Numbers that overflow"
    case concurrent = "Concurrent runs"
    case output = "Standard output that fails"
    case words = "Replies and files, named for what they are"
    case ids = "Ids from servers"
    case state = "State files and who may write them"
    case seen = "What the terminal and the connection see"
  }

  var group: Group
  /// What goes wrong, as the report names it.
  var fault: String
  /// The command, as the report shows it.
  var command: String
  var expectedStatus: Int32
  /// Part of the first line on standard error; nil when nothing may be written there.
  var expectedMessage: String?
  /// The fake server's tracking number was printed before the fault and must stay printed.
  var printsID = true
  /// Whether `till: error: …` must be the first line on standard error: by default for the
  /// statuses 1 to 8, but a checkout that ended failed is shown on standard output instead.
  var reportsError: Bool?
  var run: @Sendable () throws -> FaultObservation
  /// Further expectations on what was observed.
  var check: @Sendable (FaultObservation) -> Void = { _ in }
  /// The line the report shows, when the first one says less than another.
  var reportedLine: (@Sendable (FaultObservation) -> String)?

  var testDescription: String { fault }
}

extension FaultCase {
  static let watchCommand = "--timeout 1s checkout start --offer o --watch"

  /// A fault the fake C2A server injects into the status polls of a watch.
  static func poll(
    _ fault: String, group: Group = .network, status: Int32, message: String?,
    command: String = watchCommand, arguments: [String] = watchArguments,
    _ poll: @escaping @Sendable (ReceivedRequest, Int) -> FaultAction,
    check: @escaping @Sendable (FaultObservation) -> Void = { _ in }
  ) -> FaultCase {
    FaultCase(
      group: group, fault: fault, command: command, expectedStatus: status,
      expectedMessage: message,
      run: { try observeFake(FakeC2A.server(poll: poll), arguments) }, check: check)
  }

  static let all: [FaultCase] =
    network + retryAfter + idempotency + signals + hostile + tls + mcp + redirects
    + [coreDumps, passwordInBaseURL] + injection + [retryState] + overflow + output
    + [interruptedSubmit(SIGINT, status: 130), interruptedSubmit(SIGTERM, status: 143)]
    + bodies + words + state + seen + concurrent + sentOnce + ids

  /// The cases a run observes: all of them, or with `TILL_FAULTS=TEXT` in the environment only
  /// those whose fault names hold TEXT, to work on a few (the report then stays as it was).
  static let selected: [FaultCase] = {
    guard let text = ProcessInfo.processInfo.environment["TILL_FAULTS"], !text.isEmpty else {
      return all
    }
    return all.filter { $0.fault.contains(text) }
  }()
}

// MARK: - Network and HTTP faults

/// Status polls the fake server received.
func polls(_ observation: FaultObservation) -> [ReceivedRequest] {
  observation.requests.filter { $0.method == "GET" }
}

func expectPolls(_ count: Int, _ observation: FaultObservation) {
  #expect(polls(observation).count == count, "status polls received")
}

extension FaultCase {
  static let processingHead = Array(
    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n".utf8)
  static let doneJSON = FakeC2A.statusJSON("CHECK_OUT_DONE")
  static let nineMiB = 9 * 1_048_576

  static let network: [FaultCase] = [
    FaultCase(
      group: .network, fault: "Connection refused (nothing listens on the port)",
      command: "checkout status trk_FAULT", expectedStatus: 8,
      expectedMessage: "could not connect to 127.0.0.1:", printsID: false,
      run: {
        let till = Till(baseURL: "http://127.0.0.1:\(try closedLoopbackPort())")
        return try observe(till, ["checkout", "status", FakeC2A.trackingNumber])
      },
      check: { #expect($0.firstLine.hasSuffix(": connection refused")) }),
    poll(
      "Connection reset in the middle of a body", status: 8,
      message: "lost: connection reset by peer",
      { _, _ in .reset(after: processingHead + Array(doneJSON.utf8.prefix(40))) },
      check: { expectPolls(4, $0) }),
    poll(
      "Accepts, then sends nothing (stall past --timeout 1s)", status: 8,
      message: "within 1s (see --timeout)", { _, _ in .stall },
      check: { expectPolls(1, $0) }),
    poll(
      "Slow drip, one byte per 100 ms, past --timeout 1s", status: 8,
      message: "within 1s (see --timeout)",
      { _, _ in .drip(FakeC2A.status("CHECK_OUT_DONE"), every: 0.1) }),
    poll(
      "Slow drip, one byte per 10 ms, within --timeout 10s", status: 0, message: nil,
      command: "--timeout 10s checkout start --offer o --watch",
      arguments: ["--timeout", "10s", "checkout", "start", "--offer", "o", "--watch"],
      { _, _ in .drip(FakeC2A.status("CHECK_OUT_DONE"), every: 0.01) },
      check: { #expect($0.result.stdoutLines.last?.contains("completed") == true) }),
    poll(
      "Truncated JSON with a correct status line and length", status: 8,
      message: "the server's answer is not JSON (HTTP 200, application/json; unterminated",
      { _, _ in .respond(httpResponse(200, "OK", json: String(doneJSON.prefix(50)))) }),
    poll(
      "Body shorter than its Content-Length, then closed", status: 8,
      message: "lost: the response ended early",
      { _, _ in .respondAndClose(processingHead + Array(doneJSON.utf8.prefix(60))) },
      check: { expectPolls(4, $0) }),
    poll(
      "Body over the 8 MiB cap, announced by Content-Length", status: 8,
      message: "response body larger than 8 MiB",
      { _, _ in
        .stream(
          head: httpResponse(200, "OK", length: nineMiB),
          chunk: [UInt8](repeating: 0x20, count: 65_536),
          count: 144)
      }),
    poll(
      "Body over the 8 MiB cap, without Content-Length", status: 8,
      message: "response body larger than 8 MiB",
      // Streaming 9 MiB may take longer than 1 s on a loaded machine; the cap, not the
      // timeout, must end this one.
      command: "--timeout 30s checkout start --offer o --watch",
      arguments: ["--timeout", "30s", "checkout", "start", "--offer", "o", "--watch"],
      { _, _ in
        .stream(
          head: httpResponse(200, "OK", headers: [("Connection", "close")], length: -1),
          chunk: [UInt8](repeating: 0x20, count: 65_536), count: 144)
      }),
    poll(
      "Invalid UTF-8 inside a JSON string", status: 8, message: "invalid UTF-8 in a string",
      { _, _ in
        .respond(
          httpResponse(
            200, "OK",
            body: Array(
              #"{"trackingNumber":"trk_FAULT","status":{"messageCode":"CHECK_OUT_DONE","#.utf8)
              + Array(#""message":"caf"#.utf8) + [0xC3, 0x28, 0xFF] + Array(#""}}"#.utf8)))
      }),
    poll(
      "HTML instead of JSON (200, text/html)", status: 8,
      message: "the server's answer is not JSON (HTTP 200, text/html",
      { _, _ in
        .respond(
          httpResponse(
            200, "OK", body: Array("<!DOCTYPE html><html><body>Welcome</body></html>".utf8),
            contentType: "text/html"))
      }),
    poll(
      "HTML error page from a gateway (502)", status: 8,
      message: "reading checkout trk_FAULT: server error (HTTP 502)",
      { _, _ in
        .respond(
          httpResponse(
            502, "Bad Gateway",
            body: Array("<html><body><h1>502 Bad Gateway</h1></body></html>".utf8),
            contentType: "text/html"))
      },
      check: { expectPolls(1, $0) }),
    poll(
      "Redirect loop", status: 8, message: "too many redirects",
      { _, _ in
        .respond(httpResponse(302, "Found", headers: [("Location", FakeC2A.statusPath)]))
      }),
    FaultCase(
      group: .network, fault: "Redirect to another host, which would receive the API key",
      command: watchCommand, expectedStatus: 8,
      expectedMessage: "another origin; not followed",
      run: {
        let elsewhere = try FaultServer { _, _ in .respond(FakeC2A.status("CHECK_OUT_DONE")) }
        defer { elsewhere.stop() }
        let location = elsewhere.baseURL + FakeC2A.statusPath
        var observation = try observeFake(
          FakeC2A.server { _, _ in
            .respond(httpResponse(307, "Temporary Redirect", headers: [("Location", location)]))
          })
        observation.figures["requestsElsewhere"] = elsewhere.requests.count
        return observation
      },
      check: { observation in
        #expect(observation.figures["requestsElsewhere"] == 0, "the other host was asked")
        #expect(observation.firstLine.contains("not followed"))
      }),
    poll(
      "5xx storm: 500 at every poll", status: 8,
      message: "reading checkout trk_FAULT: server error (HTTP 500)",
      { _, _ in .respond(httpResponse(500, "Internal Server Error", json: #"{"title":"Boom"}"#)) },
      check: { expectPolls(1, $0) }),
    poll(
      "5xx storm: 503 at every poll, no Retry-After", status: 8,
      message: "server busy (HTTP 503 after 4 attempts)",
      { _, _ in .respond(httpResponse(503, "Service Unavailable", json: #"{"title":"Busy"}"#)) },
      check: { observation in
        expectPolls(4, observation)
        // Exponential back-off: 0.5 s, 1 s, 2 s.
        let waits = gaps(polls(observation), where: { _ in true })
        #expect(zip(waits, [0.45, 0.95, 1.95]).allSatisfy { $0 >= $1 }, "\(waits)")
      }),
    poll(
      "5xx storm: 503 at every poll with Retry-After: 1", status: 8,
      message: "server busy (HTTP 503 after 4 attempts)",
      { _, _ in
        .respond(
          httpResponse(503, "Service Unavailable", headers: [("Retry-After", "1")], json: "{}"))
      },
      check: { observation in
        expectPolls(4, observation)
        #expect(gaps(polls(observation), where: { _ in true }).allSatisfy { $0 >= 0.95 })
      }),
    FaultCase(
      group: .network, fault: "5xx storm: 503 at every submit",
      command: "checkout start --offer o", expectedStatus: 8,
      expectedMessage: "submitting the checkout: server busy (HTTP 503 after 4 attempts)",
      printsID: false,
      run: {
        let server = try FaultServer { _, _ in
          .respond(httpResponse(503, "Service Unavailable", json: #"{"title":"Busy"}"#))
        }
        return try observeFake(server, ["checkout", "start", "--offer", "o"])
      },
      check: { observation in
        // Retried, because the submit carries its correlation id: the same one every time.
        let bodies = observation.requests.filter { $0.method == "POST" }.map(\.body)
        #expect(bodies.count == 4)
        #expect(Set(bodies).count == 1)
      }),
  ]
}

// MARK: - Absurd Retry-After values

extension FaultCase {
  static let pastDate = "Sun, 06 Nov 1994 08:49:37 GMT"
  static let huge = "99999999999999999999"

  static func busy(_ status: Int, retryAfter: String) -> FaultAction {
    .respond(
      httpResponse(
        status, status == 429 ? "Too Many Requests" : "Service Unavailable",
        headers: [("Retry-After", retryAfter)], json: #"{"title":"Busy"}"#))
  }

  /// The watch completed, and no poll followed the one before within `atLeast` seconds.
  static func completedPolitely(atLeast seconds: Double) -> @Sendable (FaultObservation) -> Void {
    { observation in
      #expect(observation.result.stdoutLines.last?.contains("completed") == true)
      let waits = gaps(polls(observation), where: { _ in true })
      #expect(!waits.isEmpty && waits.allSatisfy { $0 >= seconds }, "gaps between polls: \(waits)")
    }
  }

  static let retryAfter: [FaultCase] = [
    poll(
      "503 with Retry-After: \(huge)", group: .retryAfter, status: 8,
      message: "server busy (HTTP 503): Busy; it asks to be tried again in 6h",
      { _, _ in busy(503, retryAfter: huge) },
      check: { expectPolls(1, $0) }),
    poll(
      "429 with Retry-After: \(huge)", group: .retryAfter, status: 8,
      message: "server busy (HTTP 429)", { _, _ in busy(429, retryAfter: huge) },
      check: { expectPolls(1, $0) }),
    poll(
      "503 with Retry-After: -5", group: .retryAfter, status: 8,
      message: "server busy (HTTP 503 after 4 attempts)", { _, _ in busy(503, retryAfter: "-5") },
      check: { expectPolls(4, $0) }),
    poll(
      "503 with Retry-After: \(pastDate)", group: .retryAfter, status: 8,
      message: "server busy (HTTP 503 after 4 attempts)",
      { _, _ in busy(503, retryAfter: pastDate) }, check: { expectPolls(4, $0) }),
    poll(
      "429 with Retry-After: soon", group: .retryAfter, status: 8,
      message: "server busy (HTTP 429 after 4 attempts)",
      { _, _ in busy(429, retryAfter: "soon") }, check: { expectPolls(4, $0) }),
    poll(
      "200 PROCESSING with Retry-After: \(huge)", group: .retryAfter, status: 5,
      message:
        "stopped: the server asks to wait 6h before the next poll, longer than --max-wait 5s",
      command: "checkout start --offer o --watch --max-wait 5s",
      arguments: ["checkout", "start", "--offer", "o", "--watch", "--max-wait", "5s"],
      { _, _ in .respond(FakeC2A.status("CHECK_OUT_PROCESSING", retryAfter: huge)) },
      check: { expectPolls(1, $0) }),
    FaultCase(
      group: .retryAfter, fault: "200 PROCESSING with Retry-After: -5",
      command: "checkout start --offer o --watch", expectedStatus: 0, expectedMessage: nil,
      run: {
        try observeFake(
          FakeC2A.server(processing: 2, retryAfter: "-5"),
          ["checkout", "start", "--offer", "o", "--watch"])
      },
      check: completedPolitely(atLeast: 0.95)),
    FaultCase(
      group: .retryAfter, fault: "200 PROCESSING with Retry-After: \(pastDate)",
      command: "checkout start --offer o --watch", expectedStatus: 0, expectedMessage: nil,
      run: {
        try observeFake(
          FakeC2A.server(processing: 3, retryAfter: pastDate),
          ["checkout", "start", "--offer", "o", "--watch"])
      },
      check: completedPolitely(atLeast: pollFloor)),
    FaultCase(
      group: .retryAfter, fault: "200 PROCESSING with Retry-After: 0",
      command: "checkout start --offer o --watch", expectedStatus: 0, expectedMessage: nil,
      run: {
        try observeFake(
          FakeC2A.server(processing: 3, retryAfter: "0"),
          ["checkout", "start", "--offer", "o", "--watch"])
      },
      check: completedPolitely(atLeast: pollFloor)),
    FaultCase(
      group: .retryAfter, fault: "200 PROCESSING with Retry-After: soon",
      command: "checkout start --offer o --watch", expectedStatus: 0, expectedMessage: nil,
      run: {
        try observeFake(
          FakeC2A.server(processing: 2, retryAfter: "soon"),
          ["checkout", "start", "--offer", "o", "--watch"])
      },
      check: completedPolitely(atLeast: 0.95)),
  ]
}

/// The shortest wait between polls, less a little for the clocks of two processes.
let pollFloor = PollPolicy.minimumDelay / .seconds(1) * 0.95
