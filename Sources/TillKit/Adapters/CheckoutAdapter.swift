/// One item of a cart or an order.
public struct CartItem: Sendable, Equatable {
  public var id: String
  public var quantity: Int

  public init(id: String, quantity: Int = 1) {
    self.id = id
    self.quantity = quantity
  }

  /// `ID` or `ID:QTY`, as given to `--item`.
  public init?(argument: String) {
    guard let colon = argument.lastIndex(of: ":") else {
      guard !argument.isEmpty else { return nil }
      self.init(id: argument)
      return
    }
    let id = String(argument[..<colon])
    guard !id.isEmpty, let quantity = Int(argument[argument.index(after: colon)...]),
      quantity >= 1
    else { return nil }
    self.init(id: id, quantity: quantity)
  }
}

/// The quantities of a server's cart added up (an item without one counts 1), checked: a
/// server whose quantities pass `Int.max` gets an error naming it, never a trap.
func totalQuantity(_ items: [JSONValue], cart: String) throws(TillError) -> Int {
  var total = 0
  for item in items {
    let (sum, overflow) = total.addingReportingOverflow(item["quantity"]?.int ?? 1)
    guard !overflow else {
      throw TillError(
        .serverOrNetwork,
        "the server's cart \(sanitizeForTerminal(cart, singleLine: true)) holds quantities "
          + "that add up past \(Int.max)")
    }
    total = sum
  }
  return total
}

/// What `checkout start` asks for; each API reads the fields it knows.
public struct CheckoutRequest: Sendable {
  public var offer: String?
  public var items: [CartItem] = []
  public var customer: String?
  public var paymentChannel: String?
  public var useStoredMethod = false
  /// The card as a JSON object (read from `--card-file`); never printed.
  public var creditCard: JSONValue?
  /// The idempotency key: the same id is never charged twice.
  public var correlationId: String
  /// False when nothing in the submit lets the server tell a retry from a new order: it is
  /// then sent once.
  public var retriesSubmit = true
  /// A complete body given by the user, sent as it is.
  public var body: [UInt8]?
  /// Ticketing: the draft order to check out.
  public var order: String?
  /// Acme: the cart to check out.
  public var cart: String?
  public var promotionCode: String?
  public var owner: Owner?
  /// ComOS: the customer's email and a saved payment method (`pm_…`).
  public var email: String?
  public var paymentMethod: String?

  public init(correlationId: String) {
    self.correlationId = correlationId
  }
}

/// Who a ticketing order belongs to: a signed-in user or a guest. A guest token is a secret.
public enum Owner: Sendable, Equatable {
  case user(String)
  case guest(String)
}

/// What `cart add` asks for; each API reads the fields it knows.
public struct CartAddition: Sendable {
  /// Ticketing: the seat, its price (decimal text, e.g. `50.00`) and reservation.
  public var seat: String?
  public var price: String?
  public var reservation: String?
  public var owner: Owner?
  /// Reserve the seat first on the inventory service.
  public var reserve = false
  /// Acme: the cart and the product.
  public var cart: String?
  public var product: String?
  public var quantity = 1

  public init() {}
}

/// A server-side cart (Acme) or draft order (ticketing) after an addition.
public struct CartSummary: Sendable {
  public var id: String
  public var state: String
  public var itemCount: Int
  /// Decimal text with its currency, e.g. `50.13 USD`.
  public var total: String?
  /// Notes for the human on what happened on the way (a reservation made, retries).
  public var notes: [String] = []
  public var raw: JSONValue

  public init(id: String, state: String, itemCount: Int, total: String?, raw: JSONValue) {
    self.id = id
    self.state = state
    self.itemCount = itemCount
    self.total = total
    self.raw = raw
  }
}

/// A payment's outcome.
public struct PaymentResult: Sendable {
  public var id: String?
  public var status: String
  public var raw: JSONValue

  public init(id: String?, status: String, raw: JSONValue) {
    self.id = id
    self.status = status
    self.raw = raw
  }
}

/// One checkout API behind the common model. Capabilities an API lacks answer with a usage
/// error naming the API.
public protocol CheckoutAdapter: AnyObject {
  var api: String { get }
  /// False for an API whose checkout finishes within its request: nothing to watch.
  var isAsynchronous: Bool { get }
  /// False for an API that gives no Retry-After: the watch then backs off while nothing moves.
  var isServerPaced: Bool { get }
  func start(_ request: CheckoutRequest) throws(TillError) -> CheckoutStatus
  func status(id: String) throws(TillError) -> CheckoutStatus
  /// The one HTTP request that reads a checkout's status, for callers that send many at once
  /// (the fan-out watch); nil for an API whose status takes more than one plain request.
  func statusRequest(id: String) -> HTTPRequest?
  /// Reads the answer to `statusRequest(id:)`.
  func status(id: String, from response: HTTPResponse) throws(TillError) -> CheckoutStatus
  func addToCart(_ addition: CartAddition) throws(TillError) -> CartSummary
  func cancel(id: String) throws(TillError) -> CheckoutStatus
  func pay(id: String, amount: String, owner: Owner?) throws(TillError) -> PaymentResult
  /// A hosted payment page for the checkout (ComOS): the saga's equivalent of 3-D Secure.
  func createPaymentSession(id: String) throws(TillError) -> CheckoutStatus
  func retry(id: String) throws(TillError) -> CheckoutStatus
  func list(user: String, status: String?) throws(TillError) -> [CheckoutStatus]
  /// Ends what the adapter opened on the server (an MCP session).
  func finish()
}

extension CheckoutAdapter {
  public var isAsynchronous: Bool { true }
  public var isServerPaced: Bool { true }
  public func finish() {}

  public func createPaymentSession(id: String) throws(TillError) -> CheckoutStatus {
    throw unsupported("checkout pay")
  }

  public func retry(id: String) throws(TillError) -> CheckoutStatus {
    throw unsupported("checkout retry")
  }

  public func list(user: String, status: String?) throws(TillError) -> [CheckoutStatus] {
    throw unsupported("listing the server's checkouts")
  }

  public func statusRequest(id: String) -> HTTPRequest? { nil }

  public func status(id: String, from response: HTTPResponse) throws(TillError) -> CheckoutStatus {
    throw unsupported("reading many checkouts at once")
  }

  public func addToCart(_ addition: CartAddition) throws(TillError) -> CartSummary {
    throw unsupported("cart add")
  }

  public func cancel(id: String) throws(TillError) -> CheckoutStatus {
    throw unsupported("checkout cancel")
  }

  public func pay(id: String, amount: String, owner: Owner?) throws(TillError) -> PaymentResult {
    throw unsupported("checkout pay")
  }

  public func unsupported(_ command: String) -> TillError {
    TillError(.usage, "'\(command)' is not available for --api \(api)")
  }
}

/// Where an API lives and who is asking.
public struct APIEndpoint: Sendable {
  public var baseURL: String
  public var tenant: String?
  public var apiKey: String?
  public var token: String?
  /// Ticketing: the inventory and payment services (default: the base URL).
  public var inventoryURL: String?
  public var paymentURL: String?
  /// Acme: where a checkout session is read, with `{id}` for its id.
  public var statusPath: String?

  public init(baseURL: String, tenant: String? = nil, apiKey: String? = nil, token: String? = nil) {
    self.baseURL = baseURL
    self.tenant = tenant
    self.apiKey = apiKey
    self.token = token
  }
}
