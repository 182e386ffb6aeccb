/// What the sandbox needs to know about one API it serves: the lines help shows for it, how
/// its routes are built, which paths it claims and its stats page.
///
/// Each API's folder has one type that conforms, and `SandboxRoutes.apis` lists them: nothing
/// else in the sandbox names an API.
protocol SandboxAPI: Sendable {
  /// The API's name in help output, as `till --api` takes it.
  static var name: String { get }
  /// One line for help output: where the API is served and what drives it.
  static var summary: String { get }
  /// The offers whose id picks how a checkout behaves, one line each; most APIs have none.
  static var scenarios: [(offer: String, summary: String)] { get }
  /// The request values that steer the API off its happy path, one line each.
  static var faultValues: [(value: String, summary: String)] { get }
  /// Where the API's routes are, as the sandbox's not-found answer lists them.
  static var routeSummary: String { get }
  /// The sandbox pages the API serves besides its stats page, as that answer lists them.
  static var pages: [String] { get }
  /// Where `stats()` is served: GET only, and matched before any API's own routes.
  static var statsPath: String { get }

  /// The API's routes and the state behind them. `counters` is the whole sandbox's traffic.
  init(configuration: SandboxConfiguration, counters: TrafficCounters)

  /// The answer to a request on a path the API claims; nil for any other path.
  func respond(to request: HTTPRequest, context: RequestContext) -> HTTPResponse?

  /// The API's state as JSON, for tests and for a person watching a client.
  func stats() -> HTTPResponse
}

extension SandboxAPI {
  static var scenarios: [(offer: String, summary: String)] { [] }
  static var faultValues: [(value: String, summary: String)] { [] }
  static var pages: [String] { [] }
}
