import Testing
import TillArguments

@Suite struct ParserTests {
  let root = ExampleTree.till

  func parse(_ line: String) throws(UsageError) -> ParsedCommand {
    try root.parse(line.split(separator: " ").map(String.init))
  }

  // MARK: Subcommands and globals

  @Test func resolvesSubcommandPathFromTheRoot() throws {
    let parsed = try parse("checkout status c2a-1")
    #expect(parsed.path == ["checkout", "status"])
    #expect(parsed.command.name == "status")
    #expect(parsed.arguments("id") == ["c2a-1"])
    #expect(!parsed.helpRequested)
  }

  @Test(arguments: [
    "--json checkout status c2a-1",
    "checkout --json status c2a-1",
    "checkout status --json c2a-1",
    "checkout status c2a-1 --json",
  ])
  func globalOptionsAreAcceptedAtAnyDepth(_ line: String) throws {
    let parsed = try parse(line)
    #expect(parsed.path == ["checkout", "status"])
    #expect(parsed.flag("json"))
    #expect(parsed.arguments("id") == ["c2a-1"])
  }

  @Test func localOptionsDoNotTravel() {
    #expect(throws: UsageError.self) { try parse("checkout --interval 5 status c2a-1") }
    #expect(throws: UsageError.self) { try parse("checkout status c2a-1 --interval 5") }
    #expect(throws: UsageError.self) { try parse("checkout --watch status c2a-1") }
  }

  @Test func localOptionOfAnAncestorIsAcceptedBeforeTheSubcommandWord() throws {
    let parsed = try parse("--interval 5 checkout status c2a-1")
    #expect(parsed.path == ["checkout", "status"])
    #expect(parsed.value("interval") == "5")
  }

  @Test func rootLocalOptionIsAcceptedAtTheRoot() throws {
    let parsed = try parse("--interval 5")
    #expect(parsed.path == [])
    #expect(parsed.value("interval") == "5")
  }

  @Test func commandWithSubcommandsAndNoneGivenIsNotAnError() throws {
    let bare = try parse("checkout --json")
    #expect(bare.path == ["checkout"])
    #expect(bare.isMissingSubcommand)
    #expect(bare.parsedArguments.isEmpty)
    let root = try self.root.parse([])
    #expect(root.path == [])
    #expect(root.isMissingSubcommand)
    let leaf = try parse("cart show")
    #expect(!leaf.isMissingSubcommand)
  }

  @Test func versionIsAnOrdinaryGlobalFlag() throws {
    let parsed = try parse("--version")
    #expect(parsed.flag("version"))
    #expect(parsed.isMissingSubcommand)
  }

  // MARK: Option shapes

  @Test func optionValueSeparateOrAfterEqualsSign() throws {
    #expect(try parse("--base-url http://a").value("base-url") == "http://a")
    #expect(try parse("--base-url=http://a").value("base-url") == "http://a")
    #expect(try parse("--base-url=").value("base-url") == "")
  }

  @Test func shortOptionValueSeparateOrAttached() throws {
    #expect(try parse("-t 5s").value("timeout") == "5s")
    #expect(try parse("-t5s").value("timeout") == "5s")
  }

  @Test func combinedShortFlags() throws {
    let parsed = try parse("-vq")
    #expect(parsed.count("verbose") == 1)
    #expect(parsed.flag("quiet"))
    #expect(parsed.options == [ParsedOption(long: "verbose"), ParsedOption(long: "quiet")])
  }

