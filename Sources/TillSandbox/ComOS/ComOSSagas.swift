import Synchronization

/// Every ComOS cart, saga and login token the sandbox knows, across tenants.
///
/// Like the Acme saga, a ComOS saga advances one step per `checkout_status` call rather than
/// by the clock, so a client that polls sees every step however fast it polls, and a test can
/// walk a whole saga without waiting.
final class ComOSSagas: Sendable {
  static let flakyMarker = "flaky"
  static let declinedMarker = "declined"
  /// Over the legacy transport, the gateway restarts after doing the call and before
  /// answering it (`MCPLegacyRoutes`).
  static let restartAtStartMarker = "restart-start"
  static let restartAtStatusMarker = "restart-status"
  static let declinedPaymentMethod = "pm_card_chargeDeclined"
  static let password = "correct-horse"
  static let tenantPrefix = "tenant-"
  /// How long a payment session's URL stays valid.
  static let paymentSessionSeconds: Int64 = 24 * 3600

  static let mixedAlphanumerics =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
  private static let base64URL = mixedAlphanumerics + "-_"

  private struct State {
    var carts: [ComOSCartKey: [ComOSCartLine]] = [:]
    var sagas: [String: ComOSSaga] = [:]
    /// Payment session id → the saga it pays.
    var paymentSessions: [String: String] = [:]
    var tokens: Set<String> = []
    var sagasStarted = 0

    /// Saga `id`, where it is `tenant`'s: another tenant's saga is not found.
    func saga(_ id: String, of tenant: String) -> ComOSSaga? {
      sagas[id].flatMap { $0.cart.tenant == tenant ? $0 : nil }
    }
  }

  private let state = Mutex(State())
  private let clock: @Sendable () -> Int64

  /// `clock` gives Unix seconds; tests may pin it.
  init(clock: @escaping @Sendable () -> Int64 = { WallClock.nowSeconds() }) {
    self.clock = clock
  }

  static func isKnownTenant(_ tenant: String) -> Bool {
    tenant.hasPrefix(tenantPrefix)
  }

  // MARK: Login

  /// A JWT-shaped token when the password is the sandbox's one; nil otherwise.
  func logIn(email: String, password: String) -> String? {
    guard !email.isEmpty, password == Self.password else { return nil }
    let token =
      "eyJ" + Identifiers.randomCharacters(33, from: Self.base64URL) + "."
      + Identifiers.randomCharacters(43, from: Self.base64URL) + "."
      + Identifiers.randomCharacters(43, from: Self.base64URL)
    state.withLock { _ = $0.tokens.insert(token) }
    return token
  }

  func isIssued(token: String) -> Bool {
    state.withLock { $0.tokens.contains(token) }
  }

  // MARK: Carts

  /// What a change to a cart's line finds.
  enum CartChange: Sendable {
    case changed([ComOSCartLine])
    case cartNotFound
    case itemNotFound
  }

  /// The cart's lines; nil when the tenant has no such cart.
  func cart(tenant: String, cartId: String) -> [ComOSCartLine]? {
    cart(ComOSCartKey(tenant: tenant, cartId: cartId))
  }

  func cart(_ key: ComOSCartKey) -> [ComOSCartLine]? {
    state.withLock { $0.carts[key] }
  }

  /// Sets a line's quantity (`nil` removes the line).
  func setQuantity(tenant: String, cartId: String, productId: String, quantity: Int?)
    -> CartChange
  {
    state.withLock { state in
      let key = ComOSCartKey(tenant: tenant, cartId: cartId)
      guard var lines = state.carts[key] else { return .cartNotFound }
      guard let index = lines.firstIndex(where: { $0.productId == productId }) else {
        return .itemNotFound
      }
      if let quantity {
        lines[index].quantity = quantity
      } else {
        lines.remove(at: index)
      }
      state.carts[key] = lines
      return .changed(lines)
    }
  }

  /// Empties a cart; false when there is no such cart.
  func clearCart(tenant: String, cartId: String) -> Bool {
    state.withLock { state in
      let key = ComOSCartKey(tenant: tenant, cartId: cartId)
      guard state.carts[key] != nil else { return false }
      state.carts[key] = []
      return true
    }
  }

  /// Adds to the tenant's cart, creating it when it is new; a product already in it gains
  /// quantity. Returns the cart's lines.
  func addItem(tenant: String, cartId: String, productId: String, quantity: Int)
    -> [ComOSCartLine]
  {
    state.withLock { state in
      let key = ComOSCartKey(tenant: tenant, cartId: cartId)
      var lines = state.carts[key] ?? []
      if let index = lines.firstIndex(where: { $0.productId == productId }) {
        lines[index].quantity += quantity
      } else {
        lines.append(ComOSCartLine(productId: productId, quantity: quantity))
      }
      state.carts[key] = lines
      return lines
    }
  }

