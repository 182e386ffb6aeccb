import Foundation
import Testing
import TillKit

// MARK: - Standard output that fails

extension FaultCase {
  static let output: [FaultCase] = [
    FaultCase(
      group: .output, fault: "Standard output is a full disk",
      command: "-q checkout start --offer o > /dev/full", expectedStatus: 8,
      expectedMessage:
        "cannot write to standard output: no space left on device; not written: trk_FAULT",
      printsID: false,
      run: {
        let server = try FakeC2A.server(always: .respond(FakeC2A.status("CHECK_OUT_DONE")))
        defer { server.stop() }
        let till = Till(baseURL: server.baseURL)
        var observation = try observe(
          till, ["-q", "checkout", "start", "--offer", "o"], output: .file("/dev/full"))
        observation.files["history"] = fileText(till.stateHome + "/state/till/history.jsonl")
        return observation
      },
      check: { observation in
        #expect(
          observation.files["history"]?.contains(FakeC2A.trackingNumber) == true,
          "the checkout is not in the history")
      }),
    FaultCase(
      group: .output, fault: "A watch piped to `head -1`, the checkout never changing",
      command: "checkout start --offer o --watch | head -1", expectedStatus: 141,
      expectedMessage: nil,
      run: {
        let server = try FakeC2A.server(always: .respond(FakeC2A.status("CHECK_OUT_PROCESSING")))
        defer { server.stop() }
        var observation = try observe(
          Till(baseURL: server.baseURL), ["checkout", "start", "--offer", "o", "--watch"],
          output: .closedAfterFirstLine)
        observation.requests = server.requests
        return observation
      },
      check: { observation in
        // The fake asks for a poll a second; a watch that kept on would poll until killed. A
        // process the test run starts meanwhile may hold the pipe a moment: a few polls pass.
        #expect(!observation.killed, "polled \(polls(observation).count) times until killed")
        #expect(polls(observation).count < 15, "polled \(polls(observation).count) times")
      },
      reportedLine: { observation in
        observation.killed ? "still polling when killed" : "ended by itself, quietly"
      }),
  ]
}
