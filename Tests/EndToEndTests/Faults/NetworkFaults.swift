import Foundation
import LoopbackSockets
import Testing
import TillKit
import TillSandbox

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