  // MARK: Sagas

  /// The shipping a saga starts with: the first option when the cart holds a physical product.
  func defaultShipping(tenant: String, cartId: String) -> ComOSShipping? {
    let lines = cart(tenant: tenant, cartId: cartId) ?? []
    let physical = lines.contains { ComOSCatalog.product($0.productId)?.physical == true }
    return physical ? ComOSShipping.options[0] : nil
  }

  enum ShippingChoice: Sendable {
    case chosen(ComOSSaga)
    case notFound
    case refused(ComOSSagaStatus)
    case noShipping
  }

  /// `checkout_select_shipping`: while the saga is pending or waits for payment.
  func selectShipping(tenant: String, sagaId: String, option: ComOSShipping) -> ShippingChoice {
    state.withLock { state in
      guard var saga = state.saga(sagaId, of: tenant) else { return .notFound }
      guard saga.shipping != nil else { return .noShipping }
      guard saga.status == .pending || saga.status == .paymentPending else {
        return .refused(saga.status)
      }
      saga.shipping = option
      state.sagas[sagaId] = saga
      return .chosen(saga)
    }
  }

  /// A saga without moving it on.
  func peek(tenant: String, sagaId: String) -> ComOSSaga? {
    state.withLock { state in
      state.saga(sagaId, of: tenant)
    }
  }

  func start(
    tenant: String, userId: String, cartId: String, email: String?, paymentMethodId: String?,
    shipping: ComOSShipping? = nil
  ) -> ComOSSaga {
    let now = clock()
    return state.withLock { state in
      var id = Identifiers.prefixed("saga_", 26)
      while state.sagas[id] != nil {
        id = Identifiers.prefixed("saga_", 26)
      }
      state.sagasStarted += 1
      var saga = ComOSSaga(
        id: id, cart: ComOSCartKey(tenant: tenant, cartId: cartId), userId: userId, email: email,
        paymentMethodId: paymentMethodId, createdAt: now, updatedAt: now,
        sequence: state.sagasStarted)
      saga.shipping = shipping
      state.sagas[id] = saga
      return saga
    }
  }

  /// Answers a status call: the saga one step further than the last answer, until it ends.
  func poll(tenant: String, sagaId: String) -> ComOSSaga? {
    let now = clock()
    return state.withLock { state in
      guard var saga = state.saga(sagaId, of: tenant) else { return nil }
      let before = saga.status
      saga.polls += 1
      Self.advance(&saga, carts: &state.carts)
      if saga.status != before { saga.updatedAt = now }
      state.sagas[sagaId] = saga
      return saga
    }
  }

  /// A hosted payment page for a saga waiting for payment, served at `pageBase` + the
  /// session id; the saga stays in payment_pending until that page is paid.
  func createPaymentSession(tenant: String, sagaId: String, pageBase: String)
    -> ComOSPaymentSessionOutcome
  {
    let now = clock()
    return state.withLock { state in
      guard var saga = state.saga(sagaId, of: tenant) else { return .notFound }
      guard saga.status == .paymentPending else { return .refused(saga.status) }
      let sessionId = Identifiers.prefixed("cs_test_", 58, from: Self.mixedAlphanumerics)
      let session = ComOSPaymentSession(
        sagaId: sagaId, sessionId: sessionId, url: pageBase + sessionId,
        expiresAt: now + Self.paymentSessionSeconds)
      saga.paymentUrl = session.url
      saga.paymentSessionId = sessionId
      saga.paymentPaid = false
      state.sagas[sagaId] = saga
      state.paymentSessions[sessionId] = sagaId
      return .created(session)
    }
  }

  /// What the page of payment session `sessionId` shows.
  func paymentSession(_ sessionId: String) -> ComOSPaymentPageState {
    state.withLock { state in Self.pageState(sessionId, in: state) }
  }

  /// Pays session `sessionId`, if it is the live session of a saga waiting for payment; the
  /// saga moves on at its next status poll. Answers the page's state before paying.
  func pay(_ sessionId: String) -> ComOSPaymentPageState {
    state.withLock { state in
      let before = Self.pageState(sessionId, in: state)
      if case .unpaid(let sagaId) = before { state.sagas[sagaId]?.paymentPaid = true }
      return before
    }
  }

  private static func pageState(_ sessionId: String, in state: State) -> ComOSPaymentPageState {
    guard let sagaId = state.paymentSessions[sessionId], let saga = state.sagas[sagaId],
      saga.paymentSessionId == sessionId
    else { return .unknown }
    return saga.paymentPaid || saga.status != .paymentPending ? .paid : .unpaid(sagaId: sagaId)
  }

