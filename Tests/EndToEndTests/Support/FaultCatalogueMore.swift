import Foundation
import Testing
import TillKit
import TillSandbox

// MARK: - Idempotency

extension FaultCase {
  static let customer = "3f2b8c1e-6d4a-4f7e-9b2c-1a2b3c4d5e6f"

  static let idempotency: [FaultCase] = [
    FaultCase(
      group: .idempotency,
      fault: "Connection dropped after the sandbox received the C2A submit",
      command: "checkout start --offer success --watch", expectedStatus: 0,
      expectedMessage: nil, printsID: false,
      run: {
        // A sandbox of its own, so its count of checkouts is this case's alone.
        let sandbox = Sandbox(
          configuration: SandboxConfiguration(pollsBeforeDone: 1, retryAfterSeconds: 1))
        try sandbox.start()
        defer { sandbox.stop() }
        let submits = Counter()
        let proxy = try FaultServer(upstream: sandbox.port) { request, _ in
          request.method == "POST" && submits.next() == 1 ? .forwardThenDrop : .forward
        }
        var observation = try observeFake(
          proxy, ["checkout", "start", "--offer", "success", "--watch"])
        let stats = try JSONValue.parse(
          CurlTransport().send(HTTPRequest(url: sandbox.baseURL + "/sandbox/stats")).body)
        observation.figures["checkoutsCreated"] = stats["checkoutsCreated"]?.int ?? -1
        return observation
      },
      check: { observation in
        let submits = observation.requests.filter { $0.method == "POST" }
        #expect(submits.count == 2, "the dropped submit was sent again")
        #expect(Set(submits.map(\.body)).count == 1, "with the same correlation id")
        #expect(observation.figures["checkoutsCreated"] == 1)
        #expect(observation.result.stdoutLines.last?.contains("completed") == true)
        #expect(trackingNumber(in: observation.result.stdout) != nil)
      }),
    FaultCase(
      group: .idempotency,
      fault: "Connection dropped after the Acme checkout POST (no idempotency key)",
      command: "--api acme checkout start --cart C --customer U --watch", expectedStatus: 8,
      expectedMessage: "lost: the server closed the connection without a response",
      printsID: false,
      run: {
        let proxy = try FaultServer(upstream: SharedSandbox.instance.port) { request, _ in
          request.method == "POST" && request.path.hasSuffix("/checkout")
            ? .forwardThenDrop : .forward
        }
        defer { proxy.stop() }
        let till = Till(baseURL: proxy.baseURL + "/acme")
        till.environment["TILL_API"] = "acme"
        let cart = "cart-" + UUID().uuidString
        let add = try observe(till, ["cart", "add", "--cart", cart, "--product", "sku-1"])
        guard add.result.status == 0 else {
          throw FaultSetupError(description: "cart add failed: \(add.result.stderr)")
        }
        var observation = try observe(
          till, ["checkout", "start", "--cart", cart, "--customer", customer, "--watch"])
        observation.requests = proxy.requests
        return observation
      },
      check: { observation in
        let checkouts = observation.requests.filter {
          $0.method == "POST" && $0.path.hasSuffix("/checkout")
        }
        #expect(checkouts.count == 1, "a POST without an idempotency key was sent again")
      }),
    FaultCase(
      group: .idempotency,
      fault: "Connection dropped after the ticketing payment POST (no idempotency key)",
      command: "--api ticketing checkout pay ORDER --amount 1.00 --user U", expectedStatus: 8,
      expectedMessage: "lost: the server closed the connection without a response",
      printsID: false,
      run: {
        let proxy = try FaultServer(upstream: SharedSandbox.instance.port) { request, _ in
          request.method == "POST" && request.path.hasSuffix("/payments")
            ? .forwardThenDrop : .forward
        }
        defer { proxy.stop() }
        let till = Till(baseURL: proxy.baseURL)
        till.environment["TILL_API"] = "ticketing"
        let user = "user-" + UUID().uuidString
        let seat = UUID().uuidString.lowercased()
        let add = try observe(
          till,
          ["-q", "cart", "add", "--seat", seat, "--price", "1.00", "--reserve", "--user", user])
        let order = add.result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let start = try observe(till, ["checkout", "start", "--order", order, "--user", user])
        guard add.result.status == 0, start.result.status == 0 else {
          throw FaultSetupError(
            description: "no pending order: \(add.result.stderr)\(start.result.stderr)")
        }
        var observation = try observe(
          till, ["checkout", "pay", order, "--amount", "1.00", "--user", user])
        observation.requests = proxy.requests
        return observation
      },
      check: { observation in
        let payments = observation.requests.filter {
          $0.method == "POST" && $0.path.hasSuffix("/payments")
        }
        #expect(payments.count == 1, "a payment without an idempotency key was sent again")
      }),
  ]
}

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

