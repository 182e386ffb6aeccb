import TillKit

extension C2AAPI {
  /// Two items in the local cart, a checkout that asks for 3-D Secure, the challenge done as
  /// a browser would, and the watch to the end.
  func demo(_ demo: Demo) throws(TillError) -> ExitStatus {
    let console = demo.console
    let base = demo.baseURL
    console.out("A sandbox is serving the C2A API on \(base) (in this process).")
    console.out("Environment: TILL_BASE_URL=\(base) TILL_TENANT=demo-tenant TILL_API_KEY=…")

    demo.step(1, "put two items in the cart", "till cart add --item sku-coffee:2 --item sku-mug")
    var cart = LocalCart()
    try cart.add(CartItem(id: "sku-coffee", quantity: 2))
    try cart.add(CartItem(id: "sku-mug"))
    try cart.save(to: PrivateDirectory(demo.workspace, role: "state"))
    for item in cart.items { console.out("\(item.id) × \(item.quantity)") }

    demo.step(2, "submit the checkout", "till checkout start --offer 3ds")
    let (adapter, clock) = try demo.adapter { transport, clock in
      C2AAdapter(
        transport: transport,
        endpoint: APIEndpoint(baseURL: base, tenant: "demo-tenant", apiKey: "demo-key"),
        clock: clock)
    }
    let startedAt = clock.now
    var order = C2AOrder(offer: "3ds", items: cart.items)
    order.paymentChannel = "CreditCard"
    let submitted = try adapter.start(CheckoutRequest(correlationId: makeUUID(), details: order))
    console.out("Submitted: tracking number \(submitted.id).")
    console.out(
      "The server answered 202 and asks to poll again in "
        + "\(formatDuration(PollPolicy().delay(after: submitted.hint))) (Retry-After).")

    demo.step(3, "follow it to the end", "till checkout status \(submitted.id) --watch")
    var challengeDone = false
    var browserError: TillError?
    let outcome = try demo.watch(adapter, initial: submitted, clock: clock, startedAt: startedAt) {
      status in
      guard status.state == .actionRequired, !challengeDone, let url = status.redirect?.url
      else { return }
      challengeDone = true
      console.out("You would open that page in a browser; the demo visits it for you:")
      do throws(TillError) {
        let page = try demo.visit(url, doing: "completing the 3-D Secure step")
        console.out("GET \(sanitizeForTerminal(url, singleLine: true)) → \(page)")
      } catch {
        browserError = error
      }
    }
    if let browserError { throw browserError }

    demo.step(4, "check what happened", "till checkout status \(submitted.id)")
    guard case .terminal(let final) = outcome, final.state == CheckoutState.completed else {
      console.error("the demo checkout did not complete: \(outcome)")
      return outcome.exitStatus
    }
    demo.renderer.show(try adapter.status(id: final.id))
    console.outputIndent = ""
    console.out("")
    console.out(
      "Done in \(formatDuration(clock.now - startedAt)). "
        + serverSideSummary(demo, id: submitted.id))
    console.out("Next: 'till sandbox' serves these scenarios for your own scripts; 'till help'.")
    return .success
  }

  /// The sandbox's own count of connections and early polls for the checkout.
  private func serverSideSummary(_ demo: Demo, id: String) -> String {
    guard let response = try? demo.get(demo.baseURL + "/sandbox/stats/" + id),
      let stats = try? JSONValue.parse(response.body),
      let connections = stats["connections"]?.array?.count, let polls = stats["polls"]?.int,
      let early = stats["earlyPolls"]?.int
    else { return "" }
    let plural = connections == 1 ? "connection" : "connections"
    return "The sandbox saw \(polls) polls over \(connections) TCP \(plural), \(early) of them "
      + "before the Retry-After it asked for."
  }
}
