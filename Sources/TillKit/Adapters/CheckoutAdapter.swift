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
  /// A complete body given by the user, sent as it is.
  public var body: [UInt8]?

  public init(correlationId: String) {
    self.correlationId = correlationId
  }
}

/// One checkout API behind the common model.
public protocol CheckoutAdapter: AnyObject {
  var api: String { get }
  func start(_ request: CheckoutRequest) throws(TillError) -> CheckoutStatus
  func status(id: String) throws(TillError) -> CheckoutStatus
}

/// Where an API lives and who is asking.
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
