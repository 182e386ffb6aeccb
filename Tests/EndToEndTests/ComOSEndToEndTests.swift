import Foundation
import Testing
import TillKit
import TillSandbox

/// A till driving a ComOS MCP endpoint (the sandbox's, unless given another).
func comosTill(endpoint: String = SharedSandbox.baseURL + "/mcp") -> Till {
  let till = Till()
  till.environment["TILL_API"] = "comos"
  till.environment["TILL_BASE_URL"] = endpoint
  till.environment["TILL_TENANT"] = "tenant-e2e"
  return till
}

/// The sandbox's hosted payment page in `till checkout pay`'s output.
func paymentPageURL(in text: String) -> String? {
  guard
    let range = text.range(
      of: #"http://127\.0\.0\.1:[0-9]+/sandbox/pay/cs_test_[A-Za-z0-9]+"#,
      options: .regularExpression)
  else {
    return nil
  }
  return String(text[range])
}

/// The saga id in a line of output.
func sagaID(in text: String) -> String? {
  guard let range = text.range(of: #"saga_[A-Z0-9]+"#, options: .regularExpression) else {
    return nil
  }
  return String(text[range])
}

/// The same flows over both of the sandbox's Streamable HTTP response forms and the legacy
/// HTTP+SSE transport.
let sandboxMCPEndpoints = [
  SharedSandbox.baseURL + "/mcp", SharedSandbox.baseURL + "/mcp-sse",
  SharedSandbox.baseURL + "/mcp/sse",
]

@Suite struct ComOSEndToEndTests {
  @Test(arguments: sandboxMCPEndpoints)
  func aSagaWithAPaymentMethodCompletes(endpoint: String) throws {
    let till = comosTill(endpoint: endpoint)
    let cart = "alice-\(UUID().uuidString)@example.com"
    let add = try till.run(["cart", "add", "--cart", cart, "--product", "p1", "--quantity", "2"])
    #expect(add.status == 0, "\(add.stderr)")
    #expect(add.stdout == "Cart \(cart) (open): 2 items\n")
    let watch = try till.run([
      "checkout", "start", "--cart", cart, "--user", "u1", "--payment-method", "pm_card_visa",
      "--watch", "--interval", "100ms",
    ])
    #expect(watch.status == 0, "\(watch.stderr)")
    let lines = watch.stdoutLines
    #expect(sagaID(in: lines.first ?? "") != nil)
    #expect(lines.first?.contains("pending") == true)
    #expect(lines.contains { $0.contains("in_progress, at reserve_inventory") })
    #expect(lines.last?.contains("completed") == true)
    // One line per change: every line is an event.
    #expect(lines.allSatisfy { sagaID(in: $0) != nil })
  }

