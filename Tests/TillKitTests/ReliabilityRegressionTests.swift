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
  /// follows a redirect only to the host it asked.
  @Test(arguments: [
    ("/api/v1/c2a/x", true),
    ("http://127.0.0.1:8080/elsewhere", true),
    ("https://127.0.0.1:8443/upgraded", true),
    ("HTTP://127.0.0.1:8080/case", true),
    ("http://127.0.0.1:9090/other-port", false),
    ("http://evil.example/", false),
    ("//evil.example/scheme-relative", false),
    ("https://evil.example:8080/", false),
    ("http://user@evil.example@127.0.0.1:8080/", false),
    ("http://user@127.0.0.1:8080/", false),
  ])
  func redirectsStayWithTheHost(location: String, allowed: Bool) throws {
    let origin = try #require(Endpoint(url: "http://127.0.0.1:8080/api/v1/c2a/offer"))
    let target = Endpoint(location: location, from: origin)
    #expect((target.map { origin.mayRedirect(to: $0) } ?? true) == allowed, "\(location)")
  }

  @Test func anHTTPSRequestIsNeverRedirectedToHTTP() throws {
    let origin = try #require(Endpoint(url: "https://pay.example/api"))
    let target = try #require(Endpoint(location: "http://pay.example/api", from: origin))
    #expect(!origin.mayRedirect(to: target))
  }

  @Test func aRefusedRedirectSaysWhereItLedAndWhy() {
    let error = TransportError.redirectRefused(from: "127.0.0.1:8080", to: "evil.example:80")
    #expect(
      error.description
        == "127.0.0.1:8080 redirected to evil.example:80, another host; not followed, so the "
        + "API key and token are not sent there")
    #expect(!error.isTransient)
  }

  /// A slow drip times out after the status line arrived: "no response" would be wrong.
  @Test func aTimeoutSaysNoCompleteResponse() {
    let error = TransportError.timedOut(endpoint: "127.0.0.1:9", after: .seconds(1))
    #expect(error.description == "no complete response from 127.0.0.1:9 within 1s (see --timeout)")
  }
}