// MARK: - Hostile server text

/// Every kind of terminal control a server might slip into a string, as JSON escapes: erase
/// the screen, set the window title (OSC ending in BEL), a hyperlink (OSC ending in ST),
/// colour, an 8-bit CSI (U+009B), NEL and RI (C1 controls), DEL and a bidi override.
let hostileJSONText =
  #"\u001b[2J\u001b]0;owned\u0007 \u001b]8;;http://evil\u001b\\link\u001b]8;;\u001b\\ "#
  + #"\u001b[31mred\u001b[0m \u009b6n \u0085\u008d\u007f \u202eevil"#

/// The same text as `till` receives it.
let hostileText =
  "\u{1b}[2J\u{1b}]0;owned\u{07} \u{1b}]8;;http://evil\u{1b}\\link\u{1b}]8;;\u{1b}\\ "
  + "\u{1b}[31mred\u{1b}[0m \u{9b}6n \u{85}\u{8d}\u{7f} \u{202e}evil"

/// No raw control character reached standard output or error: only escaped forms.
func expectNoRawControls(_ observation: FaultObservation) {
  for (name, text) in [
    ("stdout", observation.result.stdout), ("stderr", observation.result.stderr),
  ] {
    let raw = text.unicodeScalars.filter { scalar in
      (scalar.value < 0x20 && scalar != "\n" && scalar != "\t")
        || (0x7F...0x9F).contains(scalar.value) || (0x202A...0x202E).contains(scalar.value)
        || (0x2066...0x2069).contains(scalar.value)
    }
    #expect(raw.isEmpty, "raw controls on \(name): \(raw.map { String($0.value, radix: 16) })")
  }
}