  @Test func theSagaViewTellsSupportWhereItIs() throws {
    let till = comosTill()
    let cart = "view-\(UUID().uuidString)@example.com"
    _ = try till.run(["cart", "add", "--cart", cart, "--product", "p1"])
    let saga = try till.run(["-q", "checkout", "start", "--cart", cart, "--user", "u1"])
      .stdout.trimmingCharacters(in: .newlines)
    // Without a payment method the saga stops at payment_pending: a human must pay.
    var view = try till.run(["checkout", "status", saga])
    for _ in 0..<10 where view.status == 0 { view = try till.run(["checkout", "status", saga]) }
    #expect(view.status == 3, "\(view.stdout)")
    #expect(
      view.stdout.contains("State     action_required (payment_pending), at process_payment, for "))
    #expect(view.stdout.contains("1. validate_cart      done"))
    #expect(view.stdout.contains("4. process_payment    current"))
    #expect(view.stdout.contains("7. clear_cart         pending"))
    #expect(view.stdout.split(separator: "\n").allSatisfy { $0.count <= 80 })
    let json = try till.run(["--json", "checkout", "status", saga])
    let parsed = try JSONValue.parse(json.stdout)
    #expect(parsed["state"]?.string == "action_required")
    #expect(parsed["raw"]?["sagaId"]?.string == saga)
    #expect(parsed["steps"]?.array?.count == 7)
  }

  @Test func paymentIsAHostedPageAndWatchGoesThroughIt() throws {
    let till = comosTill()
    let cart = "pay-\(UUID().uuidString)@example.com"
    _ = try till.run(["cart", "add", "--cart", cart, "--product", "p1"])
    let saga = try till.run(["-q", "checkout", "start", "--cart", cart, "--user", "u1"])
      .stdout.trimmingCharacters(in: .newlines)
    let waiting = try till.run([
      "checkout", "status", saga, "--watch", "--interval", "100ms", "--max-wait", "20s",
    ])
    #expect(waiting.status == 5 || waiting.status == 3, "\(waiting.stderr)")
    let page = try till.run(["checkout", "pay", saga])
    #expect(page.status == 3)
    let url = try #require(paymentPageURL(in: page.stdout), "\(page.stdout)")
    #expect(url.hasPrefix(SharedSandbox.baseURL + "/sandbox/pay/cs_test_"))
    // Unpaid, the saga waits: a watch ends at --max-wait, still in payment_pending.
    let unpaid = try till.run([
      "checkout", "status", saga, "--watch", "--interval", "100ms", "--max-wait", "1s",
    ])
    #expect(unpaid.status == 5, "\(unpaid.stdout)\(unpaid.stderr)")
    #expect(
      try till.run(["--json", "checkout", "status", saga]).stdout.contains("payment_pending"))
    // The customer pays on the page; the saga carries on to the end.
    let browser = try CurlTransport()
    #expect(try browser.send(HTTPRequest(url: url)).status == 200)
    #expect(try browser.send(HTTPRequest(method: .post, url: url)).status == 200)
    let paid = try till.run(["checkout", "status", saga, "--watch", "--interval", "100ms"])
    #expect(paid.status == 0, "\(paid.stderr)")
    #expect(paid.stdout.contains("completed"))
  }

  /// The README's ComOS sequence as pasted: pay straight after start.
  @Test func payWithWatchWaitsForThePaymentStep() throws {
    let till = comosTill()
    let cart = "paste-\(UUID().uuidString)@example.com"
    _ = try till.run(["cart", "add", "--cart", cart, "--product", "p1"])
    let early = try till.run(["-q", "checkout", "start", "--cart", cart, "--user", "u1"])
      .stdout.trimmingCharacters(in: .newlines)
    let refused = try till.run(["checkout", "pay", early])
    if refused.status == 7 {
      #expect(
        refused.stderr.contains("to wait for it, run: till checkout pay \(early) --watch"),
        "\(refused.stderr)")
    }
    let second = "paste2-\(UUID().uuidString)@example.com"
    _ = try till.run(["cart", "add", "--cart", second, "--product", "p1"])
    let saga = try till.run(["-q", "checkout", "start", "--cart", second, "--user", "u1"])
      .stdout.trimmingCharacters(in: .newlines)
    let watch = try till.start([
      "checkout", "pay", saga, "--watch", "--interval", "100ms", "--max-wait", "30s",
    ])
    #expect(watch.waitForOutput(containing: "/sandbox/pay/"), "\(watch.stdoutSoFar)")
    let url = try #require(paymentPageURL(in: watch.stdoutSoFar))
    #expect(try CurlTransport().send(HTTPRequest(method: .post, url: url)).status == 200)
    let paid = watch.finish()
    #expect(paid.status == 0, "\(paid.stdout)\(paid.stderr)")
    #expect(paid.stdout.contains("completed"), "\(paid.stdout)")
  }

  @Test func aDeclinedPaymentFailsAndSaysRetryWontHelp() throws {
    let till = comosTill()
    let cart = "declined-\(UUID().uuidString)@example.com"
    _ = try till.run(["cart", "add", "--cart", cart, "--product", "p1"])
    let result = try till.run([
      "checkout", "start", "--cart", cart, "--user", "u1", "--payment-method", "pm_card_visa",
      "--watch", "--interval", "100ms",
    ])
    #expect(result.status == 1)
    #expect(result.stdout.contains("PAYMENT_DECLINED"))
    #expect(result.stdout.contains("not retryable"))
    let saga = try #require(sagaID(in: result.stdout))
    // `failed` is not the end of a saga that cannot be retried: the watch follows it to
    // `compensated`, the document's final failure.
    #expect(result.stdoutLines.contains { $0.contains(" failed ") }, "\(result.stdout)")
    let end = result.stdoutLines.suffix(2)
    #expect(
      end.first?.contains("compensated") == true,
      "the watch stopped before the compensation: \(result.stdout)")
    // The final view says what was undone and why.
    #expect(
      end.last == "          Compensated reserve_inventory, create_order: payment declined",
      "\(result.stdout)")
    #expect(!result.stderr.contains("checkout retry"), "a retry was offered: \(result.stderr)")
    let view = try till.run(["checkout", "status", saga])
    #expect(view.stdout.contains("State     compensated"), "\(view.stdout)")
    #expect(!view.stdout.contains("compensated (compensated)"), "the state said twice")
    #expect(view.stdout.contains("payment declined"))
  }

  @Test func aRetryableFailureIsRecoveredByRetry() throws {
    let till = comosTill()
    let cart = "flaky-\(UUID().uuidString)@example.com"
    _ = try till.run(["cart", "add", "--cart", cart, "--product", "p1"])
    let failed = try till.run([
      "checkout", "start", "--cart", cart, "--user", "u1", "--payment-method", "pm_card_visa",
      "--watch", "--interval", "100ms",
    ])
    #expect(failed.status == 1)
    #expect(failed.stdout.contains("INVENTORY_SERVICE_ERROR"))
    #expect(failed.stdout.contains("'till checkout retry' may help"))
    let saga = try #require(sagaID(in: failed.stdout))
    #expect(failed.stdoutLines.last?.contains("failed") == true, "\(failed.stdout)")
    #expect(failed.stderr.contains("Retry with: till checkout retry \(saga)"), "\(failed.stderr)")
    let retried = try till.run(["checkout", "retry", saga, "--watch", "--interval", "100ms"])
    #expect(retried.status == 0, "\(retried.stderr)")
    #expect(retried.stdout.contains("completed"))
    let again = try till.run(["checkout", "retry", saga])
    #expect(again.status == 7)
    #expect(again.stderr.contains("only a failed or compensated saga can be retried"))
  }

  @Test func loginSavesAPrivateTokenAndListMergesTheServer() throws {
    let till = comosTill()
    let login = try till.run(["login", "--email", "a@example.com"], stdin: "correct-horse\n")
    #expect(login.status == 0, "\(login.stderr)")
    let tokenFile = till.stateHome + "/state/till/tokens/default.token"
    let mode = try FileManager.default.attributesOfItem(atPath: tokenFile)[.posixPermissions]
    #expect((mode as? NSNumber)?.intValue == 0o600)
    let token = try String(contentsOfFile: tokenFile, encoding: .utf8)
      .trimmingCharacters(in: .newlines)
    #expect(!login.stdout.contains(token))
    let wrong = try till.run(["login", "--email", "a@example.com"], stdin: "nope\n")
    #expect(wrong.status == 6)
    #expect(wrong.stderr.contains("Invalid credentials"))
    let user = "lister-\(UUID().uuidString)"
    let cart = "list-\(UUID().uuidString)@example.com"
    _ = try till.run(["cart", "add", "--cart", cart, "--product", "p1"])
    let saga = try till.run([
      "-v", "-q", "checkout", "start", "--cart", cart, "--user", user,
    ])
    #expect(!saga.stderr.contains(token), "the token reached a trace")
    let list = try till.run(["--json", "checkout", "list", "--user", user])
    #expect(list.status == 0, "\(list.stderr)")
    let ids = (try JSONValue.parse(list.stdout).array ?? []).compactMap { $0["id"]?.string }
    #expect(ids.contains(saga.stdout.trimmingCharacters(in: .newlines)))
  }

  @Test func listForAUserShowsOnlyThatUsersCheckouts() throws {
    let till = comosTill()
    _ = try till.run(["login", "--email", "a@example.com"], stdin: "correct-horse\n")
    var started: [String: String] = [:]
    for user in ["wanted-\(UUID().uuidString)", "other-\(UUID().uuidString)"] {
      let cart = "\(user)@example.com"
      _ = try till.run(["cart", "add", "--cart", cart, "--product", "p1"])
      let saga = try till.run(["-q", "checkout", "start", "--cart", cart, "--user", user])
      #expect(saga.status == 0, "\(saga.stderr)")
      started[user] = saga.stdout.trimmingCharacters(in: .newlines)
    }
    // A C2A checkout in the same history, for no user at all.
    let c2a = try till.run([
      "--api", "c2a", "--base-url", SharedSandbox.baseURL, "-q", "checkout", "start", "--offer",
      "success",
    ])
    #expect(c2a.status == 0, "\(c2a.stderr)")
    let wanted = started.keys.first { $0.hasPrefix("wanted-") }!
    let list = try till.run(["-q", "checkout", "list", "--user", wanted])
    #expect(list.status == 0, "\(list.stderr)")
    #expect(list.stdoutLines == [started[wanted]!], "\(list.stdout)")
    let everything = try till.run(["-q", "checkout", "list"])
    #expect(everything.stdoutLines.count == 3, "\(everything.stdout)")
  }

  @Test func errorsMapToExitStatuses() throws {
    let wrongTenant = comosTill()
    wrongTenant.environment["TILL_TENANT"] = "acme"
    let tenant = try wrongTenant.run(["checkout", "status", "saga_X"])
    #expect(tenant.status == 6)
    #expect(tenant.stderr.contains("TENANT_NOT_FOUND: Unknown tenant 'acme'"))
    let missing = try comosTill().run(["checkout", "status", "saga_NOPE"])
    #expect(missing.status == 4)
    #expect(
      missing.stderr
        == "till: error: reading saga saga_NOPE: SAGA_NOT_FOUND: Saga saga_NOPE not found\n")
    let noTenant = comosTill()
    noTenant.environment["TILL_TENANT"] = nil
    let usage = try noTenant.run(["checkout", "status", "saga_X"])
    #expect(usage.status == 2)
    #expect(usage.stderr.contains("--tenant ID (the gateway's tenant_id)"))
  }

  /// On a sandbox of its own: expiring the sessions of the shared one would end those of
  /// every test running beside it.
  @Test(arguments: ["/mcp", "/mcp/sse"])
  func anExpiredSessionIsReopenedOnce(path: String) throws {
    let sandbox = Sandbox(configuration: SandboxConfiguration())
    try sandbox.start()
    defer { sandbox.stop() }
    let till = comosTill(endpoint: sandbox.baseURL + path)
    let cart = "expiry-\(UUID().uuidString)@example.com"
    _ = try till.run(["cart", "add", "--cart", cart, "--product", "p1"])
    let watch = try till.start([
      "checkout", "start", "--cart", cart, "--user", "u1", "--payment-method", "pm_card_visa",
      "--watch", "--interval", "300ms",
    ])
    #expect(watch.waitForOutput(containing: "in_progress"))
    let expire = try CurlTransport().send(
      HTTPRequest(method: .post, url: sandbox.baseURL + "/sandbox/mcp/expire-sessions"))
    #expect((200...299).contains(expire.status))
    let result = watch.finish()
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdoutLines.last?.contains("completed") == true)
  }
}

