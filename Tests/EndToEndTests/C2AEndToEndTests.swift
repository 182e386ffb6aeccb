import Foundation
import Testing
import TillKit

/// The built `till` against the sandbox, one scenario at a time: what the user sees on stdout
/// and stderr, the exit status, and what the server saw.
@Suite struct C2AEndToEndTests {
  /// Every poll came after the Retry-After the sandbox asked for, and one watch used one
  /// connection (the submit shares it too).
  func expectPolite(_ id: String, polls: Int, connections: Int = 1) throws {
    let stats = try SharedSandbox.stats(id)
    #expect(stats["polls"]?.int == polls, "polls: \(stats.serialized())")
    #expect(stats["earlyPolls"]?.int == 0, "early polls: \(stats.serialized())")
    #expect(stats["connections"]?.array?.count == connections, "\(stats.serialized())")
    for late in stats["lateByMs"]?.array ?? [] { #expect((late.int ?? -1) >= 0) }
  }

  @Test func successIsFollowedToTheEndOverOneConnection() throws {
    let result = try Till().run([
      "checkout", "start", "--offer", "success", "--item", "sku-1:2", "--watch",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stdoutLines
    let id = try #require(trackingNumber(in: lines.first ?? ""))
    #expect(lines.first?.contains("processing") == true)
    #expect(lines.last?.contains("completed") == true)
    #expect(lines.last?.contains("CHECK_OUT_DONE") == true)
    #expect(result.stderr.isEmpty)
    try expectPolite(id, polls: 3)
  }

  @Test func quietPrintsOnlyTheIdAndJSONWatchPrintsOneLinePerChange() throws {
    let till = Till()
    let start = try till.run(["-q", "checkout", "start", "--offer", "success"])
    #expect(start.status == 0)
    let id = start.stdout.trimmingCharacters(in: .newlines)
    #expect(id.hasPrefix("trk_") && !id.contains(" ") && start.stdoutLines.count == 1)
    let watch = try till.run(["checkout", "status", id, "--watch", "--json"])
    #expect(watch.status == 0, "\(watch.stderr)")
    let states = try watch.stdoutLines.map { line in
      try JSONValue.parse(line)["state"]?.string ?? "?"
    }
    #expect(states == ["processing", "completed"])
    let last = try JSONValue.parse(watch.stdoutLines.last!)
    #expect(last["id"]?.string == id)
    #expect(last["raw"]?["status"]?["messageCode"]?.string == "CHECK_OUT_DONE")
    #expect(last["terminal"]?.bool == true)
  }

  @Test func threeDSRedirectIsShownAndPollingResumesAfterTheBrowser() throws {
    let till = Till()
    let watch = try till.start(["checkout", "start", "--offer", "3ds", "--watch"])
    #expect(watch.waitForOutput(containing: "/sandbox/3ds/"), "\(watch.stdoutSoFar)")
    let output = watch.stdoutSoFar
    let id = try #require(trackingNumber(in: output))
    #expect(output.contains("CHECK_OUT_3DS_REQUIRED"))
    #expect(output.contains("3DS id"))
    // The human completes the challenge in a browser.
    let browser = try CurlTransport()
    let page = try browser.send(HTTPRequest(url: SharedSandbox.baseURL + "/sandbox/3ds/" + id))
    #expect(page.status == 200)
    let result = watch.finish()
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdoutLines.last?.contains("completed") == true)
    // The instructions were printed once, not at every poll.
    #expect(result.stdout.components(separatedBy: "Action required").count == 2)
    let stats = try SharedSandbox.stats(id)
    #expect(stats["earlyPolls"]?.int == 0)
    #expect(stats["connections"]?.array?.count == 1)
  }

  @Test func threeDSWithoutWatchExitsThreeWithTheURL() throws {
    let till = Till()
    let id = try till.run(["-q", "checkout", "start", "--offer", "3ds"]).stdout
      .trimmingCharacters(in: .newlines)
    var result = try till.run(["checkout", "status", id])
    for _ in 0..<5 where result.status == 0 {
      Thread.sleep(forTimeInterval: 1.05)
      result = try till.run(["checkout", "status", id])
    }
    #expect(result.status == 3, "\(result.stdout)\(result.stderr)")
    #expect(result.stdout.contains("\(SharedSandbox.baseURL)/sandbox/3ds/\(id)"))
    #expect(result.stdout.contains("action_required"))
  }

  @Test func inlineThreeDSHTMLGoesToAPrivateFileNotTheTerminal() throws {
    let till = Till()
    let result = try till.run([
      "checkout", "start", "--offer", "3ds-html", "--watch", "--max-wait", "4s",
    ])
    #expect(result.status == 5, "\(result.stderr)")
    #expect(!result.stdout.contains("<form"), "raw HTML reached the terminal")
    let id = try #require(trackingNumber(in: result.stdout))
    let path = till.stateHome + "/state/till/3ds/\(id).html"
    #expect(result.stdout.contains("Page      \(path)"))
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    let html = try String(contentsOfFile: path, encoding: .utf8)
    #expect(html.contains("<form") && html.contains("/sandbox/3ds/\(id)"))
    #expect(result.stderr.contains("gave up after --max-wait 4s"))
    #expect(result.stderr.contains("Resume with: till checkout status \(id) --watch"))
  }

  @Test func failureExitsOneWithTheServersMessage() throws {
    let result = try Till().run(["checkout", "start", "--offer", "fail", "--watch"])
    #expect(result.status == 1)
    #expect(result.stdout.contains("failed"))
    #expect(result.stdout.contains("Card declined by issuer"))
  }

  @Test(arguments: ["throttle", "unavailable", "http-date"])
  func serverPacingIsHonoured(offer: String) throws {
    let result = try Till().run(["checkout", "start", "--offer", offer, "--watch"])
    #expect(result.status == 0, "\(offer): \(result.stderr)")
    let id = try #require(trackingNumber(in: result.stdout))
    let stats = try SharedSandbox.stats(id)
    #expect(stats["earlyPolls"]?.int == 0, "\(offer): \(stats.serialized())")
    #expect(stats["connections"]?.array?.count == 1, "\(offer): \(stats.serialized())")
    #expect(result.stdoutLines.last?.contains("completed") == true)
  }

  @Test func neverFinishingIsBoundedByMaxWait() throws {
    let began = Date()
    let result = try Till().run([
      "checkout", "start", "--offer", "never", "--watch", "--max-wait", "3s",
    ])
    #expect(result.status == 5)
    #expect(result.stderr.contains("gave up after --max-wait 3s"))
    #expect(result.stderr.contains("still processing"))
    #expect(Date().timeIntervalSince(began) < 15)
  }

  @Test func canFollowUpFalseStopsTheWatch() throws {
    let result = try Till().run(["checkout", "start", "--offer", "no-follow-up", "--watch"])
    #expect(result.status == 5)
    #expect(result.stderr.contains("canFollowUp: false"))
  }

  @Test func anotherTenantsCheckoutIsAConflict() throws {
    let till = Till()
    let id = try till.run(["-q", "checkout", "start", "--offer", "other-tenant"]).stdout
      .trimmingCharacters(in: .newlines)
    let result = try till.run(["checkout", "status", id])
    #expect(result.status == 7)
    #expect(result.stderr.contains("Tracking belongs to another tenant"))
    #expect(result.stderr.contains("was created by another tenant"))
    #expect(result.stdout.isEmpty)
  }

  @Test func unknownIdIsNotFoundAndNamesTheId() throws {
    let result = try Till().run(["checkout", "status", "trk_NOSUCHCHECKOUT"])
    #expect(result.status == 4)
    #expect(
      result.stderr
        == "till: error: checkout trk_NOSUCHCHECKOUT not found for tenant tenant-e2e "
        + "(ORDERED_ITEM_NOT_FOUND)\n")
  }

  @Test func aMissingAPIKeyIsRefusedByTheServer() throws {
    let result = try Till(apiKey: nil).run(["checkout", "start", "--offer", "success"])
    #expect(result.status == 6)
    #expect(
      result.stderr
        == "till: error: the server wants an API key (HTTP 401) and none was given: "
        + "set TILL_API_KEY or use --api-key-file FILE\n")
  }

