import Foundation
import Testing
import TillKit

// MARK: - Redirects and secrets

extension FaultCase {
  /// A second server that answers everything; a case checks that it was never asked.
  static func observeRedirect(
    _ arguments: [String] = watchArguments, submit: Bool = false,
    location: @escaping @Sendable (String) -> String
  ) throws -> FaultObservation {
    let elsewhere = try FaultServer { _, _ in .respond(FakeC2A.status("CHECK_OUT_DONE")) }
    defer { elsewhere.stop() }
    let target = location(elsewhere.baseURL.replacingOccurrences(of: "http://", with: ""))
    let redirect = FaultAction.respond(
      httpResponse(307, "Temporary Redirect", headers: [("Location", target)]))
    var observation = try observeFake(
      FakeC2A.server(submit: submit ? redirect : .respond(FakeC2A.accepted)) { _, _ in redirect },
      arguments)
    observation.figures["requestsElsewhere"] = elsewhere.requests.count
    return observation
  }

  static func expectNothingElsewhere(_ observation: FaultObservation) {
    #expect(observation.figures["requestsElsewhere"] == 0, "the other origin was asked")
  }

  static let redirects: [FaultCase] = [
    FaultCase(
      group: .redirects,
      fault:
        "Submit with card data redirected to `http:/HOST:PORT/` (one slash: absolute to libcurl)",
      command: "checkout start --offer o --card-file card.json", expectedStatus: 8,
      expectedMessage: "another origin; not followed", printsID: false,
      run: {
        let till = Till(baseURL: nil)
        let card = till.stateHome + "/card.json"
        try #"{"number":"4111111111111111","cvv":"123"}"#.write(
          toFile: card, atomically: true, encoding: .utf8)
        chmod(card, 0o600)
        let elsewhere = try FaultServer { _, _ in .respond(FakeC2A.accepted) }
        defer { elsewhere.stop() }
        let target = "http:/" + elsewhere.baseURL.dropFirst("http://".count) + "/steal"
        let server = try FaultServer { _, _ in
          .respond(httpResponse(307, "Temporary Redirect", headers: [("Location", target)]))
        }
        defer { server.stop() }
        till.environment["TILL_BASE_URL"] = server.baseURL
        var observation = try observe(
          till, ["checkout", "start", "--offer", "o", "--card-file", card])
        observation.requests = server.requests
        observation.figures["requestsElsewhere"] = elsewhere.requests.count
        return observation
      },
      check: { observation in
        expectNothingElsewhere(observation)
        #expect(observation.requests.count == 1, "the submit was sent once, to its own origin")
        #expect(!observation.result.stderr.contains("4111111111111111"), "no card number in errors")
      }),
    FaultCase(
      group: .redirects,
      fault: "Poll redirected to `http:///HOST:PORT/` (three slashes)",
      command: watchCommand, expectedStatus: 8, expectedMessage: "another origin; not followed",
      run: { try observeRedirect { "http:///" + $0 + FakeC2A.statusPath } },
      check: { expectNothingElsewhere($0) }),
    FaultCase(
      group: .redirects,
      fault: "Poll redirected to `HTTP://HOST:PORT/` behind a vertical tab",
      command: watchCommand, expectedStatus: 8, expectedMessage: "another origin; not followed",
      run: { try observeRedirect { "\u{0B}HTTP://" + $0 + FakeC2A.statusPath } },
      check: { expectNothingElsewhere($0) }),
    FaultCase(
      group: .redirects, fault: "Poll redirected to the same host on another port",
      command: watchCommand, expectedStatus: 8, expectedMessage: "another origin; not followed",
      run: { try observeRedirect { "//" + $0 + FakeC2A.statusPath } },
      check: { expectNothingElsewhere($0) }),
    poll(
      "Poll redirected from http to https, not allowed", group: .redirects, status: 8,
      message: "use the https:// base URL, or --allow-https-upgrade",
      { _, _ in
        .respond(
          httpResponse(
            301, "Moved Permanently", headers: [("Location", "https://127.0.0.1/upgraded")]))
      }),
    poll(
      "Poll redirected to ftp://", group: .redirects, status: 8,
      message: "redirected to ftp://127.0.0.1/x, which is not HTTP; not followed",
      { _, _ in .respond(httpResponse(302, "Found", headers: [("Location", "ftp://127.0.0.1/x")])) }
    ),
    poll(
      "Poll redirected to file:///etc/passwd", group: .redirects, status: 8,
      message: "redirected to file:///etc/passwd, which is not HTTP; not followed",
      { _, _ in
        .respond(httpResponse(302, "Found", headers: [("Location", "file:///etc/passwd")]))
      }),
  ]
}

