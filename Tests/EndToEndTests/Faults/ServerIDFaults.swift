import Foundation
import Testing
import TillKit
import TillSandbox

// MARK: - Ids from servers

extension FaultCase {
  /// A fake C2A server whose submit gives the checkout `id`; every poll answers DONE for it.
  static func fakeGiving(_ id: String, extra: String = "") throws -> FaultServer {
    let json = #"{"trackingNumber":"\#(id)","status":{"messageCode":"CHECK_OUT_PROCESSING"}"#
    let status = #"{"trackingNumber":"\#(id)","status":{"messageCode":"CHECK_OUT_DONE"}}"#
    return try FakeC2A.server(
      submit: .respond(
        httpResponse(202, "Accepted", headers: [("Retry-After", "0")], json: json + extra + "}"))
    ) { _, _ in .respond(httpResponse(200, "OK", json: status)) }
  }

  static let ids: [FaultCase] = [
    FaultCase(
      group: .ids,
      fault: "Submit answered with the id `--base-url=http://HOST:PORT/`, then passed back as "
        + "`till checkout status \"$id\"`",
      command: "-q checkout start --offer o", expectedStatus: 8,
      expectedMessage: "begins with '-', so a command line would read it as an option",
      printsID: false,
      run: {
        let elsewhere = try FaultServer { _, _ in .respond(FakeC2A.status("CHECK_OUT_DONE")) }
        defer { elsewhere.stop() }
        let server = try fakeGiving("--base-url=" + elsewhere.baseURL + "/")
        defer { server.stop() }
        let till = Till(baseURL: server.baseURL)
        var observation = try observe(till, ["-q", "checkout", "start", "--offer", "o"])
        // What a script does next with what it printed, as the README shows.
        let id = observation.result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let passedBack = try till.run(["checkout", "status", id])
        let last = try till.run(["checkout", "status", "--last"])
        observation.figures["requestsElsewhere"] = elsewhere.requests.count
        observation.figures["lastStatus"] = Int(last.status)
        observation.files["passedBack"] = passedBack.stdout + passedBack.stderr
        observation.requests = server.requests
        return observation
      },
      check: { observation in
        #expect(observation.result.stdout.isEmpty, "the id reached standard output")
        #expect(observation.figures["requestsElsewhere"] == 0, "the key went elsewhere")
        #expect(observation.figures["lastStatus"] == 0, "--last follows the recorded id")
        #expect(observation.result.stderr.contains("till checkout status --last"))
        #expect(
          observation.requests.contains {
            $0.path.hasPrefix("/api/v1/c2a/offer/checkout/--base-url%3Dhttp%3A%2F%2F")
          }, "the id is one path segment")
      }),
    FaultCase(
      group: .ids, fault: "Submit answered with the id `..`, which a URL parser folds away",
      command: "checkout start --offer o --watch", expectedStatus: 0, expectedMessage: nil,
      printsID: false,
      run: {
        let server = try fakeGiving("..")
        defer { server.stop() }
        var observation = try observe(
          Till(baseURL: server.baseURL), ["checkout", "start", "--offer", "o", "--watch"])
        observation.requests = server.requests
        return observation
      },
      check: { observation in
        let paths = observation.requests.filter { $0.method == "GET" }.map(\.path)
        #expect(
          !paths.isEmpty && paths.allSatisfy { $0 == "/api/v1/c2a/offer/checkout/%2E%2E/status" },
          "\(paths)")
      },
      reportedLine: { observation in
        observation.requests.last { $0.method == "GET" }.map { "polled \($0.path)" } ?? ""
      }),
    FaultCase(
      group: .ids, fault: "An id that begins with `-`, given after `--`",
      command: "checkout status -- -trk", expectedStatus: 0, expectedMessage: nil,
      printsID: false,
      run: {
        let processing =
          #"{"trackingNumber":"-trk","status":{"messageCode":"CHECK_OUT_PROCESSING"},"#
          + #""followUpInstructions":{"canFollowUp":true}}"#
        let server = try FakeC2A.server { _, _ in
          .respond(httpResponse(200, "OK", json: processing))
        }
        defer { server.stop() }
        var observation = try observe(
          Till(baseURL: server.baseURL), ["checkout", "status", "--", "-trk"])
        observation.requests = server.requests
        return observation
      },
      check: { observation in
        #expect(
          observation.result.stdout.contains("till checkout status --watch -- -trk"),
          "\(observation.result.stdout)")
        #expect(observation.requests.first?.path == "/api/v1/c2a/offer/checkout/-trk/status")
      },
      reportedLine: { $0.result.stdoutLines.first { $0.contains("Follow") } ?? "" }),
    FaultCase(
      group: .ids, fault: "A base URL with a fragment (`http://HOST:PORT/api#x`)",
      command: "checkout status trk_FAULT", expectedStatus: 2,
      expectedMessage: "it has a fragment ('#')", printsID: false,
      run: {
        let server = try FakeC2A.server(always: .respond(FakeC2A.status("CHECK_OUT_DONE")))
        defer { server.stop() }
        var observation = try observe(
          Till(baseURL: server.baseURL + "/api#x"), ["checkout", "status", "trk_FAULT"])
        observation.requests = server.requests
        return observation
      },
      check: { #expect($0.requests.isEmpty, "a request was sent") }),
    FaultCase(
      group: .ids, fault: "An `--ids-from` file that starts with a byte-order mark",
      command: "checkout status --ids-from ids.txt", expectedStatus: 0, expectedMessage: nil,
      printsID: false,
      run: {
        let server = try FakeC2A.server(always: .respond(FakeC2A.status("CHECK_OUT_DONE")))
        defer { server.stop() }
        let till = Till(baseURL: server.baseURL)
        let file = till.stateHome + "/ids.txt"
        try Data([0xEF, 0xBB, 0xBF] + Array("trk_A\r\ntrk_B\n".utf8)).write(
          to: URL(fileURLWithPath: file))
        var observation = try observe(till, ["checkout", "status", "--ids-from", file])
        observation.requests = server.requests
        return observation
      },
      check: { observation in
        let paths = Set(observation.requests.map(\.path))
        #expect(
          paths == [
            "/api/v1/c2a/offer/checkout/trk_A/status", "/api/v1/c2a/offer/checkout/trk_B/status",
          ], "\(paths)")
      },
      reportedLine: { observation in
        "polled " + observation.requests.map(\.path).sorted().joined(separator: ", ")
      }),
    FaultCase(
      group: .ids,
      fault: "A 3-D Secure page that cannot be saved (a file where the `3ds` folder goes)",
      command: "checkout start --offer o", expectedStatus: 0,
      expectedMessage: "could not save the 3-D Secure page of checkout trk_PAGE",
      printsID: false, reportsError: false,
      run: {
        let server = try fakeGiving(
          "trk_PAGE",
          extra: #","redirectInstructions":{"htmlContent":"<form action=x></form>"}"#)
        defer { server.stop() }
        let till = Till(baseURL: server.baseURL)
        let state = till.stateHome + "/state/till"
        try FileManager.default.createDirectory(
          atPath: state, withIntermediateDirectories: true)
        try Data("not a folder".utf8).write(to: URL(fileURLWithPath: state + "/3ds"))
        var observation = try observe(till, ["checkout", "start", "--offer", "o"])
        observation.files["history"] =
          (try? String(contentsOfFile: state + "/history.jsonl", encoding: .utf8)) ?? ""
        return observation
      },
      check: { observation in
        #expect(observation.result.stdout.contains("trk_PAGE"), "the id was not printed")
        #expect(observation.files["history"]?.contains("\"trk_PAGE\"") == true, "not recorded")
      }),
  ]
}
