import Synchronization

// The gateway's sagas, carts, shipping and payment sessions as values; `ComOSSagas` keeps
// them and moves them on.

/// The steps of a ComOS checkout saga, in the order they run.
enum ComOSStep: String, CaseIterable, Sendable {
  case validateCart = "validate_cart"
  case reserveInventory = "reserve_inventory"
  case createOrder = "create_order"
  case processPayment = "process_payment"
  case confirmOrder = "confirm_order"
  case sendConfirmation = "send_confirmation"
  case clearCart = "clear_cart"

  /// The step after this one; nil after the last.
  var next: ComOSStep? {
    let all = Self.allCases
    guard let index = all.firstIndex(of: self), index + 1 < all.count else { return nil }
    return all[index + 1]
  }

  /// Steps whose work a failed saga undoes, in the order they are undone.
  static let compensable: [ComOSStep] = [.createOrder, .reserveInventory]
}

enum ComOSSagaStatus: String, CaseIterable, Sendable {
  case pending
  case inProgress = "in_progress"
  case paymentPending = "payment_pending"
  case completed
  case failed
  case compensating
  case compensated
}

/// Why a step failed, as the saga's `error` reports it.
enum ComOSFault: Sendable, Equatable {
  /// The inventory service did not answer (the first attempt of a flaky cart): a retry
  /// succeeds.
  case inventoryTimeout
  case paymentDeclined
  /// The saga's cart, by id, had nothing in it.
  case cartEmpty(String)

  /// The step it fails.
  var step: ComOSStep {
    switch self {
    case .inventoryTimeout: .reserveInventory
    case .paymentDeclined: .processPayment
    case .cartEmpty: .validateCart
    }
  }

  var code: String {
    switch self {
    case .inventoryTimeout: "INVENTORY_SERVICE_ERROR"
    case .paymentDeclined: "PAYMENT_DECLINED"
    case .cartEmpty: "CART_EMPTY"
    }
  }

  var message: String {
    switch self {
    case .inventoryTimeout: "Inventory service did not answer in time"
    case .paymentDeclined: "Your card was declined"
    case .cartEmpty(let cart): "Cart \(cart) is empty"
    }
  }

  var retryable: Bool { self == .inventoryTimeout }
}

/// A cart, by its tenant and its id (an email or a guest id).
struct ComOSCartKey: Hashable, Sendable {
  var tenant: String
  var cartId: String
}

struct ComOSSaga: Sendable {
  var id: String
  /// The cart it checks out, in its tenant.
  var cart: ComOSCartKey
  var userId: String
  var email: String?
  var paymentMethodId: String?
  var status = ComOSSagaStatus.pending
  var completedSteps: [ComOSStep] = []
  var currentStep: ComOSStep? = .validateCart
  var error: ComOSFault?
  /// Set once compensation begins: why, and the steps undone so far.
  var compensation: (reason: String, steps: [ComOSStep])?
  /// The shipping method chosen (`checkout_select_shipping`), or the default for a saga
  /// with physical products; nil for a digital one.
  var shipping: ComOSShipping?
  var orderId: String?
  /// The cart's lines when the order was created.
  var orderLines: [ComOSCartLine] = []
  /// How many `orders_track` calls asked for the order: each moves its delivery on.
  var trackingPolls = 0
  var paymentIntentId: String?
  var paymentUrl: String?
  /// The payment session created in this attempt, if any.
  var paymentSessionId: String?
  /// Whether the customer has paid that session's page.
  var paymentPaid = false
  var createdAt: Int64
  var updatedAt: Int64
  var attempt = 1
  /// How many `checkout_status` calls asked for this saga, over all attempts.
  var polls = 0
  /// Creation order, for listing newest first when two sagas share a second.
  var sequence: Int

  /// The fault the script puts on `step` in this attempt, if any.
  func scriptedFault(at step: ComOSStep) -> ComOSFault? {
    switch step {
    case .reserveInventory where attempt == 1 && cart.cartId.contains(ComOSSagas.flakyMarker):
      .inventoryTimeout
    case .processPayment
    where cart.cartId.contains(ComOSSagas.declinedMarker)
      || paymentMethodId == ComOSSagas.declinedPaymentMethod:
      .paymentDeclined
    default:
      nil
    }
  }
}

/// A shipping method a saga may use.
struct ComOSShipping: Sendable, Equatable {
  var carrierId: String
  var serviceId: String
  var name: String
  var price: String
  var days: Int

  static let options = [
    ComOSShipping(
      carrierId: "ups", serviceId: "ground", name: "UPS Ground", price: "7.50", days: 5),
    ComOSShipping(
      carrierId: "ups", serviceId: "express", name: "UPS Express", price: "19.00", days: 2),
    ComOSShipping(
      carrierId: "fedex", serviceId: "ground", name: "FedEx Ground", price: "8.25", days: 4),
    ComOSShipping(
      carrierId: "fedex", serviceId: "express", name: "FedEx Express", price: "22.00", days: 1),
  ]
}

struct ComOSCartLine: Sendable {
  var productId: String
  var quantity: Int
}

/// What the tools that name a saga answer.
enum ComOSSagaOutcome: Sendable {
  case found(ComOSSaga)
  case notFound
  /// The saga is in a status the operation is not allowed from.
  case refused(ComOSSagaStatus)
}

struct ComOSPaymentSession: Sendable {
  var sagaId: String
  var sessionId: String
  var url: String
  var expiresAt: Int64
}

/// A hosted payment page, as the page sees it.
enum ComOSPaymentPageState: Sendable, Equatable {
  case unpaid(sagaId: String)
  case paid
  case unknown
}

enum ComOSPaymentSessionOutcome: Sendable {
  case created(ComOSPaymentSession)
  case notFound
  case refused(ComOSSagaStatus)
}