extension FaultCase {
  static let hostileChallenge = httpResponse(
    200, "OK",
    json: #"{"trackingNumber":"trk_FAULT","status":{"messageCode":"CHECK_OUT_3DS_REQUIRED","#
      + #""message":"\#(hostileJSONText)"},"redirectInstructions":{"#
      + #""redirectUrl":"http://127.0.0.1/3ds?\#(hostileJSONText)","#
      + #""threeDIdentifier":"3ds-\#(hostileJSONText)","htmlContent":"<p>\#(hostileJSONText)</p>","#
      + #""isRedirectRequired":true,"hasNextSteps":true,"showHtmlContent":true},"#
      + #""followUpInstructions":{"retryAfterSeconds":1,"canFollowUp":true}}"#)

  static let hostileSaga = httpResponse(
    200, "OK",
    json: #"{"checkoutSessionId":"cs_1","status":"COMPENSATED","steps":["#
      + #"{"name":"reserve \#(hostileJSONText)","status":"compensated"},"#
      + #"{"name":"authorize_payment","status":"failed","error":{"code":"E\#(hostileJSONText)","#
      + #""message":"declined \#(hostileJSONText)","retryable":false}}],"compensation":["#
      + #"{"step":"reserve \#(hostileJSONText)","action":"released","#
      + #""reason":"\#(hostileJSONText)"}],"error":{"code":"PAYMENT_DECLINED","#
      + #""message":"\#(hostileJSONText)"}}"#)

  static let hostile: [FaultCase] = [
    poll(
      "Controls in the message, 3DS URL, 3DS id and HTML of a watch", group: .hostile, status: 5,
      message: "gave up after --max-wait 3s",
      command: "checkout start --offer o --watch --max-wait 3s",
      arguments: ["checkout", "start", "--offer", "o", "--watch", "--max-wait", "3s"],
      { _, _ in .respond(hostileChallenge) },
      check: { observation in
        expectNoRawControls(observation)
        #expect(observation.result.stdout.contains(#"\x1b[2J\x1b]0;owned\x07"#))
        #expect(observation.result.stdout.contains(#"\u{9b}6n \u{85}\u{8d}\x7f \u{202e}evil"#))
      }),
    poll(
      "Controls in every string, with --json", group: .hostile, status: 5,
      message: "gave up after --max-wait 3s",
      command: "--json checkout start --offer o --watch --max-wait 3s",
      arguments: ["--json", "checkout", "start", "--offer", "o", "--watch", "--max-wait", "3s"],
      { _, _ in .respond(hostileChallenge) },
      check: { observation in
        expectNoRawControls(observation)
        let lines = observation.result.stdoutLines.compactMap { try? JSONValue.parse($0) }
        #expect(lines.count == observation.result.stdoutLines.count, "every line is JSON")
        #expect(lines.last?["message"]?.string == hostileText, "kept, escaped, in the JSON")
        #expect(lines.last?["redirect"]?["threeDIdentifier"]?.string == "3ds-" + hostileText)
        #expect(observation.result.stdout.contains(#"\u001b]0;owned\u0007"#))
        #expect(observation.result.stdout.contains(#"\u009b6n"#))
      }),
    FaultCase(
      group: .hostile, fault: "Controls in the tracking number itself",
      command: "checkout start --offer o --watch --max-wait 2s", expectedStatus: 8,
      expectedMessage: #"its id 'trk_\x1b]0;owned\x07X' holds a control"#, printsID: false,
      run: {
        let id = #"trk_\u001b]0;owned\u0007X"#
        let body =
          #"{"trackingNumber":"\#(id)","status":{"messageCode":"CHECK_OUT_PROCESSING"},"#
          + #""followUpInstructions":{"retryAfterSeconds":1,"canFollowUp":true}}"#
        let server = try FakeC2A.server(submit: .respond(httpResponse(202, json: body))) { _, _ in
          .respond(httpResponse(200, json: body))
        }
        return try observeFake(
          server, ["checkout", "start", "--offer", "o", "--watch", "--max-wait", "2s"])
      },
      check: { observation in
        // Shown escaped, never passed on; the history keeps it for `--last`.
        #expect(observation.result.stdout.isEmpty)
        #expect(observation.result.stderr.contains("till checkout status --last"))
        expectNoRawControls(observation)
      }),
    FaultCase(
      group: .hostile, fault: "Controls in an error answer's problem title (409)",
      command: "checkout status trk_FAULT", expectedStatus: 7,
      expectedMessage: #"conflict (HTTP 409): \x1b[2J\x1b]0;owned\x07"#, printsID: false,
      run: {
        let server = try FaultServer { _, _ in
          .respond(
            httpResponse(
              409, "Conflict", body: Array(#"{"title":"\#(hostileJSONText)"}"#.utf8),
              contentType: "application/problem+json"))
        }
        return try observeFake(server, ["checkout", "status", FakeC2A.trackingNumber])
      },
      check: expectNoRawControls),
    FaultCase(
      group: .hostile, fault: "Raw controls and invalid UTF-8 in a plain-text 500",
      command: "checkout status trk_FAULT", expectedStatus: 8,
      expectedMessage: #"server error (HTTP 500): \x1b]0;owned\x07 "#, printsID: false,
      run: {
        let server = try FaultServer { _, _ in
          .respond(
            httpResponse(
              500, "Internal Server Error",
              body: Array("\u{1b}]0;owned\u{07} \u{9b}2J boom ".utf8) + [0xFF, 0x1B, 0x5B, 0x33],
              contentType: "text/plain"))
        }
        return try observeFake(server, ["checkout", "status", FakeC2A.trackingNumber])
      },
      check: expectNoRawControls),
    FaultCase(
      group: .hostile, fault: "Controls in a response header, traced with -v",
      command: "-v checkout status trk_FAULT", expectedStatus: 0,
      expectedMessage: "* ", printsID: false,
      run: {
        let server = try FaultServer { _, _ in
          .respond(
            httpResponse(
              200, "OK", headers: [("X-Note", "\u{1b}]0;owned\u{07}\u{1b}[2J")],
              body: Array(FakeC2A.statusJSON("CHECK_OUT_DONE").utf8)))
        }
        return try observeFake(server, ["-v", "checkout", "status", FakeC2A.trackingNumber])
      },
      check: { observation in
        expectNoRawControls(observation)
        #expect(observation.result.stderr.contains(#"< X-Note: \x1b]0;owned\x07\x1b[2J"#))
      },
      reportedLine: { observation in
        observation.stderrLines.first { $0.hasPrefix("< X-Note") } ?? observation.firstLine
      }),
    FaultCase(
      group: .hostile, fault: "Controls in an Acme saga's step names, errors and compensation",
      command: "--api acme checkout status cs_1", expectedStatus: 1, expectedMessage: nil,
      printsID: false, reportsError: false,
      run: {
        let server = try FaultServer { _, _ in .respond(hostileSaga) }
        defer { server.stop() }
        let till = Till(baseURL: server.baseURL)
        till.environment["TILL_API"] = "acme"
        return try observe(till, ["checkout", "status", "cs_1"])
      },
      check: { observation in
        expectNoRawControls(observation)
        #expect(observation.result.stdout.contains(#"reserve \x1b[2J"#))
        #expect(observation.result.stdout.contains(#"declined \x1b[2J"#))
      }),
  ]
}

// MARK: - TLS

/// Self-signed certificates made with `openssl` for this test run, and a directory that
/// `openssl s_server -WWW` serves a C2A status from.
enum TLSFixture {
  static let directory: String = {
    let path = NSTemporaryDirectory() + "till-tls-" + UUID().uuidString
    try? FileManager.default.createDirectory(
      atPath: path + "/www/api/v1/c2a/offer/checkout/trk_TLS", withIntermediateDirectories: true)
    try? #"{"trackingNumber":"trk_TLS","status":{"messageCode":"CHECK_OUT_DONE"}}"#.write(
      toFile: path + "/www/api/v1/c2a/offer/checkout/trk_TLS/status", atomically: true,
      encoding: .utf8)
    return path
  }()

  /// Makes `<name>.pem` and `<name>-key.pem` for the subject alternative name `san`.
  static func certificate(_ name: String, san: String) throws -> String {
    let certificate = directory + "/\(name).pem"
    if FileManager.default.fileExists(atPath: certificate) { return certificate }
    let made = try runHelper(
      [
        "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
        "/CN=till-test",
        "-addext", "subjectAltName=\(san)", "-keyout", directory + "/\(name)-key.pem",
        "-out", certificate,
      ])
    guard made.status == 0 else {
      throw FaultSetupError(description: "openssl req failed: \(made.output)")
    }
    return certificate
  }

  static let lock = NSLock()

  /// `openssl s_server -WWW` with the certificate `name`, on a port the kernel picks.
  static func server(_ name: String, san: String) throws -> (HelperProcess, UInt16) {
    let certificate = try lock.withLock { try Self.certificate(name, san: san) }
    let server = try HelperProcess(
      [
        "openssl", "s_server", "-accept", "127.0.0.1:0", "-cert", certificate, "-key",
        directory + "/\(name)-key.pem", "-WWW",
      ], in: directory + "/www")
    // "ACCEPT 127.0.0.1:40123" once it listens.
    _ = server.waitForOutput(containing: "ACCEPT 127.0.0.1:", seconds: 10)
    let line = server.outputText.split(separator: "\n").first { $0.hasPrefix("ACCEPT") }
    guard let port = line?.split(separator: ":").last.flatMap({ UInt16($0) }) else {
      server.stop()
      throw FaultSetupError(description: "openssl s_server did not start: \(server.outputText)")
    }
    return (server, port)
  }

  static func observe(_ name: String, san: String, _ arguments: (String) -> [String]) throws
    -> FaultObservation
  {
    let (server, port) = try server(name, san: san)
    defer { server.stop() }
    let till = Till(baseURL: "https://127.0.0.1:\(port)")
    return try EndToEndTests.observe(
      till, arguments(directory + "/\(name).pem") + ["checkout", "status", "trk_TLS"])
  }
}

extension FaultCase {
  static let tls: [FaultCase] = [
    FaultCase(
      group: .tls, fault: "Self-signed certificate, verified as by default",
      command: "checkout status trk_TLS", expectedStatus: 8,
      expectedMessage: "certificate problem: self-signed certificate", printsID: false,
      run: { try TLSFixture.observe("loopback", san: "IP:127.0.0.1") { _ in [] } }),
    FaultCase(
      group: .tls, fault: "Self-signed certificate, trusted with --cacert",
      command: "--cacert cert.pem checkout status trk_TLS", expectedStatus: 0,
      expectedMessage: nil, printsID: false,
      run: {
        try TLSFixture.observe("loopback", san: "IP:127.0.0.1") { ["--cacert", $0] }
      },
      check: { #expect($0.result.stdout.contains("completed (CHECK_OUT_DONE)")) }),
    FaultCase(
      group: .tls, fault: "Self-signed certificate, accepted with --insecure",
      command: "--insecure checkout status trk_TLS", expectedStatus: 0,
      expectedMessage: "till: warning: --insecure: the server's TLS certificate is not verified",
      printsID: false,
      run: { try TLSFixture.observe("loopback", san: "IP:127.0.0.1") { _ in ["--insecure"] } },
      check: { #expect($0.result.stdout.contains("completed (CHECK_OUT_DONE)")) }),
    FaultCase(
      group: .tls, fault: "Certificate for another host name, trusted with --cacert",
      command: "--cacert other.pem checkout status trk_TLS", expectedStatus: 8,
      expectedMessage: "no alternative certificate subject name matches target host name",
      printsID: false,
      run: {
        try TLSFixture.observe("otherhost", san: "DNS:checkout.example") { ["--cacert", $0] }
      }),
  ]
}

// MARK: - MCP transport

extension FaultCase {
  /// A proxy in front of the sandbox's MCP endpoint that passes the handshake through and
  /// treats each `tools/call` as `onToolCall` says.
  static func mcpProxy(
    onToolCall: @escaping @Sendable (ReceivedRequest) -> FaultAction
  ) throws -> FaultServer {
    try FaultServer(upstream: SharedSandbox.instance.port) { request, _ in
      let body = String(decoding: request.body, as: UTF8.self)
      return request.method == "POST" && body.contains(#""method":"tools/call""#)
        ? onToolCall(request) : .forward
    }
  }

  /// `cart add` through the proxy, the smallest command that calls one MCP tool. Each case
  /// names a cart of its own, so the sandbox (shared by the test run) answers it the same way
  /// every run.
  static func observeCartAdd(
    _ proxy: FaultServer, path: String, cart: String = "C", extra: [String] = []
  ) throws -> FaultObservation {
    defer { proxy.stop() }
    let till = comosTill(endpoint: proxy.baseURL + path)
    var observation = try observe(
      till, extra + ["cart", "add", "--cart", cart, "--product", "p1"])
    observation.requests = proxy.requests
    return observation
  }

  static let mcp: [FaultCase] = [
    FaultCase(
      group: .mcp,
      fault: "Event stream kept open after the JSON-RPC response",
      command: "--api comos --timeout 20s cart add --cart held-open --product p1",
      expectedStatus: 0, expectedMessage: nil, printsID: false,
      run: {
        let proxy = try mcpProxy { _ in .forwardHoldingEventStreams }
        return try observeCartAdd(
          proxy, path: "/mcp-sse", cart: "held-open", extra: ["--timeout", "20s"])
      },
      check: { observation in
        // Had till waited for the stream to end, --timeout would have ended it with exit 8.
        #expect(observation.result.stdout.contains("(open): 1 item"), "\(observation.result)")
        #expect(observation.requests.contains { $0.method == "DELETE" }, "the session was ended")
      },
      reportedLine: { $0.result.stdoutLines.last ?? "" }),
    FaultCase(
      group: .mcp,
      fault: "Connection reset in the middle of a tool's answer",
      command: "--api comos cart add --cart C --product p1", expectedStatus: 8,
      expectedMessage: "lost",
      printsID: false,
      run: {
        let partial = httpResponse(
          200, "OK", body: Array(#"{"jsonrpc":"2.0","id":2,"res"#.utf8), length: 400)
        let proxy = try mcpProxy { _ in .reset(after: partial) }
        return try observeCartAdd(proxy, path: "/mcp")
      },
      check: { observation in
        let calls = observation.requests.filter {
          String(decoding: $0.body, as: UTF8.self).contains("tools/call")
        }
        #expect(calls.count == 1, "a tool call, which has no idempotency key, was sent again")
      }),
    FaultCase(
      group: .mcp,
      fault: "Tool call answered with nothing until --timeout",
      command: "--api comos --timeout 2s cart add --cart C --product p1", expectedStatus: 8,
      expectedMessage: "no complete response", printsID: false,
      run: {
        let proxy = try mcpProxy { _ in .stall }
        return try observeCartAdd(proxy, path: "/mcp", extra: ["--timeout", "2s"])
      }),
    FaultCase(
      group: .mcp,
      fault: "Tool call answered with an HTML page",
      command: "--api comos cart add --cart C --product p1", expectedStatus: 8,
      expectedMessage: "not JSON", printsID: false,
      run: {
        let page = httpResponse(
          200, "OK", body: Array("<html><body>Bad gateway</body></html>".utf8),
          contentType: "text/html")
        let proxy = try mcpProxy { _ in .respond(page) }
        return try observeCartAdd(proxy, path: "/mcp")
      }),
    FaultCase(
      group: .mcp,
      fault: "Event stream that ends without the response",
      command: "--api comos cart add --cart C --product p1", expectedStatus: 8,
      expectedMessage: "no JSON-RPC response with id", printsID: false,
      run: {
        let stream = httpResponse(
          200, "OK",
          body: Array(
            (": keep-alive\r\n\r\nevent: message\r\n"
              + #"data: {"jsonrpc":"2.0","method":"notifications/progress","params":{}}"#
              + "\r\n\r\n").utf8),
          contentType: "text/event-stream")
        let proxy = try mcpProxy { _ in .respondAndClose(stream) }
        return try observeCartAdd(proxy, path: "/mcp-sse")
      }),
  ]
}
