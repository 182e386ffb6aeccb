import TillArguments
import TillKit

/// `offer showcase`: the offer to show anyone, render-only.
struct OfferShowcaseCommand: C2ACommand {
  static let spec = CommandSpec(
    name: "showcase", abstract: "Show the showcase offer: prices to display, not to buy (C2A).",
    discussion: """
      Posts to /offer/showcase. A showcase offer cannot be checked out (the server refuses it \
      with OFFER_NOT_PURCHASABLE): resolve a customer's offer with 'till offer resolve' to buy.
      """,
    options: [
      .value("promotion", "CODE", help: "A promotion code to apply."),
      .value(
        "storefront", "URN", help: "The storefront to show.", default: "the project's default"),
    ],
    examples: [Example(["offer", "showcase"], "The bundles and prices to show on a page.")])

  let invocation: Invocation

  func run() throws(TillError) -> ExitStatus {
    let query = C2AOfferQuery(
      customerUrn: nil, promotionCode: parsed.value("promotion"),
      storefrontUrn: parsed.value("storefront"))
    try OfferOutput(invocation: invocation).show(
      try account().resolveOffer(query, showcase: true), for: nil)
    return .success
  }
}
