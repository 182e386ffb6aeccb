import Glibc

/// How a sandbox listens and paces its scenarios.
public struct SandboxConfiguration: Sendable {
  /// The loopback port to listen on; 0 lets the kernel pick a free one (read it back from
  /// `Sandbox.port` after `start()`).
  public var port: UInt16
  /// How many status polls answer CHECK_OUT_PROCESSING before a scenario moves on.
  public var pollsBeforeDone: Int
  /// The `Retry-After` the sandbox tells with a status answer that is not final (and in the
  /// answer's body, where its API has a field for it).
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
/// One port serves every API `SandboxRoutes.apis` lists, each from its own folder, and the
/// sandbox's own pages under `/sandbox/`: each API's state at its stats page, and the pages
/// a person would visit in a browser.
public final class Sandbox: Sendable {
  /// The offers the sandbox understands, with one line each for `--list` and help output.
  public static let scenarios: [(offer: String, summary: String)] = SandboxRoutes.apis.flatMap {
    $0.scenarios
  }

  /// The same offers, each with the API whose checkouts it steers.
  public static let offers: [(api: String, offer: String, summary: String)] =
    SandboxRoutes.apis.flatMap { api in
      api.scenarios.map { (api: api.name, offer: $0.offer, summary: $0.summary) }
    }

  /// The APIs the sandbox serves, with one line each for help output.
  public static let apis: [(api: String, summary: String)] = SandboxRoutes.apis.map {
    (api: $0.name, summary: $0.summary)
  }

  /// The values that steer an API off its happy path, one line each.
  public static let triggers: [(api: String, value: String, summary: String)] =
    SandboxRoutes.apis.flatMap { api in
      api.faultValues.map { (api: api.name, value: $0.value, summary: $0.summary) }
    }

  public let configuration: SandboxConfiguration
  private let server: HTTPServer

  public init(configuration: SandboxConfiguration = .init()) {
    self.configuration = configuration
    let counters = TrafficCounters()
    let routes = SandboxRoutes(configuration: configuration, counters: counters)
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
