import TillArguments
import TillKit

/// The ticketing services: seats reserved on the inventory service, a draft order on the
/// ordering service (cart → draft → pending → paid), payment on the payment service.
struct TicketingAPI: CheckoutAPI {
  let name = "ticketing"

  var commandGroups: [APICommandGroup] {
    [
      APICommandGroup(
        name: "event", abstract: "Ticketing: the events and their seat maps (→ seat ids, prices).",
        discussion: "For --api ticketing: the catalog service (--catalog-url).",
        commands: [EventListCommand.self, EventSeatsCommand.self])
    ]
  }

  var capabilities: APICapabilities {
    var capabilities = APICapabilities()
    capabilities.cartNoun = "Order"
    return capabilities
  }

  /// Who the order is for: `--user ID` or `--guest TOKEN`.
  static func owner(_ options: APIOptions) -> [APIOption] {
    [
      options.value("user", "ID", "the signed-in user's id."),
      options.value(
        "guest", "TOKEN",
        "a guest token (a secret: TILL_GUEST_TOKEN keeps it off the command line).",
        environment: "TILL_GUEST_TOKEN"),
    ]
  }

  var options: [APIOption] {
    let global = APIOptions("Ticketing", on: [])
    let add = APIOptions("Ticketing", on: ["cart", "add"])
    let start = APIOptions("Ticketing", on: ["checkout", "start"])
    let pay = APIOptions("Ticketing", on: ["checkout", "pay"])
    return [
      global.serviceURL("inventory", "the inventory service, for cart add --reserve."),
      global.serviceURL("payment", "the payment service, for checkout pay."),
      global.serviceURL("catalog", "the catalog service, for events and seat maps."),
      add.value(
        "event", "ID", "the event whose seat map gives the seat's price (see event seats)."),
      start.value("order", "ID", "the draft order to check out."),
      add.value("seat", "UUID", "the seat."),
      add.value("price", "AMOUNT", "the seat's price, e.g. 50.00 (sent exactly as written)."),
      add.value("reservation", "UUID", "a reservation made earlier."),
      add.flag("reserve", "reserve the seat first on the inventory service."),
      pay.value("amount", "AMOUNT", "the amount to pay, e.g. 50.00 (sent exactly as written)."),
    ] + Self.owner(start) + Self.owner(add) + Self.owner(pay) + Self.purchaseOptions
  }

  var help: [APIHelp] {
    [
      APIHelp(
        ["demo"],
        examples: [
          Example(
            ["--api", "ticketing", "--json", "demo"], "A ticketing purchase, one JSON line a step.")
        ]),
      APIHelp(
        ["purchase"],
        "Ticketing: seatmap, reserve, cart, checkout, pay, paid. The seat's price comes from "
          + "the seat map; one GUID (--user) reserves the "
          + "seat, owns the order and pays, as the payment service requires.",
        examples: [
          Example(
            [
              "--api", "ticketing", "purchase", "--event", "7a1c2e3f-0000-4000-8000-000000000001",
              "--user", "7d3f1c2a-5b8e-4f6a-9c1d-2e3f4a5b6c7d",
            ], "Ticketing: the first seat still available, paid.")
        ]),
      APIHelp(
        ["cart", "add"],
        """
        Ticketing: --seat UUID --price AMOUNT [--reservation UUID | --reserve] with --user ID \
        or --guest TOKEN; prints the draft order's id. --reserve first reserves the seat on \
        the inventory service, then retries while the ordering service has not seen the \
        reservation yet (bounded by --max-wait, default 30s).
        """,
        examples: [
          Example(
            [
              "--api", "ticketing", "cart", "add", "--seat",
              "550e8400-e29b-41d4-a716-446655440002", "--price", "50.00", "--reserve", "--user",
              "7d3f1c2a-5b8e-4f6a-9c1d-2e3f4a5b6c7d",
            ], "Ticketing: reserve a seat and put it in that user's draft order.")
        ]),
      APIHelp(
        ["checkout", "start"],
        "Ticketing: checks out the draft order (--order) of --user or --guest; it is then "
          + "pending until paid with checkout pay."),
      APIHelp(
        ["checkout", "pay"],
        """
        Ticketing: posts the payment to the payment service (--payment-url, default the base \
        URL); a declined payment exits 1 with the provider's error code.
        """),
      APIHelp(["checkout", "cancel"], "Ticketing: cancels a draft or pending order."),
    ]
  }

  func makeAdapter(_ context: AdapterContext) throws(TillError) -> CheckoutAdapter {
    TicketingAdapter(
      transport: context.transport, endpoint: context.endpoint, clock: context.clock,
      reservationWait: context.maxWait ?? .seconds(30),
      inventoryURL: context.settings["inventory-url"],
      paymentURL: context.settings["payment-url"], catalogURL: context.settings["catalog-url"])
  }

  func checkoutRequest(_ invocation: Invocation) throws(TillError) -> PreparedCheckout {
    PreparedCheckout(
      CheckoutRequest(
        correlationId: makeUUID(), owner: try invocation.owner(),
        details: TicketingCheckout(order: invocation.parsed.value("order"))))
  }

  func cartAddition(_ invocation: Invocation) throws(TillError) -> CartAddition {
    let parsed = invocation.parsed
    if parsed.flag("reserve"), parsed.value("reservation") != nil {
      throw TillError(.usage, "give --reservation or --reserve, not both")
    }
    if parsed.value("event") != nil, parsed.value("price") != nil {
      throw TillError(.usage, "give --event (the seat map's price) or --price, not both")
    }
    return CartAddition(
      owner: try invocation.owner(),
      details: TicketingSeat(
        seat: parsed.value("seat"), price: parsed.value("price"),
        reservation: parsed.value("reservation"), reserve: parsed.flag("reserve"),
        event: parsed.value("event")))
  }
}
