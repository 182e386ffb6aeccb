import TillKit

extension AcmeAPI {
  /// Fill a cart, check it out, watch the saga; then a saga that compensates.
  func demo(_ demo: Demo) throws(TillError) -> ExitStatus {
    let console = demo.console
    let base = demo.baseURL + "/acme"
    let (adapter, clock) = try demo.adapter { transport, clock in
      AcmeAdapter(transport: transport, endpoint: APIEndpoint(baseURL: base), clock: clock)
    }
    console.out("A sandbox is serving the Acme checkout API on \(base) (in this process).")
    demo.step(
      1, of: 3, "fill a cart",
      "till --api acme cart add --cart demo-cart --product sku-coffee --quantity 2")
    let cart = try adapter.addToCart(
      CartAddition(details: ProductLine(cart: "demo-cart", product: "sku-coffee", quantity: 2)))
    console.out("Cart \(cart.id): \(cart.itemCount) items, total \(cart.total ?? "?").")

    let customer = "3f2b8c1e-6d4a-4f7e-9b2c-1a2b3c4d5e6f"
    demo.step(
      2, of: 3, "check it out and watch the saga",
      "till --api acme checkout start --cart demo-cart --customer \(customer) --watch")
    let final = try watchSaga(
      demo, adapter, clock: clock, cart: "demo-cart", customer: customer)
    demo.renderer.show(final)

    demo.step(
      3, of: 3, "a declined authorization: the saga compensates",
      "till --api acme checkout start --cart declined-cart --customer 00000000-…-000000000402 --watch"
    )
    _ = try adapter.addToCart(
      CartAddition(
        details: ProductLine(cart: "declined-cart", product: "sku-coffee", quantity: 2)))
    let compensated = try watchSaga(
      demo, adapter, clock: clock, cart: "declined-cart",
      customer: "00000000-0000-0000-0000-000000000402")
    demo.renderer.show(compensated)
    console.outputIndent = ""
    console.out("")
    console.out("Done: one saga completed, one compensated (exit status 1 for that one).")
    return final.state == .completed && compensated.state == .compensated
      ? .success : .checkoutFailed
  }

  private func watchSaga(
    _ demo: Demo, _ adapter: CheckoutAdapter, clock: SystemClock, cart: String, customer: String
  ) throws(TillError) -> CheckoutStatus {
    let started = clock.now
    let session = try adapter.start(
      CheckoutRequest(
        correlationId: makeUUID(), details: AcmeCheckout(cart: cart, customer: customer)))
    let outcome = try demo.watch(adapter, initial: session, clock: clock, startedAt: started)
    guard case .terminal(let final) = outcome else {
      throw TillError(outcome.exitStatus, "the demo saga did not finish: \(outcome)")
    }
    demo.console.out("")
    return final
  }
}
