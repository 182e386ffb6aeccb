/// A command line that does not fit the command tree. The application prints `message`
/// with the usage of `commandPath` and exits with the usage status.
public struct UsageError: Error, Equatable, CustomStringConvertible {
  public enum Kind: Sendable, Equatable {
    case unknownCommand
    case unknownOption
    /// An option that takes a value was given none.
    case missingValue
    /// A flag was given a value, as in `--json=yes`.
    case unexpectedValue
    /// A value the declared kind rejects: not a choice, not an integer, not a duration.
    case invalidValue
    case missingArgument
    case unexpectedArgument
  }

  public var kind: Kind
  /// The human-readable sentence, naming the offending word and any suggestion.
  public var message: String
  /// Subcommand names from the root to the command being parsed when the error was found.
  public var commandPath: [String]
  /// The word at fault, as the user wrote it (`--jsn`, `-x`, `purple`).
  public var token: String
  /// The nearest valid word, when one is close enough to be a likely typo.
  public var suggestion: String?

  public var description: String { message }
}

extension UsageError {
  static func unknownCommand(_ word: String, in path: [String], root: CommandSpec) -> UsageError {
    let chain = root.commandChain(for: path)
    let candidates = chain[chain.count - 1].subcommands.map(\.name)
    let suggestion = nearestMatch(to: word, among: candidates)
    var message = "unknown command '\(word)'"
    if !path.isEmpty {
      message += " for '\(([root.name] + path).joined(separator: " "))'"
    }
    if let suggestion { message += "; did you mean '\(suggestion)'?" }
    return UsageError(
      kind: .unknownCommand, message: message, commandPath: path, token: word,
      suggestion: suggestion)
  }
}
