import TillKit

extension ComOSAPI {
  /// From a catalog search to a delivered order, over the legacy HTTP+SSE transport the
  /// gateway's own examples use: find a physical product, fill the gateway's cart, start the
  /// saga with a shipping address and the test card, choose shipping, watch it complete, log
  /// in and track the order to its door.
  func demo(_ demo: Demo) throws(TillError) -> ExitStatus {
    let console = demo.console
    let url = demo.baseURL + "/mcp/sse"
    let tenant = "tenant-demo"
    let options = demo.invocation.transportOptions()
    let trace = demo.invocation.trace
    let openStream = { (request: HTTPRequest) throws(TransportError) -> EventStream in
      try CurlEventStream(request, options: options, trace: trace)
    }
    let clock = SystemClock(interruption: interruption)
    /// An adapter on the run's transport settings, with safe retries, as `Demo.adapter` makes.
    func gateway(token: String? = nil) throws(TillError) -> ComOSAdapter {
      let transport: CurlTransport
      do {
        transport = try CurlTransport(options: options, trace: trace)
      } catch {
        throw TillError(.serverOrNetwork, error.description)
      }
      return try ComOSAdapter(
        transport: RetryingTransport(transport, clock: clock, trace: trace),
        endpoint: APIEndpoint(baseURL: url, tenant: tenant, token: token), clock: clock,
        openStream: openStream)
    }
    let adapter = try gateway()
    defer { adapter.finish() }
    console.out(
      "A sandbox is serving the ComOS gateway on \(url) (legacy HTTP+SSE, in this process).")

    demo.step(1, of: 6, "find a product", "till --api comos catalog search kettle")
    let (products, _) = try adapter.searchCatalog(
      query: "kettle", category: nil, minPrice: nil, maxPrice: nil, limit: nil)
    guard let product = products.first else {
      throw TillError(.serverOrNetwork, "the demo's catalog has no kettle")
    }
    console.out(
      "\(product.id)  \(product.price ?? "?")  \(product.kind ?? "?")  \(product.name ?? "")")

    let cart = "demo@example.com"
    demo.step(
      2, of: 6, "put it in the gateway's cart",
      "till --api comos cart add --cart \(cart) --product \(product.id)")
    _ = try adapter.addToCart(
      CartAddition(details: ProductLine(cart: cart, product: product.id, quantity: 1)))
    let shown = try adapter.viewCart(cart)
    console.out("Cart \(shown.id): \(shown.itemCount) item(s).")

    demo.step(
      3, of: 6, "start the saga: a physical product needs an address",
      "till --api comos checkout start --cart \(cart) --user demo-user --payment-method "
        + "pm_test_visa --customer-name 'Ann Lee' --shipping-address address.json")
    let started = clock.now
    let saga = try adapter.start(
      CheckoutRequest(
        correlationId: makeUUID(), owner: .user("demo-user"),
        details: ComOSCheckout(
          cart: cart, paymentMethod: "pm_test_visa", customerName: "Ann Lee",
          shippingAddress: [
            "line1": "12 Harbour Lane", "city": "Portland", "state": "OR",
            "postalCode": "97201", "country": "US",
          ])))
    console.out("Saga \(saga.id) started (the address is sent, never kept or printed).")

    demo.step(
      4, of: 6, "choose shipping",
      "till --api comos checkout shipping \(saga.id) --carrier ups --service express")
    let choice = try adapter.selectShipping(saga: saga.id, carrier: "ups", service: "express")
    console.out("Ships by UPS Express; total \(choice["total"]?.text ?? "?") USD.")

    demo.step(5, of: 6, "watch the saga", "till --api comos checkout status \(saga.id) --watch")
    let outcome = try demo.watch(adapter, initial: saga, clock: clock, startedAt: started)
    guard case .terminal(let final) = outcome, final.state == .completed,
      let order = final.references.first(where: { $0.0 == "orderId" })?.1
    else {
      throw TillError(outcome.exitStatus, "the demo saga did not complete: \(outcome)")
    }

    demo.step(
      6, of: 6, "log in and track the order to the door",
      "till --api comos login --email demo@example.com; till --api comos order track \(order)")
    let token = try adapter.login(email: "demo@example.com", password: "correct-horse")
    demo.invocation.secrets.add(token)
    let orders = try gateway(token: token)
    defer { orders.finish() }
    var tracking = try orders.track(order)
    while tracking.status != "delivered" {
      console.out("Order \(order): \(tracking.status ?? "?")")
      tracking = try orders.track(order)
    }
    console.out("Order \(order): delivered")
    console.outputIndent = ""
    console.out("")
    console.out("Done: found, bought, shipped and delivered through the gateway's tools.")
    return .success
  }
}
