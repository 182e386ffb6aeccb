import Foundation
import Testing
import TillKit
import TillSandbox

// MARK: - Signals

extension FaultCase {
  /// A watch interrupted once it is in the state `ready` waits for.
  static func interrupted(
    _ fault: String, signal: Int32, status: Int32, command: String,
    start: @escaping @Sendable () throws -> (Till, [String], FaultServer?),
    ready: @escaping @Sendable (RunningTill, FaultServer?) -> Bool
  ) -> FaultCase {
    FaultCase(
      group: .signals, fault: fault, command: command, expectedStatus: status,
      expectedMessage: "till: interrupted; checkout trk_", printsID: false,
      run: {
        let (till, arguments, server) = try start()
        defer { server?.stop() }
        var sentAt = 0.0
        var observation = try observe(till, arguments) { running in
          let end = Date().addingTimeInterval(20)
          while !ready(running, server) && Date() < end { Thread.sleep(forTimeInterval: 0.02) }
          // Into the wait or the transfer, not just before it.
          Thread.sleep(forTimeInterval: 0.3)
          sentAt = monotonicSeconds()
          running.signal(signal)
        }
        observation.figures["signalToExitMs"] = Int((monotonicSeconds() - sentAt) * 1000)
        observation.requests = server?.requests ?? []
        observation.files["history"] = fileText(till.stateHome + "/state/till/history.jsonl")
        return observation
      },
      check: { observation in
        let id = trackingNumber(in: observation.result.stdout) ?? "?"
        #expect(id != "?", "the id stays printed")
        #expect(
          observation.result.stderr.contains("Resume with: till checkout status \(id) --watch"))
        let history = observation.files["history"] ?? ""
        #expect(history.hasSuffix("\n"), "the history ends in a whole line")
        for line in history.split(separator: "\n") {
          #expect((try? JSONValue.parse(String(line))) != nil, "a damaged history line: \(line)")
        }
        #expect(history.contains(id))
      })
  }

  static func onSandbox(_ offer: String) -> @Sendable () throws -> (Till, [String], FaultServer?) {
    { (Till(), ["checkout", "start", "--offer", offer, "--watch"], nil) }
  }

  static func onFake(_ poll: @escaping @Sendable (ReceivedRequest, Int) -> FaultAction)
    -> @Sendable () throws -> (Till, [String], FaultServer?)
  {
    {
      let server = try FakeC2A.server(poll: poll)
      return (
        Till(baseURL: server.baseURL), ["checkout", "start", "--offer", "o", "--watch"], server
      )
    }
  }

  static let printedState: @Sendable (RunningTill, FaultServer?) -> Bool = { running, _ in
    running.stdoutSoFar.contains("processing")
  }
  static let polled: @Sendable (RunningTill, FaultServer?) -> Bool = { _, server in
    server?.requests.contains { $0.method == "GET" } == true
  }

  static let signals: [FaultCase] = [
    interrupted(
      "SIGINT while waiting between polls", signal: SIGINT, status: 130,
      command: "checkout start --offer never --watch", start: onSandbox("never"),
      ready: printedState),
    interrupted(
      "SIGTERM while waiting between polls", signal: SIGTERM, status: 143,
      command: "checkout start --offer never --watch", start: onSandbox("never"),
      ready: printedState),
    interrupted(
      "SIGINT during a request the server stalls", signal: SIGINT, status: 130,
      command: "checkout start --offer o --watch", start: onFake { _, _ in .stall },
      ready: polled),
    interrupted(
      "SIGTERM during a retry back-off (503, Retry-After: 30)", signal: SIGTERM, status: 143,
      command: "checkout start --offer o --watch",
      start: onFake { _, _ in busy(503, retryAfter: "30") }, ready: polled),
    interrupted(
      "SIGINT during a 6-hour Retry-After wait", signal: SIGINT, status: 130,
      command: "checkout start --offer o --watch",
      start: onFake { _, _ in .respond(FakeC2A.status("CHECK_OUT_PROCESSING", retryAfter: huge)) },
      ready: polled),
  ]
}
