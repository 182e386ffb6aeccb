import TillArguments
import TillKit

/// `profile list`.
struct ProfileListCommand: TillCommand {
  static let path = ["profile", "list"]
  static let spec = CommandSpec(
    name: "list", abstract: "List the profiles; the default is marked with *.")

  let invocation: Invocation

  init(_ invocation: Invocation) { self.invocation = invocation }

  func run() throws(TillError) -> ExitStatus { try ProfileCommands(invocation).run("list") }
}
