import TillArguments
import TillKit

/// The Acme checkout system: a cart on the server, then a saga that reserves inventory,
/// authorizes payment and creates the order, compensating on failure.
struct AcmeAPI: CheckoutAPI {
  let name = "acme"
  var capabilities: APICapabilities { APICapabilities() }

  var options: [APIOption] {
    let global = APIOptions("Acme", on: [])
    let remove = APIOptions("Acme", on: ["cart", "remove"])
    let start = APIOptions("Acme", on: ["checkout", "start"])
    return [
      APIOption(
        [],
        .value(
          "status-path", "TEMPLATE",
          help: "Acme: where a checkout session is read, below the base URL; {id} stands for "
            + "its id. The catalog documents no such endpoint.",
          default: AcmeAdapter.defaultStatusPath, global: true),
        inProfiles: true,
        check: { path in
          path.hasPrefix("/") && path.contains("{id}")
            ? nil : "it must start with / and contain {id}"
        }),
      global.serviceURL(
        "orchestrator", "the Checkout Orchestrator, where checkout sessions are read."
      ) {
        url in
        url.hasPrefix("http://") || url.hasPrefix("https://")
          ? nil : "it must start with http:// or https://"
      },
      APIOption(
        [],
        .value(
          "session-lookup", "TEMPLATE",
          help: "Acme: where the checkout session of a cart is found, below the orchestrator's "
            + "URL, when the checkout answer names none; {cartId} stands for the cart.",
          global: true),
        inProfiles: true,
        check: { path in
          path.hasPrefix("/") && path.contains("{cartId}")
            ? nil : "it must start with / and contain {cartId}"
        }),
    ] + productLineOptions("Acme", cart: "the cart's id.") + [
      Self.cartID(remove), remove.value("product", "ID", "the product to remove."),
      Self.cartID(start), start.value("promotion", "CODE", "a promotion code."),
      start.value("customer", "ID", "the customer's UUID."),
    ] + Self.purchaseOptions
  }

  static func cartID(_ options: APIOptions) -> APIOption {
    options.value("cart", "ID", "the cart's id.")
  }

  var help: [APIHelp] {
    [
      APIHelp(
        ["purchase"],
        "Acme: cart, checkout, saga. It fills a new cart (or --cart) and follows the saga to "
          + "the order; cartId, "
          + "productId and customerId are UUIDs, as the Acme schemas type them."),
      APIHelp(["cart", "add"], "Acme: --cart ID --product ID [--quantity N], on the server."),
      APIHelp(
        ["checkout", "start"],
        """
        Acme: checks out --cart for --customer; --watch follows the saga (reserve inventory, \
        authorize payment, create the order) and its compensation. The Cart API and the \
        Checkout Orchestrator are two services: sessions are read from --orchestrator-url \
        (default the base URL). The session is the one the answer names (checkoutSessionId, \
        Location, or Link rel="checkout-session"), else the one --session-lookup TEMPLATE \
        ({cartId}) finds, else the cart's id.
        """),
      APIHelp(
        ["demo"],
        examples: [Example(["--api", "acme", "demo"], "Watch an Acme checkout saga run.")]),
      APIHelp(
        [],
        examples: [
          Example(
            [
              "--api", "acme", "purchase", "--product", "5ca1ab1e-0000-4000-8000-00000000c0ff",
              "--customer", "3f2b8c1e-6d4a-4f7e-9b2c-1a2b3c4d5e6f", "--report-junit",
              "purchase.xml",
            ], "A whole Acme purchase against the configured server, for a CI smoke test.")
        ]),
    ]
  }

  func makeAdapter(_ context: AdapterContext) throws(TillError) -> CheckoutAdapter {
    AcmeAdapter(
      transport: context.transport, endpoint: context.endpoint, clock: context.clock,
      statusPath: context.settings["status-path"],
      orchestratorURL: context.settings["orchestrator-url"],
      sessionLookup: context.settings["session-lookup"])
  }

  func checkoutRequest(_ invocation: Invocation) throws(TillError) -> PreparedCheckout {
    let parsed = invocation.parsed
    return PreparedCheckout(
      CheckoutRequest(
        correlationId: makeUUID(),
        details: AcmeCheckout(
          cart: parsed.value("cart"), customer: parsed.value("customer"),
          promotionCode: parsed.value("promotion"))))
  }

  /// `cart remove --cart C --product P`: the Cart API's Remove Item. The Cart API has no
  /// other cart operation.
  func serverCart(_ action: String, _ invocation: Invocation) throws(TillError) -> ExitStatus? {
    guard action == "remove" else { return nil }
    let parsed = invocation.parsed
    if !parsed.values("item").isEmpty {
      throw TillError(
        .usage,
        "--item is for a cart kept on this machine; --api acme names the product with "
          + "--product ID")
    }
    guard let cart = parsed.value("cart"), !cart.isEmpty,
      let product = parsed.value("product"), !product.isEmpty
    else {
      throw TillError(.usage, "cart remove needs --cart ID --product ID for --api acme")
    }
    let summary = try invocation.adapter(AcmeAdapter.self, of: self, for: "cart remove")
      .removeItem(cart: cart, product: product)
    let settings = invocation.settings
    if settings.json {
      invocation.console.out(summary.raw.serialized())
    } else if !settings.quiet {
      let items = summary.itemCount == 1 ? "1 item" : "\(summary.itemCount) items"
      let total = summary.total.map { ", total \(safe($0))" } ?? ""
      invocation.console.out(
        "Cart \(safe(summary.id)) (\(safe(summary.state))): \(items)\(total)")
    }
    return .success
  }

  func cartAddition(_ invocation: Invocation) throws(TillError) -> CartAddition {
    CartAddition(details: try productLine(invocation.parsed))
  }
}
