import TillArguments
import TillKit

/// `profile use NAME`.
struct ProfileUseCommand: TillCommand {
  static let spec = CommandSpec(
    name: "use", abstract: "Make a profile the default.", arguments: [ProfileCommands.name])

  let invocation: Invocation

  func run() throws(TillError) -> ExitStatus {
    try ProfileCommands(invocation: invocation).run("use")
  }
}
