import Glibc

/// How a sandbox listens and paces its scenarios.
public struct SandboxConfiguration: Sendable {
  /// The loopback port to listen on; 0 lets the kernel pick a free one (read it back from
  /// `Sandbox.port` after `start()`).
  public var port: UInt16
  /// How many status polls answer CHECK_OUT_PROCESSING before a scenario moves on.
  public var pollsBeforeDone: Int
  /// The `Retry-After` (and `followUpInstructions.retryAfterSeconds`) the sandbox tells.
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

/// A local stand-in for the C2A checkout API, for trying `till` without credentials and for
/// tests that need to see how a client really polls.
///
/// It serves the C2A routes under both `/api/v1/c2a/` and `/api/c2a/`, plays the scenario
/// named by each order's `offerIdentifier`, and keeps score at `/sandbox/stats`: how many
/// connections were opened, and for every checkout whether a poll came before the
/// `Retry-After` it was told.
public final class Sandbox: Sendable {
  /// The offers the sandbox understands, with one line each for `--list` and help output.
  public static let scenarios: [(offer: String, summary: String)] = Scenario.allCases.map {
    (offer: $0.offer, summary: $0.summary)
  }

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
      counters: counters)
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
