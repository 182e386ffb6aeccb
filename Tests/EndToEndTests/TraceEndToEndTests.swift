import Foundation
import Testing
import TillKit

/// `--trace FILE` and `till checkout trace`: the HAR 1.2 log of a run, read back by haralyzer
/// (a HAR reader of its own) and searched for every secret the run used.
@Suite struct TraceEndToEndTests {
  struct Entry: Decodable {
    struct Wait: Decodable {
      var why: String
      var plannedWaitMs: Double
      var actualWaitMs: Double
    }
    var method: String
    var url: String
    var status: Int
    var time: Double
    var timings: [String: Double]
    var requestBody: String
    var responseBody: String
    var wait: Wait?
    var comment: String
    var error: String?
  }

  struct Log: Decodable {
    var version: String
    var entries: [Entry]
  }

  /// The log as haralyzer reads it; fails the test when it cannot.
  static func read(_ path: String) throws -> Log {
    try readBack(Log.self, with: "har-read.py", path)
  }

  static func text(_ path: String) throws -> String {
    try String(contentsOfFile: path, encoding: .utf8)
  }

  @Test func aWatchIsRecordedWithEveryPollItsWaitAndNoSecret() throws {
    let apiKey = "sk_test_trace_4f9c2e7a1b"
    let till = Till(apiKey: apiKey)
    let card = till.stateHome + "/card.json"
    try #"{"number":"4111111111111111","cvv":"737","expiry":"12/30","holder":"Ada Lovelace"}"#
      .write(toFile: card, atomically: true, encoding: .utf8)
    chmod(card, 0o600)
    let har = till.stateHome + "/watch.har"
    let result = try till.run([
      "--trace", har, "checkout", "start", "--offer", "throttle", "--card-file", card, "--watch",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.contains("Trace written to \(har): "), "\(result.stderr)")
    let id = try #require(trackingNumber(in: result.stdout))

    let log = try Self.read(har)
    #expect(log.version == "1.2")
    // Every request the sandbox saw is in the log, in the order sent.
    let stats = try SharedSandbox.stats(id)
    let polls = try #require(stats["polls"]?.int)
    #expect(log.entries.count == 1 + polls, "\(log.entries.map(\.status))")
    #expect(log.entries.first?.method == "POST")
    #expect(log.entries.first?.status == 202)
    #expect(
      log.entries.dropFirst().allSatisfy { $0.method == "GET" && $0.url.hasSuffix("/status") })
    #expect(log.entries.last?.responseBody.contains("CHECK_OUT_DONE") == true)
    // The 429 and the retry it caused, each wait with what asked for it.
    let throttled = try #require(log.entries.firstIndex { $0.status == 429 })
    let retry = try #require(log.entries[throttled + 1].wait)
    #expect(retry.why.hasPrefix("a retry after HTTP 429"), "\(retry.why)")
    let firstPoll = try #require(log.entries[1].wait)
    #expect(firstPoll.why == "the server asked for Retry-After 1000 ms, retryAfterSeconds 1000 ms")
    for entry in log.entries.dropFirst() {
      let wait = try #require(entry.wait, "a poll without its wait: \(entry.url)")
      #expect(wait.actualWaitMs >= wait.plannedWaitMs, "sent early: \(entry.comment)")
      #expect(entry.comment.hasPrefix("sent after a wait of "))
    }
    #expect(log.entries.allSatisfy { $0.timings["wait"] ?? -1 >= 0 && $0.time >= 0 })

    // What the submit carried, without the card.
    let submitted = try JSONValue.parse(log.entries[0].requestBody)
    #expect(submitted["order"]?["offerIdentifier"]?.string == "throttle")
    #expect(submitted["paymentMethod"]?["creditCard"]?.string == "[redacted]")
    let file = try Self.text(har)
    // The CVC as a JSON string: its digits alone can be part of a port or a timing.
    for secret in [apiKey, "4111111111111111", #""737""#, "Ada Lovelace", "cvv"] {
      #expect(!file.contains(secret), "\(secret) is in the HAR file")
    }
    #expect(file.contains(#""name":"x-api-key","value":"[redacted]""#))
    var info = stat()
    #expect(stat(har, &info) == 0 && info.st_mode & 0o777 == 0o600, "the file is private")
  }

