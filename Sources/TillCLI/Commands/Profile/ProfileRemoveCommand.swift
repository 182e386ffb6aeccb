import TillArguments
import TillKit

/// `profile remove NAME`.
struct ProfileRemoveCommand: TillCommand {
  static let path = ["profile", "remove"]
  static let spec = CommandSpec(
    name: "remove", abstract: "Remove a profile.", arguments: [ProfileCommands.name])

  let invocation: Invocation

  init(_ invocation: Invocation) { self.invocation = invocation }

  func run() throws(TillError) -> ExitStatus { try ProfileCommands(invocation).run("remove") }
}
