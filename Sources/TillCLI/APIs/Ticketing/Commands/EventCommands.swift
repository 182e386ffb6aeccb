import TillArguments
import TillKit

/// A command of the ticketing catalog service: with another --api it is a usage error.
protocol TicketingCatalogCommand: TillCommand {}

extension TicketingCatalogCommand {
  func catalog() throws(TillError) -> TicketingAdapter {
    try ownAdapter(TicketingAdapter.self, of: TicketingAPI())
  }
}

/// `event list`: the events of the catalog service.
struct EventListCommand: TicketingCatalogCommand {
  static let spec = CommandSpec(
    name: "list", abstract: "List the events on sale.",
    discussion: "-q prints the event ids, --json the catalog's answer.")

  let invocation: Invocation

  func run() throws(TillError) -> ExitStatus {
    let events = try catalog().events()
    let list = events.array ?? []
    try output.list(
      events, ids: list.compactMap { $0["id"]?.text }, what: "event id",
      empty: "The catalog lists no events.", header: ["EVENT", "NAME", "DATE", "FROM"],
      rows: list.map {
        [$0["id"]?.text, $0["name"]?.text, $0["eventDate"]?.text, $0["basePrice"]?.text]
      })
    return .success
  }
}

/// `event seats EVENT_ID`: the seat map, each seat with its price and status.
struct EventSeatsCommand: TicketingCatalogCommand {
  static let spec = CommandSpec(
    name: "seats", abstract: "Show an event's seat map: each seat's price and status.",
    discussion: """
      -q prints the ids of the seats still available, for cart add --event ID --seat SEAT, \
      which takes the price from this map.
      """,
    arguments: [ArgumentSpec(name: "event", help: "The event's id (see event list).")],
    examples: [
      Example(
        ["--api", "ticketing", "-q", "event", "seats", "7a1c2e3f-0000-4000-8000-000000000001"],
        "The seats still available.")
    ])

  let invocation: Invocation

  func run() throws(TillError) -> ExitStatus {
    let event = try parsed.nonEmptyArgument("event", "(see 'till event list')")
    let map = try catalog().seatMap(event: event)
    let seats = map["seats"]?.array ?? []
    let available = seats.filter { ($0["status"]?.string ?? "available") == "available" }
    try output.show(map, ids: available.compactMap { $0["id"]?.text }, what: "seat id") {
      console.out("\(safe(map["eventName"]?.text ?? event)): \(seats.count) seats")
      output.table(
        ["SEAT", "SECTION", "ROW", "NUMBER", "PRICE", "STATUS"],
        seats.map {
          [
            $0["id"]?.text, $0["sectionCode"]?.text, $0["rowNumber"]?.text,
            $0["seatNumber"]?.text, $0["price"]?.text, $0["status"]?.text,
          ]
        })
    }
    return .success
  }
}
