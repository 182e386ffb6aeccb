import TillArguments
import TillKit

/// `profile remove NAME`.
struct ProfileRemoveCommand: TillCommand {
  static let spec = CommandSpec(
    name: "remove", abstract: "Remove a profile.", arguments: [ProfileCommands.name])

  let invocation: Invocation

  func run() throws(TillError) -> ExitStatus {
    try ProfileCommands(invocation: invocation).run("remove")
  }
}