/// The built till against a ComOS-shaped server made with the official MCP Python SDK, in its
/// JSON-response and its event-stream modes, and over the legacy HTTP+SSE transport.
@Suite struct MCPSDKInteroperabilityTests {
  @Test(.mcpSDKServer, arguments: MCPServerProcess.Mode.allCases)
  func aWholeSagaAgainstTheSDKServer(mode: MCPServerProcess.Mode) throws {
    let server = try MCPServerProcess.start(mode: mode)
    defer { server.stop() }
    let till = comosTill(endpoint: server.baseURL)
    let cart = "sdk-\(UUID().uuidString)@example.com"
    let add = try till.run(["cart", "add", "--cart", cart, "--product", "p1", "--quantity", "2"])
    #expect(add.status == 0, "\(mode): \(add.stderr)")
    let saga = try till.run(["-q", "checkout", "start", "--cart", cart, "--user", "u1"])
    #expect(saga.status == 0, "\(mode): \(saga.stderr)")
    let id = saga.stdout.trimmingCharacters(in: .newlines)
    #expect(id.hasPrefix("saga_"), "\(mode): \(saga.stdout)")
    let waiting = try till.run([
      "checkout", "status", id, "--watch", "--interval", "100ms", "--max-wait", "20s",
    ])
    #expect(waiting.stdout.contains("payment_pending"), "\(mode): \(waiting.stdout)")
    let paid = try till.run(["checkout", "pay", id, "--watch", "--interval", "100ms"])
    #expect(paid.status == 0, "\(mode): \(paid.stdout)\(paid.stderr)")
    #expect(paid.stdout.contains("https://checkout.stripe.com/"))
    #expect(paid.stdoutLines.last?.contains("completed") == true)
    let flakyCart = "flaky-\(UUID().uuidString)@example.com"
    _ = try till.run(["cart", "add", "--cart", flakyCart, "--product", "p1"])
    let failed = try till.run([
      "checkout", "start", "--cart", flakyCart, "--user", "u1", "--payment-method",
      "pm_card_visa", "--watch", "--interval", "100ms",
    ])
    #expect(failed.status == 1, "\(mode): \(failed.stdout)\(failed.stderr)")
    let flakyID = try #require(sagaID(in: failed.stdout))
    let retried = try till.run(["checkout", "retry", flakyID, "--watch", "--interval", "100ms"])
    #expect(retried.status == 0, "\(mode): \(retried.stdout)\(retried.stderr)")
    let missing = try till.run(["checkout", "status", "saga_NOPE"])
    #expect(missing.status == 4, "\(mode): \(missing.stderr)")
    #expect(missing.stderr.contains("SAGA_NOT_FOUND: Saga saga_NOPE not found"))
  }
}

