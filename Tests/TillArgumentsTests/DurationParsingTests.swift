import Testing
import TillArguments

@Suite struct DurationParsingTests {
  @Test(arguments: [
    ("90", Duration.seconds(90)),
    ("0", .zero),
    ("90s", .seconds(90)),
    ("500ms", .milliseconds(500)),
    ("5m", .seconds(300)),
    ("2h", .seconds(7_200)),
    ("1d", .seconds(86_400)),
    ("1h30m", .seconds(5_400)),
    ("1h30m15s250ms", .milliseconds(5_415_250)),
    ("1.5s", .milliseconds(1_500)),
    ("1.5", .milliseconds(1_500)),
    ("0.25m", .seconds(15)),
    ("1.5ms", .microseconds(1_500)),
    ("0.000000001s", .nanoseconds(1)),
    ("0.0000000019s", .nanoseconds(1)),
    ("007s", .seconds(7)),
    ("365d", .seconds(365 * 86_400)),
    ("8760h", .seconds(365 * 86_400)),
  ])
  func accepts(_ text: String, _ expected: Duration) {
    #expect(parseDuration(text) == expected)
  }

  @Test(arguments: [
    "", "s", "-1", "-5s", "+5s", " 5s", "5s ", "5 s", "5x", "5S", "1.s", ".5s", "1..5s", "5sec",
    "1m1h", "30m1h", "1s1s", "1h30", "ms", "1e3", "365d1ms", "366d", "8761h",
    "99999999999999999999", "9223372036854775807s", "soon",
  ])
  func rejects(_ text: String) {
    #expect(parseDuration(text) == nil)
  }

  @Test func limitIsOneYear() {
    #expect(durationLimit == .seconds(31_536_000))
  }
}
