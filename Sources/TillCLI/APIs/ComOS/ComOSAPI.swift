import TillArguments
import TillKit

/// The ComOS Federation Gateway: a checkout saga driven through MCP tools, a hosted payment
/// page, a token from `till login`.
struct ComOSAPI: CheckoutAPI {
  let name = "comos"

  var commandGroups: [APICommandGroup] {
    [
      APICommandGroup(
        name: "tenant", abstract: "ComOS: find the merchants on the gateway.",
        discussion: "For --api comos: the gateway's discovery tools.",
        commands: [TenantListCommand.self, TenantShowCommand.self]),
      APICommandGroup(
        name: "catalog", abstract: "ComOS: find what to buy in a tenant's catalog.",
        discussion: "For --api comos: the gateway's catalog tools; product ids go to cart add.",
        commands: [CatalogSearchCommand.self, CatalogShowCommand.self]),
      APICommandGroup(
        name: "order", abstract: "ComOS: find an order and where its delivery is.",
        discussion: "For --api comos: the gateway's order tools, which need 'till login'.",
        commands: [OrderListCommand.self, OrderShowCommand.self, OrderTrackCommand.self]),
    ]
  }

  let capabilities = APICapabilities(
    needsLogin: true, hasHostedPaymentPage: true, listsServerCheckouts: true)

  static let cart = "the gateway's cart (an email or guest id)."

  static func cartID(_ options: APIOptions) -> APIOption { options.value("cart", "ID", cart) }
  static func user(_ options: APIOptions) -> APIOption {
    options.value("user", "ID", "the user's id.")
  }
  static func product(_ options: APIOptions) -> APIOption {
    options.value("product", "ID", "the product (an id from catalog search).")
  }
  static func customerName(_ options: APIOptions) -> APIOption {
    options.value("customer-name", "NAME", "the name on the shipping label.")
  }

  var options: [APIOption] {
    let carts = ["show", "update", "remove", "clear"].map { APIOptions("ComOS", on: ["cart", $0]) }
    let start = APIOptions("ComOS", on: ["checkout", "start"])
    let list = APIOptions("ComOS", on: ["checkout", "list"])
    return productLineOptions("ComOS", cart: Self.cart) + carts.map(Self.cartID)
      + carts[1...2].map(Self.product) + [
        carts[1].value("quantity", "N", .integer, "the new quantity, 1 to 99."),
        Self.cartID(start), Self.user(start),
        start.value("email", "EMAIL", "the customer's email."),
        start.value(
          "payment-method", "ID",
          "a saved payment method (pm_…; the gateway's test card is pm_test_visa); without one "
            + "the saga waits for payment."),
        Self.customerName(start),
        start.value(
          "shipping-address", "FILE", .file,
          "a JSON file (- for standard input) holding {line1, line2?, city, state?, postalCode, "
            + "country}; required when a product is physical. Never kept or shown."),
        list.value("user", "ID", "also list this user's sagas from the server (checkout_list)."),
        list.value("status", "STATUS", "only the server's sagas in this status."),
      ] + Self.purchaseOptions
  }

  var help: [APIHelp] {
    [
      APIHelp(
        ["purchase"],
        "ComOS: cart, saga, payment, completed. Without --payment-method the hosted payment "
          + "page's URL is shown and till waits while a human pays there.",
        examples: [
          Example(
            [
              "--api", "comos", "purchase", "--cart", "ann@example.com", "--product",
              "665f1c2ae4b0a1d2c3f40003", "--user", "u1", "--payment-method", "pm_test_visa",
            ], "ComOS: a digital product, paid with the gateway's test card.")
        ]),
      APIHelp(
        ["checkout", "start"],
        "ComOS: starts the checkout saga of --cart for --user; without --payment-method the "
          + "saga waits for payment on a hosted page (checkout pay)."),
      APIHelp(
        ["checkout", "pay"],
        """
        ComOS: creates a hosted payment session and prints its URL for a human to open (exit \
        3); with --watch, keeps polling through payment_pending until the saga ends.
        """),
      APIHelp(
        ["checkout", "retry"],
        "ComOS: only a failed or compensated saga; the gateway refuses others."),
      APIHelp(
        ["login"],
        """
        ComOS: logs in through the gateway's api_call tool (POST /v1/auth/login); later \
        commands pass the token as auth_token.
        """),
    ]
  }

  func makeAdapter(_ context: AdapterContext) throws(TillError) -> CheckoutAdapter {
    try ComOSAdapter(
      transport: context.transport, endpoint: context.endpoint, clock: context.clock,
      openStream: context.openStream)
  }

  func checkoutRequest(_ invocation: Invocation) throws(TillError) -> PreparedCheckout {
    let parsed = invocation.parsed
    return PreparedCheckout(
      CheckoutRequest(
        correlationId: makeUUID(), owner: try invocation.owner(),
        details: ComOSCheckout(
          cart: parsed.value("cart"), email: parsed.value("email"),
          paymentMethod: parsed.value("payment-method"),
          customerName: parsed.value("customer-name"),
          shippingAddress: try shippingAddress(invocation))))
  }

  static let addressFields: Set<String> = [
    "line1", "line2", "city", "state", "postalCode", "country",
  ]
  static let requiredAddressFields = ["line1", "city", "postalCode", "country"]

  /// `--shipping-address FILE`: a JSON object of the gateway's address fields. Its values are
  /// personal data: no error quotes them, and every trace and HAR log of the run redacts them.
  func shippingAddress(_ invocation: Invocation) throws(TillError) -> JSONValue? {
    guard let path = invocation.parsed.value("shipping-address") else { return nil }
    let bytes = try invocation.readFile(path, what: "shipping address")
    let shown = path == "-" ? "standard input" : "'\(safe(path))'"
    guard let address = try? JSONValue.parse(bytes), case .object(let members) = address else {
      throw TillError(
        .usage,
        "the shipping address in \(shown) is not a JSON object {line1, line2?, city, state?, "
          + "postalCode, country}")
    }
    for (key, value) in members {
      guard Self.addressFields.contains(key) else {
        throw TillError(
          .usage,
          "the shipping address in \(shown) has a field '\(safe(key.prefix(40)))' "
            + "the gateway does not take; it takes line1, line2, city, state, postalCode, country")
      }
      guard let text = value.string else {
        throw TillError(.usage, "the shipping address in \(shown): \(key) is not a string")
      }
      if key != "country" && key != "state" { invocation.secrets.add(text) }
    }
    for key in Self.requiredAddressFields where (address[key]?.string ?? "").isEmpty {
      throw TillError(.usage, "the shipping address in \(shown) lacks \(key)")
    }
    if let name = invocation.parsed.value("customer-name") { invocation.secrets.add(name) }
    return address
  }

  func cartAddition(_ invocation: Invocation) throws(TillError) -> CartAddition {
    CartAddition(details: try productLine(invocation.parsed))
  }

  func serverCart(_ action: String, _ invocation: Invocation) throws(TillError) -> ExitStatus? {
    try ComOSCartCommands(invocation: invocation).run(action)
  }

}
