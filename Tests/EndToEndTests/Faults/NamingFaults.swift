import Foundation
import Testing
import TillKit

// MARK: - Replies and files, named for what they are

extension FaultCase {
  /// `till` with a file of `size` bytes at `path` under its home, run with `arguments`.
  static func observeLargeFile(_ relative: String, size: Int, _ arguments: [String]) throws
    -> FaultObservation
  {
    let server = try FakeC2A.server(always: .respond(FakeC2A.status("CHECK_OUT_DONE")))
    defer { server.stop() }
    let till = Till(baseURL: server.baseURL)
    let path = till.stateHome + "/" + relative
    try FileManager.default.createDirectory(
      atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    FileManager.default.createFile(
      atPath: path, contents: Data(repeating: UInt8(ascii: "#"), count: size))
    chmod(path, 0o600)
    var observation = try observe(
      till, arguments.map { $0.replacingOccurrences(of: "HOME", with: till.stateHome) })
    observation.requests = server.requests
    return observation
  }

  static let words: [FaultCase] = [
    poll(
      "Poll answered without a status line (HTTP/0.9)", group: .words, status: 8,
      message: "the answer does not start with an HTTP status line (HTTP/0.9, or not HTTP)",
      { _, _ in .respondAndClose(Array("hello, this is not HTTP\n".utf8)) }),
    poll(
      "Poll answered with status line `HTTP/7.3 200 OK`", group: .words, status: 8,
      message: "the status line names an HTTP version that is not 1.0, 1.1 or 2",
      { _, _ in .respondAndClose(Array("HTTP/7.3 200 OK\r\nContent-Length: 0\r\n\r\n".utf8)) }),
    poll(
      "Poll answered with a 1 MiB header line", group: .words, status: 8,
      message: "a response header is longer than the 100 KiB a header may be",
      { _, _ in
        .respondAndClose(
          Array("HTTP/1.1 200 OK\r\nX-Big: ".utf8)
            + Array(repeating: UInt8(ascii: "a"), count: 1 << 20)
            + Array("\r\nContent-Length: 0\r\n\r\n".utf8))
      }),
    FaultCase(
      group: .words, fault: "A 2 MiB config file", command: "checkout status trk_FAULT",
      expectedStatus: 2, expectedMessage: "is larger than 1 MiB; refusing to read it",
      printsID: false,
      run: { try observeLargeFile(".config/till/config.toml", size: 2 << 20, status) },
      check: { expectNothingSent($0) }),
    FaultCase(
      group: .words, fault: "A 2 MiB key file",
      command: "--api-key-file key checkout status trk_FAULT",
      expectedStatus: 2, expectedMessage: "/key' is larger than 1 MiB; refusing to read it",
      printsID: false,
      run: { try observeLargeFile("key", size: 2 << 20, ["--api-key-file", "HOME/key"] + status) },
      check: { expectNothingSent($0) }),
  ]
}

extension FaultCase {
  /// A password in a base URL, as a hand-edited config or a flag may hold one.
  static let password = "s3cret-pw"

  /// Every place a base URL is shown: a watch's resume line after Ctrl-C, profile list and
  /// show (text and JSON) of a hand-edited config, and an error naming the URL.
  static let passwordInBaseURL = FaultCase(
    group: .redirects, fault: "A password in the base URL (`http://user:PASSWORD@host`)",
    command: "--base-url http://user:PASSWORD@HOST checkout start --offer o --watch, then Ctrl-C",
    expectedStatus: 130, expectedMessage: "till: interrupted;",
    run: {
      let server = try FakeC2A.server(always: .stall)
      defer { server.stop() }
      let till = Till(baseURL: nil)
      let withPassword = server.baseURL.replacingOccurrences(
        of: "http://", with: "http://user:\(password)@")
      var observation = try observe(
        till, ["--base-url", withPassword, "checkout", "start", "--offer", "o", "--watch"]
      ) { running in
        _ = running.waitForOutput(containing: FakeC2A.trackingNumber)
        Thread.sleep(forTimeInterval: 0.3)
        running.signal(SIGINT)
      }
      let config = till.stateHome + "/.config/till/config.toml"
      try FileManager.default.createDirectory(
        atPath: (config as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
      try #"[profiles.p]\#nbase-url = "\#(withPassword)"\#n"#.write(
        toFile: config, atomically: true, encoding: .utf8)
      var shown: [String] = []
      for arguments in [
        ["profile", "list"], ["--json", "profile", "list"], ["profile", "show", "p"],
        ["--json", "profile", "show", "p"],
        ["--base-url", "http://user:\(password)@127.0.0.1:1", "checkout", "status", "x"],
        ["--base-url", "ftp://user:\(password)@127.0.0.1:1", "checkout", "status", "x"],
      ] {
        let result = try till.run(arguments)
        let typed = arguments.joined(separator: " ").replacingOccurrences(
          of: password, with: "PASSWORD")
        shown.append("$ till \(typed)\n\(result.stdout)\(result.stderr)")
      }
      observation.files["shown"] = shown.joined(separator: "\n")
      observation.files["history"] = fileText(till.stateHome + "/state/till/history.jsonl")
      return observation
    },
    check: { observation in
      let everything =
        observation.result.stdout + observation.result.stderr
        + (observation.files["shown"] ?? "") + (observation.files["history"] ?? "")
      #expect(!everything.contains(password), "the password was shown:\n\(everything)")
      #expect(observation.result.stderr.contains("Resume with: till --base-url 'http://user:"))
      #expect(
        (observation.files["shown"] ?? "").components(separatedBy: "[redacted]").count >= 6,
        "\(observation.files["shown"] ?? "")")
    },
    reportedLine: { observation in
      observation.result.stderr.split(separator: "\n").first { $0.hasPrefix("Resume") }
        .map(String.init) ?? ""
    })
}