  @Test func theSameCorrelationIdNeverCreatesASecondCheckout() throws {
    let till = Till()
    let key = "corr-" + UUID().uuidString
    let first = try till.run([
      "-q", "checkout", "start", "--offer", "success", "--correlation-id", key,
    ])
    let second = try till.run([
      "-q", "checkout", "start", "--offer", "success", "--correlation-id", key,
    ])
    #expect(first.status == 0 && second.status == 0)
    #expect(first.stdout == second.stdout)
  }

  @Test func quietWatchPrintsTheIdAtOnceAndNothingElse() throws {
    let till = Till()
    let watch = try till.start(["-q", "checkout", "start", "--offer", "success", "--watch"])
    #expect(watch.waitForOutput(containing: "trk_", timeout: 5))
    let result = watch.finish()
    #expect(result.status == 0)
    #expect(result.stdoutLines.count == 1)
    #expect(trackingNumber(in: result.stdout) == result.stdoutLines.first)
  }

  @Test func theLocalCartIsSubmittedAndThenEmptied() throws {
    let till = Till()
    #expect(try till.run(["cart", "add", "--item", "sku-a:2", "--item", "sku-b"]).status == 0)
    let shown = try till.run(["cart", "show", "--json"])
    #expect(
      shown.stdout == #"{"items":[{"id":"sku-a","quantity":2},{"id":"sku-b","quantity":1}]}"# + "\n"
    )
    let cartFile = till.stateHome + "/state/till/cart.json"
    let mode = try FileManager.default.attributesOfItem(atPath: cartFile)[.posixPermissions]
    #expect((mode as? NSNumber)?.intValue == 0o600)
    let start = try till.run(["checkout", "start", "--offer", "success"])
    #expect(start.status == 0)
    #expect(try till.run(["cart", "show"]).stdout == "The cart is empty.\n")
    let bad = try till.run(["cart", "add", "--item", "sku:0"])
    #expect(bad.status == 2)
    #expect(bad.stderr.contains("invalid value 'sku:0' for '--item'"))
  }

  @Test func verboseTracesHeadersWithTheKeyRedacted() throws {
    let till = Till(apiKey: "sk_live_SECRET_never_printed")
    let result = try till.run(["-v", "checkout", "start", "--offer", "success"])
    #expect(result.status == 0)
    #expect(result.stderr.contains("> POST /api/v1/c2a/offer/checkout HTTP/1.1"))
    #expect(result.stderr.contains("x-api-key: [redacted]"))
    #expect(result.stderr.contains("< HTTP/1.1 202"))
    #expect(result.stderr.contains("User-Agent: till/"))
    #expect(!result.stderr.contains("SECRET") && !result.stdout.contains("SECRET"))
  }

  @Test func interruptingAWatchPrintsHowToResume() throws {
    let till = Till()
    let watch = try till.start(["checkout", "start", "--offer", "never", "--watch"])
    #expect(watch.waitForOutput(containing: "processing"))
    let id = try #require(trackingNumber(in: watch.stdoutSoFar))
    let sent = Date()
    watch.signal(SIGINT)
    let result = watch.finish(timeout: 5)
    #expect(Date().timeIntervalSince(sent) < 1)
    #expect(result.status == 130)
    #expect(result.stdout.contains(id))
    #expect(result.stderr.contains("Resume with: till checkout status \(id) --watch"))
  }
}

