import TillArguments
import TillKit

/// `customer add`: stores a customer and prints its URN, the id every later call takes.
struct CustomerAddCommand: C2ACommand {
  static let spec = CommandSpec(
    name: "add", abstract: "Store a new customer and print its customerUrn (C2A).",
    discussion: """
      Posts the customer to /customer/store. With -q only the customerUrn is printed, for \
      scripts. The email is shown masked in every output.
      """,
    options: [
      .value("external-id", "ID", help: "Your system's id for the customer."),
      .value("email", "EMAIL", help: "The customer's email."),
      .value("country", "CC", help: "The claimed region's country, two letters (DE)."),
      .value(
        "language", "LL", help: "The claimed region's language, two letters (de).", default: "en"),
    ],
    examples: [
      Example(
        [
          "-q", "customer", "add", "--external-id", "user-1042", "--email", "ada@example.com",
          "--country", "DE", "--language", "de",
        ], "Store a customer and print only its URN.")
    ])

  let invocation: Invocation

  func run() throws(TillError) -> ExitStatus {
    let customer = C2ANewCustomer(
      externalID: try parsed.requiredValue("external-id", "ID"),
      email: try parsed.requiredValue("email", "EMAIL"),
      countryCode: try parsed.requiredValue("country", "CC").uppercased(),
      languageCode: (parsed.value("language") ?? "en").lowercased())
    guard customer.countryCode.count == 2, customer.countryCode.allSatisfy(\.isLetter) else {
      throw TillError(
        .usage, "invalid value '\(customer.countryCode)' for '--country': expected two letters")
    }
    guard customer.email.contains("@") else {
      throw TillError(.usage, "invalid value for '--email': expected an address with an @")
    }
    let stored = try account().store(customer)
    let raw = C2AAccountCommand.withoutPersonalData(stored.raw)
    try output.show(raw, ids: [stored.urn], what: "customerUrn") {
      let urn = safe(stored.urn)
      console.out(
        "Customer \(urn) stored (external id \(safe(customer.externalID)), "
          + "\(customer.countryCode)/\(customer.languageCode)).")
      console.out("Next: till offer resolve --customer \(urn)")
    }
    return .success
  }
}
