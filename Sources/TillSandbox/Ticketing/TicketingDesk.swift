import Synchronization

/// Who a ticket order belongs to: a signed-in user, a guest token, or both.
struct OrderOwner: Sendable {
  var userId: String?
  var guestToken: String?

  /// Nil when neither is given. Empty strings count as absent, as `string.IsNullOrEmpty`
  /// makes them in the real service.
  init?(userId: String?, guestToken: String?) {
    let userId = userId.flatMap { $0.isEmpty ? nil : $0 }
    let guestToken = guestToken.flatMap { $0.isEmpty ? nil : $0 }
    guard userId != nil || guestToken != nil else { return nil }
    self.userId = userId
    self.guestToken = guestToken
  }

  /// Whether this caller may act on `order`: one credential must match the order's own.
  func owns(_ order: TicketOrder) -> Bool {
    if let userId, userId == order.owner.userId { return true }
    if let guestToken, guestToken == order.owner.guestToken { return true }
    return false
  }
}

enum TicketOrderState: String, Sendable {
  case draft, pending, paid, cancelled
}

struct TicketOrder: Sendable {
  struct Item: Sendable {
    var id: String
    var seatId: String
    var price: DecimalAmount
  }

  var id: String
  /// Who it was made for.
  var owner: OrderOwner
  var state: TicketOrderState
  var items: [Item] = []
  var createdAt: Int64
  var paidAt: Int64?

  var totalAmount: Cents { items.reduce(Cents(0)) { $0 + $1.price.cents } }
}

struct SeatReservation: Sendable {
  var id: String
  var seatId: String
  var customerId: String
  var expiresAt: Int64
  /// `cart/add` calls that named this reservation, the ones it was not yet visible to
  /// included.
  var cartAddAttempts = 0
}

struct TicketPayment: Sendable {
  var id: String
  var orderId: String
  var amount: DecimalAmount
  var currency: String
  var declined: Bool
  var createdAt: Int64
}

enum ReserveOutcome: Sendable {
  case reserved(SeatReservation)
  case seatTaken
}

enum CartAddOutcome: Sendable {
  case added(TicketOrder)
  case reservationNotFound
  case seatAlreadyInCart
  case serverFault
}

enum OrderCheckoutOutcome: Sendable {
  case checkedOut(TicketOrder)
  case orderNotFound
  case unauthorized
  case notDraft
  case empty
}

enum OrderCancelOutcome: Sendable {
  case cancelled
  case orderNotFound
  case notCancellable
}

enum PaymentOutcome: Sendable {
  case succeeded(TicketPayment)
  case declined(TicketPayment)
  case amountNotPositive
  case orderNotFound
  case notAwaitingPayment
  /// The order belongs to another customer.
  case unauthorized
  /// The payment provider failed (the sandbox's `.66` cents).
  case processingError
}

/// What `GET /sandbox/stats/ticketing` reports.
struct TicketingStatsReport: Sendable {
  var reservations: Int
  var cartAddAttempts: Int
  /// In the order the orders were created.
  var orders: [TicketOrder]
  var payments: Int
}

/// The inventory, ordering and payment services of the ticketing system, as one store.
///
/// One lock guards everything, so a reservation seen by `cart/add` and the order it lands in
/// change together, as they would in the real services' databases once the events settle.
final class TicketingDesk: Sendable {
  /// The seat whose `cart/add` fails as the real service does when its database throws:
  /// the draft order is already saved, so the owner is left with an empty one.
  static let faultySeatId = "00000000-0000-0000-0000-000000000500"
  /// How many `cart/add` calls miss a new reservation, as the ordering service learns of it
  /// only when the inventory service's Kafka event arrives.
  static let attemptsBeforeReservationVisible = 2
  static let reservationLifetimeSeconds: Int64 = 600
  /// Payments whose cents are `.13` are declined, so a client can be shown a 422.
  static let declinedCents = 13
  /// Payments whose cents are `.66` fail in the provider, so a client can be shown a 500.
  static let failingCents = 66

  private struct State {
    var reservations: [String: SeatReservation] = [:]
    var reservationIdBySeat: [String: String] = [:]
    var reservationsMade = 0
    var orders: [String: TicketOrder] = [:]
    var orderIds: [String] = []
    var cartAddAttempts = 0
    var payments: [TicketPayment] = []
  }

  private let state = Mutex(State())

  /// Reserves a seat for ten minutes. A seat held by another customer is refused; the same
  /// customer asking again gets the reservation it already has.
  func reserve(seatId: String, customerId: String) -> ReserveOutcome {
    let now = WallClock.nowSeconds()
    return state.withLock { state in
      if let heldId = state.reservationIdBySeat[seatId], let held = state.reservations[heldId],
        held.expiresAt > now
      {
        return held.customerId == customerId ? .reserved(held) : .seatTaken
      }
      var id = Identifiers.uuid()
      while state.reservations[id] != nil { id = Identifiers.uuid() }
      let reservation = SeatReservation(
        id: id, seatId: seatId, customerId: customerId,
        expiresAt: now + Self.reservationLifetimeSeconds)
      state.reservations[id] = reservation
      state.reservationIdBySeat[seatId] = id
      state.reservationsMade += 1
      return .reserved(reservation)
    }
  }

  /// Counts a `cart/add` request, well-formed or not.
  func noteCartAddAttempt() {
    state.withLock { $0.cartAddAttempts += 1 }
  }

