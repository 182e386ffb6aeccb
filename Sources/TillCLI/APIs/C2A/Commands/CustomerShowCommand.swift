import TillArguments
import TillKit

/// `customer show URN`: the customer as the server holds it, personal data masked.
struct CustomerShowCommand: C2ACommand {
  static let spec = CommandSpec(
    name: "show", abstract: "Show a stored customer (C2A).",
    arguments: [ArgumentSpec(name: "urn", help: "The customerUrn (cu.…).")],
    examples: [Example(["customer", "show", "cu.00.482"], "The customer cu.00.482.")])

  let invocation: Invocation

  func run() throws(TillError) -> ExitStatus {
    let urn = try parsed.nonEmptyArgument("urn")
    let customer = try account().customer(urn: urn)
    let raw = C2AAccountCommand.withoutPersonalData(customer.raw)
    try output.show(raw, ids: [customer.urn], what: "customerUrn") {
      let region = [customer.countryCode, customer.languageCode].compactMap { $0 }
      let rows: [[String]] = [
        ["Customer", customer.urn],
        ["External id", customer.externalID ?? "-"],
        ["Email", customer.email.map(C2AAccountCommand.masked(email:)) ?? "-"],
        ["Region", region.isEmpty ? "-" : region.joined(separator: "/")],
        ["Status", customer.status ?? "-"],
      ]
      for line in C2AAccountCommand.table(rows) { console.out(line) }
    }
    return .success
  }
}
