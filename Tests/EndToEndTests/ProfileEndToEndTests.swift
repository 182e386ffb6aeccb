import Foundation
import Testing
import TillKit

@Suite struct ProfileEndToEndTests {
  /// A till with no base URL or tenant in its environment, and a config home of its own.
  func freshTill(apiKey: String? = "sk_test_e2e_0123456789") -> Till {
    let till = Till(apiKey: apiKey, baseURL: nil)
    till.environment["TILL_TENANT"] = nil
    till.environment["XDG_CONFIG_HOME"] = till.stateHome + "/config"
    return till
  }

  @Test func flagBeatsEnvironmentBeatsProfile() throws {
    let till = freshTill()
    let add = try till.run([
      "--base-url", SharedSandbox.baseURL, "--tenant", "from-profile", "profile", "add", "local",
    ])
    #expect(add.status == 0, "\(add.stderr)")
    // The sandbox's 404 names the tenant that asked, so each answer shows which value won.
    let fromProfile = try till.run(["checkout", "status", "trk_NONE"])
    #expect(fromProfile.status == 4)
    #expect(fromProfile.stderr.contains("for tenant from-profile"), "\(fromProfile.stderr)")
    till.environment["TILL_TENANT"] = "from-env"
    #expect(
      try till.run(["checkout", "status", "trk_NONE"]).stderr.contains("for tenant from-env"))
    let fromFlag = try till.run(["--tenant", "from-flag", "checkout", "status", "trk_NONE"])
    #expect(fromFlag.stderr.contains("for tenant from-flag"))
    let show = try till.run(["profile", "show"])
    #expect(show.stdout.contains("Tenant    from-env  (from TILL_TENANT)"), "\(show.stdout)")
    #expect(show.stdout.contains("Base URL  \(SharedSandbox.baseURL)  (from profile local)"))
  }

  @Test func profilesAreListedUsedAndRemoved() throws {
    let till = freshTill()
    #expect(try till.run(["--base-url", "http://127.0.0.1:1", "profile", "add", "a"]).status == 0)
    #expect(try till.run(["--base-url", "http://127.0.0.1:2", "profile", "add", "b"]).status == 0)
    #expect(try till.run(["profile", "list", "--quiet"]).stdout == "a\nb\n")
    #expect(try till.run(["profile", "list"]).stdout.hasPrefix("* a  "))
    #expect(try till.run(["profile", "use", "b"]).status == 0)
    #expect(try till.run(["profile", "list"]).stdout.contains("* b  c2a  http://127.0.0.1:2"))
    let missing = try till.run(["profile", "use", "c"])
    #expect(missing.status == 4)
    #expect(missing.stderr.contains("no profile 'c'; profiles: a, b"))
    #expect(try till.run(["profile", "remove", "b"]).status == 0)
    #expect(try till.run(["profile", "list", "-q"]).stdout == "a\n")
    let config = try String(
      contentsOfFile: till.stateHome + "/config/till/config.toml", encoding: .utf8)
    #expect(!config.contains("default = \"b\""))
  }

  @Test func anUnknownProfileIsAUsageError() throws {
    let till = freshTill()
    let flag = try till.run(["--profile", "ghost", "checkout", "status", "trk_X"])
    #expect(flag.status == 2)
    #expect(flag.stderr.contains("no profile 'ghost'"))
    till.environment["TILL_PROFILE"] = "ghost"
    #expect(try till.run(["checkout", "status", "trk_X"]).status == 2)
  }

  @Test func aMalformedConfigNamesItsLine() throws {
    let till = freshTill()
    let directory = till.stateHome + "/config/till"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    try "default = \"a\"\n\n[profiles.a]\nbase-url: \"x\"\n".write(
      toFile: directory + "/config.toml", atomically: true, encoding: .utf8)
    let result = try till.run(["checkout", "status", "trk_X"])
    #expect(result.status == 2)
    #expect(
      result.stderr.hasPrefix(
        "till: error: \(directory)/config.toml:4: expected '=' after 'base-url'"))
  }

  @Test func aProfileKeyFileOthersCanReadIsRefused() throws {
    let till = freshTill(apiKey: nil)
    let keyFile = till.stateHome + "/prod.key"
    try "sk_live_from_file_123456\n".write(toFile: keyFile, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: keyFile)
    _ = try till.run([
      "--base-url", SharedSandbox.baseURL, "--tenant", "t", "--api-key-file", keyFile, "profile",
      "add", "prod",
    ])
    let refused = try till.run(["checkout", "start", "--offer", "success"])
    #expect(refused.status == 2)
    #expect(
      refused.stderr.contains("can be read by others (mode 640); run: chmod 600 '\(keyFile)'"))
    try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: keyFile)
    let accepted = try till.run(["checkout", "start", "--offer", "success"])
    #expect(accepted.status == 0, "\(accepted.stderr)")
  }

  @Test func historyListsCheckoutsAndLastFollowsTheNewest() throws {
    let till = freshTill()
    till.environment["TILL_BASE_URL"] = SharedSandbox.baseURL
    till.environment["TILL_TENANT"] = "t-history"
    let first = try till.run(["-q", "checkout", "start", "--offer", "success"]).stdout
    let second = try till.run(["-q", "checkout", "start", "--offer", "success"]).stdout
    let list = try till.run(["checkout", "list", "--json"])
    let entries = try JSONValue.parse(list.stdout).array ?? []
    #expect(entries.map { $0["id"]?.string ?? "" + "\n" }.count == 2)
    #expect(entries.first?["id"]?.string == second.trimmingCharacters(in: .newlines))
    #expect(entries.last?["id"]?.string == first.trimmingCharacters(in: .newlines))
    // --last needs no base URL: the history knows where the checkout lives.
    till.environment["TILL_BASE_URL"] = nil
    let watch = try till.run(["checkout", "status", "--last", "--watch"])
    #expect(watch.status == 0, "\(watch.stderr)")
    #expect(watch.stdout.contains(second.trimmingCharacters(in: .newlines)))
    let table = try till.run(["checkout", "list"])
    #expect(table.stdout.hasPrefix("ID "))
    #expect(table.stdoutLines.count == 3)
    #expect(table.stdoutLines[1].contains("completed"))
    let both = try till.run(["checkout", "status", "trk_X", "--last"])
    #expect(both.status == 2)
  }

  /// A checkout started and watched in one run keeps the last state the watch saw, not the
  /// submit's; a status of a checkout started elsewhere adds nothing to the history.
  @Test func aWatchAfterStartRecordsTheFinalState() throws {
    let till = freshTill()
    till.environment["TILL_BASE_URL"] = SharedSandbox.baseURL
    till.environment["TILL_TENANT"] = "t-history-watch"
    let watched = try till.run(["-q", "checkout", "start", "--offer", "success", "--watch"])
    #expect(watched.status == 0, "\(watched.stderr)")
    let id = watched.stdoutLines.first ?? ""
    let failed = try till.run(["-q", "checkout", "start", "--offer", "fail", "--watch"])
    #expect(failed.status == 1, "\(failed.stderr)")
    let other = Till(apiKey: "sk_test_e2e_0123456789", baseURL: SharedSandbox.baseURL)
    other.environment["TILL_TENANT"] = "t-history-watch"
    let elsewhere = try other.run(["-q", "checkout", "start", "--offer", "success"]).stdout
    let looked = try till.run([
      "checkout", "status", elsewhere.trimmingCharacters(in: .newlines), "--watch",
    ])
    #expect(looked.status == 0, "\(looked.stderr)")
    let entries = try JSONValue.parse(till.run(["checkout", "list", "--json"]).stdout).array ?? []
    #expect(entries.count == 2)
    #expect(entries.last?["id"]?.string == id)
    #expect(entries.last?["state"]?.string == "completed")
    #expect(entries.first?["state"]?.string == "failed")
  }

  @Test func colourOnlyWhenAsked() throws {
    let till = Till()
    let plain = try till.run(["checkout", "start", "--offer", "fail", "--watch"])
    #expect(!plain.stdout.contains("\u{1b}["))
    let forced = try till.run([
      "--color", "always", "checkout", "start", "--offer", "fail", "--watch",
    ])
    #expect(forced.stdout.contains("\u{1b}[31m✗ failed"))
    till.environment["NO_COLOR"] = "1"
    let auto = try till.run(["checkout", "start", "--offer", "fail", "--watch"])
    #expect(!auto.stdout.contains("\u{1b}["))
  }
}

