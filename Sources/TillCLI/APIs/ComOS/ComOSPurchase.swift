import TillArguments
import TillKit

extension ComOSAPI {
  /// `purchase`'s own options: the cart and product, who buys, how they pay, where it goes.
  static var purchaseOptions: [APIOption] {
    let purchase = APIOptions("ComOS", on: ["purchase"])
    return [
      cartID(purchase), product(purchase),
      purchase.value("quantity", "N", .integer, "how many, 1 to 99.", default: "1"),
      user(purchase),
      purchase.value(
        "payment-method", "ID", "a saved payment method (the gateway's test card is pm_test_visa).",
        default: "pay on the hosted payment page"),
      customerName(purchase),
      purchase.value(
        "shipping-address", "FILE", .file,
        "a JSON address file (- for standard input); required when the product is physical. "
          + "Never kept or shown."),
    ]
  }

  /// Cart → saga → payment → completed, through the gateway's tools: the payment is the saved
  /// method's, or a hosted page a human completes while till waits.
  func purchase(_ purchase: Purchase) throws(TillError) -> PurchaseOutcome {
    let parsed = purchase.parsed
    let cart = try purchase.required("cart", "ID (an email or guest id)")
    let product = try purchase.required("product", "ID (till catalog search)")
    let user = try purchase.required("user", "ID")
    let count = try quantity(parsed.value("quantity"))
    let method = parsed.value("payment-method")
    let address = try shippingAddress(purchase.invocation)
    let name = parsed.value("customer-name")
    // Personal data: kept out of the steps' command lines and every trace.
    if let name { purchase.invocation.secrets.add(name) }
    purchase.plan(["cart", "saga", "payment", "completed"])
    let adapter = try purchase.adapter(ComOSAdapter.self)

    try purchase.cartStep(
      "put the product in the gateway's cart",
      ProductLine(cart: cart, product: product, quantity: count), adapter: adapter)

    var words = ["checkout", "start", "--cart", cart, "--user", user]
    if let method { words += ["--payment-method", method] }
    if let name { words += ["--customer-name", name] }
    if let file = parsed.value("shipping-address") { words += ["--shipping-address", file] }
    let saga = try purchase.step("saga", "start the checkout saga", command: words) {
      record throws(TillError) in
      let saga = try adapter.start(
        CheckoutRequest(
          correlationId: makeUUID(), owner: .user(user),
          details: ComOSCheckout(
            cart: cart, paymentMethod: method, customerName: name, shippingAddress: address)))
      try purchase.started(saga, &record, fact: "sagaId")
      record.say(
        "Saga \(safe(saga.id)) started"
          + (address == nil ? "." : " (the address is sent, never kept or printed)."))
      return saga
    }

    let paid = try purchase.step(
      "payment", method.map { "pay with \($0)" } ?? "pay on the hosted payment page",
      command: method == nil
        ? ["checkout", "pay"] + CheckoutID.arguments([saga.id], then: ["--watch"])
        : ["checkout", "status", saga.id]
    ) { record throws(TillError) in
      var current = try purchase.watch(saga, &record, waitingFor: "the saga to ask for payment") {
        Self.paymentDone($0) || $0.serverState == "payment_pending"
      }
      if !Self.paymentDone(current) {
        // The page is shown, or completed by the demo's browser, as any page a human must
        // complete; the watch goes on until the payment has run.
        let page = try adapter.createPaymentSession(id: saga.id)
        guard let url = page.redirect?.url else {
          throw TillError(.serverOrNetwork, "the gateway made a payment session without a URL")
        }
        record.fact("paymentUrl", url)
        current = try purchase.watch(
          page, &record, waitingFor: "payment on \(url)", until: Self.paymentDone)
      }
      // The gateway names the payment by its intent; a deployment may say paymentId.
      let payment = current.reference("paymentIntentId") ?? current.reference("paymentId")
      record.fact("paymentId", payment)
      record.say("Paid" + (payment.map { ": payment \(safe($0))." } ?? "."))
      return current
    }

    let order = try purchase.watchStep("completed", "follow the saga to its end", paid)
    return PurchaseOutcome(
      id: saga.id,
      summary: "saga \(safe(saga.id)) completed for \(safe(user))"
        + (order.map { ", order \(safe($0)); track it with: till order track \(safe($0))" }
          ?? "."))
  }

  /// The saga's payment step has run.
  private static func paymentDone(_ status: CheckoutStatus) -> Bool {
    status.state == .completed
      || status.steps.contains { $0.name == "process_payment" && $0.status == .done }
  }

  /// A physical product to an address, paid on the sandbox's hosted page, which the demo's
  /// browser completes; over the legacy HTTP+SSE transport the gateway's examples use.
  func demo(sandbox: String, workspace: String) -> DemoPurchase {
    DemoPurchase(
      baseURL: sandbox + "/mcp/sse", serves: "the ComOS gateway (legacy HTTP+SSE)",
      tenant: "tenant-demo", apiKey: nil,
      arguments: [
        "--cart", "demo@example.com", "--product", "665f1c2ae4b0a1d2c3f40002", "--user",
        "demo-user", "--customer-name", "Ann Lee", "--shipping-address",
        workspace + "/address.json",
      ],
      files: [
        (
          "address.json",
          #"{"line1":"12 Harbour Lane","city":"Portland","state":"OR","postalCode":"97201","#
            + #""country":"US"}"#
        )
      ],
      personalData: ["Ann Lee"], pagePress: { $0.contains("/sandbox/pay/") })
  }
}