  /// Reruns a failed or compensated saga from its first step, as a new attempt.
  func retry(tenant: String, sagaId: String) -> ComOSSagaOutcome {
    let now = clock()
    return state.withLock { state in
      guard var saga = state.saga(sagaId, of: tenant) else { return .notFound }
      guard saga.status == .failed || saga.status == .compensated else {
        return .refused(saga.status)
      }
      saga.attempt += 1
      saga.status = .pending
      saga.completedSteps = []
      saga.currentStep = .validateCart
      saga.error = nil
      saga.compensation = nil
      saga.orderId = nil
      saga.paymentIntentId = nil
      saga.paymentUrl = nil
      saga.paymentSessionId = nil
      saga.paymentPaid = false
      saga.updatedAt = now
      state.sagas[sagaId] = saga
      return .found(saga)
    }
  }

  /// The user's sagas in the tenant, newest first, optionally only those in one status.
  func list(tenant: String, userId: String, status: ComOSSagaStatus?) -> [ComOSSaga] {
    state.withLock { state in
      state.sagas.values
        .filter { $0.cart.tenant == tenant && $0.userId == userId }
        .filter { status == nil || $0.status == status }
        .sorted { ($0.createdAt, $0.sequence) > ($1.createdAt, $1.sequence) }
    }
  }

  // MARK: Orders

  /// The orders of completed sagas, newest first; `userId` nil for every user's.
  func orders(tenant: String, userId: String?) -> [ComOSSaga] {
    state.withLock { state in
      state.sagas.values
        .filter {
          $0.cart.tenant == tenant && $0.status == .completed && $0.orderId != nil
            && (userId == nil || $0.userId == userId)
        }
        .sorted { ($0.createdAt, $0.sequence) > ($1.createdAt, $1.sequence) }
    }
  }

  /// The completed saga whose order this is; `tracking` moves its delivery one step on.
  func order(tenant: String, orderId: String, tracking: Bool = false) -> ComOSSaga? {
    state.withLock { state in
      guard
        let id = state.sagas.first(where: {
          $0.value.cart.tenant == tenant && $0.value.orderId == orderId
            && $0.value.status == .completed
        })?.key
      else { return nil }
      if tracking { state.sagas[id]!.trackingPolls += 1 }
      return state.sagas[id]
    }
  }

  /// Every saga, in the order they were started.
  func allSagas() -> [ComOSSaga] {
    state.withLock { $0.sagas.values.sorted { $0.sequence < $1.sequence } }
  }

  // MARK: The saga script

  private static func advance(_ saga: inout ComOSSaga, carts: inout [ComOSCartKey: [ComOSCartLine]])
  {
    switch saga.status {
    case .pending, .inProgress:
      guard let step = saga.currentStep else { return }
      run(step, of: &saga, carts: &carts)
    case .paymentPending:
      // Nothing moves until the customer pays the session's page.
      guard saga.paymentPaid, let step = saga.currentStep else { return }
      run(step, of: &saga, carts: &carts)
    case .failed:
      let undoable = ComOSStep.compensable.filter { saga.completedSteps.contains($0) }
      guard let first = undoable.first, let fault = saga.error else { return }
      saga.status = .compensating
      saga.compensation = (reason: compensationReason(for: fault), steps: [first])
    case .compensating:
      saga.status = .compensated
      saga.compensation?.steps = ComOSStep.compensable.filter { saga.completedSteps.contains($0) }
    case .completed, .compensated:
      break
    }
  }

  /// Runs `step`: it fails as the script says, or completes and the saga moves on.
  private static func run(
    _ step: ComOSStep, of saga: inout ComOSSaga, carts: inout [ComOSCartKey: [ComOSCartLine]]
  ) {
    let cartKey = saga.cart
    let fault =
      step == .validateCart && (carts[cartKey] ?? []).isEmpty
      ? .cartEmpty(saga.cart.cartId) : saga.scriptedFault(at: step)
    if let fault {
      saga.status = .failed
      saga.error = fault
      saga.currentStep = nil
      return
    }
    saga.completedSteps.append(step)
    switch step {
    case .createOrder:
      saga.orderId = Identifiers.prefixed("ord_", 20)
      saga.orderLines = carts[cartKey] ?? []
    case .processPayment:
      saga.paymentIntentId = Identifiers.prefixed("pi_", 24, from: mixedAlphanumerics)
    case .clearCart:
      carts[cartKey] = []
    default:
      break
    }
    saga.currentStep = step.next
    switch step.next {
    case nil:
      saga.status = .completed
    case .processPayment? where saga.paymentMethodId == nil:
      // Without a stored payment method the saga waits for the customer to pay a hosted page.
      saga.status = .paymentPending
    default:
      saga.status = .inProgress
    }
  }

  private static func compensationReason(for fault: ComOSFault) -> String {
    fault == .paymentDeclined
      ? "payment declined" : "\(fault.step.rawValue) failed: \(fault.code)"
  }
}
