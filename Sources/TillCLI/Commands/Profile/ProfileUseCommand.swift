import TillArguments
import TillKit

/// `profile use NAME`.
struct ProfileUseCommand: ProfileSubcommand {
  static let spec = CommandSpec(
    name: "use", abstract: "Make a profile the default.", arguments: [ProfileCommands.name])

  let invocation: Invocation
}
