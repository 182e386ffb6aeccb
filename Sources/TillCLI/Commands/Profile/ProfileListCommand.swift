import TillArguments
import TillKit

/// `profile list`.
struct ProfileListCommand: ProfileSubcommand {
  static let spec = CommandSpec(
    name: "list", abstract: "List the profiles; the default is marked with *.")

  let invocation: Invocation
}
