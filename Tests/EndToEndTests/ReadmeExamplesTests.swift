import Foundation
import Testing
import TillKit
import TillSandbox

/// Every shell example in the README, run as a reader pastes it: each block in a fresh bash
/// that has made the Quick start's exports, in README order (so the history, the profiles and
/// the tokens earlier blocks made are there), against a sandbox the test serves where the
/// README starts one. A command may fail only where its comment says `exit N`, and then with
/// exactly that status.
@Suite struct ReadmeExamplesTests {
  static let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("README.md")

  /// A fenced `sh` block: the README line of its first line, and its lines.
  struct Block: CustomStringConvertible {
    var line: Int
    var lines: [String]
    var description: String { "README.md:\(line): \(lines.first ?? "")" }
  }

  /// A command as bash reads it: lines joined by a trailing backslash.
  struct Command {
    var lines: ClosedRange<Int>
    var text: String
    /// The status its comment says it ends with; nil for none (it must succeed).
    var expectedStatus: Int32? {
      guard let hash = text.firstIndex(of: "#"), let word = text[hash...].range(of: "exit ")
      else { return nil }
      return Int32(text[word.upperBound...].prefix { $0.isNumber })
    }
  }

  static func shellBlocks(_ text: String) -> [Block] {
    var blocks: [Block] = []
    var current: Block?
    for (index, line) in text.components(separatedBy: "\n").enumerated() {
      if current == nil, line == "```sh" {
        current = Block(line: index + 2, lines: [])
      } else if let block = current, line == "```" {
        blocks.append(block)
        current = nil
      } else {
        current?.lines.append(line)
      }
    }
    return blocks
  }

  static func commands(_ block: Block) -> [Command] {
    var commands: [Command] = []
    var start: Int?
    var text = ""
    for (index, line) in block.lines.enumerated() {
      start = start ?? index
      text += line + "\n"
      if !line.hasSuffix("\\"), let first = start {
        commands.append(Command(lines: (first + 1)...(index + 1), text: text))
        start = nil
        text = ""
      }
    }
    return commands
  }

  /// Why a block is not run, or nil to run it.
  static func skipReason(_ block: Block) -> String? {
    let first = block.lines.first ?? ""
    if first.hasPrefix("apt-get") {
      return "one of the two commands: CI runs the test command, DemoEndToEndTests the demo"
    }
    if first.hasPrefix("swift build") { return "a build: the test runs the binary it built" }
    if first.hasPrefix("make install") { return "installs into the system" }
    return nil
  }

  /// A block as a script: the README's port becomes the test sandbox's, and a line that starts
  /// the sandbox is left out (the test serves it). Line numbers stay the block's.
  static func script(_ block: Block, port: UInt16) -> [String] {
    block.lines.map { line in
      if line.hasPrefix("till sandbox") { return ": # the sandbox is served by the test" }
      return line.replacingOccurrences(of: "127.0.0.1:8080", with: "127.0.0.1:\(port)")
    }
  }

  /// What a reader types at `till login`'s prompt: the password the README gives.
  static let sandboxPassword = "correct-horse"

  @Test func theReadmeHasItsExamples() throws {
    let text = try String(contentsOf: Self.readme, encoding: .utf8)
    #expect(text.contains("login password is `\(Self.sandboxPassword)`"))
    let blocks = Self.shellBlocks(text)
    #expect(blocks.count >= 12)
    #expect(blocks.filter { Self.skipReason($0) != nil }.count == 4, "\(blocks)")
    // The one shell construct the runner needs a rule for: a command over several lines.
    let profile = try #require(blocks.first { $0.lines.contains { $0.contains("profile add") } })
    #expect(Self.commands(profile).first?.lines == 1...2)
    let comos = try #require(blocks.first { $0.lines.contains { $0.contains("checkout retry") } })
    #expect(Self.commands(comos).compactMap(\.expectedStatus) == [1])
  }

