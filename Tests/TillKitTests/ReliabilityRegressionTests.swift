import Testing

@testable import TillKit

/// Defects the fault, hostile-input and fuzz work found, each pinned where it was fixed.
@Suite struct ReliabilityRegressionTests {
  /// `--json` output shown on a terminal: bidirectional overrides, like C0 and C1 controls,
  /// are written as escapes, and the JSON still reads back the same.
  @Test(arguments: ["\u{202e}", "\u{202a}", "\u{2066}", "\u{2069}", "\u{1b}[2J", "\u{9b}6n"])
  func jsonEscapesWhatCouldRewriteATerminal(_ text: String) throws {
    let value = JSONValue.object([("message", .string("a" + text + "b"))])
    let written = value.serialized()
    #expect(written.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F })
    #expect(try JSONValue.parse(written) == value)
  }

  /// `Retry-After: 0` or a date in the past at every poll must not make a tight loop.
  @Test(arguments: [Duration.zero, .milliseconds(1)])
  func noPollFollowsTheLastAtOnce(_ asked: Duration) {
    let policy = PollPolicy(interval: .zero)
    #expect(policy.delay(after: PollHint(retryAfter: asked)) == PollPolicy.minimumDelay)
    #expect(policy.delay(after: PollHint(suggestedDelay: asked)) == PollPolicy.minimumDelay)
    #expect(policy.delay(after: PollHint()) == PollPolicy.minimumDelay)
    #expect(PollPolicy.minimumDelay > .zero)
  }

  /// The same floor where a saga gives no pacing and polls back off (ComOS, `--interval 0`).
  @Test(arguments: [0, 1, 5])
  func noBackedOffPollFollowsTheLastAtOnce(unchangedPolls: Int) {
    let policy = PollPolicy(interval: .zero, backsOffWhileUnchanged: true)
    #expect(policy.delay(after: PollHint(), unchangedPolls: unchangedPolls) == .milliseconds(100))
  }

  /// libcurl sends every request header, the API key too, wherever a redirect points; till
  /// follows a redirect only within the origin it asked, judged by libcurl's own URL parser.
  /// The `http:/` and `http:///` forms, and a backslash, are absolute URLs to libcurl.
  @Test(arguments: [
    ("/api/v1/c2a/x", "follow"),
    ("x?y=1", "follow"),
    ("  /padded  ", "follow"),
    ("", "follow"),
    ("http://127.0.0.1:8080/elsewhere", "follow"),
    ("HTTP://127.0.0.1:8080/case", "follow"),
    ("http://127.1:8080/short-form", "follow"),
    ("https://127.0.0.1/upgraded", "httpsUpgrade"),
    ("https://127.0.0.1:8443/upgraded-other-port", "anotherOrigin"),
    ("http://127.0.0.1:9090/other-port", "anotherOrigin"),
    ("http://127.0.0.1/default-port", "anotherOrigin"),
    ("http://evil.example/", "anotherOrigin"),
    ("//evil.example/scheme-relative", "anotherOrigin"),
    ("http:/127.0.0.1:9090/one-slash", "anotherOrigin"),
    ("http:///127.0.0.1:9090/three-slashes", "anotherOrigin"),
    ("\u{0B}//evil.example/vertical-tab", "anotherOrigin"),
    ("https://evil.example:8080/", "anotherOrigin"),
    ("http://user@evil.example@127.0.0.1:8080/", "invalid"),
    ("http://user@127.0.0.1:8080/", "anotherOrigin"),
    ("ftp://127.0.0.1/x", "notHTTP"),
    ("file:///etc/passwd", "notHTTP"),
    ("http://[::1", "invalid"),
    ("http://127.0.0.1:99999/", "invalid"),
  ])
  func redirectsStayWithTheOrigin(location: String, verdict: String) throws {
    let origin = try #require(Endpoint(url: "http://127.0.0.1:8080/api/v1/c2a/offer"))
    let refusal = origin.refusal(ofRedirectTo: location)
    let kind: String
    switch refusal {
    case nil: kind = "follow"
    case .anotherOrigin: kind = "anotherOrigin"
    case .httpsUpgrade: kind = "httpsUpgrade"
    case .notHTTP: kind = "notHTTP"
    case .invalid: kind = "invalid"
    }
    #expect(kind == verdict, "\(location)")
  }

  @Test func anHTTPSUpgradeIsFollowedOnlyWhenAllowed() throws {
    let origin = try #require(Endpoint(url: "http://pay.example:80/api"))
    #expect(origin.refusal(ofRedirectTo: "https://pay.example/api") != nil)
    #expect(
      origin.refusal(ofRedirectTo: "https://pay.example/api", allowingHTTPSUpgrade: true) == nil)
    #expect(
      origin.refusal(ofRedirectTo: "https://pay.example:8443/", allowingHTTPSUpgrade: true)
        == .anotherOrigin("https://pay.example:8443/"))
  }

  @Test func anHTTPSRequestIsNeverRedirectedToHTTP() throws {
    let origin = try #require(Endpoint(url: "https://pay.example/api"))
    #expect(
      origin.refusal(ofRedirectTo: "http://pay.example/api", allowingHTTPSUpgrade: true)
        == .anotherOrigin("http://pay.example/api"))
  }

  /// A refusal names the target without the user info a server put in it.
  @Test func aRefusedRedirectSaysWhereItLedAndWhy() throws {
    let origin = try #require(Endpoint(url: "http://127.0.0.1:8080/api"))
    let refusal = try #require(origin.refusal(ofRedirectTo: "http://u:pw@evil.example/x"))
    let error = TransportError.redirectRefused(from: origin.display, refusal)
    #expect(
      error.description
        == "127.0.0.1:8080 redirected to http://evil.example/x, another origin; not followed, so "
        + "the API key, token and request body are not sent there")
    #expect(!error.isTransient)
  }

  /// A slow drip times out after the status line arrived: "no response" would be wrong.
  @Test func aTimeoutSaysNoCompleteResponse() {
    let error = TransportError.timedOut(endpoint: "127.0.0.1:9", after: .seconds(1))
    #expect(error.description == "no complete response from 127.0.0.1:9 within 1s (see --timeout)")
  }
}
