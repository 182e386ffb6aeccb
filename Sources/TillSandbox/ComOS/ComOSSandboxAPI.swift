/// The ComOS gateway's MCP endpoint at `/mcp` (JSON answers) and `/mcp-sse` (event-stream
/// answers), and at `/mcp/sse` over the legacy HTTP+SSE transport, whose checkout saga advances one step per `checkout_status` call. Sessions,
/// clients, tool calls and sagas are at `/sandbox/stats/mcp`, hosted payment pages under
/// `/sandbox/pay/`, and `POST /sandbox/mcp/expire-sessions` ends every session as a gateway
/// restart would.
struct ComOSSandboxAPI: SandboxAPI {
  static let name = "comos"
  static let summary =
    "MCP tools at \(MCPRoutes.jsonPath) (JSON), \(MCPRoutes.streamPath) (event streams) and "
    + "\(MCPLegacyRoutes.streamPath) (the legacy HTTP+SSE transport); the "
    + "saga advances one step per checkout_status call; any tenant id that starts with '"
    + ComOSSagas.tenantPrefix + "' (such as " + ComOSSagas.tenantPrefix + "demo) is known"
  static let faultValues: [(value: String, summary: String)] = [
    (
      value: "password \(ComOSSagas.password)",
      summary: "the one password api_call POST /v1/auth/login accepts"
    ),
    (
      value: "no paymentMethodId",
      summary: "the saga waits in payment_pending until its hosted payment page is paid"
    ),
    (
      value: "cartId containing \(ComOSSagas.declinedMarker) or "
        + ComOSSagas.declinedPaymentMethod,
      summary: "PAYMENT_DECLINED, then compensated"
    ),
    (
      value: "cartId containing \(ComOSSagas.flakyMarker)",
      summary: "reserve_inventory fails once (retryable); checkout_retry completes it"
    ),
    (
      value:
        "cartId containing \(ComOSSagas.restartAtStartMarker) (at \(MCPLegacyRoutes.streamPath))",
      summary: "the gateway restarts after starting the saga, before answering checkout_start"
    ),
    (
      value:
        "cartId containing \(ComOSSagas.restartAtStatusMarker) (at \(MCPLegacyRoutes.streamPath))",
      summary: "the gateway restarts once, before answering the saga's first checkout_status"
    ),
  ]
  static let routeSummary =
    "the ComOS MCP endpoint at \(MCPRoutes.jsonPath) and \(MCPRoutes.streamPath), legacy "
    + "HTTP+SSE at \(MCPLegacyRoutes.streamPath)"
  static let pages: [String] = [PaymentPages.path]
  static let statsPath = "/sandbox/stats/mcp"
  static let expireSessionsPath = "/sandbox/mcp/expire-sessions"

  private let mcp: MCPRoutes
  private let legacy: MCPLegacyRoutes
  private let paymentPages: PaymentPages

  init(configuration: SandboxConfiguration, counters: TrafficCounters) {
    let sagas = ComOSSagas()
    mcp = MCPRoutes(sagas: sagas)
    legacy = MCPLegacyRoutes(routes: mcp, streams: MCPLegacyStreams())
    paymentPages = PaymentPages(sagas: sagas)
  }

  func respond(to request: HTTPRequest, context: RequestContext) -> HTTPResponse? {
    if MCPRoutes.claims(request.path) {
      return mcp.respond(to: request, baseURL: context.baseURL)
    }
    if MCPLegacyRoutes.claims(request.path) {
      return legacy.respond(to: request, baseURL: context.baseURL)
    }
    if request.path == Self.expireSessionsPath {
      return .allowing(["POST"], request) { legacy.restart() }
    }
    if let sessionId = request.pathSegment(after: PaymentPages.path) {
      return .allowing(["GET", "POST"], request) {
        paymentPages.respond(to: request, sessionId: sessionId)
      }
    }
    return nil
  }

  func stats() -> HTTPResponse {
    mcp.stats(legacyStreams: legacy.streams.counts)
  }
}
