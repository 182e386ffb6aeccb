import Testing
import TillArguments

@testable import TillCLI

/// A run parses on a tree with the APIs' options only on the commands it names; whatever the
/// words, the result (or the error) must be the whole tree's.
@Suite struct CommandLineParseTests {
  /// Every example of every command's help, and command lines built to mislead the guess of
  /// which words are commands (a value that is a command's name, options before the command,
  /// `--`, `=`, short options, another API's option, an unknown word).
  static var lines: [[String]] {
    var lines: [[String]] = []
    func collect(_ spec: CommandSpec) {
      lines += spec.examples.map(\.arguments)
      spec.subcommands.forEach(collect)
    }
    collect(CommandTree.root)
    return lines + [
      ["--profile", "checkout", "checkout", "status", "trk_1"],
      ["--api", "ticketing", "--catalog-url", "http://127.0.0.1:1", "event", "list"],
      ["--catalog-url=http://127.0.0.1:1", "--api", "ticketing", "event", "seats", "e1"],
      ["-q", "--timeout", "5s", "cart", "add", "--cart", "status", "--product", "p1"],
      ["checkout", "status", "--", "-trk"],
      ["--api", "acme", "purchase", "--product", "cart", "--customer", "checkout"],
      ["purchase", "--email", "purchase", "--country", "DE"],
      ["cart", "add", "--event", "e1"],
      ["checkout", "stauts", "trk_1"],
      ["--json"],
      [],
      ["help", "checkout", "start"],
      ["checkout", "start", "--offer", "x", "-w", "--interval", "1s"],
      // No API option given: the command must still carry them all (help, checks use them).
      ["checkout", "start"], ["cart", "add"], ["purchase"], ["--api", "comos", "cart", "show"],
    ]
  }

  @Test func theRunsParseIsTheWholeTrees() {
    for line in Self.lines {
      let whole = Result { () throws(UsageError) in try CommandTree.root.parse(line) }
      let run = Result { () throws(UsageError) in try CommandTree.parse(line) }
      switch (whole, run) {
      case (.success(let expected), .success(let parsed)):
        #expect(parsed.path == expected.path, "\(line)")
        #expect(parsed.options == expected.options, "\(line)")
        #expect(parsed.parsedArguments == expected.parsedArguments, "\(line)")
        #expect(parsed.helpRequested == expected.helpRequested, "\(line)")
        #expect(
          parsed.command.options.map(\.long) == expected.command.options.map(\.long), "\(line)")
      case (.failure(let expected), .failure(let error)):
        #expect(error.message == expected.message, "\(line)")
      default:
        Issue.record("\(line): the whole tree gave \(whole), the run's \(run)")
      }
    }
  }

  /// The guess itself: options and their values are passed over.
  @Test func commandWordsPassOverOptionsAndTheirValues() {
    #expect(
      CommandTree.commandWords(["--profile", "checkout", "checkout", "status", "x"])
        == ["checkout", "status"])
    #expect(
      CommandTree.commandWords(["--catalog-url", "event", "event", "seats", "e"])
        == ["event", "seats"])
    #expect(CommandTree.commandWords(["--timeout", "5s", "cart", "--cart", "add"]) == ["cart"])
    #expect(CommandTree.commandWords(["--", "checkout"]) == [])
  }
}
