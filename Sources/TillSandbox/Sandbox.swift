import Glibc

/// How a sandbox listens and paces its scenarios.
public struct SandboxConfiguration: Sendable {
  /// The loopback port to listen on; 0 lets the kernel pick a free one (read it back from
  /// `Sandbox.port` after `start()`).
  public var port: UInt16
  /// How many status polls answer CHECK_OUT_PROCESSING before a scenario moves on.
  public var pollsBeforeDone: Int
  /// The `Retry-After` (and `followUpInstructions.retryAfterSeconds`) the sandbox tells, on
  /// C2A polls and on Acme session answers that are not final.
  /// 0 means "poll again at once": no wait is asked for and none is checked, except that an
  /// HTTP-date still points at the next whole second, the soonest a date can name.
  public var retryAfterSeconds: Int

  public init(port: UInt16 = 0, pollsBeforeDone: Int = 2, retryAfterSeconds: Int = 1) {
    self.port = port
    self.pollsBeforeDone = pollsBeforeDone
    self.retryAfterSeconds = retryAfterSeconds
  }
}

/// Why the sandbox could not start, worded for a terminal: "port 8080 is in use".
public struct SandboxError: Error, CustomStringConvertible, Sendable {
  public let description: String

  init(_ description: String) {
    self.description = description
  }

  init(errno code: Int32, doing action: String) {
    self.description = "\(action): \(String(cString: strerror(code)))"
  }

  /// Reads `errno` at once, before any other call can overwrite it.
  init(errnoDescription action: String) {
    self.init(errno: errno, doing: action)
  }
}

/// A local stand-in for the checkout APIs `till` drives, for trying it without credentials
/// and for tests that need to see how a client really polls.
///
/// One port serves four APIs:
/// - C2A under both `/api/v1/c2a/` and `/api/c2a/`, playing the scenario named by each
///   order's `offerIdentifier`, and keeping score at `/sandbox/stats`: how many connections
///   were opened, and for every checkout whether a poll came before the `Retry-After` it
///   was told.
/// - The ticketing services (inventory, ordering, payment) at the root, with their ASP.NET
///   Core quirks; state at `/sandbox/stats/ticketing`.
/// - The Acme checkout system under `/acme/`, whose saga advances one step per status poll;
///   state at `/sandbox/stats/acme`.
/// - The ComOS gateway's MCP endpoint at `/mcp` (JSON answers) and `/mcp-sse` (event-stream
///   answers), whose checkout saga advances one step per `checkout_status` call; sessions,
///   clients, tool calls and sagas at `/sandbox/stats/mcp`, and `POST
///   /sandbox/mcp/expire-sessions` ends every session as a gateway restart would.
public final class Sandbox: Sendable {
  /// The offers the sandbox understands, with one line each for `--list` and help output.
  public static let scenarios: [(offer: String, summary: String)] = Scenario.allCases.map {
    (offer: $0.offer, summary: $0.summary)
  }

  /// The APIs the sandbox serves, with one line each for help output.
  public static let apis: [(api: String, summary: String)] = [
    (
      api: "c2a",
      summary: "C2A offer checkout at /api/v1/c2a/ and /api/c2a/; the offer picks a scenario"
    ),
    (
      api: "ticketing",
      summary: "reserve, cart/add, orders/checkout, payments at the root; a new reservation "
        + "misses its first 2 cart/add calls"
    ),
    (
      api: "acme",
      summary: "carts and checkout under /acme/; the saga advances one step per poll of "
        + "/acme/checkout-sessions/{id}"
    ),
    (
      api: "comos",
      summary: "MCP tools at /mcp (JSON) and /mcp-sse (event streams); the saga advances one "
        + "step per checkout_status call; any tenant id that starts with '"
        + ComOSSagas.tenantPrefix + "' (such as " + ComOSSagas.tenantPrefix + "demo) is known"
    ),
  ]

  /// The values that steer the ticketing, Acme and ComOS APIs off their happy path, one line
  /// each.
  public static let triggers: [(api: String, value: String, summary: String)] = [
    (
      api: "ticketing", value: "seatId \(TicketingDesk.faultySeatId)",
      summary: "cart/add answers 500 ProblemDetails, leaving the owner an empty draft order"
    ),
    (
      api: "ticketing", value: "amount with .13 cents",
      summary: "payment declined: 422 with errorCode card_declined"
    ),
    (
      api: "acme", value: "customerId \(SagaScript.declinedCustomerId)",
      summary: "authorization declined; the reservation is released (COMPENSATED)"
    ),
    (
      api: "acme", value: "customerId \(SagaScript.conflictCustomerId)",
      summary: "order creation fails; authorization voided, reservation released"
    ),
    (
      api: "acme", value: "promotionCode SAVE10",
      summary: "10% off the subtotal, rounded down to the cent"
    ),
    (api: "acme", value: "productId ending -free", summary: "a product that costs 0"),
    (
      api: "comos", value: "password \(ComOSSagas.password)",
      summary: "the one password api_call POST /v1/auth/login accepts"
    ),
    (
      api: "comos", value: "no paymentMethodId",
      summary: "the saga waits in payment_pending until its hosted payment page is paid"
    ),
    (
      api: "comos",
      value:
        "cartId containing \(ComOSSagas.declinedMarker) or \(ComOSSagas.declinedPaymentMethod)",
      summary: "PAYMENT_DECLINED, then compensated"
    ),
    (
      api: "comos", value: "cartId containing \(ComOSSagas.flakyMarker)",
      summary: "reserve_inventory fails once (retryable); checkout_retry completes it"
    ),
  ]

  public let configuration: SandboxConfiguration
  private let server: HTTPServer

  public init(configuration: SandboxConfiguration = .init()) {
    self.configuration = configuration
    let counters = TrafficCounters()
    let routes = SandboxRoutes(
      ledger: CheckoutLedger(
        pollsBeforeDone: configuration.pollsBeforeDone,
        retryAfterSeconds: configuration.retryAfterSeconds),
      retryAfterSeconds: max(0, configuration.retryAfterSeconds),
      counters: counters,
      ticketing: TicketingRoutes(desk: TicketingDesk()),
      acme: AcmeRoutes(
        checkouts: AcmeCheckouts(), retryAfterSeconds: max(0, configuration.retryAfterSeconds)),
      mcp: MCPRoutes(sagas: ComOSSagas()))
    self.server = HTTPServer(responder: routes, counters: counters)
  }

  deinit {
    server.stop()
  }

  /// Binds 127.0.0.1 and starts serving on background threads; returns once the port is
  /// bound, so `port` and `baseURL` are valid right after.
  public func start() throws(SandboxError) {
    try server.start(port: configuration.port)
  }

  /// The bound port after `start()`; 0 before.
  public var port: UInt16 { server.port }

  /// `http://127.0.0.1:<port>`, the server root a client is pointed at.
  public var baseURL: String { server.baseURL }

  /// Closes the listener and every open connection. Checkouts and counters survive, so the
  /// stats stay readable and a later `start()` resumes the same sandbox.
  public func stop() {
    server.stop()
  }
}
