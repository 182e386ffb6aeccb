import Testing
import TillArguments

@Suite struct HelpTextTests {
  let root = ExampleTree.till

  static let allPaths: [[String]] = [
    [], ["checkout"], ["checkout", "start"], ["checkout", "status"], ["cart"], ["cart", "add"],
    ["cart", "show"], ["cart", "clear"], ["sandbox"],
  ]

  @Test func checkoutStatusHelp() {
    let expected = """
      OVERVIEW: Show the state of one or more checkouts.

      Prints the state, the saga steps done, current, failed or compensated, and what
      the server asked for.

      With --watch, polls as the server instructs until every checkout reaches a
      terminal state.

      USAGE: till checkout status <id>... [options]

      ARGUMENTS:
        <id>         A checkout id (tracking number or saga id).

      OPTIONS:
            --watch  Follow the checkout until it ends.
        -h, --help   Show help information.

      GLOBAL OPTIONS:
        See 'till help options' for --json, --quiet, --verbose and the rest.

      EXAMPLES:
        till checkout status c2a-7f3e --watch
            Follow a checkout until it ends.

      """
    #expect(root.helpText(for: ["checkout", "status"]) == expected)
  }

  @Test func rootHelpListsItsOwnOptionsAndSubcommands() {
    let help = root.helpText(for: [])
    let expectedStart = """
      OVERVIEW: Drive checkouts against remote checkout APIs.

      USAGE: till <subcommand> [options]

      OPTIONS:
            --json                Print JSON instead of text.
      """
    #expect(help.hasPrefix(expectedStart))
    let expectedEnd = """
            --interval <SECONDS>  A root-only option, to show that only globals
                                  travel.
        -h, --help                Show help information.

      SUBCOMMANDS:
        checkout                  Start checkouts and follow them.
        cart                      Build a cart.
        sandbox                   Run a local server speaking every supported API.

        See 'till <subcommand> --help' for detailed help.

      """
    #expect(help.hasSuffix(expectedEnd))
    #expect(!help.contains("GLOBAL OPTIONS"))
    #expect(!help.contains("ARGUMENTS"))
  }

