import TillArguments
import TillKit

/// C2A offer checkout: an order submitted with an idempotency key, then polled as the server
/// says; 3-D Secure. Its cart is kept on this machine.
struct C2AAPI: CheckoutAPI {
  let name = "c2a"

  var commandGroups: [APICommandGroup] {
    [
      APICommandGroup(
        name: "customer", abstract: "Validate, store and show C2A customers (→ customerUrn).",
        discussion: "C2A only: a purchase starts with a stored customer.",
        commands: [
          CustomerValidateCommand.self, CustomerAddCommand.self, CustomerShowCommand.self,
        ]),
      APICommandGroup(
        name: "offer", abstract: "Resolve C2A offers (→ offerIdentifier, bundles, prices).",
        discussion: "C2A only: prices are shown as money (the server's milpieces / 100).",
        commands: [OfferResolveCommand.self, OfferShowcaseCommand.self]),
      APICommandGroup(
        name: "subscription", abstract: "List, cancel and reactivate C2A subscriptions.",
        discussion: "C2A only: what a completed checkout bought.",
        commands: [
          SubscriptionListCommand.self, SubscriptionCancelCommand.self,
          SubscriptionReactivateCommand.self,
        ]),
    ]
  }

  let capabilities = APICapabilities(
    keepsLocalCart: true, dedupesByCorrelationID: true, challenge: "3-D Secure")

  var options: [APIOption] {
    let start = APIOptions("C2A", on: ["checkout", "start"])
    let add = APIOptions("C2A", on: ["cart", "add"])
    return [
      start.value(
        "offer", "ID", "the offer to buy.", default: "the offer 'till offer resolve' resolved"),
      Self.item(start), Self.bundle(start),
      start.value(
        "customer", "ID", "the customer's URN.", default: "the resolved offer's customer"),
      Self.paymentChannel(start),
      start.flag("stored-method", "pay with the customer's stored payment method."),
      start.value(
        "card-file", "FILE", .file,
        "a JSON creditCard object (cardHolderName, cardNumber, expireMonth, expireYear, cvc), "
          + "or '-' for standard input."),
      start.value(
        "correlation-id", "ID", "the idempotency key sent with the order.", default: "a new UUID"),
      start.value(
        "body", "FILE", .file, "send this complete JSON body as it is ('-' for standard input)."),
      Self.item(add), Self.bundle(add),
    ] + Self.purchaseOptions
  }

  static func bundle(_ options: APIOptions) -> APIOption {
    options.value(
      "bundle", "URN", "a bundle of the resolved offer; repeat for more.", repeatable: true)
  }

  static func item(_ options: APIOptions) -> APIOption {
    options.value(
      "item", "ID[:QTY]", "an item and its quantity (default 1); repeat for more items.",
      repeatable: true)
  }

  static func paymentChannel(_ options: APIOptions) -> APIOption {
    options.value(
      "payment-channel", "CHANNEL", .choice(["CreditCard", "PayPal", "Klarna", "SEPA", "Bank"]),
      "how the customer pays.")
  }

