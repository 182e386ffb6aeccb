import Testing

@testable import TillKit

@Suite struct RetryAfterTests {
  // Tue, 15 Nov 1994 08:12:31 GMT
  static let now: Int64 = 784_887_151

  @Test(arguments: [
    ("120", Duration.seconds(120)),
    ("0", .zero),
    ("  7  ", .seconds(7)),
    ("\t3\t", .seconds(3)),
    ("007", .seconds(7)),
    ("21600", .seconds(21_600)),
    ("21601", .seconds(21_600)),
    ("99999999999999999999999", .seconds(21_600)),
    // IMF-fixdate, RFC 850 and asctime, each 10 s after `now`.
    ("Tue, 15 Nov 1994 08:12:41 GMT", .seconds(10)),
    ("Tuesday, 15-Nov-94 08:12:41 GMT", .seconds(10)),
    ("Tue Nov 15 08:12:41 1994", .seconds(10)),
    ("Tue Nov  1 08:12:41 1994", .zero),
    // A date in the past means now.
    ("Sun, 06 Nov 1994 08:49:37 GMT", .zero),
    ("Thu, 01 Jan 1970 00:00:00 GMT", .zero),
    // A date far ahead is capped at six hours.
    ("Fri, 31 Dec 2100 23:59:59 GMT", .seconds(21_600)),
  ])
  func validValues(value: String, expected: Duration) {
    #expect(RetryAfter.delay(value, now: Self.now) == expected)
  }

  @Test(arguments: [
    "", "   ", "-1", "+5", "1.5", "0x10", "5s", "five", "1e3", "12 34",
    "Tue, 15 Nov 1994 08:12:41 UTC", "Tue, 15 Nov 1994 25:12:41 GMT",
    "Tue, 31 Feb 1994 08:12:41 GMT", "Tue, 15 Foo 1994 08:12:41 GMT", "15 Nov 1994 08:12:41 GMT",
    "Tue, 15 Nov 94 08:12:41 GMT", "Tuesday, 15-Nov-1994 08:12:41 GMT", "1994-11-15T08:12:41Z",
  ])
  func invalidValuesAreIgnored(value: String) {
    #expect(RetryAfter.delay(value, now: Self.now) == nil)
  }

  @Test func theFirstOfRepeatedFieldsWins() {
    let headers = HTTPHeaders([("Retry-After", "3"), ("retry-after", "30")])
    #expect(RetryAfter.delay(in: headers, now: Self.now) == .seconds(3))
    let invalidFirst = HTTPHeaders([("RETRY-AFTER", "soon"), ("Retry-After", "30")])
    #expect(RetryAfter.delay(in: invalidFirst, now: Self.now) == nil)
    #expect(RetryAfter.delay(in: HTTPHeaders(), now: Self.now) == nil)
  }

  @Test func rfc850YearsAreReadRelativeToNow() {
    // In 2026, "94" is 1994 (2094 would be more than 50 years ahead) and "30" is 2030.
    let now2026: Int64 = 1_795_000_000
    #expect(HTTPDate.parse("Sunday, 06-Nov-94 08:49:37 GMT", now: now2026) == 784_111_777)
    let in2030 = HTTPDate.parse("Monday, 01-Jan-30 00:00:00 GMT", now: now2026)
    #expect(in2030 == 1_893_456_000)
  }

  @Test func formatRoundTrips() {
    #expect(HTTPDate.format(784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
    for seconds: Int64 in [0, 951_782_400, 1_795_000_000, 4_102_444_799] {
      #expect(HTTPDate.parse(HTTPDate.format(seconds)) == seconds)
    }
  }
}

extension RetryAfterTests {
  @Test func delaySecondsAreDigitsOnlyAndCapped() {
    #expect(RetryAfter.delay(seconds: "3") == .seconds(3))
    #expect(RetryAfter.delay(seconds: "99999999999999999999") == RetryAfter.cap)
    #expect(RetryAfter.delay(seconds: String(Int.max)) == RetryAfter.cap)
    #expect(RetryAfter.delay(seconds: "-4") == nil)
    #expect(RetryAfter.delay(seconds: "1.5") == nil)
    #expect(RetryAfter.delay(seconds: "") == nil)
  }

  @Test func theServersWaitIsToldAsTillWillWaitIt() {
    #expect(PollPolicy.serverDelay(PollHint(suggestedDelay: .seconds(Int64.max))) == RetryAfter.cap)
    #expect(PollPolicy.serverDelay(PollHint(retryAfter: .zero)) == PollPolicy.minimumDelay)
    #expect(PollPolicy.serverDelay(PollHint()) == nil)
  }
}
