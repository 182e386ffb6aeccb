import Foundation
import Testing
import TillKit

// MARK: - Interrupted submits and retried bodies

extension FaultCase {
  /// The `order.correlationId` of a submit's JSON body.
  static func correlationID(_ request: ReceivedRequest?) -> String? {
    guard let request,
      let body = try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any]
    else { return nil }
    return (body["order"] as? [String: Any])?["correlationId"] as? String
  }

  /// A submit that the server holds unanswered until `signal` arrives; then the printed
  /// re-submit command, run against a server that answers.
  static func interruptedSubmit(_ signal: Int32, status: Int32) -> FaultCase {
    FaultCase(
      group: .signals,
      fault: "\(signal == SIGINT ? "Ctrl-C" : "SIGTERM") while the submit POST is in flight",
      command: "checkout start --offer o --item sku:2", expectedStatus: status,
      expectedMessage: "till: interrupted while submitting; the server may or may not have",
      printsID: false,
      run: {
        let server = try FakeC2A.server(submit: .stall) { _, _ in .stall }
        defer { server.stop() }
        let till = Till(baseURL: server.baseURL)
        var observation = try observe(
          till, ["checkout", "start", "--offer", "o", "--item", "sku:2"]
        ) { running in
          let end = Date().addingTimeInterval(20)
          while server.requests.isEmpty && Date() < end { Thread.sleep(forTimeInterval: 0.02) }
          Thread.sleep(forTimeInterval: 0.2)
          running.signal(signal)
        }
        observation.requests = server.requests
        observation.files["history"] = fileText(till.stateHome + "/state/till/history.jsonl")
        let command = observation.stderrLines.first { $0.contains("Re-submit safely") }
        if let words = command?.components(separatedBy: " with: till ").last?.split(separator: " ")
        {
          let answering = try FakeC2A.server(always: .respond(FakeC2A.status("CHECK_OUT_DONE")))
          defer { answering.stop() }
          till.environment["TILL_BASE_URL"] = answering.baseURL
          let again = try till.run(words.map(String.init))
          observation.files["again"] = again.stdout
          observation.files["againKey"] = correlationID(answering.requests.first) ?? "none"
        }
        return observation
      },
      check: { observation in
        let key = correlationID(observation.requests.first) ?? "?"
        #expect(key != "?", "the submit had no correlationId")
        #expect(observation.result.stderr.contains("(correlation id \(key))"))
        #expect(
          observation.result.stderr.contains(
            "checkout start --offer o --item sku:2 --correlation-id \(key)"),
          "\(observation.result.stderr)")
        let line = observation.files["history"]?.split(separator: "\n").last ?? ""
        #expect(line.contains(#""id":"\#(key)""#) && line.contains(#""state":"unknown""#))
        #expect(observation.files["againKey"] == key, "the re-submit sent another key")
        #expect(observation.files["again"]?.contains(FakeC2A.trackingNumber) == true)
      })
  }
}

extension FaultCase {
  /// `checkout start --body` against a server that drops the first submit unanswered.
  static func observeBodyRetry(_ body: String) throws -> FaultObservation {
    let submits = Counter()
    let server = try FaultServer { request, _ in
      guard request.method == "POST" else { return .respond(FakeC2A.status("CHECK_OUT_DONE")) }
      return submits.next() == 1 ? .close : .respond(FakeC2A.accepted)
    }
    defer { server.stop() }
    let till = Till(baseURL: server.baseURL)
    let path = till.stateHome + "/body.json"
    try body.write(toFile: path, atomically: true, encoding: .utf8)
    var observation = try observe(till, ["checkout", "start", "--body", path])
    observation.requests = server.requests.filter { $0.method == "POST" }
    return observation
  }

  static let bodies: [FaultCase] = [
    FaultCase(
      group: .idempotency, fault: "`--body` without a correlationId, first submit dropped",
      command: "checkout start --body body.json", expectedStatus: 0,
      expectedMessage: "has no order.correlationId; sending", reportsError: false,
      run: { try observeBodyRetry(#"{"order":{"offerIdentifier":"o","items":[]}}"#) },
      check: { observation in
        let keys = observation.requests.map { correlationID($0) ?? "none" }
        #expect(keys.count == 2, "\(keys.count) submits")
        #expect(Set(keys).count == 1 && keys.first != "none", "the retry carried no key: \(keys)")
        #expect(observation.result.stderr.contains(keys.first ?? "?"), "the key was not told")
      }),
    FaultCase(
      group: .idempotency, fault: "`--body` with no order object, first submit dropped",
      command: "checkout start --body body.json", expectedStatus: 8,
      expectedMessage: "not sent again: the body has no order object to hold a correlationId",
      printsID: false,
      run: { try observeBodyRetry(#"{"offerIdentifier":"o"}"#) },
      check: { observation in
        #expect(observation.requests.count == 1, "a keyless submit was sent again")
      }),
  ]
}

extension FaultCase {
  /// Control sequences a server could put in a state: retitle the window (OSC), clear the
  /// screen (CSI), ring the bell, and reverse the text that follows (U+202E).
  static let hostileState = #"\u001b]0;owned\u0007\u001b[2J\u202eevil"#

  static func expectNoControls(_ observation: FaultObservation) {
    let text = observation.result.stdout + observation.result.stderr
    for scalar in ["\u{1b}", "\u{07}", "\u{202E}"] {
      #expect(!text.contains(scalar), "U+\(String(scalar.unicodeScalars.first!.value, radix: 16))")
    }
  }

  static let retryState = FaultCase(
    group: .injection, fault: "`checkout retry` of a saga whose state holds OSC, CSI, BEL, RLO",
    command: "--api comos checkout retry S", expectedStatus: 7,
    expectedMessage: #"saga S is \x1b]0;owned\x07\x1b[2J\u{202e}evil; only a failed"#,
    printsID: false,
    run: {
      let proxy = try mcpProxy { request in
        toolResult(request, #"{"sagaId":"S","status":"\#(hostileState)"}"#)
      }
      defer { proxy.stop() }
      return try observe(comosTill(endpoint: proxy.baseURL + "/mcp"), ["checkout", "retry", "S"])
    },
    check: { expectNoControls($0) })
}
