/// An option as it appeared on the command line.
public struct ParsedOption: Sendable, Equatable {
  /// The option's long name, however it was written (`-v` and `--verbose` both give
  /// `verbose`).
  public var long: String
  /// The value; `nil` for a flag.
  public var value: String?

  public init(long: String, value: String? = nil) {
    self.long = long
    self.value = value
  }
}

/// A positional argument matched to its declaration.
public struct ParsedArgument: Sendable, Equatable {
  public var name: String
  public var value: String

  public init(name: String, value: String) {
    self.name = name
    self.value = value
  }
}

/// The result of parsing: which command, and what was given to it.
///
/// Accessors take the declared long name (or argument name); asking for one that no command
/// on `path` declares is a programming error and traps, so a typo in the application cannot
/// silently read as "not given".
public struct ParsedCommand: Sendable, Equatable {
  /// Subcommand names from the root, e.g. `["checkout", "status"]`.
  public var path: [String]
  /// The command `path` leads to.
  public var command: CommandSpec
  /// `-h` or `--help` appeared before any `--`. Other errors are then not reported, so
  /// that help for `path` can be shown.
  public var helpRequested: Bool
  /// Every option given, in command-line order.
  public var options: [ParsedOption]
  /// Every positional argument, in command-line order.
  public var parsedArguments: [ParsedArgument]
  /// The options declared along `path`, for checking the accessors' names.
  var acceptedOptions: [OptionSpec]

  /// The command has subcommands and none was given (nor any argument): the application
  /// shows its help.
  public var isMissingSubcommand: Bool {
    !command.subcommands.isEmpty && parsedArguments.isEmpty
  }

  /// Whether the option was given at all (a flag, or an option with a value).
  public func has(_ long: String) -> Bool {
    given(long).first != nil
  }

  public func flag(_ long: String) -> Bool {
    has(long)
  }

  /// How many times the option was given (`-vvv` counts three).
  public func count(_ long: String) -> Int {
    given(long).count
  }

  /// The value given last.
  public func value(_ long: String) -> String? {
    given(long).last?.value
  }

  /// Every value given, in order.
  public func values(_ long: String) -> [String] {
    given(long).compactMap(\.value)
  }

  /// Of `longs`, the one given last, e.g. to let the later of `--json` and `--quiet` win.
  public func lastGiven(of longs: [String]) -> String? {
    for long in longs { checkDeclared(long) }
    return options.last(where: { longs.contains($0.long) })?.long
  }

  public func argument(_ name: String) -> String? {
    arguments(name).first
  }

  public func arguments(_ name: String) -> [String] {
    precondition(
      command.arguments.contains(where: { $0.name == name }),
      "'\(command.name)' declares no argument '\(name)'")
    return parsedArguments.filter { $0.name == name }.map(\.value)
  }

  private func given(_ long: String) -> [ParsedOption] {
    checkDeclared(long)
    return options.filter { $0.long == long }
  }

  private func checkDeclared(_ long: String) {
    precondition(
      acceptedOptions.contains(where: { $0.long == long }),
      "'\(command.name)' accepts no option '--\(long)'")
  }
}
