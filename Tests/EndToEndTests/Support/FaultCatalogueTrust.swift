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

// MARK: - Numbers that overflow

extension FaultCase {
  static let largest = String(Int.max)

  /// A cart answer whose two items' quantities add up past `Int.max`.
  static let overflowingItems =
    #"[{"productId":"p1","quantity":\#(largest)},{"productId":"p2","quantity":\#(largest)}]"#

  /// A JSON-RPC answer to the tool call in `request`, with `value` as its structured content.
  static func toolResult(_ request: ReceivedRequest, _ value: String) -> FaultAction {
    let id =
      (try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])?["id"]
      as? Int ?? 0
    return .respond(
      httpResponse(
        200, "OK",
        json: #"{"jsonrpc":"2.0","id":\#(id),"result":{"content":[],"structuredContent":"#
          + value + "}}"))
  }

  static let overflow: [FaultCase] = [
    FaultCase(
      group: .overflow, fault: "Local cart: the same item twice, each `Int.max`",
      command: "cart add --item a:\(largest) (run twice)", expectedStatus: 2,
      expectedMessage: "the quantity of 'a' would pass \(largest)", printsID: false,
      run: {
        let till = Till(baseURL: nil)
        var observation = try observe(till, ["cart", "add", "--item", "a:\(largest)"])
        observation.files["first"] = observation.result.stdout
        observation = try observe(till, ["cart", "add", "--item", "a:\(largest)"])
        observation.files["cart"] = fileText(till.stateHome + "/state/till/cart.json")
        return observation
      },
      check: { observation in
        #expect(!observation.crashed)
        #expect(
          observation.files["cart"]?.contains(#"{"id":"a","quantity":\#(largest)}"#) == true,
          "the cart was changed: \(observation.files["cart"] ?? "none")")
      }),
    FaultCase(
      group: .overflow, fault: "Acme cart whose item quantities add up past `Int.max`",
      command: "--api acme cart add --cart C --product p1", expectedStatus: 8,
      expectedMessage: "the server's cart C holds quantities that add up past \(largest)",
      printsID: false,
      run: {
        let server = try FaultServer { _, _ in
          .respond(
            httpResponse(
              200, "OK", json: #"{"cartId":"C","status":"OPEN","items":\#(overflowingItems)}"#))
        }
        return try observeFake(
          server, ["--api", "acme", "cart", "add", "--cart", "C", "--product", "p1"])
      },
      check: { #expect(!$0.crashed) }),
    FaultCase(
      group: .overflow, fault: "ComOS cart whose item quantities add up past `Int.max`",
      command: "--api comos cart add --cart C --product p1", expectedStatus: 8,
      expectedMessage: "the server's cart C holds quantities that add up past \(largest)",
      printsID: false,
      run: {
        let proxy = try mcpProxy { request in
          toolResult(request, #"{"cartId":"C","items":\#(overflowingItems)}"#)
        }
        return try observeCartAdd(proxy, path: "/mcp")
      },
      check: { #expect(!$0.crashed) }),
  ]
}

// MARK: - Concurrent runs

extension FaultCase {
  static let writers = 50

  /// A history whose every rewrite still passes the compaction size: long ids, so each of
  /// the writers below compacts it while the others append.
  static func writeLargeHistory(_ till: Till) throws {
    let directory = till.stateHome + "/state/till"
    try FileManager.default.createDirectory(
      atPath: directory, withIntermediateDirectories: true)
    let padding = String(repeating: "x", count: 600)
    let lines = (0..<600).map { number in
      #"{"id":"old-\#(number)-\#(padding)","api":"c2a","baseUrl":"http://127.0.0.1:1","#
        + #""startedAt":"2026-01-01T00:00:00Z","state":"completed","#
        + #""updatedAt":"2026-01-01T00:00:00Z"}"#
    }
    try (lines.joined(separator: "\n") + "\n").write(
      toFile: directory + "/history.jsonl", atomically: true, encoding: .utf8)
  }

  static let concurrent: [FaultCase] = [
    FaultCase(
      group: .concurrent,
      fault: "\(writers) `checkout start` at once, each compacting a large history",
      command: "checkout list -q (after \(writers) × -q checkout start --offer success)",
      expectedStatus: 0, expectedMessage: nil, printsID: false,
      run: {
        let till = Till()
        try writeLargeHistory(till)
        let starts = runConcurrently(
          (0..<writers).map { _ in
            { @Sendable in try? till.run(["-q", "checkout", "start", "--offer", "success"]) }
          })
        let printed = Set(
          starts.compactMap { $0?.stdout.trimmingCharacters(in: .whitespacesAndNewlines) }
        )
        .subtracting([""])
        var observation = try observe(till, ["-q", "checkout", "list", "--limit", "100"])
        let listed = Set(observation.result.stdoutLines)
        observation.figures["printed"] = printed.count
        observation.figures["lost"] = printed.subtracting(listed).count
        observation.figures["failed"] = starts.filter { $0?.status != 0 }.count
        return observation
      },
      check: { observation in
        #expect(observation.figures["failed"] == 0, "a start failed")
        #expect(observation.figures["printed"] == writers, "\(observation.figures)")
        #expect(observation.figures["lost"] == 0, "the history lost ids it printed")
      },
      reportedLine: { observation in
        "\(observation.figures["printed"] ?? 0) ids printed, "
          + "\(observation.figures["lost"] ?? -1) missing from the history"
      }),
    FaultCase(
      group: .concurrent, fault: "\(writers) `profile add` at once",
      command: "profile list -q (after \(writers) × profile add pN --base-url URL)",
      expectedStatus: 0, expectedMessage: nil, printsID: false,
      run: {
        let till = Till()
        let adds = runConcurrently(
          (0..<writers).map { number in
            { @Sendable in
              try? till.run(["profile", "add", "p\(number)", "--base-url", "http://127.0.0.1:1"])
            }
          })
        var observation = try observe(till, ["-q", "profile", "list"])
        let listed = Set(observation.result.stdoutLines)
        observation.figures["added"] = adds.filter { $0?.stdout.hasPrefix("Added") == true }.count
        observation.figures["kept"] = (0..<writers).filter { listed.contains("p\($0)") }.count
        return observation
      },
      check: { observation in
        #expect(observation.figures["added"] == writers, "\(observation.figures)")
        #expect(observation.figures["kept"] == writers, "profiles said Added were lost")
      },
      reportedLine: { observation in
        "\(observation.figures["added"] ?? 0) said Added, "
          + "\(observation.figures["kept"] ?? 0) in the config"
      }),
  ]
}

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

// MARK: - Replies and files, named for what they are

extension FaultCase {
  /// `till` with a file of `size` bytes at `path` under its home, run with `arguments`.
  static func observeLargeFile(_ relative: String, size: Int, _ arguments: [String]) throws
    -> FaultObservation
  {
    let server = try FakeC2A.server(always: .respond(FakeC2A.status("CHECK_OUT_DONE")))
    defer { server.stop() }
    let till = Till(baseURL: server.baseURL)
    let path = till.stateHome + "/" + relative
    try FileManager.default.createDirectory(
      atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    FileManager.default.createFile(
      atPath: path, contents: Data(repeating: UInt8(ascii: "#"), count: size))
    chmod(path, 0o600)
    var observation = try observe(
      till, arguments.map { $0.replacingOccurrences(of: "HOME", with: till.stateHome) })
    observation.requests = server.requests
    return observation
  }

  static let words: [FaultCase] = [
    poll(
      "Poll answered without a status line (HTTP/0.9)", group: .words, status: 8,
      message: "the answer does not start with an HTTP status line (HTTP/0.9, or not HTTP)",
      { _, _ in .respondAndClose(Array("hello, this is not HTTP\n".utf8)) }),
    poll(
      "Poll answered with status line `HTTP/7.3 200 OK`", group: .words, status: 8,
      message: "the status line names an HTTP version that is not 1.0, 1.1 or 2",
      { _, _ in .respondAndClose(Array("HTTP/7.3 200 OK\r\nContent-Length: 0\r\n\r\n".utf8)) }),
    poll(
      "Poll answered with a 1 MiB header line", group: .words, status: 8,
      message: "a response header is longer than the 100 KiB a header may be",
      { _, _ in
        .respondAndClose(
          Array("HTTP/1.1 200 OK\r\nX-Big: ".utf8)
            + Array(repeating: UInt8(ascii: "a"), count: 1 << 20)
            + Array("\r\nContent-Length: 0\r\n\r\n".utf8))
      }),
    FaultCase(
      group: .words, fault: "A 2 MiB config file", command: "checkout status trk_FAULT",
      expectedStatus: 2, expectedMessage: "is larger than 1 MiB; refusing to read it",
      printsID: false,
      run: { try observeLargeFile(".config/till/config.toml", size: 2 << 20, status) },
      check: { expectNothingSent($0) }),
    FaultCase(
      group: .words, fault: "A 2 MiB key file",
      command: "--api-key-file key checkout status trk_FAULT",
      expectedStatus: 2, expectedMessage: "/key' is larger than 1 MiB; refusing to read it",
      printsID: false,
      run: { try observeLargeFile("key", size: 2 << 20, ["--api-key-file", "HOME/key"] + status) },
      check: { expectNothingSent($0) }),
  ]
}

extension FaultCase {
  /// A password in a base URL, as a hand-edited config or a flag may hold one.
  static let password = "s3cret-pw"

  /// Every place a base URL is shown: a watch's resume line after Ctrl-C, profile list and
  /// show (text and JSON) of a hand-edited config, and an error naming the URL.
  static let passwordInBaseURL = FaultCase(
    group: .redirects, fault: "A password in the base URL (`http://user:PASSWORD@host`)",
    command: "--base-url http://user:PASSWORD@HOST checkout start --offer o --watch, then Ctrl-C",
    expectedStatus: 130, expectedMessage: "till: interrupted;",
    run: {
      let server = try FakeC2A.server(always: .stall)
      defer { server.stop() }
      let till = Till(baseURL: nil)
      let withPassword = server.baseURL.replacingOccurrences(
        of: "http://", with: "http://user:\(password)@")
      var observation = try observe(
        till, ["--base-url", withPassword, "checkout", "start", "--offer", "o", "--watch"]
      ) { running in
        _ = running.waitForOutput(containing: FakeC2A.trackingNumber)
        Thread.sleep(forTimeInterval: 0.3)
        running.signal(SIGINT)
      }
      let config = till.stateHome + "/.config/till/config.toml"
      try FileManager.default.createDirectory(
        atPath: (config as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
      try #"[profiles.p]\#nbase-url = "\#(withPassword)"\#n"#.write(
        toFile: config, atomically: true, encoding: .utf8)
      var shown: [String] = []
      for arguments in [
        ["profile", "list"], ["--json", "profile", "list"], ["profile", "show", "p"],
        ["--json", "profile", "show", "p"],
        ["--base-url", "http://user:\(password)@127.0.0.1:1", "checkout", "status", "x"],
        ["--base-url", "ftp://user:\(password)@127.0.0.1:1", "checkout", "status", "x"],
      ] {
        let result = try till.run(arguments)
        let typed = arguments.joined(separator: " ").replacingOccurrences(
          of: password, with: "PASSWORD")
        shown.append("$ till \(typed)\n\(result.stdout)\(result.stderr)")
      }
      observation.files["shown"] = shown.joined(separator: "\n")
      observation.files["history"] = fileText(till.stateHome + "/state/till/history.jsonl")
      return observation
    },
    check: { observation in
      let everything =
        observation.result.stdout + observation.result.stderr
        + (observation.files["shown"] ?? "") + (observation.files["history"] ?? "")
      #expect(!everything.contains(password), "the password was shown:\n\(everything)")
      #expect(observation.result.stderr.contains("Resume with: till --base-url 'http://user:"))
      #expect(
        (observation.files["shown"] ?? "").components(separatedBy: "[redacted]").count >= 6,
        "\(observation.files["shown"] ?? "")")
    },
    reportedLine: { observation in
      observation.result.stderr.split(separator: "\n").first { $0.hasPrefix("Resume") }
        .map(String.init) ?? ""
    })
}