  @Test func combinedShortFlagsEndingInOptionTakingValue() throws {
    let separate = try parse("-vt 5s")
    #expect(
      separate.options == [
        ParsedOption(long: "verbose"), ParsedOption(long: "timeout", value: "5s"),
      ])
    let attached = try parse("-qt500ms")
    #expect(attached.flag("quiet"))
    #expect(attached.value("timeout") == "500ms")
  }

  @Test func repeatedFlagsAreCounted() throws {
    #expect(try parse("-vvv").count("verbose") == 3)
    #expect(try parse("-v --verbose -v").count("verbose") == 3)
    #expect(try parse("--json").count("verbose") == 0)
    #expect(!(try parse("--json").flag("verbose")))
  }

  @Test func repeatedValuesAreCollectedInOrderAndLastWins() throws {
    let parsed = try parse("checkout start --item a --item=b --offer x --item c --offer y")
    #expect(parsed.values("item") == ["a", "b", "c"])
    #expect(parsed.value("item") == "c")
    #expect(parsed.value("offer") == "y")
    #expect(parsed.values("offer") == ["x", "y"])
  }

  @Test func absentOptionsReadAsAbsent() throws {
    let parsed = try parse("checkout start")
    #expect(!parsed.has("offer"))
    #expect(parsed.value("offer") == nil)
    #expect(parsed.values("item") == [])
    #expect(parsed.count("watch") == 0)
  }

  @Test func hasIsTrueForFlagsAndValues() throws {
    let parsed = try parse("checkout start --watch --offer x")
    #expect(parsed.has("watch"))
    #expect(parsed.has("offer"))
    #expect(!parsed.has("body"))
  }

  @Test func lastGivenTellsWhichOfConflictingOptionsCameLast() throws {
    #expect(try parse("--json -q").lastGiven(of: ["json", "quiet"]) == "quiet")
    #expect(try parse("-q --json").lastGiven(of: ["json", "quiet"]) == "json")
    #expect(try parse("-v").lastGiven(of: ["json", "quiet"]) == nil)
  }

  @Test func insertionOrderIsKeptAcrossShortAndLongForms() throws {
    let parsed = try parse("--color never checkout -v start --color=always -t1s")
    #expect(
      parsed.options == [
        ParsedOption(long: "color", value: "never"),
        ParsedOption(long: "verbose"),
        ParsedOption(long: "color", value: "always"),
        ParsedOption(long: "timeout", value: "1s"),
      ])
  }

  // MARK: Special words

  @Test func loneDashIsAValue() throws {
    #expect(try parse("checkout start --body -").value("body") == "-")
    #expect(try parse("checkout status -").arguments("id") == ["-"])
  }

  @Test func terminatorMakesEverythingAfterPositional() throws {
    let parsed = try parse("checkout status --json -- --watch -v")
    #expect(parsed.flag("json"))
    #expect(!parsed.flag("watch"))
    #expect(parsed.count("verbose") == 0)
    #expect(parsed.arguments("id") == ["--watch", "-v"])
  }

  @Test func wordsAfterTerminatorAreNotSubcommands() {
    #expect(throws: UsageError.self) { try parse("checkout -- status") }
  }

  @Test func negativeNumberIsPassedToOptionTakingValue() throws {
    #expect(try parse("--interval -1").value("interval") == "-1")
    #expect(try parse("sandbox --port -80").value("port") == "-80")
  }

  @Test func negativeNumberIsAPositional() throws {
    #expect(try parse("checkout status -7").arguments("id") == ["-7"])
  }

  @Test func optionShapedWordIsNotTakenAsAValue() {
    #expect(throws: UsageError.self) { try parse("--base-url --json") }
  }

  // MARK: Values

  @Test(arguments: ["auto", "always", "never"])
  func choiceValuesAreAccepted(_ choice: String) throws {
    #expect(try parse("--color \(choice)").value("color") == choice)
  }

  @Test func integerValuesAreChecked() throws {
    #expect(try parse("sandbox --port 8080").value("port") == "8080")
    #expect(throws: UsageError.self) { try parse("sandbox --port 80x") }
  }

  @Test func durationValuesAreCheckedAndPassedAsWritten() throws {
    #expect(try parse("--timeout 1h30m").value("timeout") == "1h30m")
    #expect(throws: UsageError.self) { try parse("--timeout soon") }
  }

  @Test func urlAndFileValuesArePassedThrough() throws {
    let parsed = try parse("checkout start --base-url not-a-url --body ./x.json")
    #expect(parsed.value("base-url") == "not-a-url")
    #expect(parsed.value("body") == "./x.json")
  }

  // MARK: Positionals

  @Test func repeatablePositionalCollectsAllWords() throws {
    let parsed = try parse("checkout status a --watch b c")
    #expect(parsed.arguments("id") == ["a", "b", "c"])
    #expect(parsed.argument("id") == "a")
    #expect(parsed.flag("watch"))
  }

  @Test func optionalPositionalMayBeLeftOut() throws {
    let both = try parse("cart add sku-1 3")
    #expect(both.argument("sku") == "sku-1")
    #expect(both.argument("quantity") == "3")
    let one = try parse("cart add sku-1")
    #expect(one.argument("sku") == "sku-1")
    #expect(one.argument("quantity") == nil)
    #expect(one.parsedArguments == [ParsedArgument(name: "sku", value: "sku-1")])
  }

  @Test func positionalValuesAreCheckedAgainstTheirKind() {
    #expect(throws: UsageError.self) { try parse("cart add sku-1 three") }
  }

  @Test func requiredArgumentAfterOptionalRepeatableIsServedFirst() throws {
    let spec = CommandSpec(
      name: "copy", abstract: "Copy.",
      arguments: [
        ArgumentSpec(name: "source", help: "", isOptional: true, isRepeatable: true),
        ArgumentSpec(name: "destination", help: ""),
      ])
    let parsed = try spec.parse(["a", "b", "c"])
    #expect(parsed.arguments("source") == ["a", "b"])
    #expect(parsed.argument("destination") == "c")
    let single = try spec.parse(["c"])
    #expect(single.arguments("source") == [])
    #expect(single.argument("destination") == "c")
  }

  // MARK: Help

  @Test(arguments: [
    ("--help", [String]()),
    ("-h", []),
    ("checkout status --help", ["checkout", "status"]),
    ("checkout -h status", ["checkout", "status"]),
    ("cart -vh", ["cart"]),
    ("--json checkout start -h --watch", ["checkout", "start"]),
  ])
  func helpAnywhereResolvesThePath(_ line: String, _ path: [String]) throws {
    let parsed = try parse(line)
    #expect(parsed.helpRequested)
    #expect(parsed.path == path)
  }

  @Test(arguments: [
    ("checkout status --bogus --help", ["checkout", "status"]),
    ("checkout status --help --timeout soon", ["checkout", "status"]),
    ("checkout start --offer --help", ["checkout", "start"]),
    ("cart --help nosuch", ["cart"]),
    ("sandbox extra words -h", ["sandbox"]),
    ("--color purple checkout -h", ["checkout"]),
  ])
  func helpToleratesOtherErrors(_ line: String, _ path: [String]) throws {
    let parsed = try parse(line)
    #expect(parsed.helpRequested)
    #expect(parsed.path == path)
  }

  @Test func helpAfterTerminatorIsAnArgument() throws {
    let parsed = try parse("checkout status -- --help")
    #expect(!parsed.helpRequested)
    #expect(parsed.arguments("id") == ["--help"])
  }

  @Test func letterHInAnAttachedValueIsNotHelp() throws {
    let parsed = try parse("-vt1h")
    #expect(!parsed.helpRequested)
    #expect(parsed.value("timeout") == "1h")
  }

  // MARK: Resolving help paths

  @Test func resolveChecksCommandWords() throws {
    #expect(try root.resolve(["checkout", "status"]) == ["checkout", "status"])
    #expect(try root.resolve([]) == [])
    let error = #expect(throws: UsageError.self) { try root.resolve(["checkout", "stats"]) }
    #expect(error?.message == "unknown command 'stats' for 'till checkout'; did you mean 'status'?")
  }

  @Test func commandAtPath() {
    #expect(root.command(at: ["cart", "add"])?.name == "add")
    #expect(root.command(at: [])?.name == "till")
    #expect(root.command(at: ["cart", "nope"]) == nil)
  }
}
