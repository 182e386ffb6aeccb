import TillArguments
import TillKit

/// `till help [COMMAND | TOPIC]`.
struct HelpCommand: TillCommand {
  static let spec = CommandSpec(
    name: "help",
    abstract: "Show help for a command, or a topic: exit-codes, environment, options.",
    arguments: [
      ArgumentSpec(
        name: "topic", help: "A command (e.g. 'checkout status') or a topic.", isOptional: true,
        isRepeatable: true)
    ])

  let invocation: Invocation

  func run() throws(TillError) -> ExitStatus {
    let words = parsed.arguments("topic")
    switch words {
    case ["exit-codes"]:
      console.out(HelpTopics.exitCodes)
    case ["environment"]:
      console.out(HelpTopics.environment)
    case ["options"]:
      console.out(CommandTree.root.globalOptionsText())
    default:
      do {
        let path = try CommandTree.root.resolve(words)
        console.out(CommandTree.root.helpText(for: path))
      } catch {
        throw TillError(.usage, error.message + " (topics: exit-codes, environment, options)")
      }
    }
    return .success
  }
}

enum HelpTopics {
  static var exitCodes: String {
    var lines = ["EXIT STATUS:"]
    for status in ExitStatus.allCases {
      let code = String(status.rawValue)
      lines.append("  " + code + String(repeating: " ", count: 5 - code.count) + status.meaning)
    }
    lines.append("")
    lines.append("Several checkouts at once (checkout status ID ID...) exit with the most severe")
    lines.append("status among theirs, in this order: \(ExitStatus.severityText).")
    return lines.joined(separator: "\n")
  }

  /// Rendered from the manual page's list, so the two never disagree.
  static var environment: String {
    var lines = ["ENVIRONMENT:"]
    for entry in ManualContent.environment {
      lines.append("  " + entry.term)
      for line in wrap(entry.description, width: 74) { lines.append("      " + line) }
    }
    lines.append("")
    lines.append("Precedence: a flag, then the environment, then the profile, then the default.")
    return lines.joined(separator: "\n")
  }
}
