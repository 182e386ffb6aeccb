import Testing
import TillArguments

@Suite struct SpecProblemsTests {
  @Test func exampleTreeIsSound() {
    #expect(ExampleTree.till.problems() == [])
  }

  @Test func reportsEachKindOfMistake() {
    let spec = CommandSpec(
      name: "tool", abstract: "A tool.",
      options: [
        OptionSpec(long: "json", help: "", isGlobal: true),
        OptionSpec(long: "Bad_Name", help: ""),
        OptionSpec(long: "help", help: ""),
        OptionSpec(long: "one", short: "1", help: ""),
        OptionSpec(long: "pick", value: ValueSpec(name: "X", kind: .choice([])), help: ""),
      ],
      subcommands: [
        CommandSpec(
          name: "run", abstract: "Run.",
          arguments: [
            ArgumentSpec(name: "many", help: "", isRepeatable: true),
            ArgumentSpec(name: "maybe", help: "", isOptional: true),
            ArgumentSpec(name: "must", help: ""),
          ],
          options: [OptionSpec(long: "json", help: "")],
          examples: [Example(["run", "--nope"], "Fails.")]),
        CommandSpec(name: "run", abstract: "Again."),
      ])
    #expect(
      spec.problems() == [
        "'tool': subcommand 'run' declared twice",
        "'tool': badly formed option name 'Bad_Name'",
        "'tool': '--help' reuses the reserved name of -h, --help",
        "'tool': short name '-1' of '--one' is not a letter",
        "'tool': '--pick' has no choices",
        "'tool run': option '--json' declared twice",
        "'tool run': repeatable argument '<many>' is not the last",
        "'tool run': required argument '<must>' follows an optional one",
        "'tool run': example 'run --nope' fails: unknown option '--nope' for 'tool run'",
      ])
  }
}
