import Foundation
import Testing

/// The live `--watch` view on a real terminal: `till` runs on a pseudo-terminal (`script`),
/// and what it wrote is played through a terminal emulator (pyte) to see the screen a person
/// would see.
@Suite struct LiveViewEndToEndTests {
  static let emulator = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Scripts/terminal-screen.py").path

  /// A server message wider in columns than in characters, with zero-width characters too,
  /// long enough to wrap an 80-column line when not cut.
  static func message(_ tag: Int) -> String {
    String(
      repeating: "支付处理中👍🏽 e\u{301}\u{200B}\u{200D} 検証ｶﾀ ", count: 4) + "tag-\(tag)"
  }

  @Test func redrawsInPlaceWithWideAndZeroWidthText() throws {
    let server = try FakeC2A.server { _, poll in
      .respond(
        poll < 4
          ? FakeC2A.status("CHECK_OUT_PROCESSING", retryAfter: "0", message: Self.message(poll))
          : FakeC2A.status("CHECK_OUT_DONE"))
    }
    defer { server.stop() }
    let till = Till(baseURL: server.baseURL)
    till.environment["TERM"] = "xterm"
    let command =
      "stty cols 80 rows 40; printf 'ABOVE-1\\nABOVE-2\\n'; exec '\(Till.binary)' "
      + "--timeout 5s checkout start --offer o --watch --interval 100ms"
    let (terminal, status) = try run(
      "/usr/bin/script", ["-qfec", command, "/dev/null"], environment: till.environment)
    #expect(status == 0, "\(terminal)")
    let (screenText, emulatorStatus) = try run(
      "/usr/bin/env", ["python3", Self.emulator, "80", "40"], input: Data(terminal.utf8))
    try #require(emulatorStatus == 0, "the terminal emulator (pip install pyte): \(screenText)")
    let screen = screenText.split(separator: "\n", omittingEmptySubsequences: false)
      .map(String.init)
    let context = screen.joined(separator: "\n")
    #expect(screen.first == "ABOVE-1", "a line above the view was erased:\n\(context)")
    #expect(screen.dropFirst().first == "ABOVE-2", "a line above the view was erased:\n\(context)")
    #expect(screen.filter { $0.contains("watched for") }.count == 1, "\(context)")
    #expect(!screen.contains { $0.contains("watching for") }, "a copy was left:\n\(context)")
    #expect(!screen.contains { $0.contains("支付") }, "a copy was left:\n\(context)")
    #expect(polls(server.requests).count == 4)
  }

  /// A fan-out watch draws its table in place only on a terminal that can move the cursor:
  /// with TERM=dumb, or no TERM at all, it prints a plain line per change, as to a pipe.
  @Test(arguments: ["dumb", nil, "xterm"])
  func aFanOutDrawsInPlaceOnlyWhereTheTerminalCan(term: String?) throws {
    let till = Till()
    let ids = try ["success", "success"].map { offer in
      try till.run(["-q", "checkout", "start", "--offer", offer]).stdout
        .trimmingCharacters(in: .whitespacesAndNewlines)
    }
    till.environment["TERM"] = term
    let command =
      "stty cols 100 rows 40; exec '\(Till.binary)' checkout status \(ids.joined(separator: " ")) "
      + "--watch --interval 100ms"
    let (terminal, status) = try run(
      "/usr/bin/script", ["-qfec", command, "/dev/null"], environment: till.environment)
    #expect(status == 0, "\(terminal)")
    let movesCursor = terminal.range(of: #"\x1b\[[0-9]*[A-HJ]"#, options: .regularExpression)
    if term == "xterm" {
      #expect(movesCursor != nil, "no table drawn in place: \(terminal)")
      #expect(terminal.contains("ID"), "\(terminal)")
    } else {
      #expect(movesCursor == nil, "cursor movement with TERM=\(term ?? "(unset)"): \(terminal)")
      // A terminal ends each line with CR LF, which Swift reads as one Character.
      let lines = terminal.components(separatedBy: "\r\n").filter { !$0.isEmpty }
      #expect(lines.filter { $0.contains(ids[0]) }.count >= 2, "\(terminal)")
      #expect(
        lines.last?.hasPrefix("Summary: 2 checkouts: 2 completed") == true, "\(terminal)")
    }
  }

  private func polls(_ requests: [ReceivedRequest]) -> [ReceivedRequest] {
    requests.filter { $0.method == "GET" }
  }

  /// Runs a program to its end (killed after 30 s) and returns its standard output, as text,
  /// and its exit status.
  private func run(
    _ path: String, _ arguments: [String], environment: [String: String]? = nil,
    input: Data? = nil
  ) throws -> (String, Int32) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    if let environment { process.environment = environment }
    let output = Pipe()
    let inputPipe = Pipe()
    process.standardOutput = output
    process.standardError = output
    process.standardInput = inputPipe
    try process.run()
    if let input { inputPipe.fileHandleForWriting.write(input) }
    try? inputPipe.fileHandleForWriting.close()
    let killer = DispatchWorkItem { process.terminate() }
    DispatchQueue.global().asyncAfter(deadline: .now() + 30, execute: killer)
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    killer.cancel()
    return (String(decoding: data, as: UTF8.self), process.terminationStatus)
  }
}