extension FaultCase {
  /// `till` with `environment` added, aimed at a server that must receive nothing.
  static func observeRefusal(
    _ arguments: [String], environment: [String: String] = [:], keyFile: [UInt8]? = nil
  ) throws -> FaultObservation {
    let server = try FakeC2A.server(always: .respond(FakeC2A.status("CHECK_OUT_DONE")))
    defer { server.stop() }
    let till = Till(baseURL: server.baseURL)
    till.environment.merge(environment) { $1 }
    var arguments = arguments
    if let keyFile {
      let path = till.stateHome + "/key"
      FileManager.default.createFile(atPath: path, contents: Data(keyFile))
      chmod(path, 0o600)
      till.environment["TILL_API_KEY"] = nil
      arguments = ["--api-key-file", path] + arguments
    }
    var observation = try observe(till, arguments)
    observation.requests = server.requests
    return observation
  }

  static func expectNothingSent(_ observation: FaultObservation) {
    #expect(observation.requests.isEmpty, "a request was sent")
  }

  static let status = ["checkout", "status", FakeC2A.trackingNumber]

  static let injection: [FaultCase] = [
    FaultCase(
      group: .injection, fault: "CR LF and a header in --tenant",
      command: #"--tenant $'t1\r\nX-Evil: 1' checkout status trk_FAULT"#, expectedStatus: 2,
      expectedMessage: "invalid tenant from --tenant: it holds a line break", printsID: false,
      run: { try observeRefusal(["--tenant", "t1\r\nX-Evil: 1"] + status) },
      check: { expectNothingSent($0) }),
    FaultCase(
      group: .injection, fault: "LF and a header in TILL_TENANT",
      command: "checkout status trk_FAULT", expectedStatus: 2,
      expectedMessage: "invalid tenant from TILL_TENANT: it holds a line break", printsID: false,
      run: { try observeRefusal(status, environment: ["TILL_TENANT": "t1\nX-Evil: 1"]) },
      check: { expectNothingSent($0) }),
    FaultCase(
      group: .injection, fault: "LF and a header in TILL_API_KEY",
      command: "checkout status trk_FAULT", expectedStatus: 2,
      expectedMessage: "the API key from $TILL_API_KEY holds a line break", printsID: false,
      run: { try observeRefusal(status, environment: ["TILL_API_KEY": "sk_1\nX-Evil: 1"]) },
      check: { observation in
        expectNothingSent(observation)
        #expect(!observation.result.stderr.contains("sk_1"), "the key was printed")
      }),
    FaultCase(
      group: .injection, fault: "A key file with an escape sequence",
      command: "--api-key-file key checkout status trk_FAULT", expectedStatus: 2,
      expectedMessage: "holds a control character (\\x1b); refusing to send it", printsID: false,
      run: { try observeRefusal(status, keyFile: Array("sk_\u{1b}[31mkey\n".utf8)) },
      check: { expectNothingSent($0) }),
    FaultCase(
      group: .injection, fault: "A key file with a CR in the middle",
      command: "--api-key-file key checkout status trk_FAULT", expectedStatus: 2,
      expectedMessage: "holds a line break (CR or LF)", printsID: false,
      run: { try observeRefusal(status, keyFile: Array("sk_1\rX-Evil: 1\n".utf8)) },
      check: { expectNothingSent($0) }),
    FaultCase(
      group: .injection, fault: "A key file that is not ASCII",
      command: "--api-key-file key checkout status trk_FAULT", expectedStatus: 2,
      expectedMessage: "holds a non-ASCII character; refusing to send it", printsID: false,
      run: { try observeRefusal(status, keyFile: [0x73, 0x6B, 0x5F, 0xC3, 0xA9, 0x0A]) },
      check: { expectNothingSent($0) }),
  ]

  static let coreDumps = FaultCase(
    group: .redirects, fault: "Core dumps while a watch holds the key", command: watchCommand,
    expectedStatus: 130, expectedMessage: "till: interrupted;",
    run: {
      let server = try FakeC2A.server(always: .stall)
      defer { server.stop() }
      var limits = ""
      var observation = try observe(Till(baseURL: server.baseURL), watchArguments) { running in
        _ = running.waitForOutput(containing: FakeC2A.trackingNumber)
        limits = fileText("/proc/\(running.process.processIdentifier)/limits") ?? ""
        running.signal(SIGINT)
      }
      observation.files["limits"] = limits
      return observation
    },
    check: { observation in
      let line = observation.files["limits"]?.split(separator: "\n")
        .first { $0.hasPrefix("Max core file size") }
      #expect(line?.split(separator: " ").dropFirst(4).prefix(2) == ["0", "0"], "\(line ?? "")")
    },
    reportedLine: { observation in
      let line = observation.files["limits"]?.split(separator: "\n")
        .first { $0.hasPrefix("Max core file size") }
      return line.map { $0.split(separator: " ").joined(separator: " ") } ?? "no limits read"
    })
}