@Suite struct FailureEndToEndTests {
  @Test func connectionRefusedIsANetworkError() throws {
    // Port 9 (discard) on loopback: nothing listens there.
    let result = try Till(baseURL: "http://127.0.0.1:9").run(["checkout", "status", "trk_X"])
    #expect(result.status == 8)
    #expect(
      result.stderr.hasPrefix("till: error: could not connect to 127.0.0.1:9: connection refused"))
    #expect(result.stderr.split(separator: "\n").count == 1)
  }

  @Test func usageErrorsSuggestAndExitTwo() throws {
    let result = try Till().run(["chekout", "status", "x"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("unknown command 'chekout'; did you mean 'checkout'?"))
    #expect(result.stdout.isEmpty)
  }

  @Test func aMissingBaseURLSaysWhatToDo() throws {
    let result = try Till(baseURL: nil).run(["checkout", "status", "trk_X"])
    #expect(result.status == 2)
    #expect(
      result.stderr.contains("no base URL: pass --base-url URL, set TILL_BASE_URL or use a profile")
    )
  }

  @Test func aKeyFileOthersCanReadIsRefused() throws {
    let till = Till(apiKey: nil)
    let path = till.stateHome + "/key"
    try "sk_file_key".write(toFile: path, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
    let refused = try till.run(["--api-key-file", path, "checkout", "status", "trk_X"])
    #expect(refused.status == 2)
    #expect(refused.stderr.contains("chmod 600"))
    try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
    let accepted = try till.run(["--api-key-file", path, "checkout", "status", "trk_X"])
    #expect(accepted.status == 4, "\(accepted.stderr)")
  }

  @Test func versionAndExitCodeHelp() throws {
    let version = try Till().run(["--version"])
    #expect(version.stdout == "till \(TillKit.Till.version)\n")
    let codes = try Till().run(["help", "exit-codes"])
    #expect(codes.status == 0)
    for code in ["0 ", "1 ", "2 ", "3 ", "4 ", "5 ", "6 ", "7 ", "8 ", "130 "] {
      #expect(codes.stdout.contains("\n  " + code), "exit code \(code) missing")
    }
  }
}