/// Runs every command with known secrets, then searches everything till printed or wrote.
@Suite struct SecretLeakTests {
  @Test func noSecretAppearsInAnyOutputOrFile() throws {
    let apiKey = "sk_live_LEAKCHECK_api_9f8e7d6c"
    let token = "tok_LEAKCHECK_bearer_5a4b3c2d"
    let cardNumber = "4000002760003184"
    let till = Till(apiKey: nil)
    till.environment["XDG_CONFIG_HOME"] = till.stateHome + "/config"
    till.environment["PROD_KEY"] = apiKey
    till.environment["TILL_TOKEN"] = token
    let card = till.stateHome + "/card.json"
    try
      #"{"cardHolderName":"A N Other","cardNumber":"\#(cardNumber)","expireMonth":"12","expireYear":"2030","cvc":"737"}"#
      .write(toFile: card, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: card)
    var outputs: [RunResult] = []
    func run(_ arguments: [String]) throws { outputs.append(try till.run(arguments)) }
    try run(["profile", "add", "prod", "--api-key-env", "PROD_KEY", "--default"])
    try run(["profile", "show"])
    try run(["profile", "show", "--json"])
    try run(["profile", "list", "--json"])
    try run(["-v", "cart", "add", "--item", "sku-1"])
    try run(["-v", "checkout", "start", "--offer", "success", "--card-file", card, "--watch"])
    try run(["-v", "--json", "checkout", "start", "--offer", "3ds-html", "--card-file", card])
    try run(["-v", "checkout", "status", "--last"])
    try run(["checkout", "list", "--json"])
    try run(["-v", "checkout", "start", "--offer", "fail", "--card-file", card, "--watch"])
    #expect(outputs.allSatisfy { $0.status != 2 }, "\(outputs.map(\.stderr))")
    #expect(outputs.contains { $0.stderr.contains("x-api-key: [redacted]") })
    let written = try FileManager.default.subpathsOfDirectory(atPath: till.stateHome)
      .map { till.stateHome + "/" + $0 }
      .filter { $0 != card }
      .compactMap { try? String(contentsOfFile: $0, encoding: .utf8) }
    #expect(written.count >= 3, "config, history and cart were written")
    // The CVC as a JSON string: its digits alone can be part of a port.
    for secret in [apiKey, token, cardNumber, #""737""#, "sk_live_LEAK"] {
      for (index, output) in outputs.enumerated() {
        #expect(!output.stdout.contains(secret), "run \(index) printed \(secret)")
        #expect(!output.stderr.contains(secret), "run \(index) traced \(secret)")
      }
      for text in written { #expect(!text.contains(secret), "a file holds \(secret)") }
    }
  }
}
