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
      .value("api-key-env", "VAR", help: "Read the API key from this environment variable."),
      .value("token-env", "VAR", help: "Read the bearer token from this environment variable."),
      .value(
        "token-file", "FILE", .file, help: "Read the bearer token from this file (mode 0600)."),
      .flag("default", help: "Make it the default profile."),
    ])

  let invocation: Invocation
}
