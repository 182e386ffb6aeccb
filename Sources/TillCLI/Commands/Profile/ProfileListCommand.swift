import TillArguments
import TillKit

/// `profile list`.
struct ProfileListCommand: TillCommand {
  static let spec = CommandSpec(
    name: "list", abstract: "List the profiles; the default is marked with *.")

  let invocation: Invocation

  func run() throws(TillError) -> ExitStatus {
    try ProfileCommands(invocation: invocation).run("list")
  }
}
