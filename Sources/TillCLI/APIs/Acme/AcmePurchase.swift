import TillArguments
import TillKit

extension AcmeAPI {
  /// `purchase`'s own options: the cart, what goes in it, who buys.
  static var purchaseOptions: [APIOption] {
    let purchase = APIOptions("Acme", on: ["purchase"])
    return [
      purchase.value("cart", "UUID", "the cart to fill and check out.", default: "a new cart"),
      purchase.value("product", "UUID", "the product to buy."),
      purchase.value("quantity", "N", .integer, "how many.", default: "1"),
      purchase.value("customer", "ID", "the UUID of the customer who buys."),
      purchase.value("promotion", "CODE", "a promotion code."),
    ]
  }

  /// Cart → checkout → saga: the Cart API's Add Item, the orchestrator's Checkout Cart, and
  /// the saga that reserves inventory, authorizes payment and creates the order.
  func purchase(_ purchase: Purchase) throws(TillError) -> PurchaseOutcome {
    let parsed = purchase.parsed
    let cart = parsed.value("cart") ?? makeUUID()
    let product = try purchase.required("product", "UUID")
    let customer = try purchase.required("customer", "UUID")
    let count = try quantity(parsed.value("quantity"))
    let promotion = parsed.value("promotion")
    // Checked here too, so that nothing is sent when a later step's id is not one.
    try AcmeAdapter.checkUUIDs([("cartId", cart), ("productId", product), ("customerId", customer)])
    purchase.plan(["cart", "checkout", "saga"])
    let adapter = try purchase.adapter()

    try purchase.cartStep(
      "put the product in the cart",
      ProductLine(cart: cart, product: product, quantity: count), adapter: adapter)

    let session = try purchase.step(
      "checkout", "check the cart out",
      command: ["checkout", "start", "--cart", cart, "--customer", customer]
        + (promotion.map { ["--promotion", $0] } ?? [])
    ) { record throws(TillError) in
      let session = try adapter.start(
        CheckoutRequest(
          correlationId: makeUUID(),
          details: AcmeCheckout(cart: cart, customer: customer, promotionCode: promotion)))
      try purchase.started(session, &record, fact: "checkoutSessionId")
      record.say("Checkout session \(safe(session.id)) started its saga.")
      return session
    }

    let order = try purchase.watchStep("saga", "follow the saga to the order", session)
    return PurchaseOutcome(
      id: session.id,
      summary: "cart \(safe(cart)) checked out for \(safe(customer))"
        + (order.map { ", order \(safe($0))" } ?? "") + " (session \(safe(session.id))).")
  }

  /// A new cart with two of one product for a customer, and the saga to its order.
  func demo(sandbox: String, workspace: String) -> DemoPurchase {
    DemoPurchase(
      baseURL: sandbox + "/acme", serves: "the Acme Cart API and Checkout Orchestrator",
      tenant: nil, apiKey: nil,
      arguments: [
        "--product", "5ca1ab1e-0000-4000-8000-00000000c0ff", "--quantity", "2", "--customer",
        "3f2b8c1e-6d4a-4f7e-9b2c-1a2b3c4d5e6f",
      ])
  }
}