  @Test func subcommandHelpShowsOnlyGlobalsOfAncestors() {
    let help = root.helpText(for: ["sandbox"])
    #expect(help.contains("\n      --port <PORT>  The port to listen on. (default: 8080)\n"))
    // The global options are named and pointed to, not repeated.
    #expect(
      help.contains(
        "GLOBAL OPTIONS:\n  See 'till help options' for --json, --quiet, --verbose and the rest.\n"
      ))
    #expect(!help.contains("Print JSON instead of text."))
    #expect(!help.contains("--interval"))
    #expect(!help.contains("SUBCOMMANDS"))
    #expect(!help.contains("EXAMPLES"))
  }

  @Test func sectionsComeInFixedOrder() {
    let help = root.helpText(for: ["checkout", "status"])
    let titles = ["OVERVIEW:", "USAGE:", "ARGUMENTS:", "OPTIONS:", "GLOBAL OPTIONS:", "EXAMPLES:"]
    let starts = titles.compactMap { title in
      help.split(separator: "\n").firstIndex(where: { $0.hasPrefix(title) })
    }
    #expect(starts.count == titles.count)
    #expect(starts == starts.sorted())
  }

  @Test(arguments: allPaths)
  func noLineIsWiderThan80Columns(_ path: [String]) {
    let lines = root.helpText(for: path).split(separator: "\n")
    #expect(lines.allSatisfy { $0.count <= 80 })
    #expect(lines.allSatisfy { $0.last != " " })
  }

  @Test(arguments: allPaths)
  func narrowWidthIsHonouredWithHangingIndent(_ path: [String]) {
    let lines = root.helpText(for: path, width: 50).split(separator: "\n")
    #expect(lines.allSatisfy { $0.count <= 50 })
  }

  @Test func narrowHelpWrapsUnderTheTextColumn() {
    let help = root.globalOptionsText(width: 50)
    let expected = """
        -t, --timeout <DURATION>
                               Give up on one request
                               after this long.
                               (default: 30s) (env:
                               TILL_TIMEOUT)
            --color <WHEN>     When to color the output.
                               (values: auto, always,
                               never) (default: auto)
      """
    #expect(help.contains(expected), "\(help)")
  }

  @Test func globalOptionsTextListsEachWithItsHelp() {
    let help = root.globalOptionsText()
    #expect(
      help.hasPrefix("GLOBAL OPTIONS:\n      --json                Print JSON instead of text.\n"))
    #expect(!help.contains("--interval"), "a root-only option is not global")
  }

  @Test func longLabelsGetALineOfTheirOwn() {
    let spec = CommandSpec(
      name: "tool", abstract: "A tool.",
      options: [
        OptionSpec(
          long: "a-rather-long-option-name", value: ValueSpec(name: "SOMETHING"),
          help: "Long-named."),
        OptionSpec(long: "x", help: "Short-named."),
      ])
    let expected = """
      OPTIONS:
            --a-rather-long-option-name <SOMETHING>
                                    Long-named.
            --x                     Short-named.
      """
    #expect(spec.helpText(for: []).contains(expected))
  }

  @Test func discussionKeepsListsAndIndentedBlocks() {
    let spec = CommandSpec(
      name: "tool", abstract: "A tool.",
      discussion: """
        Exit status:
        - 0 when the checkout completed, which is what a script waits for in the normal case
        - 1 when it failed

          till tool --flag
          till tool
        """)
    let expected = """
      OVERVIEW: A tool.

      Exit status:
      - 0 when the checkout completed, which is what a script waits for in the normal
        case
      - 1 when it failed

        till tool --flag
        till tool

      USAGE: tool [options]
      """
    #expect(spec.helpText(for: []).hasPrefix(expected))
  }

  @Test func examplesAreShellQuotedAndUseTheProgramName() {
    let spec = CommandSpec(
      name: "tool", abstract: "A tool.",
      arguments: [ArgumentSpec(name: "words", help: "Words.", isRepeatable: true)],
      examples: [Example(["two words", "it's", "plain-1"], "Quotes what the shell would split.")]
    )
    let expected = """
      EXAMPLES:
        mytool 'two words' 'it'\\''s' plain-1
            Quotes what the shell would split.

      """
    let help = spec.helpText(for: [], programName: "mytool")
    #expect(help.hasSuffix(expected))
    #expect(help.contains("USAGE: mytool <words>... [options]"))
  }

  @Test(arguments: [
    ([String](), "till <subcommand> [options]"),
    (["checkout"], "till checkout <subcommand> [options]"),
    (["checkout", "status"], "till checkout status <id>... [options]"),
    (["checkout", "start"], "till checkout start [options]"),
    (["cart", "add"], "till cart add <sku> [<quantity>] [options]"),
  ])
  func usageLine(_ path: [String], _ expected: String) {
    #expect(root.usageText(for: path) == expected)
  }

  @Test func usageOfCommandWithSubcommandsAndArgumentsHasTwoForms() {
    let spec = CommandSpec(
      name: "tool", abstract: "A tool.",
      arguments: [
        ArgumentSpec(name: "topic", help: "", isOptional: true, isRepeatable: true)
      ],
      subcommands: [CommandSpec(name: "run", abstract: "Run.")])
    #expect(spec.usageText(for: []) == "tool <subcommand> [options]\ntool [<topic>...] [options]")
    #expect(
      spec.helpText(for: []).contains(
        "USAGE: tool <subcommand> [options]\n       tool [<topic>...] [options]\n"))
  }

  @Test func usageTextUsesProgramName() {
    #expect(root.usageText(for: ["sandbox"], programName: "t") == "t sandbox [options]")
  }

  @Test func pathWordsPastTheValidPrefixAreIgnored() {
    #expect(root.helpText(for: ["cart", "nope"]) == root.helpText(for: ["cart"]))
  }

  @Test func argumentChoicesAreListed() {
    let spec = CommandSpec(
      name: "tool", abstract: "A tool.",
      arguments: [ArgumentSpec(name: "shell", help: "The shell.", kind: .choice(["bash", "zsh"]))])
    #expect(
      spec.helpText(for: []).contains(
        "ARGUMENTS:\n  <shell>     The shell. (values: bash, zsh)\n"))
  }
}
