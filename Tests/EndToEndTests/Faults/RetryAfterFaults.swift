import Foundation
import Testing
import TillKit
import TillSandbox

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
