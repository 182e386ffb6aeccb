import TillArguments
import TillKit

/// `offer resolve --customer URN`: the offer a customer may buy, its bundles priced as money.
struct OfferResolveCommand: C2ACommand {
  static let interactions = [
    "new": "NewAcquisition", "replace": "Replace", "winback": "RetentionWinback",
  ]

  static let spec = CommandSpec(
    name: "resolve", abstract: "Resolve the offer a customer can buy (C2A).",
    discussion: """
      Posts the customer's context to /offer/bundles and lists the offer's bundles with their \
      prices. The offer is remembered on this machine: 'till cart add --bundle URN' takes one \
      of its bundles and 'till checkout start' checks it out for its customer. With -q only \
      the offerIdentifier is printed. An offer expires: when a checkout answers OFFER_EXPIRED, \
      resolve it again.
      """,
    options: [
      .value("customer", "URN", help: "The customerUrn."),
      .value("promotion", "CODE", help: "A promotion code to apply."),
      .value(
        "storefront", "URN", help: "The storefront to buy in.", default: "the project's default"),
      .value(
        "interaction", "TYPE", .choice(["new", "replace", "winback"]),
        help: "A new acquisition, a replacement of a subscription, or a win-back.", default: "new"),
    ],
    examples: [
      Example(
        ["offer", "resolve", "--customer", "cu.00.482", "--promotion", "WELCOME10"],
        "The offer for cu.00.482 with a promotion code.")
    ])

  let invocation: Invocation

  func run() throws(TillError) -> ExitStatus {
    let customer = try parsed.requiredValue("customer", "URN", "(from 'till customer add')")
    let query = C2AOfferQuery(
      customerUrn: customer, promotionCode: parsed.value("promotion"),
      storefrontUrn: parsed.value("storefront"),
      interactionType: Self.interactions[parsed.value("interaction") ?? "new"] ?? "NewAcquisition")
    let offer = try account().resolveOffer(query, showcase: false)
    try ResolvedOffer(identifier: offer.identifier, customerUrn: customer, bundles: offer.bundles)
      .save(to: invocation.stateDirectory)
    try OfferOutput(invocation: invocation).show(offer, for: customer)
    return .success
  }
}

/// An offer as `offer resolve` and `offer showcase` print it.
struct OfferOutput {
  let invocation: Invocation

  func show(_ offer: C2AOffer, for customer: String?) throws(TillError) {
    try ListOutput(invocation: invocation).show(
      offer.raw, ids: [offer.identifier], what: "offerIdentifier"
    ) { describe(offer, for: customer) }
  }

  private func describe(_ offer: C2AOffer, for customer: String?) {
    let console = invocation.console
    let id = safe(offer.identifier)
    let expiry = offer.expiresAt.map { ", expires \(safe($0))" } ?? ""
    if offer.isPurchasable {
      let whose = customer.map { " for \(safe($0))" } ?? ""
      console.out("Offer \(id)\(whose)\(expiry)")
    } else {
      console.out("Showcase \(id)\(expiry): for display only, not purchasable")
    }
    for campaign in offer.campaigns {
      console.out("Campaign: \(safe(campaign))")
    }
    let rows =
      [["BUNDLE", "NAME", "PRICE"]] + offer.bundles.map { [$0.urn, $0.name, $0.price ?? "-"] }
    for line in C2AAccountCommand.table(rows) { console.out(line) }
    if offer.isPurchasable, let first = offer.bundles.first {
      console.out("Next: till cart add --bundle \(safe(first.urn))")
    }
  }
}
