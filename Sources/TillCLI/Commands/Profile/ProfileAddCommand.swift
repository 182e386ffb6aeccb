import TillArguments
import TillKit

/// `profile add NAME`: the global settings given, kept under a name.
struct ProfileAddCommand: ProfileSubcommand {
  static let spec = CommandSpec(
    name: "add", abstract: "Add a profile, or replace one of the same name.",
    discussion: """
      Takes the global --api, --base-url, --tenant and --api-key-file as the profile's \
      own. A key file is recorded by its path and read only when the profile is used.
      """,
    arguments: [ProfileCommands.name],
    options: [
      OptionSpec(
        long: "api-key-env", value: ValueSpec(name: "VAR"),
        help: "Read the API key from this environment variable."),
      OptionSpec(
        long: "token-env", value: ValueSpec(name: "VAR"),
        help: "Read the bearer token from this environment variable."),
      OptionSpec(
        long: "token-file", value: ValueSpec(name: "FILE", kind: .file),
        help: "Read the bearer token from this file (mode 0600)."),
      OptionSpec(long: "default", help: "Make it the default profile."),
    ])

  let invocation: Invocation
}
