/// The shells `completionScript(for:)` writes a script for.
public enum CompletionShell: String, CaseIterable, Sendable {
  case bash, zsh, fish
}

extension CommandSpec {
  /// The completion script of `shell` for this tree, read as the root.
  public func completionScript(for shell: CompletionShell) -> String {
    let table = CompletionTable(root: self)
    switch shell {
    case .bash: return BashCompletion(table: table).script()
    case .zsh: return ZshCompletion(table: table).script()
    case .fish: return FishCompletion(table: table).script()
    }
  }
}

/// A shell's completion script for a command tree. Every shell's script has the same parts in
/// the same order, each written in that shell's syntax: a header, the lookups into the
/// completion table (how an option's value completes, how a positional argument completes,
/// the subcommands of a command, the options of a command), the shell's own helpers, the
/// function that walks the command line, and the lines that hand it to the shell.
protocol CompletionScript {
  var table: CompletionTable { get }
  /// The comment lines that open the script: what it is, that it is generated, how to install.
  var header: [String] { get }
  /// The comment over the function that says how an option's value completes.
  var optionLookupComment: [String] { get }
  /// The comment over the function that says how a positional argument completes.
  var argumentLookupComment: [String] { get }
  /// The function `__<stem>_<name> COMMAND WORD`, which says how the value completes by the
  /// first of `rules` matching `COMMAND|WORD`, and by the kind `fallback` when none does.
  func lookupFunction(
    _ name: String, comment: [String], rules: [CompletionTable.Rule], fallback: String
  ) -> [String]
  func subcommandFunction() -> [String]
  func optionListFunction() -> [String]
  /// The functions the main one calls that do not depend on the tree, as one block; none
  /// where the main function needs none.
  func helperFunctions() -> [String]
  func mainFunction() -> [String]
  /// The lines after the functions that have the shell complete the program with them.
  var registration: [String] { get }
}

extension CompletionScript {
  var stem: String { table.functionStem }
  var program: String { table.programName }

  func helperFunctions() -> [String] { [] }

  /// `__<stem>_option COMMAND OPTION`: an option the table does not list takes no value.
  func optionFunction() -> [String] {
    lookupFunction(
      "option", comment: optionLookupComment, rules: table.optionRules, fallback: "flag")
  }

  /// `__<stem>_argument COMMAND POSITION`: nothing to offer where the table lists nothing.
  func argumentFunction() -> [String] {
    lookupFunction(
      "argument", comment: argumentLookupComment, rules: table.argumentRules, fallback: "none")
  }

  func script() -> String {
    let functions =
      [optionFunction(), argumentFunction(), subcommandFunction(), optionListFunction()]
      + [helperFunctions()].filter { !$0.isEmpty } + [mainFunction()]
    let lines = header + [""] + functions.flatMap { $0 + [""] } + registration
    return lines.joined(separator: "\n") + "\n"
  }
}

/// What the bash and the zsh script share: lookup functions written as POSIX `case`
/// statements that set shell variables to how a value completes.
protocol POSIXCompletionScript: CompletionScript {
  /// The name of the script's variable `name`: `__till_kind` in bash, `till_kind` in zsh.
  func variable(_ name: String) -> String
  /// The lines that reset the lookup's other variables before a rule sets them.
  var lookupResets: [String] { get }
  /// What a rule runs for a value that cannot be guessed (a URL, an id, a number).
  func unguessableAction(placeholder: String) -> String
}

extension POSIXCompletionScript {
  /// Sets the kind variable (and the words) by the first of `rules` matching `$1|$2`.
  func lookupFunction(
    _ name: String, comment: [String], rules: [CompletionTable.Rule], fallback: String
  ) -> [String] {
    comment + ["__\(stem)_\(name)() {"] + lookupResets.map { "  " + $0 }
      + ["  case \"$1|$2\" in"] + rules.map(caseLine) + [
        "    *) \(variable("kind"))=\(fallback) ;;",
        "  esac",
        "}",
      ]
  }

  func caseLine(_ rule: CompletionTable.Rule) -> String {
    let patterns = rule.patterns.map(\.posix).joined(separator: " | ")
    let kind = variable("kind")
    let words = variable("words")
    let action: String
    switch rule.completion {
    case .flag: action = "\(kind)=flag"
    case .choices(let choices):
      action = "\(kind)=choice; \(words)=(\(choices.map(shellQuote).joined(separator: " ")))"
    case .files: action = "\(kind)=file"
    case .listed(let arguments):
      action = "\(kind)=listed; \(words)=(\(arguments.map(shellQuote).joined(separator: " ")))"
    case .anything(let placeholder): action = unguessableAction(placeholder: placeholder)
    }
    return "    \(patterns)) \(action) ;;"
  }
}
