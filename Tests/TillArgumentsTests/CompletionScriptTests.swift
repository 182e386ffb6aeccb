import Foundation
import Testing

@testable import TillArguments

/// The completion scripts generated from the example tree: what each must contain. Real
/// shells answer real command lines in the end-to-end tests; here a shell, when installed,
/// only checks the syntax.
@Suite struct CompletionScriptTests {
  let root = ExampleTree.till

  /// A tree with the value kinds the example tree lacks, and a name that is not a word.
  static let oddTree = CommandSpec(
    name: "my-tool", abstract: "A tool.",
    options: [
      OptionSpec(
        long: "profile", value: ValueSpec(name: "NAME", kind: .listed(by: ["profile", "list"])),
        help: "A profile.", isGlobal: true),
      OptionSpec(
        long: "mood", value: ValueSpec(name: "MOOD", kind: .choice(["it's", "so so"])),
        help: "The tool's mood: it's 'fine'.", isGlobal: true),
    ],
    subcommands: [
      CommandSpec(
        name: "read", abstract: "Read files.",
        arguments: [ArgumentSpec(name: "file", help: "A file.", kind: .file, isRepeatable: true)])
    ])

  // MARK: bash

  @Test func bashRegistersOneFunctionForTheProgram() {
    let script = root.completionScript(for: .bash)
    #expect(script.hasPrefix("# bash completion for till"))
    #expect(script.hasSuffix("\ncomplete -F _till till\n"))
    #expect(script.contains("\n_till() {\n"))
  }

  @Test func bashListsSubcommandsAtEveryDepth() {
    let script = root.completionScript(for: .bash)
    #expect(script.contains("    till) __till_words=(checkout cart sandbox) ;;\n"))
    #expect(script.contains("    'till checkout') __till_words=(start status) ;;\n"))
    #expect(script.contains("    'till cart') __till_words=(add show clear) ;;\n"))
  }