@Suite struct UsageErrorEndToEndTests {
  @Test(arguments: [
    (["chekout"], "unknown command 'chekout'; did you mean 'checkout'?"),
    (
      ["checkout", "stauts"], "unknown command 'stauts' for 'till checkout'; did you mean 'status'?"
    ),
    (
      ["checkout", "status", "x", "--jsn"],
      "unknown option '--jsn' for 'till checkout status'; did you mean '--json'?"
    ),
    (
      ["--color", "purple", "cart", "show"],
      "invalid value 'purple' for '--color': expected one of auto, always, never"
    ),
    (["checkout", "status", "x", "--timeout"], "option '--timeout' needs a value (DURATION)"),
    (["--json=yes", "cart", "show"], "option '--json' takes no value; got '--json=yes'"),
    (["checkout", "status", "x", "--max-wait", "soon"], "invalid value 'soon' for '--max-wait'"),
    (["completion", "tcsh"], "invalid value 'tcsh'"),
    (["checkout", "start", "--item", "a:0", "--offer", "o"], "invalid value 'a:0' for '--item'"),
    (["checkout", "status"], "checkout status needs a checkout id (or --last)"),
    (["checkout", "trace"], "checkout trace needs a checkout id (or --last)"),
    (["sandbox", "--port", "70000"], "invalid value '70000' for '--port'"),
    (
      ["--api", "acme", "cart", "add", "--item", "sku-1"],
      "--item is not an option of --api acme (it is for --api c2a)"
    ),
    (
      ["--api", "c2a", "checkout", "start", "--cart", "c1"],
      "--cart is not an option of --api c2a (it is for --api comos and --api acme)"
    ),
    (
      ["--api", "c2a", "event", "list"],
      "'event list' is for --api ticketing; --api c2a has no such command"
    ),
    (
      ["--api", "ticketing", "--status-path", "/s/{id}", "checkout", "status", "x"],
      "--status-path is not an option of --api ticketing (it is for --api acme)"
    ),
  ])
  func exitTwoNamingTheToken(arguments: [String], message: String) throws {
    let result = try Till().run(arguments)
    #expect(result.status == 2, "\(arguments)")
    #expect(result.stderr.hasPrefix("till: error: "), "\(result.stderr)")
    #expect(result.stderr.contains(message), "\(result.stderr)")
    #expect(result.stdout.isEmpty)
  }

  @Test func helpAnswersEveryWay() throws {
    let viaCommand = try Till().run(["help", "checkout", "status"])
    let viaFlag = try Till().run(["checkout", "status", "--help"])
    let viaShort = try Till().run(["checkout", "-h", "status"])
    #expect(viaCommand.status == 0 && viaFlag.status == 0 && viaShort.status == 0)
    #expect(viaCommand.stdout == viaFlag.stdout)
    #expect(viaFlag.stdout == viaShort.stdout)
    #expect(viaFlag.stdout.hasPrefix("OVERVIEW: Show a checkout's state"))
    let environment = try Till().run(["help", "environment"])
    #expect(environment.stdout.contains("TILL_PROFILE"))
    let unknown = try Till().run(["help", "chekout"])
    #expect(unknown.status == 2)
    #expect(unknown.stderr.contains("did you mean 'checkout'?"))
  }
}