@Suite struct LiveWatchTests {
  /// On a terminal (a pseudo-terminal made by `script`) a watch redraws its view in place; the
  /// same watch to a pipe prints one plain line per change (checked by the suites above).
  @Test func aWatchOnATerminalRedrawsInPlace() throws {
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else {
      Issue.record("script(1) from util-linux is needed to give till a terminal")
      return
    }
    let till = comosTill()
    let cart = "tty-\(UUID().uuidString)@example.com"
    _ = try till.run(["cart", "add", "--cart", cart, "--product", "p1"])
    till.environment["TERM"] = "xterm"
    let command = [
      Till.binary, "checkout", "start", "--cart", cart, "--user", "u1", "--payment-method",
      "pm_card_visa", "--watch", "--interval", "100ms",
    ].joined(separator: " ")
    let process = try RunningTill(
      binary: "/usr/bin/script", arguments: ["-qec", command, "/dev/null"],
      environment: till.environment, stdin: nil)
    let result = process.finish(timeout: 60)
    #expect(result.status == 0, "\(result.stdout)")
    // Cursor up to the view's first line and clear below, then the view again.
    #expect(
      result.stdout.range(of: #"\x1b\[[0-9]+F\x1b\[J"#, options: .regularExpression) != nil)
    #expect(result.stdout.contains("watched for "))
    #expect(result.stdout.contains("7. clear_cart"))
  }
}

/// `till login` at a real terminal (a pseudo-terminal of its own, `Tests/Scripts/pty-session.py`):
/// the password is asked for without echo, and echo is back however the prompt ends.
@Suite struct LoginPromptTests {
  static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Scripts/pty-session.py").path

