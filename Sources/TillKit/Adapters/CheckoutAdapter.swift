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

extension CartItem {
  /// The items of `--item` values, or a usage error naming the first that is not one.
  public static func items(fromArguments arguments: [String]) throws(TillError) -> [CartItem] {
    var items: [CartItem] = []
    for argument in arguments {
      guard let item = CartItem(argument: argument) else {
        throw TillError(
          .usage,
          "invalid value '\(argument)' for '--item': expected ID or ID:QTY with QTY at least 1")
      }
      items.append(item)
    }
    return items
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
        "the server's cart \(safe(cart)) holds quantities "
          + "that add up past \(Int.max)")
    }
    total = sum
  }
  return total
}

/// What `checkout start` asks for: what every API shares, and in `details` the API's own
/// request (its adapter's type), made from the API's own options.
public struct CheckoutRequest: Sendable {
  /// The idempotency key, for an API that dedupes submits by one: the same order is never
  /// charged twice.
  public var correlationId: String
  /// False when nothing in the submit lets the server tell a retry from a new order: it is
  /// then sent once.
  public var retriesSubmit = true
  public var owner: Owner?
  public var details: (any Sendable)?

  public init(correlationId: String, owner: Owner? = nil, details: (any Sendable)? = nil) {
    self.correlationId = correlationId
    self.owner = owner
    self.details = details
  }
}

/// Who an order belongs to: a signed-in user or a guest. A guest token is a secret.
public enum Owner: Sendable, Equatable {
  case user(String)
  case guest(String)
}

/// What `cart add` asks for: the owner, and in `details` the API's own addition.
public struct CartAddition: Sendable {
  public var owner: Owner?
  public var details: (any Sendable)?

  public init(owner: Owner? = nil, details: (any Sendable)? = nil) {
    self.owner = owner
    self.details = details
  }
}

/// A product for a cart kept on the server: which cart, which product, how many.
public struct ProductLine: Sendable {
  public var cart: String?
  public var product: String?
  public var quantity = 1

  public init(cart: String?, product: String?, quantity: Int = 1) {
    self.cart = cart
    self.product = product
    self.quantity = quantity
  }

  /// The cart and product of `cart add` (`addition`'s details) for `api`, or a usage error
  /// naming the option that is missing; `cart` says what the API's cart id is.
  static func required(_ addition: CartAddition, api: String, cart: String = "")
    throws(TillError) -> (line: ProductLine, cart: String, product: String)
  {
    let line = try details(addition.details, ProductLine.self, api: api, for: "cart add")
    guard let id = line.cart, !id.isEmpty else {
      throw TillError(.usage, "cart add needs --cart ID for --api \(api)" + cart)
    }
    guard let product = line.product, !product.isEmpty else {
      throw TillError(.usage, "cart add needs --product ID for --api \(api)")
    }
    return (line, id, product)
  }
}

/// The API's own part of a request, or an error naming what was missing: each API's commands
/// build it from that API's options.
func details<Details>(
  _ value: (any Sendable)?, _ type: Details.Type, api: String, for command: String
)
  throws(TillError) -> Details
{
  guard let details = value as? Details else {
    throw TillError(.usage, "'\(command)' got no request for --api \(api)")
  }
  return details
}

/// A server-side cart or draft order after an addition.
public struct CartSummary: Sendable {
  public var id: String
  public var state: String
  public var itemCount: Int
  /// Decimal text with its currency, e.g. `50.13 USD`.
  public var total: String?
  /// Notes for the human on what happened on the way (a reservation made, retries).
  public var notes: [String] = []
  public var raw: JSONValue
}

/// A payment's outcome.
public struct PaymentResult: Sendable {
  public var id: String?
  public var status: String
  public var raw: JSONValue
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
  /// A hosted payment page for the checkout: a saga's equivalent of 3-D Secure.
  func createPaymentSession(id: String) throws(TillError) -> CheckoutStatus
  func retry(id: String) throws(TillError) -> CheckoutStatus
  func list(user: String, status: String?) throws(TillError) -> [CheckoutStatus]
  /// A bearer token for later commands, from an email and password.
  func login(email: String, password: String) throws(TillError) -> String
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

  public func login(email: String, password: String) throws(TillError) -> String {
    throw TillError(.usage, "'login' is not needed for --api \(api)")
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

/// Where an API lives and who is asking. Settings of one API's own (another service's URL)
/// go to that API's adapter as its own parameters.
public struct APIEndpoint: Sendable {
  public var baseURL: String
  public var tenant: String?
  public var apiKey: String?
  public var token: String?

  public init(baseURL: String, tenant: String? = nil, apiKey: String? = nil, token: String? = nil) {
    self.baseURL = baseURL
    self.tenant = tenant
    self.apiKey = apiKey
    self.token = token
  }
}
