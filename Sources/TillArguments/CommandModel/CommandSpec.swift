/// One command of the tree, declared once by the application.
///
/// Parsing, help, usage errors (and, later, completion scripts and the man page) are all
/// derived from this value, so everything a reader of the command line needs is here.
/// The root command's `name` is the program name.
public struct CommandSpec: Sendable, Equatable {
  /// The word that selects this command, e.g. `checkout`; for the root, the program name.
  public var name: String
  /// One line, shown after `OVERVIEW:` and next to the name in the parent's subcommand list.
  public var abstract: String
  /// Paragraphs separated by blank lines, shown under the overview. Lines starting with
  /// `- ` are list items; a paragraph with an indented line is printed as written.
  public var discussion: String?
  /// Positional arguments, in order. Required ones come before optional ones, and only the
  /// last may be repeatable.
  public var arguments: [ArgumentSpec]
  /// Options this command declares. Those marked `isGlobal` are also accepted by every
  /// descendant.
  public var options: [OptionSpec]
  public var subcommands: [CommandSpec]
  public var examples: [Example]

  public init(
    name: String,
    abstract: String,
    discussion: String? = nil,
    arguments: [ArgumentSpec] = [],
    options: [OptionSpec] = [],
    subcommands: [CommandSpec] = [],
    examples: [Example] = []
  ) {
    self.name = name
    self.abstract = abstract
    self.discussion = discussion
    self.arguments = arguments
    self.options = options
    self.subcommands = subcommands
    self.examples = examples
  }

  /// The command reached by following `path` (subcommand names below this one), or `nil`
  /// when a word of the path names no subcommand.
  public func command(at path: [String]) -> CommandSpec? {
    let chain = commandChain(for: path)
    return chain.count == path.count + 1 ? chain[chain.count - 1] : nil
  }

  /// Checks that `words` name a command below this one and returns them as a path, or
  /// throws the same error parsing would (with a suggestion). Meant for `help <command>`.
  public func resolve(_ words: [String]) throws(UsageError) -> [String] {
    var current = self
    var path: [String] = []
    for word in words {
      guard let next = current.subcommands.first(where: { $0.name == word }) else {
        throw UsageError.unknownCommand(word, in: path, root: self)
      }
      current = next
      path.append(word)
    }
    return path
  }

  /// The commands from this one down the longest valid prefix of `path`.
  func commandChain(for path: [String]) -> [CommandSpec] {
    var chain = [self]
    for word in path {
      guard let next = chain[chain.count - 1].subcommands.first(where: { $0.name == word })
      else { break }
      chain.append(next)
    }
    return chain
  }
}

/// An example invocation, shown under `EXAMPLES:`.
public struct Example: Sendable, Equatable {
  /// The words after the program name, exactly as the shell would pass them.
  public var arguments: [String]
  public var explanation: String

  public init(_ arguments: [String], _ explanation: String) {
    self.arguments = arguments
    self.explanation = explanation
  }
}

/// The options a command accepts: its own, then the global options of its ancestors.
func optionScope(of chain: [CommandSpec]) -> [OptionSpec] {
  let inherited = chain.dropLast().flatMap { command in command.options.filter(\.isGlobal) }
  return chain[chain.count - 1].options + inherited
}
