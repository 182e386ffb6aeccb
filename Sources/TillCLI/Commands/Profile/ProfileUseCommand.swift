import TillArguments
import TillKit

/// `profile use NAME`.
struct ProfileUseCommand: TillCommand {
  static let path = ["profile", "use"]
  static let spec = CommandSpec(
    name: "use", abstract: "Make a profile the default.", arguments: [ProfileCommands.name])

  let invocation: Invocation

  init(_ invocation: Invocation) { self.invocation = invocation }

  func run() throws(TillError) -> ExitStatus { try ProfileCommands(invocation).run("use") }
}
