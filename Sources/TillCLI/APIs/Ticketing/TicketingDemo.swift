import TillKit

extension TicketingAPI {
  /// Reserve a seat, add it to a draft order, check out, pay; then a declined card.
  func demo(_ demo: Demo) throws(TillError) -> ExitStatus {
    let console = demo.console
    let base = demo.baseURL
    let (adapter, _) = try demo.adapter { transport, clock in
      TicketingAdapter(transport: transport, endpoint: APIEndpoint(baseURL: base), clock: clock)
    }
    let seat = "550e8400-e29b-41d4-a716-446655440002"
    // One GUID as reservation customer, order user and payment customer: the payment service
    // takes no other kind of id.
    let user = "7d3f1c2a-5b8e-4f6a-9c1d-2e3f4a5b6c7d"
    console.out("A sandbox is serving the ticketing services on \(base) (in this process).")
    demo.step(
      1, "reserve a seat and put it in the cart",
      "till --api ticketing cart add --seat \(seat) --price 50.00 --reserve --user \(user)")
    let cart = try adapter.addToCart(
      CartAddition(
        owner: .user(user), details: TicketingSeat(seat: seat, price: "50.00", reserve: true)))
    for note in cart.notes { console.out(note) }
    console.out("Draft order \(cart.id): \(cart.itemCount) item, total \(cart.total ?? "?").")
    console.out(
      "(Instead of the document's blind 'sleep 3', till retried until the ordering service "
        + "had seen the reservation.)")

    demo.step(
      2, "check out the draft order",
      "till --api ticketing checkout start --order \(cart.id) --user \(user)")
    demo.renderer.show(try adapter.start(checkout(cart.id, user: user)))

    demo.step(
      3, "pay for it", "till --api ticketing checkout pay \(cart.id) --amount 50.00 --user \(user)")
    let payment = try adapter.pay(id: cart.id, amount: "50.00", owner: .user(user))
    console.out("Payment \(payment.id ?? "?"): \(payment.status).")

    demo.step(
      4, "a declined card, for contrast", "till --api ticketing checkout pay … --amount 13.13 …")
    let declinedUser = "0c9e8d7f-6a5b-4c3d-8e2f-1a0b9c8d7e6f"
    do throws(TillError) {
      let second = try adapter.addToCart(
        CartAddition(
          owner: .user(declinedUser),
          details: TicketingSeat(
            seat: "550e8400-e29b-41d4-a716-446655440003", price: "13.13", reserve: true)))
      _ = try adapter.start(checkout(second.id, user: declinedUser))
      _ = try adapter.pay(id: second.id, amount: "13.13", owner: .user(declinedUser))
      console.out("The sandbox accepted a card it should have declined.")
      return .checkoutFailed
    } catch  where error.status == .checkoutFailed {
      console.out("till: error: \(sanitizeForTerminal(error.message))   (exit status 1)")
    }
    console.outputIndent = ""
    console.out("")
    console.out(
      "Done. 'till --api ticketing --base-url URL …' does the same against a real service.")
    return .success
  }

  private func checkout(_ order: String, user: String) -> CheckoutRequest {
    CheckoutRequest(
      correlationId: makeUUID(), owner: .user(user), details: TicketingCheckout(order: order))
  }
}
