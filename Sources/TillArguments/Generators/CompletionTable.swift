/// What every completion script needs of a command tree, flattened into tables the scripts
/// look up by shell pattern.
///
/// A script walks the words before the cursor the way the parser does: subcommand words
/// (while no positional has been seen), options and the values they take, positionals, and
/// `--`. It keeps the command reached as a key such as `till checkout start`, and asks these
/// tables about `<command key>|<option>` or `<command key>|<position>`. Keeping that walk in
/// the script, rather than in per-command completion functions, is what lets global options
/// come before or after subcommands, exactly as the parser allows.
struct CompletionTable {
  /// One command of the tree.
  struct Command {
    /// The words from the root, including the root's own name, e.g. `["till", "checkout"]`.
    var path: [String]
    var spec: CommandSpec

    var key: String { path.joined(separator: " ") }

    /// Matches this command's key.
    var exactly: Pattern { Pattern(parts: [.literal(key)]) }
    /// Matches the keys of the commands below this one.
    var below: Pattern { Pattern(parts: [.literal(key + " "), .anything]) }
  }

  /// How the value at some place of the command line completes.
  enum Completion: Equatable {
    /// The option takes no value.
    case flag
    /// Exactly these words.
    case choices([String])
    /// Paths.
    case files
    /// The lines the program prints when run with these arguments.
    case listed(by: [String])
    /// A value that cannot be guessed (a URL, an id, a number); `placeholder` names it.
    case anything(placeholder: String)

    init(_ kind: ValueKind, placeholder: String) {
      switch kind {
      case .choice(let words): self = .choices(words)
      case .file: self = .files
      case .listed(let arguments): self = .listed(by: arguments)
      case .string, .integer, .duration, .url: self = .anything(placeholder: placeholder)
      }
    }
  }

  /// A shell `case` pattern: literal text and `*` wildcards, rendered by each shell with its
  /// own quoting.
  struct Pattern: Equatable {
    enum Part: Equatable {
      case literal(String)
      case anything
    }
    var parts: [Part]

    /// This pattern followed by `text`.
    func appending(_ text: String) -> Pattern {
      guard case .literal(let last)? = parts.last else {
        return Pattern(parts: parts + [.literal(text)])
      }
      return Pattern(parts: parts.dropLast() + [.literal(last + text)])
    }
  }

  /// Options declared together, and the command keys where they are accepted.
  struct OptionGroup {
    var patterns: [Pattern]
    var options: [OptionSpec]

    var isEverywhere: Bool { patterns == [Pattern(parts: [.anything])] }

    /// The lines of a completion menu: each spelling of each option (`-q` and `--quiet`),
    /// with the option's help line.
    var menu: [(spelling: String, description: String)] {
      options.flatMap { option in
        option.spellings.map { (spelling: $0, description: option.completionDescription) }
      }
    }
  }

  /// Patterns over `<command key>|<word>` keys, and what completes there.
  struct Rule {
    var patterns: [Pattern]
    var completion: Completion
  }

  let programName: String
  /// Every command, depth first, the root first.
  let commands: [Command]

  init(root: CommandSpec) {
    programName = root.name
    var commands: [Command] = []
    func visit(_ chain: [CommandSpec]) {
      commands.append(Command(path: chain.map(\.name), spec: chain[chain.count - 1]))
      for subcommand in chain[chain.count - 1].subcommands { visit(chain + [subcommand]) }
    }
    visit([root])
    self.commands = commands
  }

  /// The options of the tree by where they are accepted: each command's options that are not
  /// global (at that command only), then each command's global options (there and below),
  /// then `-h/--help` (everywhere). A command accepts the options of every group matching
  /// its key, in this order.
  var optionGroups: [OptionGroup] {
    var groups: [OptionGroup] = []
    for command in commands {
      let local = command.spec.options.filter { !$0.isGlobal }
      if !local.isEmpty { groups.append(OptionGroup(patterns: [command.exactly], options: local)) }
    }
    for command in commands {
      let global = command.spec.options.filter(\.isGlobal)
      if !global.isEmpty {
        groups.append(OptionGroup(patterns: [command.exactly, command.below], options: global))
      }
    }
    groups.append(OptionGroup(patterns: [Pattern(parts: [.anything])], options: [.helpFlag]))
    return groups
  }

  /// For each option that takes a value, where it is accepted and how its value completes;
  /// each spelling (`--timeout`, `-t`) gets its patterns.
  var optionRules: [Rule] {
    optionGroups.flatMap { group in
      group.options.compactMap { option -> Rule? in
        guard let value = option.value else { return nil }
        let patterns = option.spellings.flatMap { spelling in
          group.patterns.map { $0.appending("|" + spelling) }
        }
        return Rule(
          patterns: patterns, completion: Completion(value.kind, placeholder: value.name))
      }
    }
  }

  /// For each positional argument, its position from 0 (a repeatable last argument matches
  /// every position from its own on) and how it completes.
  var argumentRules: [Rule] {
    commands.flatMap { command in
      command.spec.arguments.enumerated().map { index, argument in
        let pattern =
          argument.isRepeatable
          ? Pattern(parts: [.literal(command.key + "|"), .anything])
          : Pattern(parts: [.literal(command.key + "|" + String(index))])
        return Rule(
          patterns: [pattern],
          completion: Completion(argument.kind, placeholder: "<\(argument.name)>"))
      }
    }
  }

  /// The commands that have subcommands.
  var parents: [Command] { commands.filter { !$0.spec.subcommands.isEmpty } }

  /// A name usable in shell function names: the program name with anything but letters and
  /// digits replaced by `_`.
  var functionStem: String {
    String(programName.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
  }
}

extension OptionSpec {
  /// `-q` and `--quiet`, or just `--json`.
  var spellings: [String] { (short.map { ["-" + String($0)] } ?? []) + ["--" + long] }

  /// The help line shown next to an option in a completion menu.
  var completionDescription: String { firstLine(of: help) }
}

/// The first line of `text`, so a menu entry stays on one line.
func firstLine(of text: String) -> String {
  String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
}

extension CompletionTable.Pattern {
  /// The pattern for a POSIX shell's `case`: literal parts quoted where needed, wildcards bare.
  var posix: String {
    parts.map { part in
      switch part {
      case .literal(let text): return shellQuote(text)
      case .anything: return "*"
      }
    }.joined()
  }
}
