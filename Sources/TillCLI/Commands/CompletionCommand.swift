import TillArguments
import TillKit

/// `completion bash|zsh|fish`: prints the completion script for the shell, generated from the
/// command tree (the same text as the checked-in files under completions/).
struct CompletionCommand {
  let invocation: Invocation

  init(_ invocation: Invocation) { self.invocation = invocation }

  func run() throws(TillError) -> ExitStatus {
    let shell = invocation.parsed.argument("shell") ?? ""
    guard let script = CompletionCommand.script(for: shell) else {
      throw TillError(.usage, "no completion script for '\(shell)'; try bash, zsh or fish")
    }
    // The script ends with a newline, and the console adds one.
    invocation.console.out(String(script.dropLast()))
    return .success
  }

  /// The completion script for `shell`, or `nil` when there is none for it.
  static func script(for shell: String) -> String? {
    switch shell {
    case "bash": return CommandTree.root.bashCompletionScript()
    case "zsh": return CommandTree.root.zshCompletionScript()
    case "fish": return CommandTree.root.fishCompletionScript()
    default: return nil
    }
  }
}