  struct Session: Decodable {
    var status: Int32?
    var signal: Int32?
    var output: String
    var stty: String
    var echo: Bool
  }

  /// `till login` on its own terminal: once it asks for the password, `then` happens.
  func login(_ till: Till, then: String) throws -> Session {
    let spec: [String: Any] = [
      "argv": [Till.binary, "login", "--email", "alice@example.com"],
      "env": till.environment, "waitFor": "Password for the login: ", "then": then,
    ]
    let json = String(decoding: try JSONSerialization.data(withJSONObject: spec), as: UTF8.self)
    let (status, output) = try runHelper(["/usr/bin/env", "python3", Self.script, json])
    try #require(status == 0, "pty-session.py: \(output)")
    return try JSONDecoder().decode(Session.self, from: Data(output.utf8))
  }

  func loginTill() -> Till {
    let till = comosTill()
    till.environment["TILL_API_KEY"] = nil
    return till
  }

  @Test(arguments: zip(["ctrl-c", "SIGTERM"], [Int32(130), 143]))
  func aSignalAtThePasswordPromptLeavesEchoOn(then: String, status: Int32) throws {
    let session = try login(loginTill(), then: then)
    let context = "\(session.output)\nstty -a: \(session.stty)"
    #expect(session.signal == nil, "ended by signal \(session.signal ?? 0): \(context)")
    #expect(session.status == status, "\(context)")
    #expect(session.echo, "\(context)")
    #expect(session.stty.split(whereSeparator: \.isWhitespace).contains("echo"), "\(context)")
    #expect(session.output.contains("at the password prompt; nothing was sent"), "\(context)")
  }

  @Test func aPasswordTypedAtThePromptIsNotEchoed() throws {
    let till = loginTill()
    let session = try login(till, then: "correct-horse\n")
    let context = "\(session.output)\nstty -a: \(session.stty)"
    #expect(session.status == 0, "\(context)")
    #expect(session.echo, "\(context)")
    #expect(!session.output.contains("correct-horse"), "the password was echoed: \(context)")
    #expect(session.output.contains("Logged in as alice@example.com"), "\(context)")
  }
}
