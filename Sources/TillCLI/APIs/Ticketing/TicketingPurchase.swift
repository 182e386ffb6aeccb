import TillArguments
import TillKit

extension TicketingAPI {
  /// `purchase`'s own options: the event and seat, and who buys.
  static var purchaseOptions: [APIOption] {
    let purchase = APIOptions("Ticketing", on: ["purchase"])
    return [
      purchase.value("event", "ID", "the event to buy a seat of (till event list)."),
      purchase.value(
        "seat", "ID", "the seat to buy (till event seats EVENT_ID).",
        default: "the first seat still available"),
    ] + owner(purchase)
  }

  /// Seat map → reserve → cart → checkout → pay → paid, as the system's complete-flow script
  /// runs it, each on its own service.
  func purchase(_ purchase: Purchase) throws(TillError) -> PurchaseOutcome {
    let parsed = purchase.parsed
    let event = try purchase.required("event", "ID (till event list)")
    guard let owner = try purchase.invocation.owner() else {
      throw TillError(
        .usage, "purchase needs --user GUID or a guest token (TILL_GUEST_TOKEN) for --api ticketing"
      )
    }
    // The payment service takes a GUID as the customer: the same one reserves, orders and
    // pays, so a purchase that could never be paid is refused before anything is sent.
    try TicketingAdapter.checkPayer(
      owner, for: "purchase", "the same GUID reserves the seat, owns the order and pays for it")
    if let seat = parsed.value("seat"), !isUUID(seat) {
      throw TillError(.usage, "invalid value '\(safe(seat))' for '--seat': expected a seat's UUID")
    }
    let ownerWords =
      if case .user(let user) = owner { ["--user", user] } else { [String]() }
    purchase.plan(["seatmap", "reserve", "cart", "checkout", "pay", "paid"])
    let adapter = try purchase.adapter(TicketingAdapter.self)

    let (seat, price) = try purchase.step(
      "seatmap", "choose a seat from the catalog's seat map", command: ["event", "seats", event]
    ) { record throws(TillError) -> (String, String) in
      let seats = try adapter.seatMap(event: event)["seats"]?.array ?? []
      let wanted = parsed.value("seat")?.lowercased()
      guard
        let entry = seats.first(where: { seat in
          if let wanted { return seat["id"]?.text?.lowercased() == wanted }
          return (seat["status"]?.string ?? "available") == "available"
        })
      else {
        if let wanted {
          throw TillError(
            .notFound,
            "seat \(safe(wanted)) is not in the seat map of event \(safe(event)); its seats: "
              + "till event seats \(safe(event))")
        }
        throw TillError(
          .conflict,
          "event \(safe(event)) has no seat available; other events: till event list")
      }
      let id = entry["id"]?.text ?? ""
      let status = entry["status"]?.string ?? "available"
      guard status == "available" else {
        throw TillError(
          .conflict,
          "seat \(safe(id)) of event \(safe(event)) is \(safe(status)); the seats still "
            + "available: till event seats \(safe(event))")
      }
      guard let price = entry["price"]?.text, isDecimalAmount(price), isUUID(id) else {
        throw TillError(
          .serverOrNetwork,
          "seat \(safe(id)) of event \(safe(event)) has no id or price in the seat map")
      }
      record.fact("seatId", id)
      record.fact("price", .number(price))
      let place = zip(["section", "row", "seat"], ["sectionCode", "rowNumber", "seatNumber"])
        .compactMap { word, key in entry[key]?.text.map { "\(word) \(safe($0))" } }
      record.say(
        "Seat \(safe(id))"
          + (place.isEmpty ? "" : " (" + place.joined(separator: ", ") + ")")
          + ": \(safe(price)), available.")
      return (id, price)
    }

    let reservation = try purchase.step(
      "reserve", "reserve it on the inventory service",
      command: ["cart", "add", "--event", event, "--seat", seat, "--reserve"] + ownerWords
    ) { record throws(TillError) in
      let id = try adapter.reserve(seat: seat, owner: owner)
      record.fact("reservationId", id)
      record.say("Reservation \(safe(id)) holds seat \(safe(seat)).")
      return id
    }

    let cart = try purchase.step(
      "cart", "put the reserved seat into a draft order",
      command: ["cart", "add", "--seat", seat, "--price", price, "--reservation", reservation]
        + ownerWords
    ) { record throws(TillError) in
      var line = TicketingSeat(seat: seat, price: price, reservation: reservation)
      line.reservedJustNow = true
      let cart = try adapter.addToCart(CartAddition(owner: owner, details: line))
      if let problem = CheckoutID.problem(cart.id, fromServer: true) {
        throw TillError(.serverOrNetwork, "the server's order id '\(safe(cart.id))' \(problem)")
      }
      record.fact("orderId", cart.id)
      record.fact("total", cart.total)
      for note in cart.notes where !note.hasPrefix("Reserved") { record.say(note) }
      record.say(
        "Draft order \(safe(cart.id)): \(cart.itemCount) item, total \(safe(cart.total ?? price)).")
      return cart
    }

    try purchase.step(
      "checkout", "check the draft order out",
      command: ["checkout", "start", "--order", cart.id] + ownerWords
    ) { record throws(TillError) in
      let pending = try adapter.start(
        CheckoutRequest(
          correlationId: makeUUID(), owner: owner, details: TicketingCheckout(order: cart.id)))
      try purchase.started(pending, &record, fact: "orderId")
      record.fact("state", pending.serverState)
      record.say("Order \(safe(pending.id)) is \(safe(pending.serverState)).")
    }

    let payment = try purchase.step(
      "pay", "pay for it on the payment service",
      command: ["checkout", "pay", cart.id, "--amount", price] + ownerWords
    ) { record throws(TillError) in
      let payment = try adapter.pay(id: cart.id, amount: price, owner: owner)
      record.fact("paymentId", payment.id)
      record.fact("paymentStatus", payment.status)
      record.say("Payment \(safe(payment.id ?? "?")): \(safe(payment.status)).")
      return payment
    }

    try purchase.step(
      "paid", "confirm the order is paid", command: ["checkout", "status", cart.id]
    ) { record throws(TillError) in
      let order = try adapter.status(id: cart.id)
      purchase.history.record(order, started: false)
      record.fact("state", order.serverState)
      switch order.state {
      case .completed:
        record.say("Order \(safe(order.id)) is \(safe(order.serverState)).")
      case .unknown:
        // The running service reports no order state: the catalog, which shows a seat sold
        // once the order holding it is paid, confirms it.
        let seats = try adapter.seatMap(event: event)["seats"]?.array ?? []
        let shown =
          seats.first { $0["id"]?.text?.lowercased() == seat.lowercased() }?["status"]?.string
          ?? "absent"
        record.fact("seatStatus", shown)
        guard shown == "sold" else {
          throw TillError(
            .checkoutFailed,
            "order \(safe(cart.id)) was paid (payment \(safe(payment.id ?? "?"))), but the "
              + "catalog shows seat \(safe(seat)) as \(safe(shown)), not sold")
        }
        record.say(
          "The ordering service reports no order state; the catalog shows seat \(safe(seat)) "
            + "sold.")
      default:
        throw TillError(
          .checkoutFailed,
          "order \(safe(cart.id)) is \(safe(order.serverState)) after payment "
            + "\(safe(payment.id ?? "?")), not paid")
      }
    }
    return PurchaseOutcome(
      id: cart.id,
      summary: "seat \(safe(seat)) of event \(safe(event)), order \(safe(cart.id)) paid "
        + "\(safe(price)) (payment \(safe(payment.id ?? "?"))).")
  }

  /// A seat of the sandbox's first event for one GUID; the catalog gives the price.
  func demo(sandbox: String, workspace: String) -> DemoPurchase {
    DemoPurchase(
      baseURL: sandbox, serves: "the four ticketing services", tenant: nil, apiKey: nil,
      arguments: [
        "--event", "7a1c2e3f-0000-4000-8000-000000000001", "--user",
        "7d3f1c2a-5b8e-4f6a-9c1d-2e3f4a5b6c7d",
      ])
  }
}
