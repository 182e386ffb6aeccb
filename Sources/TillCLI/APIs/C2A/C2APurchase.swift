import TillArguments
import TillKit

extension C2AAPI {
  /// `purchase`'s own options: whose purchase it is, the promotion, the bundles, the payment.
  static var purchaseOptions: [APIOption] {
    let purchase = APIOptions("C2A", on: ["purchase"])
    return [
      purchase.value(
        "customer", "ID", "the URN of the stored customer who buys (from 'till customer add').",
        default: "a new customer from --email and --country"),
      purchase.value("email", "EMAIL", "without --customer, store a new customer with this email."),
      purchase.value("country", "CC", "the new customer's country, two letters (DE)."),
      purchase.value(
        "external-id", "ID", "the new customer's id in your system.", default: "a new UUID"),
      purchase.value("promotion", "CODE", "a promotion code for the offer."),
      purchase.value(
        "item", "BUNDLE", "a bundle of the resolved offer to buy; repeat for more.",
        default: "the offer's first bundle", repeatable: true),
      purchase.value(
        "card-file", "FILE", .file,
        "a JSON creditCard object to pay with, or '-' for standard input."),
      paymentChannel(purchase),
    ]
  }

  /// Customer → offer → checkout → watch → subscription, as Azotte's integration flow has it.
  func purchase(_ purchase: Purchase) throws(TillError) -> PurchaseOutcome {
    let parsed = purchase.parsed
    let invocation = purchase.invocation
    let given = parsed.value("customer")
    let newCustomer = try given == nil ? Self.newCustomer(invocation) : nil
    let card = try Self.card(invocation)
    purchase.plan(["customer", "offer", "checkout", "watch", "subscription"])
    let adapter = try purchase.adapter(C2AAdapter.self)
    let account = adapter.account

    let customer: String
    if let new = newCustomer {
      customer = try purchase.step(
        "customer", "store a new customer",
        command: [
          "customer", "add", "--external-id", new.externalID, "--email", new.email, "--country",
          new.countryCode,
        ]
      ) { record throws(TillError) in
        let stored = try account.store(new)
        try Self.checkID(stored.urn, what: "customerUrn")
        record.fact("customerUrn", stored.urn)
        record.say(
          "Customer \(safe(stored.urn)) stored (\(C2AAccountCommand.masked(email: new.email)), "
            + "\(new.countryCode)/\(new.languageCode)).")
        return stored.urn
      }
    } else {
      let given = given ?? ""
      customer = try purchase.step(
        "customer", "read the customer", command: ["customer", "show", given]
      ) {
        record throws(TillError) in
        let found = try account.customer(urn: given)
        record.fact("customerUrn", found.urn)
        record.say(
          "Customer \(safe(found.urn)) (\(safe(found.status ?? "?")), "
            + "\(safe(found.countryCode ?? "?"))/\(safe(found.languageCode ?? "?")))")
        return found.urn
      }
    }

    let promotion = parsed.value("promotion")
    let offer = try purchase.step(
      "offer", "resolve the offer",
      command: ["offer", "resolve", "--customer", customer]
        + (promotion.map { ["--promotion", $0] } ?? [])
    ) { record throws(TillError) in
      let offer = try account.resolveOffer(
        C2AOfferQuery(customerUrn: customer, promotionCode: promotion), showcase: false)
      try Self.checkID(offer.identifier, what: "offerIdentifier")
      record.fact("offerIdentifier", offer.identifier)
      record.fact(
        "bundles",
        .array(
          offer.bundles.map {
            .object([
              ("bundleUrn", .string($0.urn)), ("name", .string($0.name)),
              ("price", $0.price.map(JSONValue.string) ?? .null),
            ])
          }))
      let expiry = offer.expiresAt.map { ", expires \(safe($0))" } ?? ""
      record.say("Offer \(safe(offer.identifier))\(expiry)")
      let rows =
        [["BUNDLE", "NAME", "PRICE"]] + offer.bundles.map { [$0.urn, $0.name, $0.price ?? "-"] }
      for line in C2AAccountCommand.table(rows) { record.say(line) }
      return offer
    }
    try? ResolvedOffer(identifier: offer.identifier, customerUrn: customer, bundles: offer.bundles)
      .save(to: invocation.stateDirectory)

    let bundles = try Self.bundles(parsed.values("item"), of: offer)
    var words = ["checkout", "start", "--offer", offer.identifier, "--customer", customer]
    for bundle in bundles { words += ["--item", bundle.urn] }
    if let channel = parsed.value("payment-channel") { words += ["--payment-channel", channel] }
    if let cardFile = parsed.value("card-file") { words += ["--card-file", cardFile] }
    let submitted = try purchase.step("checkout", "submit the checkout", command: words) {
      record throws(TillError) in
      var order = C2AOrder(offer: offer.identifier, items: bundles.map { CartItem(id: $0.urn) })
      order.customer = customer
      order.paymentChannel = parsed.value("payment-channel")
      order.creditCard = card
      let request = CheckoutRequest(correlationId: makeUUID(), details: order)
      let accepted = try adapter.start(request)
      try purchase.started(accepted, &record, fact: "trackingNumber")
      record.fact("correlationId", request.correlationId)
      do throws(TillError) {
        try remember(request, acceptedAs: accepted.id, invocation)
      } catch {
        purchase.console.warning(error.message)
      }
      let wait = formatDuration(PollPolicy().delay(after: accepted.hint))
      record.say(
        "Submitted: tracking number \(safe(accepted.id)); the server asks to poll again in "
          + "\(wait) (Retry-After).")
      return accepted
    }

    try purchase.watchStep("watch", "follow it to the end", submitted)

    let bought = Set(bundles.map(\.urn))
    let subscriptions = try purchase.step(
      "subscription", "read the subscription it made", command: ["subscription", "list", customer]
    ) { record throws(TillError) in
      let active = try account.subscriptions(customerUrn: customer).filter {
        bought.contains($0.raw["bundleUrn"]?.text ?? "") && $0.state == "Active"
      }
      guard !active.isEmpty else {
        throw TillError(
          .notFound,
          "checkout \(safe(submitted.id)) completed, but the server lists no active "
            + "subscription of what was bought for \(safe(customer)); look again with: till "
            + "subscription list \(safe(customer))")
      }
      record.fact("subscriptions", .array(active.map { .string($0.orderIdentifier) }))
      for subscription in active {
        let renews = subscription.endDate.map { ", renews \(safe(String($0.prefix(10))))" } ?? ""
        record.say(
          "active: \(safe(subscription.bundleName))\(renews) (order "
            + "\(safe(subscription.orderIdentifier)))")
      }
      return active
    }
    let names = subscriptions.map { safe($0.bundleName) }.joined(separator: ", ")
    return PurchaseOutcome(
      id: submitted.id,
      summary: "\(safe(customer)) subscribes to \(names) (checkout \(safe(submitted.id))).")
  }