  var help: [APIHelp] {
    [
      APIHelp(
        ["demo"],
        examples: [
          Example(
            ["demo"], "A C2A purchase: customer, offer, checkout with 3-D Secure, subscription.")
        ]),
      APIHelp(
        ["purchase"],
        "C2A: customer, offer, checkout, watch, subscription. It reads --customer, or stores a "
          + "new customer from --email and --country; resolves the offer (--promotion), checks out its --item bundles (default the first) paying "
          + "with --card-file, follows it through 3-D Secure and reads the subscription back.",
        examples: [
          Example(
            [
              "purchase", "--customer", "cu.00.482", "--promotion", "WELCOME10", "--card-file",
              "card.json",
            ], "C2A: a stored customer buys the offer's first bundle.")
        ]),
      APIHelp(
        ["checkout", "start"],
        """
        C2A: posts the order to /offer/checkout. The items come from --item, or from the local \
        cart (till cart add) when no --item is given; a submitted cart is emptied. \
        --correlation-id is the idempotency key: a retried submit reuses it, so the same order \
        is never charged twice. Card data is read from --card-file (a JSON creditCard object), \
        never from the command line.
        """,
        examples: [
          Example(
            ["checkout", "start", "--offer", "success", "--item", "sku-1:2", "--watch"],
            "Submit an order for two of sku-1 and follow it to the end."),
          Example(
            ["-q", "checkout", "start", "--offer", "success"],
            "Submit and print only the tracking number, for scripts."),
        ]),
      APIHelp(
        ["cart", "add"],
        "C2A: --item ID[:QTY], or --bundle URN of the resolved offer (till offer resolve), "
          + "into the cart kept on this machine.",
        examples: [
          Example(["cart", "add", "--item", "sku-1:2"], "C2A: add two of sku-1."),
          Example(["cart", "add", "--bundle", "bn.00.1"], "C2A: add a bundle of the offer."),
        ]),
      APIHelp(
        ["checkout", "status"],
        "C2A: the id is the tracking number. A --base-url that already ends in /api/v1/c2a or "
          + "/api/c2a is used as it is."),
      APIHelp(
        ["profile", "add"],
        examples: [
          Example(
            [
              "--base-url", "https://acme.sandbox.azotte.com", "--tenant", "e2a1c7b2",
              "profile", "add", "acme-sandbox", "--api-key-env", "ACME_KEY", "--default",
            ], "A C2A sandbox profile whose key comes from $ACME_KEY.")
        ]),
    ]
  }

  func makeAdapter(_ context: AdapterContext) throws(TillError) -> CheckoutAdapter {
    C2AAdapter(transport: context.transport, endpoint: context.endpoint, clock: context.clock)
  }

  /// The offer, items (from --item or the local cart), payment and card of an order, or a
  /// complete --body; a local cart that supplied the items is emptied once it is accepted.
  func checkoutRequest(_ invocation: Invocation) throws(TillError) -> PreparedCheckout {
    let parsed = invocation.parsed
    var request = CheckoutRequest(correlationId: parsed.value("correlation-id") ?? makeUUID())
    var order = C2AOrder()
    if let body = parsed.value("body") {
      let bytes = try invocation.readFile(body, what: "body file")
      guard let json = try? JSONValue.parse(bytes), json.isObject else {
        throw TillError(.usage, "the body file '\(body)' is not a JSON object")
      }
      order.body = try keyed(json, bytes, file: body, request: &request, invocation)
      request.details = order
      return PreparedCheckout(request)
    }
    let resolved = try ResolvedOffer.load(from: invocation.stateDirectory)
    guard let offer = parsed.value("offer") ?? resolved?.identifier, !offer.isEmpty else {
      throw TillError(
        .usage,
        "checkout start needs --offer ID (or an offer from 'till offer resolve', or a "
          + "complete --body FILE)")
    }
    order.offer = offer
    order.customer =
      parsed.value("customer") ?? (offer == resolved?.identifier ? resolved?.customerUrn : nil)
    order.items = try localCartItems(invocation)
    let state = invocation.stateDirectory
    var usedCart = false
    if order.items.isEmpty {
      order.items = try LocalCart.load(from: state).items
      usedCart = !order.items.isEmpty
    }
    order.paymentChannel = parsed.value("payment-channel")
    order.useStoredMethod = parsed.flag("stored-method")
    order.creditCard = try Self.card(invocation)
    request.details = order
    guard usedCart else { return PreparedCheckout(request) }
    return PreparedCheckout(request) { () throws(TillError) in
      try LocalCart().save(to: state)
    }
  }

  /// The card of `--card-file`, a JSON creditCard object, kept out of every output from here
  /// on; nil without the option.
  static func card(_ invocation: Invocation) throws(TillError) -> JSONValue? {
    guard let cardFile = invocation.parsed.value("card-file") else { return nil }
    let bytes = try SecretFile.read(
      cardFile, what: "card", standardInput: invocation.readStandardInput)
    guard let card = try? JSONValue.parse(bytes), card.isObject else {
      throw TillError(.usage, "the card file '\(safe(cardFile))' is not a JSON creditCard object")
    }
    invocation.secrets.add(card: card)
    return card
  }

