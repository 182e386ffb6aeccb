import Synchronization

enum AcmeCartStatus: String, Sendable {
  case open = "OPEN"
  case checkedOut = "CHECKED_OUT"
}

struct AcmeCart: Sendable {
  struct Line: Sendable {
    var productId: String
    var quantity: Int
    var unitPrice: Int
  }

  /// Promotion codes and the percentage each takes off the subtotal.
  static let promotions = ["SAVE10": 10]

  var id: String
  var customerId: String?
  var status = AcmeCartStatus.open
  var lines: [Line] = []
  var promotionCode: String?
  var checkoutSessionId: String?

  /// Every product costs 12.50 except those whose id begins with `freeMarker`.
  static func unitPrice(of productId: String) -> Int {
    productId.hasPrefix(freeMarker) ? 0 : 1250
  }

  static let freeMarker = "f4ee0000-"

  var subtotal: Int { lines.reduce(0) { $0 + $1.quantity * $1.unitPrice } }

  /// Rounded down to the cent, so the customer never pays a fraction more than the total.
  var discount: Int {
    promotionCode.flatMap { Self.promotions[$0] }.map { subtotal * $0 / 100 } ?? 0
  }

  var total: Int { subtotal - discount }
}

enum SagaStep: String, CaseIterable, Sendable {
  case reserveInventory = "reserve_inventory"
  case authorizePayment = "authorize_payment"
  case createOrder = "create_order"

  var position: Int { Self.allCases.firstIndex(of: self) ?? 0 }
}

enum SagaStepStatus: String, Sendable {
  case done, current, pending, failed, compensated
}

/// How a checkout's saga runs, chosen by the customer id it was checked out for.
enum SagaScript: Sendable {
  case completes
  case authorizationDeclined
  case orderConflict
  case outOfStock

  static let declinedCustomerId = "00000000-0000-0000-0000-000000000402"
  static let conflictCustomerId = "00000000-0000-0000-0000-000000000409"
  /// A product the inventory has none of: a cart holding it fails to reserve.
  static let soldOutProductId = "00000000-0000-0000-0000-0000000000e0"

  init(customerId: String) {
    switch customerId {
    case Self.declinedCustomerId: self = .authorizationDeclined
    case Self.conflictCustomerId: self = .orderConflict
    default: self = .completes
    }
  }

  var failingStep: SagaStep? {
    switch self {
    case .completes: nil
    case .authorizationDeclined: .authorizePayment
    case .orderConflict: .createOrder
    case .outOfStock: .reserveInventory
    }
  }

  var failure: (code: String, message: String, reason: String)? {
    switch self {
    case .completes:
      nil
    case .authorizationDeclined:
      (
        code: "PAYMENT_DECLINED", message: "Authorization declined by the issuer",
        reason: "payment authorization declined"
      )
    case .orderConflict:
      (
        code: "ORDER_CONFLICT", message: "Order could not be created",
        reason: "order creation failed"
      )
    case .outOfStock:
      (
        code: "OUT_OF_STOCK", message: "Product \(Self.soldOutProductId) is out of stock",
        reason: "inventory reservation failed"
      )
    }
  }

  /// How many distinct views of the saga a poller sees: one per step begun, then either the
  /// completion or the failure and its compensation.
  var stageCount: Int {
    if self == .outOfStock { return 2 }
    return failingStep.map { $0.position + 3 } ?? SagaStep.allCases.count + 1
  }

  /// The saga as it stands at `stage`, counted from 0 (`STARTED`).
  func view(atStage stage: Int) -> SagaView {
    if failingStep == .reserveInventory, stage > 0 {
      // Nothing was done, so nothing is undone: the saga fails outright.
      return SagaView(
        status: "FAILED",
        steps: SagaStep.allCases.map { ($0, $0 == .reserveInventory ? .failed : .pending) },
        isFinal: true, failure: failure, compensated: [])
    }
    if let failingStep, stage > failingStep.position {
      let compensated = stage > failingStep.position + 1
      let steps = SagaStep.allCases.map { step in
        if step.position < failingStep.position {
          return (step, compensated ? SagaStepStatus.compensated : .done)
        }
        return (step, step == failingStep ? .failed : .pending)
      }
      return SagaView(
        status: compensated ? "COMPENSATED" : "COMPENSATING", steps: steps,
        isFinal: compensated, failure: failure,
        compensated: compensated
          ? SagaStep.allCases.filter { $0.position < failingStep.position }.reversed() : [])
    }
    let statuses = ["STARTED", "INVENTORY_RESERVED", "PAYMENT_AUTHORIZED", "COMPLETED"]
    let steps = SagaStep.allCases.map { step in
      (
        step,
        step.position < stage
          ? SagaStepStatus.done : step.position == stage ? .current : .pending
      )
    }
    return SagaView(
      status: statuses[min(stage, statuses.count - 1)], steps: steps,
      isFinal: stage >= SagaStep.allCases.count, failure: nil, compensated: [])
  }
}

/// One moment of a saga, before it is put into wire terms.
struct SagaView: Sendable {
  var status: String
  var steps: [(step: SagaStep, status: SagaStepStatus)]
  /// `COMPLETED`, `COMPENSATED` or `FAILED`: nothing changes after this.
  var isFinal: Bool
  var failure: (code: String, message: String, reason: String)?
  /// Steps undone, in the order they were undone (the reverse of the saga).
  var compensated: [SagaStep]

  func status(of step: SagaStep) -> SagaStepStatus {
    steps.first { $0.step == step }?.status ?? .pending
  }

  /// Whether the step ran to completion at some point, compensated or not.
  func hasCompleted(_ step: SagaStep) -> Bool {
    let status = status(of: step)
    return status == .done || status == .compensated
  }
}

