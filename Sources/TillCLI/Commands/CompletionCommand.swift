import TillArguments
import TillKit

/// `completion bash|zsh|fish`: prints the completion script for the shell, generated from the
/// command tree (the same text as the checked-in files under completions/).
struct CompletionCommand: TillCommand {
  static let spec = CommandSpec(
    name: "completion", abstract: "Print the completion script for a shell.",
    discussion: """
      bash: source <(till completion bash), or save it as 'till' in bash-completion's \
      completions directory. zsh: save it as _till in a directory on $fpath. fish: save it \
      as till.fish in ~/.config/fish/completions/.
      """,
    arguments: [
      ArgumentSpec(
        name: "shell", help: "The shell.", kind: .choice(CompletionShell.allCases.map(\.rawValue)))
    ])

  let invocation: Invocation

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
    CompletionShell(rawValue: shell).map { CommandTree.root.completionScript(for: $0) }
  }
}