  /// Adds a seat to the owner's draft order, creating the order when the owner has none.
  func addToCart(
    reservationId: String?, seatId: String, price: DecimalAmount, owner: OrderOwner
  ) -> CartAddOutcome {
    let now = WallClock.nowSeconds()
    return state.withLock { state in
      if seatId == Self.faultySeatId {
        if Self.draftOrderId(of: owner, in: state) == nil {
          Self.insert(Self.newOrder(for: owner, at: now, in: state), into: &state)
        }
        return .serverFault
      }
      if let reservationId {
        guard var reservation = state.reservations[reservationId] else {
          return .reservationNotFound
        }
        reservation.cartAddAttempts += 1
        state.reservations[reservationId] = reservation
        guard reservation.cartAddAttempts > Self.attemptsBeforeReservationVisible,
          reservation.seatId == seatId
        else { return .reservationNotFound }
      }
      var order: TicketOrder
      if let draftId = Self.draftOrderId(of: owner, in: state), let draft = state.orders[draftId] {
        order = draft
      } else {
        order = Self.newOrder(for: owner, at: now, in: state)
      }
      guard !order.items.contains(where: { $0.seatId == seatId }) else {
        return .seatAlreadyInCart
      }
      order.items.append(.init(id: Identifiers.uuid(), seatId: seatId, price: price))
      Self.insert(order, into: &state)
      return .added(order)
    }
  }

  /// Moves a draft order to pending, checking the caller's credential against the order's.
  func checkout(orderId: String, owner: OrderOwner) -> OrderCheckoutOutcome {
    state.withLock { state in
      guard var order = state.orders[orderId] else { return .orderNotFound }
      guard owner.owns(order) else { return .unauthorized }
      guard order.state == .draft else { return .notDraft }
      guard !order.items.isEmpty else { return .empty }
      order.state = .pending
      state.orders[orderId] = order
      return .checkedOut(order)
    }
  }

  func order(id: String) -> TicketOrder? {
    state.withLock { $0.orders[id] }
  }

  /// Cancels any order not yet paid and frees its seats for others to reserve.
  func cancel(orderId: String) -> OrderCancelOutcome {
    state.withLock { state in
      guard var order = state.orders[orderId] else { return .orderNotFound }
      guard order.state != .paid else { return .notCancellable }
      order.state = .cancelled
      state.orders[orderId] = order
      for item in order.items {
        state.reservationIdBySeat[item.seatId] = nil
      }
      return .cancelled
    }
  }

  /// Charges a pending order for its owner. A declined charge cancels the order and frees
  /// its seats, as the payment service's compensation does. A missing amount is zero, as .NET
  /// binds it.
  func pay(orderId: String, customerId: String, amount: DecimalAmount?, currency: String)
    -> PaymentOutcome
  {
    guard let amount, amount.cents.value > 0 else { return .amountNotPositive }
    let now = WallClock.nowSeconds()
    return state.withLock { state in
      guard var order = state.orders[orderId] else { return .orderNotFound }
      if let user = order.owner.userId, Identifiers.canonicalUUID(user) != customerId {
        return .unauthorized
      }
      guard order.state == .pending else { return .notAwaitingPayment }
      if amount.cents.value % 100 == Self.failingCents { return .processingError }
      let payment = TicketPayment(
        id: Identifiers.uuid(), orderId: orderId, amount: amount, currency: currency,
        declined: amount.cents.value % 100 == Self.declinedCents, createdAt: now)
      state.payments.append(payment)
      if payment.declined {
        order.state = .cancelled
        for item in order.items { state.reservationIdBySeat[item.seatId] = nil }
      } else {
        order.state = .paid
        order.paidAt = now
      }
      state.orders[orderId] = order
      return payment.declined ? .declined(payment) : .succeeded(payment)
    }
  }

  /// A seat as the catalog shows it: `sold` once an order holding it is paid, `reserved`
  /// while a reservation holds it, else `available`.
  func seatStatus(_ seatId: String) -> String {
    let now = WallClock.nowSeconds()
    return state.withLock { state in
      let sold = state.orders.values.contains { order in
        order.state == .paid
          && order.items.contains { $0.seatId == seatId }
      }
      if sold { return "sold" }
      if let id = state.reservationIdBySeat[seatId], let held = state.reservations[id],
        held.expiresAt > now
      {
        return "reserved"
      }
      return "available"
    }
  }

  func statsReport() -> TicketingStatsReport {
    state.withLock { state in
      TicketingStatsReport(
        reservations: state.reservationsMade, cartAddAttempts: state.cartAddAttempts,
        orders: state.orderIds.compactMap { state.orders[$0] }, payments: state.payments.count)
    }
  }

  private static func draftOrderId(of owner: OrderOwner, in state: State) -> String? {
    state.orderIds.first { id in
      guard let order = state.orders[id] else { return false }
      return order.state == .draft && owner.owns(order)
    }
  }

  private static func newOrder(for owner: OrderOwner, at now: Int64, in state: State)
    -> TicketOrder
  {
    var id = Identifiers.uuid()
    while state.orders[id] != nil { id = Identifiers.uuid() }
    return TicketOrder(
      id: id, owner: owner, state: .draft, createdAt: now)
  }

  private static func insert(_ order: TicketOrder, into state: inout State) {
    if state.orders.updateValue(order, forKey: order.id) == nil {
      state.orderIds.append(order.id)
    }
  }
}