  @Test func checkoutTraceRecordsAComOSSagaWithoutTokenOrPassword() throws {
    let till = comosTill()
    till.environment["TILL_API_KEY"] = nil
    let login = try till.run(
      ["--trace", "login.har", "login", "--email", "alice@example.com"], stdin: "correct-horse\n",
      directory: till.stateHome)
    #expect(login.status == 0, "\(login.stderr)")
    let token = try String(
      contentsOfFile: till.stateHome + "/state/till/tokens/default.token", encoding: .utf8
    ).trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(token.count >= 6)
    let loginLog = try Self.read(till.stateHome + "/login.har")
    #expect(loginLog.entries.contains { $0.requestBody.contains(#""password":"[redacted]""#) })

    let cart = "trace-\(UUID().uuidString)"
    _ = try till.run(["cart", "add", "--cart", cart, "--product", "p1"])
    let saga = try till.run([
      "-q", "checkout", "start", "--cart", cart, "--user", "u1", "--payment-method",
      "pm_card_visa",
    ]).stdout.trimmingCharacters(in: .newlines)
    let traced = try till.run(
      ["checkout", "trace", saga, "--watch", "--interval", "100ms"], directory: till.stateHome)
    #expect(traced.status == 0, "\(traced.stderr)")
    #expect(traced.stdout.contains("completed"))
    let path = till.stateHome + "/till-trace-\(saga).har"
    #expect(traced.stderr.contains("Trace written to till-trace-\(saga).har"), "\(traced.stderr)")
    let log = try Self.read(path)
    let calls = log.entries.filter { $0.requestBody.contains(#""checkout_status""#) }
    #expect(calls.count >= 6, "\(log.entries.map(\.requestBody))")
    #expect(calls.allSatisfy { $0.requestBody.contains(#""auth_token":"[redacted]""#) })
    #expect(
      calls.dropFirst().allSatisfy { $0.wait?.why.contains("no wait (the interval)") == true })
    for (name, file) in [("login", till.stateHome + "/login.har"), ("trace", path)] {
      let text = try Self.text(file)
      #expect(!text.contains(token), "the token is in the \(name) log")
      #expect(!text.contains("correct-horse"), "the password is in the \(name) log")
    }
  }

  @Test func aFailedRunStillWritesWhatHappened() throws {
    let till = Till(baseURL: "http://127.0.0.1:9")
    let har = till.stateHome + "/failed.har"
    let result = try till.run(["--trace", har, "checkout", "status", "trk_NOPE"])
    #expect(result.status == 8, "\(result.stderr)")
    let log = try Self.read(har)
    #expect(log.entries.count >= 1)
    #expect(log.entries.allSatisfy { $0.status == 0 && $0.error?.contains("127.0.0.1:9") == true })
  }

  /// A hostile server's answer in the log: a body of 2 MiB is kept to its first 256 KiB (with
  /// its real size said), and bytes that are not text or are escapes stay inside the JSON.
  @Test func aHugeOrHostileAnswerIsKeptBounded() throws {
    let padding = String(repeating: "x", count: 2 * 1_048_576)
    let json =
      #"{"trackingNumber":"\#(FakeC2A.trackingNumber)","status":{"messageCode":"CHECK_OUT_DONE","#
      + #""message":"\u001b]0;owned\u0007"},"padding":"\#(padding)"}"#
    let server = try FaultServer { _, _ in
      .respond(httpResponse(200, "OK", headers: [("X-Odd", "\u{1}\u{7f}é")], json: json))
    }
    defer { server.stop() }
    let till = Till(baseURL: server.baseURL)
    let har = till.stateHome + "/huge.har"
    let result = try till.run(["--trace", har, "checkout", "status", FakeC2A.trackingNumber])
    #expect(result.status == 0, "\(result.stderr)")
    let log = try Self.read(har)
    let entry = try #require(log.entries.first)
    #expect(entry.responseBody.utf8.count == 256 * 1024)
    #expect(entry.comment.contains("had \(json.utf8.count) bytes; the first 262144 are kept"))
    var info = stat()
    #expect(stat(har, &info) == 0 && info.st_size < 400_000, "\(info.st_size) bytes")
  }

  /// Over TLS the handshake has its own time, and HAR counts it inside connect as well.
  @Test func aTLSExchangeTimesItsHandshake() throws {
    let (server, port) = try TLSFixture.server("loopback", san: "IP:127.0.0.1")
    defer { server.stop() }
    let till = Till(baseURL: "https://127.0.0.1:\(port)")
    let har = till.stateHome + "/tls.har"
    let result = try till.run([
      "--trace", har, "--cacert", TLSFixture.directory + "/loopback.pem", "checkout", "status",
      "trk_TLS",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let entry = try #require(try Self.read(har).entries.first)
    let ssl = try #require(entry.timings["ssl"])
    let connect = try #require(entry.timings["connect"])
    #expect(ssl > 0 && connect >= ssl, "\(entry.timings)")
    let parts = ["dns", "connect", "send", "wait", "receive"].compactMap { entry.timings[$0] }
    #expect(abs(entry.time - parts.reduce(0, +)) < 0.01, "time is the sum of its phases")
  }

  /// A file the user names goes where they said or nowhere: a missing directory is not made,
  /// and the command's own outcome stands.
  @Test func anOutputInAMissingDirectoryIsAWarning() throws {
    let till = Till()
    let missing = till.stateHome + "/no-such-dir"
    let result = try till.run([
      "--trace", missing + "/x.har", "checkout", "start", "--offer", "success", "--watch",
      "--interval", "100ms", "--report-junit", missing + "/r.xml",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(trackingNumber(in: result.stdout) != nil)
    for (option, file) in [("--report-junit", "r.xml"), ("--trace", "x.har")] {
      #expect(
        result.stderr.contains(
          "till: warning: \(option): cannot write '\(missing)/\(file)': no such file or directory"),
        "\(result.stderr)")
    }
    #expect(!FileManager.default.fileExists(atPath: missing), "a directory was made")
  }

  /// Every string in a HAR document, and in the JSON documents those strings hold (a body,
  /// and a body the server quoted inside its own).
  static func strings(in value: Any) -> [String] {
    switch value {
    case let text as String:
      guard let nested = try? JSONSerialization.jsonObject(with: Data(text.utf8)),
        nested is [Any] || nested is [String: Any]
      else { return [text] }
      return [text] + strings(in: nested)
    case let object as [String: Any]: return object.keys + object.values.flatMap(strings)
    case let array as [Any]: return array.flatMap(strings)
    default: return []
    }
  }

  /// `text` as it stands between the quotes of a JSON string.
  static func quoted(_ text: String) -> String {
    let data = try! JSONSerialization.data(withJSONObject: [text])
    return String(String(decoding: data, as: UTF8.self).dropFirst(2).dropLast(2))
  }

  /// A ticketing guest token, short or holding a quote and a backslash, sent in a checkout's
  /// body and echoed by the server in every form it could travel in: as it is, in the
  /// request body it quotes as a string, percent-encoded in a link and a header.
  @Test(arguments: ["g7", #"t"\"#, #"gu"e\st-token"#])
  func aGuestTokenIsRedactedInEveryForm(_ token: String) throws {
    let encoded = token.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    let server = try FaultServer { request, _ in
      let body =
        #"{"id":"ord-1","state":"pending","totalAmount":50.00,"items":[],"guestToken":"#
        + #""\#(Self.quoted(token))","receipt":"https://pay.example/r?guest=\#(encoded)","#
        + #""request":"\#(Self.quoted(request.bodyText))","note":"ordered by \#(Self.quoted(token))"}"#
      return .respond(
        httpResponse(200, "OK", headers: [("X-Guest", encoded)], body: Array(body.utf8)))
    }
    defer { server.stop() }
    let till = Till(baseURL: server.baseURL)
    till.environment["TILL_API"] = "ticketing"
    till.environment["TILL_GUEST_TOKEN"] = token
    let har = till.stateHome + "/guest.har"
    let result = try till.run([
      "--trace", har, "checkout", "start", "--order", "ord-1",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(server.requests.first?.bodyText.contains(Self.quoted(token)) == true, "not sent")
    _ = try Self.read(har)
    let text = try Self.text(har)
    let document = try JSONSerialization.jsonObject(with: Data(text.utf8))
    let leaks = Self.strings(in: document).filter { $0.contains(token) || $0.contains(encoded) }
    #expect(leaks.isEmpty, "the token is in the HAR log: \(leaks)")
    // The file itself, searched for each form: not for a short token with a quote, whose
    // escaped form (`t\"`) any JSON text holds.
    for form in [token, Self.quoted(token), Self.quoted(Self.quoted(token)), encoded]
    where token.count >= 6 || !token.contains("\"") {
      #expect(!text.contains(form), "\(form) is in the HAR file:\n\(text)")
    }
    #expect(text.contains(#""guestToken\":\"[redacted]\""#), "\(text)")
  }

  @Test func aFanOutWatchIsRecordedToo() throws {
    let till = Till()
    let ids = try (0..<3).map { _ in
      try till.run(["-q", "checkout", "start", "--offer", "success"]).stdout
        .trimmingCharacters(in: .newlines)
    }
    let har = till.stateHome + "/many.har"
    let result = try till.run(["--trace", har, "checkout", "status"] + ids + ["--watch"])
    #expect(result.status == 0, "\(result.stderr)")
    let log = try Self.read(har)
    for id in ids {
      #expect(log.entries.contains { $0.url.contains(id) && $0.responseBody.contains("DONE") })
    }
    #expect(!(try Self.text(har)).contains("sk_test_e2e_0123456789"))
  }
}