  @Test func bashAcceptsGlobalOptionsBelowTheirCommandAndOthersOnlyThere() {
    let script = root.completionScript(for: .bash)
    #expect(
      script.contains(
        "  case \"$1\" in till | 'till '*) __till_words+=(--json -q --quiet -v --verbose --api "
          + "--base-url -t --timeout --color --version) ;; esac\n"))
    #expect(script.contains("  case \"$1\" in till) __till_words+=(--interval) ;; esac\n"))
    #expect(
      script.contains(
        "  case \"$1\" in 'till checkout start') __till_words+=(--watch --offer --item --body) "
          + ";; esac\n"))
    #expect(script.contains("  __till_words+=(-h --help)\n"))
  }

  @Test func bashKnowsHowEachOptionValueCompletes() {
    let script = root.completionScript(for: .bash)
    #expect(
      script.contains(
        "    'till|--api' | 'till '*'|--api') __till_kind=choice; "
          + "__till_words=(c2a comos ticketing acme) ;;\n"))
    #expect(
      script.contains(
        "    'till|-t' | 'till '*'|-t' | 'till|--timeout' | 'till '*'|--timeout') "
          + "__till_kind=none ;;\n"))
    #expect(script.contains("    'till checkout start|--body') __till_kind=file ;;\n"))
    #expect(script.contains("    'till|--interval') __till_kind=none ;;\n"))
    #expect(!script.contains("'till '*'|--interval'"))
    #expect(!script.contains("--watch') __till_kind"), "a flag needs no rule")
  }

  @Test func bashKnowsEachPositionalArgument() {
    let script = root.completionScript(for: .bash)
    #expect(script.contains("    'till cart add|0') __till_kind=none ;;\n"))
    #expect(script.contains("    'till cart add|1') __till_kind=none ;;\n"))
    #expect(script.contains("    'till checkout status|'*) __till_kind=none ;;\n"))
  }

  @Test func bashQuotesWordsAndNamesItsFunctionsAfterTheProgram() {
    let script = Self.oddTree.completionScript(for: .bash)
    #expect(script.hasSuffix("\ncomplete -F _my_tool my-tool\n"))
    #expect(script.contains("__my_tool_kind=choice; __my_tool_words=('it'\\''s' 'so so')"))
    #expect(script.contains("__my_tool_kind=listed; __my_tool_words=(profile list)"))
    #expect(script.contains("    'my-tool read|'*) __my_tool_kind=file ;;\n"))
  }

  @Test func bashJoinsOptionEqualsValueAndRunsTheProgramBoundedForListedValues() {
    let script = root.completionScript(for: .bash)
    #expect(script.contains("--*=*)"))
    #expect(script.contains("type timeout &>/dev/null && run=(timeout 2 \"${run[@]}\")"))
    #expect(script.contains("< <(\"${run[@]}\" </dev/null 2>/dev/null)"))
  }

  // MARK: zsh

  @Test func zshIsACompdefFunctionThatDescribesCommandsAndOptions() {
    let script = root.completionScript(for: .zsh)
    #expect(script.hasPrefix("#compdef till\n"))
    #expect(script.contains("        'checkout:Start checkouts and follow them.'\n"))
    #expect(script.contains("        'start:Submit a checkout and print its id at once.'\n"))
    #expect(script.contains("        '-q:Print only ids.'\n"))
    #expect(script.contains("        '--quiet:Print only ids.'\n"))
    #expect(script.contains("  '-h:Show help information.'\n"))
    #expect(script.contains("_describe -t commands command till_words"))
    #expect(script.hasSuffix("  compdef _till till\nfi\n"))
  }

  @Test func zshNamesValuesItCannotGuess() {
    let script = root.completionScript(for: .zsh)
    #expect(
      script.contains(
        "    'till|--base-url' | 'till '*'|--base-url') till_kind=none; till_label=URL ;;\n"))
    #expect(script.contains("    'till cart add|0') till_kind=none; till_label='<sku>' ;;\n"))
    #expect(script.contains("_message -e values $till_label"))
    #expect(script.contains("compset -P '*='"))
    #expect(script.contains("file) _files ;;"))
  }

  @Test func zshEscapesColonsInNamesAndQuotesDescriptions() {
    let script = Self.oddTree.completionScript(for: .zsh)
    #expect(script.contains("'--mood:The tool'\\''s mood: it'\\''s '\\''fine'\\''.'"))
    let colon = CommandSpec(
      name: "t", abstract: "T.", subcommands: [CommandSpec(name: "a", abstract: "A: b.")])
    #expect(colon.completionScript(for: .zsh).contains("        'a:A: b.'\n"))
  }

  // MARK: fish

  @Test func fishCompletesFromOneFunctionAndLetsFishCompleteFiles() {
    let script = root.completionScript(for: .fish)
    #expect(script.contains("\ncomplete -c till -f -a '(__till_complete)'\n"))
    #expect(script.contains("\ncomplete -c till -n '__till_complete --files' -F\n"))
    #expect(
      script.contains(
        "            printf '%s\\t%s\\n' checkout 'Start checkouts and follow them.'\n"))
    #expect(script.contains("        case 'till|--api' 'till *|--api'\n"))
    #expect(script.contains("            printf '%s\\n' choice c2a comos ticketing acme\n"))
    #expect(
      script.contains(
        "        case 'till checkout start|--body'\n            printf '%s\\n' file\n"))
  }

  @Test func fishQuotesWords() {
    let script = Self.oddTree.completionScript(for: .fish)
    #expect(script.contains("printf '%s\\n' choice 'it\\'s' 'so so'"))
    #expect(script.contains("printf '%s\\n' listed profile list"))
    #expect(fishQuoted("a\\b'c") == "'a\\\\b\\'c'")
  }

  // MARK: Syntax, where the shell is installed

  @Test(.enabled(if: installed("bash") != nil, "bash is not installed"))
  func bashAcceptsTheSyntax() throws {
    for tree in [root, Self.oddTree] {
      let result = try checkSyntax(tree.completionScript(for: .bash), with: "bash", ["-n"])
      #expect(result.status == 0, "\(result.errors)")
    }
  }

  @Test(.enabled(if: installed("zsh") != nil, "zsh is not installed"))
  func zshAcceptsTheSyntax() throws {
    for tree in [root, Self.oddTree] {
      let result = try checkSyntax(tree.completionScript(for: .zsh), with: "zsh", ["-n"])
      #expect(result.status == 0, "\(result.errors)")
    }
  }

  @Test(.enabled(if: installed("fish") != nil, "fish is not installed"))
  func fishAcceptsTheSyntax() throws {
    for tree in [root, Self.oddTree] {
      let result = try checkSyntax(
        tree.completionScript(for: .fish), with: "fish", ["--no-execute"])
      #expect(result.status == 0, "\(result.errors)")
    }
  }
}

/// The path of an installed program, or `nil`.
func installed(_ name: String) -> String? {
  ["/usr/bin/", "/bin/", "/usr/local/bin/"].map { $0 + name }
    .first { FileManager.default.isExecutableFile(atPath: $0) }
}

/// Runs `shell` with `options` on `script` saved to a file; waits at most 20 seconds.
func checkSyntax(_ script: String, with shell: String, _ options: [String]) throws
  -> (status: Int32, errors: String)
{
  let directory = NSTemporaryDirectory() + "till-syntax-" + UUID().uuidString
  try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(atPath: directory) }
  let path = directory + "/script"
  try Data(script.utf8).write(to: URL(fileURLWithPath: path))
  let errors = Pipe()
  let process = Process()
  process.executableURL = URL(fileURLWithPath: try #require(installed(shell)))
  process.arguments = options + [path]
  process.environment = ["PATH": "/usr/bin:/bin", "HOME": directory]
  process.standardInput = FileHandle.nullDevice
  process.standardOutput = FileHandle.nullDevice
  process.standardError = errors
  try process.run()
  let end = Date().addingTimeInterval(20)
  while process.isRunning && Date() < end { Thread.sleep(forTimeInterval: 0.01) }
  if process.isRunning {
    Issue.record("\(shell) did not finish checking the script within 20 s")
    process.terminate()
  }
  process.waitUntilExit()
  let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
  return (process.terminationStatus, text)
}