  @Test func everyShellExampleRunsAsItSays() throws {
    let sandbox = Sandbox(configuration: SandboxConfiguration())
    try sandbox.start()
    defer { sandbox.stop() }
    let blocks = Self.shellBlocks(try String(contentsOf: Self.readme, encoding: .utf8))
    let runnable = blocks.filter { Self.skipReason($0) == nil }
    let exports = runnable.lazy.flatMap(\.lines).filter { $0.hasPrefix("export TILL_BASE_URL") }
    let prelude = try #require(exports.first, "the Quick start exports no TILL_BASE_URL")
      .replacingOccurrences(of: "127.0.0.1:8080", with: "127.0.0.1:\(sandbox.port)")

    let home = NSTemporaryDirectory() + "till-readme-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: home) }
    let binaries = URL(fileURLWithPath: Till.binary).deletingLastPathComponent().path
    let environment = [
      "PATH": binaries + ":/usr/bin:/bin", "HOME": home, "LANG": "C.UTF-8",
      "XDG_STATE_HOME": home + "/state", "XDG_CONFIG_HOME": home + "/config",
    ]
    // What a reader types at the login prompt, from a file: a pipe to a shell that exits
    // without reading it would raise SIGPIPE in the test process.
    try (Self.sandboxPassword + "\n").write(
      toFile: home + "/typed", atomically: true, encoding: .utf8)
    let header = [
      "cd \(home); exec < typed",
      #"trap 'echo "readme-example-failed $? $((LINENO - 3))" >&2' ERR"#,
      prelude,
    ]
    var ran = 0
    for block in runnable {
      // Loopback only: a block that names another host is a README error, and is not run.
      let hosts = block.lines.joined(separator: "\n").ranges(of: /[a-z]+:\/\/[^\/\s:"']+/)
        .map { String(block.lines.joined(separator: "\n")[$0]) }
      guard hosts.allSatisfy({ $0.hasSuffix("://127.0.0.1") }) else {
        Issue.record("\(block) names a host that is not 127.0.0.1: \(hosts)")
        continue
      }
      let path = home + "/block-\(block.line).sh"
      let lines = header + Self.script(block, port: sandbox.port)
      try (lines.joined(separator: "\n") + "\n").write(
        toFile: path, atomically: true, encoding: .utf8)
      let shell = try RunningTill(
        binary: "/bin/bash", arguments: [path], environment: environment, stdin: nil)
      Self.payEveryPaymentPage(printedBy: shell)
      let result = shell.finish(timeout: 120)
      ran += 1
      let failures = result.stderr.split(separator: "\n").filter {
        $0.hasPrefix("readme-example-failed ")
      }.map { $0.split(separator: " ").compactMap { Int32($0) } }
      for command in Self.commands(block) {
        let failed = failures.first { $0.count == 2 && command.lines.contains(Int($0[1])) }
        let status = failed?[0] ?? 0
        #expect(
          status == (command.expectedStatus ?? 0),
          """
          README.md:\(block.line + command.lines.lowerBound - 1) exited \(status), \
          expected \(command.expectedStatus ?? 0): \(command.text)
          stdout: \(result.stdout)
          stderr: \(result.stderr)
          """)
      }
    }
    #expect(ran == blocks.count - 4, "every block but the four skipped ones ran")
  }

  /// Plays the customer of a hosted payment page: pays each sandbox page the shell prints.
  static func payEveryPaymentPage(printedBy shell: RunningTill) {
    var paid: Set<String> = []
    let browser = try? CurlTransport()
    while shell.process.isRunning {
      var text = shell.stdoutSoFar
      while let range = text.range(
        of: #"http://127\.0\.0\.1:[0-9]+/sandbox/pay/cs_test_[A-Za-z0-9]+"#,
        options: .regularExpression)
      {
        let url = String(text[range])
        text = String(text[range.upperBound...])
        if paid.insert(url).inserted {
          _ = try? browser?.send(HTTPRequest(method: .post, url: url))
        }
      }
      Thread.sleep(forTimeInterval: 0.1)
    }
  }
}
