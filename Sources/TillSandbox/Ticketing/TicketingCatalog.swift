/// The catalog service (port 50001 in the real deployment): the events and their seat maps,
/// where a seat's price comes from. A seat's status is what the inventory and ordering
/// services make of it: reserved while a reservation holds it, sold once its order is paid.
enum TicketingCatalog {
  struct Event: Sendable {
    var id: String
    var name: String
    var description: String
    var date: String
    var basePrice: String
    /// Sections, each with its rows of seats, and what a seat there costs.
    var sections: [(code: String, rows: Int, seatsPerRow: Int, price: String)]
  }

  static let events: [Event] = [
    Event(
      id: "7a1c2e3f-0000-4000-8000-000000000001", name: "Sandbox Symphony",
      description: "An evening of orchestral music", date: "2027-03-14T19:30:00Z",
      basePrice: "50.00",
      sections: [
        (code: "A", rows: 2, seatsPerRow: 4, price: "80.00"),
        (code: "B", rows: 2, seatsPerRow: 4, price: "50.00"),
      ]),
    Event(
      id: "7a1c2e3f-0000-4000-8000-000000000002", name: "Loopback Live",
      description: "A rock night on 127.0.0.1", date: "2027-04-01T20:00:00Z", basePrice: "35.00",
      sections: [(code: "GA", rows: 1, seatsPerRow: 6, price: "35.00")]),
    // Its price ends in .13, the cents the payment service declines: a purchase that fails
    // at the payment.
    Event(
      id: "7a1c2e3f-0000-4000-8000-000000000013", name: "Declined Card Cabaret",
      description: "Every seat's payment is declined (its price ends in .13)",
      date: "2027-05-13T21:00:00Z", basePrice: "13.13",
      sections: [(code: "D", rows: 1, seatsPerRow: 4, price: "13.13")]),
  ]

  /// A seat's id: stable for its event, section, row and number.
  static func seatId(event: Int, section: Int, row: Int, number: Int) -> String {
    let tail = String(event * 100_000 + section * 10_000 + row * 100 + number)
    return "5ea70000-0000-4000-8000-" + String(repeating: "0", count: 12 - tail.count) + tail
  }

  static func event(id: String) -> (index: Int, event: Event)? {
    events.enumerated().first { $0.element.id == id }.map { ($0.offset, $0.element) }
  }

  static func wire(_ event: Event) -> JSONText {
    .object([
      "id": .string(event.id), "name": .string(event.name),
      "description": .string(event.description), "eventDate": .string(event.date),
      "basePrice": .number(event.basePrice),
    ])
  }

  /// `GET /events/{id}/seatmap`, as the catalog service answers it.
  static func seatMap(_ index: Int, _ event: Event, status: (String) -> String) -> JSONText {
    var seats: [JSONText] = []
    for (sectionIndex, section) in event.sections.enumerated() {
      for row in 1...section.rows {
        for number in 1...section.seatsPerRow {
          let id = seatId(event: index + 1, section: sectionIndex + 1, row: row, number: number)
          seats.append(
            .object([
              "id": .string(id), "sectionCode": .string(section.code), "rowNumber": .integer(row),
              "seatNumber": .integer(number), "price": .number(section.price),
              "status": .string(status(id)),
            ]))
        }
      }
    }
    return .object([
      "eventId": .string(event.id), "eventName": .string(event.name),
      "eventDescription": .string(event.description), "eventDate": .string(event.date),
      "basePrice": .number(event.basePrice), "seats": .array(seats),
    ])
  }
}
