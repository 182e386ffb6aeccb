import Foundation
import Testing

/// The built binary prints the checked-in completion scripts, and the checked-in manual page
/// passes `mandoc -Tlint` and renders with `man`.
@Suite struct GeneratedFilesEndToEndTests {
  static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
  static let manualPage = repositoryRoot.appendingPathComponent("man/till.1").path

  @Test(arguments: [("bash", "till.bash"), ("zsh", "_till"), ("fish", "till.fish")])
  func completionCommandPrintsTheCheckedInScript(shell: String, file: String) throws {
    let result = try Till(apiKey: nil, baseURL: nil).run(["completion", shell])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.isEmpty)
    let path = Self.repositoryRoot.appendingPathComponent("completions/" + file).path
    let stored = try String(contentsOfFile: path, encoding: .utf8)
    #expect(
      result.stdout == stored,
      """
      till completion \(shell) differs from completions/\(file); refresh the file with \
      'TILL_REGENERATE=1 swift test --filter GeneratedFilesTests'
      """)
  }

  @Test func completionOfAnUnknownShellIsAUsageError() throws {
    let result = try Till(apiKey: nil, baseURL: nil).run(["completion", "tcsh"])
    #expect(result.status == 2)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.contains("'tcsh'"))
  }

  @Test(.enabled(if: tool("mandoc") != nil, "mandoc is not installed"))
  func mandocFindsNothingToReport() throws {
    let result = try runProcess(
      try #require(tool("mandoc")), ["-Tlint", Self.manualPage], environment: [:],
      directory: NSTemporaryDirectory())
    #expect(result.status == 0)
    #expect(result.stdout + result.stderr == "")
  }

  @Test(.enabled(if: tool("man") != nil, "man is not installed"))
  func manRendersThePage() throws {
    let result = try runProcess(
      try #require(tool("man")), ["-l", Self.manualPage],
      environment: ["MANWIDTH": "80", "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"],
      directory: NSTemporaryDirectory())
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr == "")
    let text = withoutOverstrikes(result.stdout)
    let headings = [
      "NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS", "OPTIONS", "ENVIRONMENT", "FILES",
      "EXIT STATUS", "EXAMPLES", "SEE ALSO",
    ]
    let lines = text.split(separator: "\n").map(String.init)
    for heading in headings { #expect(lines.contains(heading), "\(heading)") }
    #expect(text.contains("till - drive checkouts"))
    #expect(text.contains("till checkout status"))
    #expect(text.contains("--max-wait"))
    #expect(lines.allSatisfy { $0.count <= 80 }, "a line is wider than MANWIDTH")
  }
}

/// The path of an installed program, or `nil`.
func tool(_ name: String) -> String? {
  ["/usr/bin/", "/bin/", "/usr/local/bin/"].map { $0 + name }
    .first { FileManager.default.isExecutableFile(atPath: $0) }
}

/// `text` without the backspace sequences a terminal formatter uses for bold and underline.
func withoutOverstrikes(_ text: String) -> String {
  var output: [Character] = []
  for character in text {
    if character == "\u{8}" {
      if !output.isEmpty { output.removeLast() }
    } else {
      output.append(character)
    }
  }
  return String(output)
}