  /// The new customer of a purchase without --customer, checked before anything is sent.
  private static func newCustomer(_ invocation: Invocation) throws(TillError) -> C2ANewCustomer {
    let parsed = invocation.parsed
    guard let email = parsed.value("email"), let country = parsed.value("country") else {
      throw TillError(
        .usage,
        "purchase needs --customer URN (from 'till customer add'), or --email and --country "
          + "to store a new customer")
    }
    guard email.contains("@") else {
      throw TillError(.usage, "invalid value for '--email': expected an address with an @")
    }
    // Personal data: never shown in full (the steps' command lines, traces, HAR logs).
    invocation.secrets.add(email)
    let code = country.uppercased()
    guard code.count == 2, code.allSatisfy(\.isLetter) else {
      throw TillError(
        .usage, "invalid value '\(safe(country))' for '--country': expected two letters")
    }
    return C2ANewCustomer(
      externalID: parsed.value("external-id") ?? makeUUID(), email: email, countryCode: code,
      languageCode: "en")
  }

  /// The bundles `--item` names, each one of the offer's; the first bundle without any.
  private static func bundles(_ items: [String], of offer: C2AOffer) throws(TillError)
    -> [C2ABundle]
  {
    guard !items.isEmpty else {
      guard let first = offer.bundles.first else {
        throw TillError(.notFound, "offer \(safe(offer.identifier)) has no bundles to buy")
      }
      return [first]
    }
    var chosen: [C2ABundle] = []
    for item in items {
      guard let bundle = offer.bundles.first(where: { $0.urn == item }) else {
        throw TillError(
          .usage,
          "'\(safe(item))' is not a bundle of offer \(safe(offer.identifier)): "
            + offer.bundles.map { safe($0.urn) }.joined(separator: ", "))
      }
      chosen.append(bundle)
    }
    return chosen
  }

  /// An id from the server that a later step sends back: one a command line could take.
  private static func checkID(_ id: String, what: String) throws(TillError) {
    if let problem = CheckoutID.problem(id, fromServer: true) {
      throw TillError(.serverOrNetwork, "the server's \(what) '\(safe(id))' \(problem)")
    }
  }

  /// A new customer, the welcome promotion, and the card whose issuer asks for 3-D Secure:
  /// the demo's browser completes the challenge.
  func demo(sandbox: String, workspace: String) -> DemoPurchase {
    DemoPurchase(
      baseURL: sandbox, serves: "the C2A API", tenant: "demo-tenant", apiKey: "demo-key",
      arguments: [
        "--email", "ada@example.com", "--country", "DE", "--promotion", "WELCOME10",
        "--card-file", workspace + "/card.json",
      ],
      files: [
        (
          "card.json",
          #"{"cardHolderName":"Ada Lovelace","cardNumber":"4000000000003220","expireMonth":12,"#
            + #""expireYear":2030,"cvc":"123"}"#
        )
      ],
      personalData: ["ada@example.com"])
  }
}
