import TillArguments
import TillKit

/// `customer validate EXTERNAL_ID`: whether a customer can be stored under the id.
struct CustomerValidateCommand: C2ACommand {
  static let spec = CommandSpec(
    name: "validate", abstract: "Check that an external id is free for a new customer (C2A).",
    discussion: "Exit status 0 when the id is free, 7 when a customer already has it.",
    arguments: [ArgumentSpec(name: "external-id", help: "Your system's id for the customer.")],
    examples: [Example(["customer", "validate", "user-1042"], "Is user-1042 free?")])

  let invocation: Invocation

  func run() throws(TillError) -> ExitStatus {
    let id = try parsed.nonEmptyArgument("external-id")
    let (available, raw) = try account().validate(externalID: id)
    let shown = safe(id)
    if settings.json {
      console.out(raw.serialized())
    } else if !settings.quiet {
      console.out(
        available
          ? "Available: no customer has external id \(shown) yet."
          : "Taken: a customer already has external id \(shown).")
    }
    return available ? .success : .conflict
  }
}
