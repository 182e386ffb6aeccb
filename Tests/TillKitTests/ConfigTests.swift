import Glibc
import Testing

@testable import TillKit

@Suite struct ConfigTests {
  static let sample = """
    # comment
    default = "prod"   # trailing comment

    [profiles.prod]
    api = "c2a"
    base-url = "https://acme.sandbox.azotte.com"
    tenant = 'e2a1c7b2-4f3a'
    api-key-env = "PROD_KEY"

    [profiles."staging"]
    base-url = "http://127.0.0.1:8080"
    api-key-file = "~/.config/till/staging.key"
    token-file = "C:\\\\keys\\\\t \\u00e9"
    """

  @Test func parsesTheSubsetTheFileUses() throws {
    let config = try TillConfig.parse(Self.sample)
    #expect(config.defaultProfile == "prod")
    #expect(config.profiles.map(\.name) == ["prod", "staging"])
    let prod = try #require(config.profile(named: "prod"))
    #expect(prod.api == "c2a")
    #expect(prod.baseURL == "https://acme.sandbox.azotte.com")
    #expect(prod.tenant == "e2a1c7b2-4f3a")
    #expect(prod.apiKeyEnv == "PROD_KEY")
    #expect(config.profile(named: "staging")?.tokenFile == "C:\\keys\\t é")
  }

  @Test func writingAndReadingAgainGivesTheSameConfig() throws {
    let config = try TillConfig.parse(Self.sample)
    let again = try TillConfig.parse(config.serialized())
    #expect(again == config)
    var tricky = Profile(name: "x")
    tricky.baseURL = "http://h/\"quoted\"\\path\n"
    let round = try TillConfig.parse(TillConfig(profiles: [tricky]).serialized())
    #expect(round.profiles == [tricky])
  }

  @Test(arguments: [
    ("default = prod", 1, "invalid value 'prod'; strings need quotes"),
    ("\n\n[profiles.a]\napi \"c2a\"", 4, "expected '=' after 'api'"),
    ("[profiles.a]\napi = \"c2a", 2, "unterminated string"),
    ("[profiles.a]\ncolour = \"red\"", 2, "unknown key 'colour' in [profiles.a]"),
    ("[profiles.a]\napi-key = \"sk_live\"", 2, "would keep a secret in the config file"),
    ("[profiles.a]\ntoken = \"t\"", 2, "use token-env or token-file instead"),
    ("[profiles.a]\napi = \"x\"\napi = \"y\"", 3, "'api' is set twice in [profiles.a]"),
    ("[profiles.a]\n[profiles.a]", 2, "profile 'a' is defined twice"),
    ("[servers.a]", 1, "unknown table [servers.a]; expected [profiles.NAME]"),
    ("[profiles.a", 1, "expected ']' to close the table"),
    ("[profiles.a]\ntenant = 80", 2, "'tenant' must be a string"),
    ("[profiles.a]\nports = [1, 2]", 2, "arrays are not supported here"),
    ("[profiles.a]\napi = \"c2a\" extra", 2, "unexpected 'e' after the value"),
    ("[profiles.a]\nx.y = \"1\"", 2, "dotted keys are not supported"),
    ("[profiles.a]\napi = \"\\q\"", 2, "invalid escape '\\q'"),
    ("[profiles.a]\napi = \"\\/\"", 2, "invalid escape '\\/'"),
    ("[profiles.a]\napi = 'c\u{01}2a'", 2, "control character in a string"),
    ("[profiles.a]\napi = \"\\u00\"", 2, "invalid \\u escape"),
    ("[profiles.\"a b\"]", 1, "invalid profile name 'a b'"),
    ("name = \"x\"", 1, "unknown key 'name'"),
  ])
  func malformedFilesNameTheLine(text: String, line: Int, message: String) {
    do {
      _ = try TillConfig.parse(text, file: "config.toml")
      Issue.record("accepted: \(text)")
    } catch {
      #expect(error.status == .usage)
      #expect(error.message.hasPrefix("config.toml:\(line): "), "\(error.message)")
      #expect(error.message.contains(message), "\(error.message)")
    }
  }

  @Test func basicStringsReadTheirEscapesAndLiteralStringsNone() throws {
    let config = try TillConfig.parse(
      "[profiles.a]\nbase-url = \"h\\u00e9\\U0001F600\\t\\\"\"\ntenant = 'C:\\n'")
    #expect(config.profiles.first?.baseURL == "h\u{e9}\u{1F600}\t\"")
    #expect(config.profiles.first?.tenant == "C:\\n")
  }

  @Test func aDefaultThatNamesNoProfileIsAnError() {
    #expect(throws: TillError.self) { try TillConfig.parse("default = \"ghost\"") }
  }
}

@Suite struct CheckoutHistoryTests {
  func temporaryDirectory() -> String {
    "/tmp/till-history-test-" + makeUUID()
  }

  func entry(_ id: String, state: String, at time: Int64) -> HistoryEntry {
    HistoryEntry(
      id: id, api: "c2a", baseURL: "https://user:pw@h.example/x", profile: "p", startedAt: time,
      state: state, updatedAt: time)
  }

  @Test func foldsUpdatesNewestFirstAndSkipsDamagedLines() throws {
    let history = CheckoutHistory(stateDirectory: temporaryDirectory())
    try history.record(entry("trk_A", state: "processing", at: 1000))
    try history.record(entry("trk_B", state: "processing", at: 2000))
    try history.record(entry("trk_A", state: "completed", at: 3000))
    // A line cut short (as by a crash in another program) and plain garbage.
    let descriptor = open(history.path, O_WRONLY | O_APPEND)
    _ = "{\"id\":\"trk_C\",\"api\nnot json\n".withCString { write(descriptor, $0, strlen($0)) }
    close(descriptor)
    let (entries, warnings) = history.entries()
    #expect(entries.map(\.id) == ["trk_B", "trk_A"])
    #expect(entries[1].state == "completed")
    #expect(entries[1].startedAt == 1000)
    #expect(entries[1].updatedAt == 3000)
    #expect(warnings.count == 2)
    #expect(warnings.first?.contains("skipped damaged line 4") == true)
  }

  @Test func credentialsInABaseURLAreNeverRecorded() throws {
    let history = CheckoutHistory(stateDirectory: temporaryDirectory())
    try history.record(entry("trk_A", state: "processing", at: 1000))
    let text = String(decoding: try LocalFile.read(history.path, what: "history"), as: UTF8.self)
    #expect(!text.contains("pw"))
    #expect(text.contains("\"baseUrl\":\"https://h.example/x\""))
  }

  @Test func theFileIsCompactedWhenItGrows() throws {
    let history = CheckoutHistory(stateDirectory: temporaryDirectory())
    for index in 0..<3000 {
      try history.record(entry("trk_\(index % 700)", state: "processing", at: Int64(index)))
    }
    let (entries, warnings) = history.entries()
    #expect(warnings.isEmpty)
    #expect(entries.count <= 700)
    var info = stat()
    stat(history.path, &info)
    #expect(Int(info.st_size) <= CheckoutHistory.compactionBytes + 512)
  }

  @Test(arguments: [Int64(0), 1_795_000_000, 951_782_400])
  func isoTimesRoundTrip(seconds: Int64) {
    #expect(ISOTime.parse(ISOTime.format(seconds)) == seconds)
  }

  @Test func isoTimeFormat() {
    #expect(ISOTime.format(784_111_777) == "1994-11-06T08:49:37Z")
    #expect(ISOTime.parse("1994-11-06 08:49:37") == nil)
  }
}
