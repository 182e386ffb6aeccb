import TillArguments
import TillKit

/// `profile remove NAME`.
struct ProfileRemoveCommand: ProfileSubcommand {
  static let spec = CommandSpec(
    name: "remove", abstract: "Remove a profile.", arguments: [ProfileCommands.name])

  let invocation: Invocation
}
