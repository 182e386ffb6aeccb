import Foundation
import Testing
import TillArguments
import TillKit

@testable import TillCLI

/// The completion scripts and the manual page are generated from the command tree and checked
/// in; these tests fail when a checked-in file is stale. Refresh them with
/// `TILL_REGENERATE=1 swift test --filter GeneratedFilesTests`.
@Suite struct GeneratedFilesTests {
  /// The repository's root: this file is Tests/TillCLITests/GeneratedFilesTests.swift.
  static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  @Test(arguments: GeneratedFile.allCases)
  func checkedInFileIsCurrent(_ file: GeneratedFile) throws {
    let url = Self.repositoryRoot.appendingPathComponent(file.rawValue)
    let generated = file.generate()
    if ProcessInfo.processInfo.environment["TILL_REGENERATE"] == "1" {
      try generated.write(to: url, atomically: true, encoding: .utf8)
      return
    }
    guard let stored = try? String(contentsOf: url, encoding: .utf8) else {
      Issue.record(
        """
        \(file.rawValue) is missing; create it with \
        'TILL_REGENERATE=1 swift test --filter GeneratedFilesTests'
        """)
      return
    }
    #expect(
      stored == generated,
      """
      \(file.rawValue) is stale (\(firstDifference(stored, generated))); refresh it with \
      'TILL_REGENERATE=1 swift test --filter GeneratedFilesTests'
      """)
  }

  @Test func completionCommandPrintsTheGeneratedScripts() {
    #expect(CompletionCommand.script(for: "bash") == GeneratedFile.bash.generate())
    #expect(CompletionCommand.script(for: "zsh") == GeneratedFile.zsh.generate())
    #expect(CompletionCommand.script(for: "fish") == GeneratedFile.fish.generate())
    #expect(CompletionCommand.script(for: "tcsh") == nil)
  }

  @Test func everyShellOfTheCompletionCommandHasAScript() throws {
    let argument = try #require(CompletionCommand.spec.arguments.first)
    guard case .choice(let shells) = argument.kind else {
      Issue.record("completion's <shell> is not a choice")
      return
    }
    for shell in shells { #expect(CompletionCommand.script(for: shell) != nil, "\(shell)") }
  }

  @Test func manualPageHasTillsOwnSections() {
    let page = ManualContent.manualPage
    for heading in ["ENVIRONMENT", "FILES", "EXIT STATUS", "SEE ALSO"] {
      #expect(page.contains("\n.SH \(heading)\n"), "\(heading)")
    }
    for variable in [
      "TILL_PROFILE", "TILL_API", "TILL_BASE_URL", "TILL_TENANT", "TILL_API_KEY", "TILL_TOKEN",
      "XDG_CONFIG_HOME", "XDG_STATE_HOME", "NO_COLOR",
    ] {
      #expect(page.contains("\\fB\(variable)\\fR\n"), "\(variable)")
    }
    for file in ["config.toml", "history.jsonl", "cart.json", "3ds/"] {
      #expect(page.contains(file + "\\fR\n"), "\(file)")
    }
    #expect(page.contains(".BR curl (1)"))
  }

  @Test func manualPageNamesEveryVariableAnOptionReads() {
    func variables(_ command: CommandSpec) -> [String] {
      command.options.compactMap { $0.environment?.split(separator: " ").first.map(String.init) }
        + command.subcommands.flatMap(variables)
    }
    let documented = ManualContent.environment.map(\.term)
    let named = variables(CommandTree.root)
    #expect(!named.isEmpty)
    for variable in named { #expect(documented.contains(variable), "\(variable)") }
  }

  @Test func manualPageExplainsEveryExitStatus() {
    let page = ManualContent.manualPage
    for status in ExitStatus.allCases {
      #expect(page.contains(".TP\n\\fB\(status.rawValue)\\fR\n"), "exit status \(status.rawValue)")
    }
  }

  @Test func manualPageHeaderIsFixed() {
    let header = ManualContent.manualPage.split(separator: "\n")
      .first { $0.hasPrefix(".TH ") }
    #expect(
      header == ".TH TILL 1 \(ManualContent.date) \"till \(Till.version)\" \"User Commands\"")
  }
}

/// A checked-in file generated from the command tree, named by its path in the repository.
enum GeneratedFile: String, CaseIterable, Sendable {
  case bash = "completions/till.bash"
  case zsh = "completions/_till"
  case fish = "completions/till.fish"
  case manualPage = "man/till.1"
  /// Only its marked sections: the exit statuses and the global options.
  case readme = "README.md"

  func generate() -> String {
    switch self {
    case .readme:
      let url = GeneratedFilesTests.repositoryRoot.appendingPathComponent(rawValue)
      return ReadmeSections.render((try? String(contentsOf: url, encoding: .utf8)) ?? "")
    case .bash: return CommandTree.root.completionScript(for: .bash)
    case .zsh: return CommandTree.root.completionScript(for: .zsh)
    case .fish: return CommandTree.root.completionScript(for: .fish)
    case .manualPage: return ManualContent.manualPage
    }
  }
}

/// Where two texts first differ, as `line N: 'stored' should be 'generated'`.
func firstDifference(_ stored: String, _ generated: String) -> String {
  let storedLines = stored.split(separator: "\n", omittingEmptySubsequences: false)
  let generatedLines = generated.split(separator: "\n", omittingEmptySubsequences: false)
  for index in 0..<max(storedLines.count, generatedLines.count) {
    let old = index < storedLines.count ? String(storedLines[index]) : "(end of file)"
    let new = index < generatedLines.count ? String(generatedLines[index]) : "(end of file)"
    if old != new { return "line \(index + 1): '\(old)' should be '\(new)'" }
  }
  return "no line differs"
}

/// The parts of the README that the command model says: each between `<!-- BEGIN name -->`
/// and `<!-- END name -->`, so the README, `till help exit-codes` and the manual page cannot
/// disagree.
enum ReadmeSections {
  static func render(_ readme: String) -> String {
    var text = readme
    for (name, body) in [("exit-codes", exitCodes), ("global-options", globalOptions)] {
      let begin = "<!-- BEGIN \(name) -->\n"
      let end = "<!-- END \(name) -->"
      guard let start = text.range(of: begin), let stop = text.range(of: end),
        start.upperBound <= stop.lowerBound
      else { continue }
      text.replaceSubrange(start.upperBound..<stop.lowerBound, with: body)
    }
    return text
  }

  static var exitCodes: String {
    var lines = ["| code | meaning |", "|---|---|"]
    for status in ExitStatus.allCases {
      lines.append(
        "| \(status.rawValue) | \(status.meaning.replacingOccurrences(of: "|", with: "\\|")) |")
    }
    return lines.joined(separator: "\n") + "\n"
  }

  static var globalOptions: String {
    let options = CommandTree.globalOptions.map { option in
      let short = option.short.map { "-\($0)/" } ?? ""
      let value = option.value.map { " \($0.name)" } ?? ""
      return "`\(short)--\(option.long)\(value)`"
    }
    return "Global options, taken by every command (`till help options` says what each does):\n"
      + wrapped(options.joined(separator: ", ") + ".") + "\n"
  }

  private static func wrapped(_ text: String) -> String {
    var lines: [String] = []
    var line = ""
    for word in text.split(separator: " ") {
      if !line.isEmpty, line.count + 1 + word.count > 96 {
        lines.append(line)
        line = ""
      }
      line += (line.isEmpty ? "" : " ") + word
    }
    if !line.isEmpty { lines.append(line) }
    return lines.joined(separator: "\n")
  }
}
