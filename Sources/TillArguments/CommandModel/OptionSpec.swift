/// A named option: a flag (`--json`) or an option that takes a value (`--base-url <URL>`).
public struct OptionSpec: Sendable, Equatable {
  /// The long name without dashes, e.g. `base-url`.
  public var long: String
  /// The one-letter name, e.g. `v` for `-v`. Digits are not allowed: `-1` reads as a value.
  public var short: Character?
  /// What the option takes; `nil` makes it a flag.
  public var value: ValueSpec?
  public var help: String
  /// The environment variable the application also reads for this option (help shows it).
  public var environment: String?
  /// What the application uses when the option is absent, as help should show it.
  public var defaultDescription: String?
  /// The option may be given more than once: a flag is counted, values are collected.
  public var isRepeatable: Bool
  /// The option is also accepted by every command below the one declaring it.
  public var isGlobal: Bool

  public init(
    long: String,
    short: Character? = nil,
    value: ValueSpec? = nil,
    help: String,
    environment: String? = nil,
    defaultDescription: String? = nil,
    isRepeatable: Bool = false,
    isGlobal: Bool = false
  ) {
    self.long = long
    self.short = short
    self.value = value
    self.help = help
    self.environment = environment
    self.defaultDescription = defaultDescription
    self.isRepeatable = isRepeatable
    self.isGlobal = isGlobal
  }

  public var isFlag: Bool { value == nil }

  /// `-h, --help`: built into every command; it is not declared in the tree, and `help`
  /// and `h` are reserved. Generators of completions and man pages add it like this.
  public static let helpFlag = OptionSpec(
    long: "help", short: "h", help: "Show help information.", isGlobal: true)
}

/// The value an option takes.
public struct ValueSpec: Sendable, Equatable {
  /// The placeholder shown in help and errors, e.g. `URL` in `--base-url <URL>`.
  public var name: String
  public var kind: ValueKind

  public init(name: String, kind: ValueKind = .string) {
    self.name = name
    self.kind = kind
  }
}

/// What a value means; the parser checks what it can decide without I/O.
public enum ValueKind: Sendable, Equatable, Hashable {
  case string
  /// Checked: a decimal integer, possibly negative (the application checks the range).
  case integer
  /// Checked with `parseDuration`; passed on as written.
  case duration
  /// A path; `-` means standard input.
  case file
  /// Checked: one of these words.
  case choice([String])
  /// Passed on as written; the application parses it.
  case url
  /// Any word; shell completion offers what `<program> <arguments…>` prints, one per line
  /// (e.g. profile names from `till profile list --quiet`).
  case listed(by: [String])
}

/// A positional argument.
public struct ArgumentSpec: Sendable, Equatable {
  /// Shown as `<name>` in usage and help, e.g. `id`.
  public var name: String
  public var help: String
  public var kind: ValueKind
  public var isOptional: Bool
  /// Takes every remaining word (at least one unless also optional).
  public var isRepeatable: Bool

  public init(
    name: String,
    help: String,
    kind: ValueKind = .string,
    isOptional: Bool = false,
    isRepeatable: Bool = false
  ) {
    self.name = name
    self.help = help
    self.kind = kind
    self.isOptional = isOptional
    self.isRepeatable = isRepeatable
  }
}

extension OptionSpec {
  /// `--long <placeholder>`: an option that takes a value of `kind`.
  public static func value(
    _ long: String, _ placeholder: String, _ kind: ValueKind = .string, short: Character? = nil,
    help: String, environment: String? = nil, default shown: String? = nil,
    repeatable: Bool = false, global: Bool = false
  ) -> OptionSpec {
    OptionSpec(
      long: long, short: short, value: ValueSpec(name: placeholder, kind: kind), help: help,
      environment: environment, defaultDescription: shown, isRepeatable: repeatable,
      isGlobal: global)
  }

  /// `--long`: a flag.
  public static func flag(
    _ long: String, short: Character? = nil, help: String, repeatable: Bool = false,
    global: Bool = false
  ) -> OptionSpec {
    OptionSpec(long: long, short: short, help: help, isRepeatable: repeatable, isGlobal: global)
  }
}
