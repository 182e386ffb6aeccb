import Foundation
import TillKit

/// What one fault case saw: how `till` ended and what the misbehaving server received.
struct FaultObservation: Sendable {
  var result: RunResult
  /// Killed because it had not finished within the case's kill timeout.
  var killed = false
  /// Ended by a signal it did not handle (a crash), not by exiting.
  var crashed = false
  var seconds: Double = 0
  var requests: [ReceivedRequest] = []
  /// Numbers the case read elsewhere (the sandbox's counters), by name.
  var figures: [String: Int] = [:]
  /// Files the run left behind, by name, as text.
  var files: [String: String] = [:]

  var stderrLines: [String] { result.stderr.split(separator: "\n").map(String.init) }

  /// The first line `till` wrote to standard error, else its last line of standard output.
  var firstLine: String {
    stderrLines.first ?? result.stdoutLines.last ?? ""
  }
}

/// A run that could not even be set up (a port, a process, a certificate).
struct FaultSetupError: Error, CustomStringConvertible {
  var description: String
}

/// A counter shared between a fault server's threads and the test.
final class Counter: @unchecked Sendable {
  private let lock = NSLock()
  private var value = 0

  /// Adds one and returns the new value.
  func next() -> Int {
    lock.lock()
    defer { lock.unlock() }
    value += 1
    return value
  }
}

/// How long a fault case's `till` may run before it is killed (and the case fails): "did not
/// hang" means it ended well before this.
let faultKillSeconds: TimeInterval = 30

/// Runs `till` to its end, killing it after `killAfter` seconds, and measures how long it took.
func observe(
  _ till: Till, _ arguments: [String], killAfter: TimeInterval = faultKillSeconds,
  output: StandardOutput = .captured, whileRunning: (RunningTill) -> Void = { _ in }
) throws -> FaultObservation {
  let began = monotonicSeconds()
  let running = try till.start(arguments, output: output)
  whileRunning(running)
  let killed = waitForExit(running, seconds: killAfter)
  let result = running.finish(timeout: 5)
  return FaultObservation(
    result: result, killed: killed, crashed: running.process.terminationReason == .uncaughtSignal,
    seconds: monotonicSeconds() - began)
}

/// Waits for the process to end; kills it and returns true when it has not after `seconds`.
func waitForExit(_ running: RunningTill, seconds: TimeInterval) -> Bool {
  let end = Date().addingTimeInterval(seconds)
  while running.process.isRunning && Date() < end { Thread.sleep(forTimeInterval: 0.01) }
  guard running.process.isRunning else { return false }
  running.signal(SIGKILL)
  return true
}

/// Runs every job at once, each on its own thread, and returns their results in order.
func runConcurrently<T: Sendable>(_ jobs: [@Sendable () -> T]) -> [T] {
  let results = ResultSlots<T>(count: jobs.count)
  let group = DispatchGroup()
  for (index, job) in jobs.enumerated() {
    group.enter()
    Thread.detachNewThread {
      results.set(index, job())
      group.leave()
    }
  }
  group.wait()
  return results.all
}

private final class ResultSlots<T: Sendable>: @unchecked Sendable {
  private let lock = NSLock()
  private var slots: [T?]

  init(count: Int) { slots = Array(repeating: nil, count: count) }

  func set(_ index: Int, _ value: T) {
    lock.lock()
    slots[index] = value
    lock.unlock()
  }

  var all: [T] {
    lock.lock()
    defer { lock.unlock() }
    return slots.map { $0! }
  }
}

/// A C2A server that takes the submit like the real one and answers status polls as the case
/// says.
enum FakeC2A {
  static let trackingNumber = "trk_FAULT"
  static let statusPath = "/api/v1/c2a/offer/checkout/\(trackingNumber)/status"

  /// 202 with the tracking number, as the real service answers a submit.
  static let accepted = httpResponse(
    202, "Accepted", headers: [("Retry-After", "1")],
    json:
      #"{"trackingNumber":"\#(trackingNumber)","status":{"messageCode":"CHECK_OUT_PROCESSING"},"#
      + #""followUpInstructions":{"retryAfterSeconds":1,"canFollowUp":true}}"#)

  /// A status answer; the body's own retry hint is 1 s.
  static func status(
    _ code: String, retryAfter: String? = nil, message: String? = nil
  ) -> [UInt8] {
    httpResponse(
      200, "OK", headers: retryAfter.map { [("Retry-After", $0)] } ?? [],
      json: statusJSON(code, message: message))
  }

  static func statusJSON(_ code: String, message: String? = nil) -> String {
    let said = message.map { #","message":"\#($0)""# } ?? ""
    return #"{"trackingNumber":"\#(trackingNumber)","status":{"messageCode":"\#(code)"\#(said)},"#
      + #""followUpInstructions":{"retryAfterSeconds":1,"canFollowUp":true}}"#
  }

  /// Accepts the submit; the n-th status poll (from 1) gets `poll(request, n)`.
  static func server(
    submit: FaultAction = .respond(accepted),
    poll: @escaping @Sendable (ReceivedRequest, Int) -> FaultAction
  ) throws -> FaultServer {
    let polls = Counter()
    return try FaultServer { request, _ in
      request.method == "POST" ? submit : poll(request, polls.next())
    }
  }

  /// Every poll gets the same action.
  static func server(always action: FaultAction) throws -> FaultServer {
    try server { _, _ in action }
  }

  /// PROCESSING for `processing` polls with this Retry-After, then DONE.
  static func server(processing: Int, retryAfter: String) throws -> FaultServer {
    try server { _, poll in
      .respond(
        poll <= processing
          ? status("CHECK_OUT_PROCESSING", retryAfter: retryAfter) : status("CHECK_OUT_DONE"))
    }
  }
}

/// Seconds between consecutive requests matching `filter`.
func gaps(_ requests: [ReceivedRequest], where filter: (ReceivedRequest) -> Bool) -> [Double] {
  let times = requests.filter(filter).map(\.arrivedAt)
  return zip(times.dropFirst(), times).map { $0 - $1 }
}

/// The watch that most cases run: submit to the fake server, then follow the checkout with a
/// 1 s timeout per request.
let watchArguments = ["--timeout", "1s", "checkout", "start", "--offer", "o", "--watch"]

/// A `till` aimed at `server`, run with `arguments` (default: the watch).
func observeFake(
  _ server: FaultServer, _ arguments: [String] = watchArguments,
  killAfter: TimeInterval = faultKillSeconds
) throws -> FaultObservation {
  defer { server.stop() }
  var observation = try observe(Till(baseURL: server.baseURL), arguments, killAfter: killAfter)
  observation.requests = server.requests
  return observation
}

/// The text of a file, or nil when it does not exist.
func fileText(_ path: String) -> String? {
  try? String(contentsOfFile: path, encoding: .utf8)
}
