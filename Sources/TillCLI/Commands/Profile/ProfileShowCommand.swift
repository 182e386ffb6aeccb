import TillArguments
import TillKit

/// `profile show [NAME]`: the settings a command would use, and where each came from.
struct ProfileShowCommand: ProfileSubcommand {
  static let spec = CommandSpec(
    name: "show", abstract: "Show a profile's settings as they resolve (secrets redacted).",
    arguments: [
      ArgumentSpec(
        name: "name", help: "The profile's name.", kind: ProfileCommands.names,
        isOptional: true)
    ])

  let invocation: Invocation
}