struct AcmeCheckoutSession: Sendable {
  var id: String
  var cartId: String
  var script: SagaScript
  var polls = 0
  var stage = 0
  var startedAt: Int64
  var updatedAt: Int64
  var reservationId: String
  var paymentAuthorizationId: String
  var orderId: String

  var view: SagaView { script.view(atStage: stage) }
}

enum AcmeAddItemOutcome: Sendable {
  case added(AcmeCart)
  case checkedOut
}

enum AcmeRemoveItemOutcome: Sendable {
  case removed(AcmeCart)
  case cartNotFound
  case itemNotFound
  case checkedOut
}

enum AcmeCheckoutOutcome: Sendable {
  case checkedOut(AcmeCart)
  case cartNotFound
  case empty
  case alreadyCheckedOut
}

enum AcmeSessionLookup: Sendable {
  case found(AcmeCheckoutSession)
  case cartNotFound
  case sessionNotFound
}

/// What `GET /sandbox/stats/acme` reports.
struct AcmeStatsReport: Sendable {
  var carts: Int
  /// In the order the sessions were started.
  var sessions: [AcmeCheckoutSession]
}

/// Every Acme cart and checkout session the sandbox knows.
///
/// The saga advances one step per status poll rather than by the clock, so a client that
/// watches a session sees every step however fast or slow it polls, and a test can walk it
/// without waiting.
final class AcmeCheckouts: Sendable {
  private struct State {
    var carts: [String: AcmeCart] = [:]
    var sessions: [String: AcmeCheckoutSession] = [:]
    var sessionIds: [String] = []
  }

  private let state = Mutex(State())

  /// Adds to the cart, creating it when it is new; a product already in it gains quantity.
  func addItem(cartId: String, productId: String, quantity: Int) -> AcmeAddItemOutcome {
    state.withLock { state in
      var cart = state.carts[cartId] ?? AcmeCart(id: cartId)
      guard cart.status == .open else { return .checkedOut }
      if let index = cart.lines.firstIndex(where: { $0.productId == productId }) {
        cart.lines[index].quantity += quantity
      } else {
        cart.lines.append(
          .init(
            productId: productId, quantity: quantity,
            unitPrice: AcmeCart.unitPrice(of: productId)))
      }
      state.carts[cartId] = cart
      return .added(cart)
    }
  }

  /// Takes a product out of the cart; the one way to have a cart with nothing in it.
  func removeItem(cartId: String, productId: String) -> AcmeRemoveItemOutcome {
    state.withLock { state in
      guard var cart = state.carts[cartId] else { return .cartNotFound }
      guard cart.status == .open else { return .checkedOut }
      guard let index = cart.lines.firstIndex(where: { $0.productId == productId }) else {
        return .itemNotFound
      }
      cart.lines.remove(at: index)
      state.carts[cartId] = cart
      return .removed(cart)
    }
  }

  func cart(id: String) -> AcmeCart? {
    state.withLock { $0.carts[id] }
  }

  /// Checks the cart out and starts its saga. `promotionCode` must be a known one.
  func checkout(cartId: String, customerId: String, promotionCode: String?)
    -> AcmeCheckoutOutcome
  {
    let now = WallClock.nowSeconds()
    return state.withLock { state in
      guard var cart = state.carts[cartId] else { return .cartNotFound }
      guard cart.status == .open else { return .alreadyCheckedOut }
      guard !cart.lines.isEmpty else { return .empty }
      var sessionId = Identifiers.prefixed("cs_", 26)
      while state.sessions[sessionId] != nil { sessionId = Identifiers.prefixed("cs_", 26) }
      state.sessions[sessionId] = AcmeCheckoutSession(
        id: sessionId, cartId: cartId,
        script: cart.lines.contains { $0.productId == SagaScript.soldOutProductId }
          ? .outOfStock : SagaScript(customerId: customerId),
        startedAt: now, updatedAt: now, reservationId: Identifiers.prefixed("res_", 20),
        paymentAuthorizationId: Identifiers.prefixed("pa_", 24),
        orderId: Identifiers.prefixed("ord_", 20))
      state.sessionIds.append(sessionId)
      cart.customerId = customerId
      cart.promotionCode = promotionCode
      cart.status = .checkedOut
      cart.checkoutSessionId = sessionId
      state.carts[cartId] = cart
      return .checkedOut(cart)
    }
  }

  /// Answers a status poll: the first shows the saga as started, each later one a step
  /// further, until it ends.
  func poll(sessionId: String) -> AcmeCheckoutSession? {
    let now = WallClock.nowSeconds()
    return state.withLock { state in
      guard var session = state.sessions[sessionId] else { return nil }
      Self.advance(&session, at: now)
      state.sessions[sessionId] = session
      return session
    }
  }

  /// The same poll, reached through the cart it checked out.
  func poll(cartId: String) -> AcmeSessionLookup {
    let now = WallClock.nowSeconds()
    return state.withLock { state in
      guard let cart = state.carts[cartId] else { return .cartNotFound }
      guard let sessionId = cart.checkoutSessionId, var session = state.sessions[sessionId]
      else { return .sessionNotFound }
      Self.advance(&session, at: now)
      state.sessions[sessionId] = session
      return .found(session)
    }
  }

  func statsReport() -> AcmeStatsReport {
    state.withLock { state in
      AcmeStatsReport(
        carts: state.carts.count, sessions: state.sessionIds.compactMap { state.sessions[$0] })
    }
  }

  private static func advance(_ session: inout AcmeCheckoutSession, at now: Int64) {
    session.polls += 1
    let stage = min(session.polls - 1, session.script.stageCount - 1)
    if stage != session.stage {
      session.stage = stage
      session.updatedAt = now
    }
  }
}