  /// `--item` as given, and `--bundle`, checked against the offer last resolved.
  func localCartItems(_ invocation: Invocation) throws(TillError) -> [CartItem] {
    var items = try CartItem.items(fromArguments: invocation.parsed.values("item"))
    let bundles = invocation.parsed.values("bundle")
    guard !bundles.isEmpty else { return items }
    guard let offer = try ResolvedOffer.load(from: invocation.stateDirectory) else {
      throw TillError(
        .usage, "--bundle takes a bundle of a resolved offer: run 'till offer resolve' first")
    }
    for bundle in bundles {
      guard offer.bundles.contains(where: { $0.urn == bundle }) else {
        let known = offer.bundles.map { safe($0.urn) }
        throw TillError(
          .usage,
          "'\(safe(bundle))' is not a bundle of offer \(safe(offer.identifier)): "
            + known.joined(separator: ", "))
      }
      items.append(CartItem(id: bundle))
    }
    return items
  }

  /// An order for a customer keeps its customer and bundles under its tracking number.
  func remember(_ request: CheckoutRequest, acceptedAs id: String, _ invocation: Invocation)
    throws(TillError)
  {
    guard let order = request.details as? C2AOrder, order.body == nil,
      let customer = order.customer, !order.items.isEmpty
    else { return }
    try C2AOrderBook.record(
      C2AOrderBook.Entry(trackingNumber: id, customerUrn: customer, bundles: order.items.map(\.id)),
      in: invocation.stateDirectory)
  }

  /// The subscriptions a completed checkout of bundles made, read back from the server:
  /// `active: Pro Monthly, renews 2027-01-06 (order or.00.405)`.
  func confirmation(ofCheckout id: String, _ invocation: Invocation, adapter: CheckoutAdapter)
    throws(TillError) -> [String]
  {
    guard let entry = try C2AOrderBook.entry(id, in: invocation.stateDirectory),
      let c2a = adapter as? C2AAdapter
    else { return [] }
    let bought = Set(entry.bundles)
    let customer = entry.customerUrn
    let subscriptions = try c2a.account.subscriptions(customerUrn: customer).filter {
      bought.contains($0.raw["bundleUrn"]?.text ?? "") && $0.state == "Active"
    }
    guard !subscriptions.isEmpty else {
      throw TillError(
        .notFound,
        "the server lists no active subscription of what was bought for \(safe(customer)) "
          + "yet; look again with: till subscription list \(safe(customer))")
    }
    return subscriptions.map { subscription in
      let renews = subscription.endDate.map { ", renews \(safe(String($0.prefix(10))))" } ?? ""
      return "active: \(safe(subscription.bundleName))\(renews) (order "
        + "\(safe(subscription.orderIdentifier)))"
    }
  }

  /// A `--body` and its idempotency key. The server dedupes submits by `order.correlationId`:
  /// a body that has one keeps it (and a retried submit is safe); a body without one gets
  /// `--correlation-id` or a new id, and is told so; a body without an `order` is sent once,
  /// never retried, since nothing would stop a retry from placing a second order.
  private func keyed(
    _ json: JSONValue, _ bytes: [UInt8], file: String, request: inout CheckoutRequest,
    _ invocation: Invocation
  ) throws(TillError) -> [UInt8] {
    let given = invocation.parsed.value("correlation-id")
    if let existing = json["order"]?["correlationId"]?.text, !existing.isEmpty {
      if let given, given != existing {
        throw TillError(
          .usage,
          "--correlation-id '\(safe(given))' differs from the body's order.correlationId "
            + "'\(safe(existing))'; give one of them")
      }
      request.correlationId = existing
      return bytes
    }
    guard case .object(var members) = json,
      let index = members.firstIndex(where: { $0.0 == "order" }),
      case .object(var order) = members[index].1
    else {
      request.retriesSubmit = false
      return bytes
    }
    order.append(("correlationId", .string(request.correlationId)))
    members[index].1 = .object(order)
    if given == nil {
      invocation.console.err(
        "till: note: the body file '\(file)' has no order.correlationId; sending "
          + "\(safe(request.correlationId)) so that a retried submit is not a second order")
    }
    return Array(JSONValue.object(members).serialized().utf8)
  }
}
