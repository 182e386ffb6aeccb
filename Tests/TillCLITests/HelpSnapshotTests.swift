import Foundation
import Testing
import TillArguments

@testable import TillCLI

/// Every command's help, checked in under Snapshots/; refresh with
/// `TILL_REGENERATE=1 swift test --filter HelpSnapshotTests`.
@Suite struct HelpSnapshotTests {
  static let snapshots = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Snapshots")

  static func paths(_ command: CommandSpec, _ prefix: [String] = []) -> [[String]] {
    [prefix] + command.subcommands.flatMap { paths($0, prefix + [$0.name]) }
  }

  static let allPaths = paths(CommandTree.root)

  @Test(arguments: allPaths)
  func helpMatchesItsSnapshot(path: [String]) throws {
    let name = (["till"] + path).joined(separator: "-") + ".txt"
    let file = Self.snapshots.appendingPathComponent(name)
    let help = CommandTree.root.helpText(for: path) + "\n"
    if ProcessInfo.processInfo.environment["TILL_REGENERATE"] == "1" {
      try help.write(to: file, atomically: true, encoding: .utf8)
      return
    }
    let stored = try? String(contentsOf: file, encoding: .utf8)
    let command = (["till"] + path).joined(separator: " ")
    #expect(
      stored == help,
      "help for '\(command)' differs from Snapshots/\(name); refresh with TILL_REGENERATE=1")
  }

  @Test func everySnapshotBelongsToACommand() throws {
    let files = try FileManager.default.contentsOfDirectory(atPath: Self.snapshots.path)
    let expected = Set(Self.allPaths.map { (["till"] + $0).joined(separator: "-") + ".txt" })
    #expect(Set(files) == expected)
  }

  @Test func theTreeIsWellFormed() {
    #expect(CommandTree.root.problems() == [])
  }

  @Test func helpFitsEightyColumns() {
    for path in Self.allPaths {
      for line in CommandTree.root.helpText(for: path).split(separator: "\n") {
        #expect(line.count <= 80, "\(path): \(line)")
      }
    }
  }
}
