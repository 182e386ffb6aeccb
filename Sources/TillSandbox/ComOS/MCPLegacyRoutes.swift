import Synchronization

/// The legacy MCP HTTP+SSE transport (protocol 2024-11-05), as the gateway serves it at
/// `/mcp/sse` for clients such as the MCP Python SDK's `sse_client`: a GET of `/mcp/sse`
/// opens an event stream whose first event, `endpoint`, names `/mcp/messages?session_id=…`;
/// each JSON-RPC message POSTed there is answered 202, and its response comes on the stream.
/// A POST to `/mcp/sse` is answered 405, which tells a client of both transports to fall back.
struct MCPLegacyRoutes: Sendable {
  static let streamPath = "/mcp/sse"
  static let messagePath = "/mcp/messages"
  static let protocolVersion = "2024-11-05"

  let routes: MCPRoutes
  let streams: MCPLegacyStreams

  static func claims(_ path: String) -> Bool {
    path == streamPath || path == messagePath
  }

  func respond(to request: HTTPRequest, baseURL: String) -> HTTPResponse {
    if request.path == Self.streamPath {
      guard request.method == "GET" else {
        return HTTPResponse(
          status: 405, contentType: "text/plain", body: Array("Method Not Allowed".utf8),
          headers: [("Allow", "GET")])
      }
      return openStream()
    }
    guard request.method == "POST" else {
      return HTTPResponse(
        status: 405, contentType: "text/plain", body: Array("Method Not Allowed".utf8),
        headers: [("Allow", "POST")])
    }
    guard let session = Self.sessionID(in: request.target), streams.isOpen(session) else {
      return plain(404, "Could not find session")
    }
    guard let body = JSONText.parse(request.body) else {
      return plain(400, "Could not parse message")
    }
    guard let message = MCPRoutes.message(in: body) else {
      return plain(400, "Could not parse message")
    }
    if case .request(let id, let method, let params) = message {
      let answer: JSONText
      if method == "initialize" {
        answer = MCPRoutes.result(
          id: id,
          .object([
            "protocolVersion": .string(Self.protocolVersion),
            "capabilities": .object(["tools": .object(["listChanged": .boolean(false)])]),
            "serverInfo": .object([
              "name": .string(MCPRoutes.serverName), "version": .string(MCPRoutes.serverVersion),
            ]),
          ]))
      } else {
        answer = routes.answer(method, params, id: id, baseURL: baseURL)
        if method == "tools/call", restartsBeforeAnswering(params) {
          // What the call did stands; its answer goes with the streams and the sessions.
          _ = restart()
          return plain(202, "Accepted")
        }
      }
      guard streams.send("event: message\r\ndata: \(answer.serialized)\r\n\r\n", to: session)
      else { return plain(404, "Could not find session") }
    }
    return plain(202, "Accepted")
  }

  /// A gateway restart: every legacy stream and every session of either transport ends, so
  /// a client's next request with its old session is answered 404.
  func restart() -> HTTPResponse {
    _ = streams.closeAll()
    return routes.expireSessions()
  }

  /// The gateway restarts between doing a call and answering it: after `checkout_start` of a
  /// cart named with `ComOSSagas.restartAtStartMarker`, and once, after the first
  /// `checkout_status` of a saga whose cart is named with `restartAtStatusMarker`.
  private func restartsBeforeAnswering(_ params: JSONText?) -> Bool {
    guard let arguments = params?["arguments"] else { return false }
    switch params?["name"] {
    case .string("checkout_start")?:
      guard case .string(let cart)? = arguments["cartId"] else { return false }
      return cart.contains(ComOSSagas.restartAtStartMarker)
    case .string("checkout_status")?:
      guard case .string(let tenant)? = arguments["tenant_id"],
        case .string(let sagaId)? = arguments["sagaId"],
        let saga = routes.tools.sagas.peek(tenant: tenant, sagaId: sagaId),
        saga.cart.cartId.contains(ComOSSagas.restartAtStatusMarker)
      else { return false }
      return streams.firstRestart(of: sagaId)
    default:
      return false
    }
  }

  private func plain(_ status: Int, _ text: String) -> HTTPResponse {
    HTTPResponse(status: status, contentType: "text/plain; charset=utf-8", body: Array(text.utf8))
  }

  /// The stream: the `endpoint` event, then each answer as it is queued, until the client
  /// goes, the session is expired or the sandbox stops.
  private func openStream() -> HTTPResponse {
    let session = streams.open()
    let streams = self.streams
    var response = HTTPResponse(
      status: 200, contentType: "text/event-stream", body: [],
      headers: [("Cache-Control", "no-cache")])
    response.stream = { writer in
      defer { streams.close(session) }
      let endpoint = "event: endpoint\r\ndata: \(Self.messagePath)?session_id=\(session)\r\n\r\n"
      guard writer.send(Array(endpoint.utf8)) else { return }
      while let events = streams.take(session) {
        for event in events {
          guard writer.send(Array(event.utf8)) else { return }
        }
        if writer.clientClosed(waiting: 5) { return }
      }
    }
    return response
  }

  /// `session_id` in a request target's query.
  static func sessionID(in target: String) -> String? {
    guard let query = target.split(separator: "?", maxSplits: 1).dropFirst().first else {
      return nil
    }
    for pair in query.split(separator: "&") {
      let parts = pair.split(separator: "=", maxSplits: 1)
      if parts.count == 2, parts[0] == "session_id" { return String(parts[1]) }
    }
    return nil
  }
}

/// The open streams of the legacy transport and the events queued for each.
final class MCPLegacyStreams: Sendable {
  private let queues = Mutex<[String: [String]]>([:])
  private let opened = Atomic<Int>(0)
  private let restarted = Mutex<Set<String>>([])

  /// True the first time it is asked for `key`.
  func firstRestart(of key: String) -> Bool {
    restarted.withLock { $0.insert(key).inserted }
  }

  /// Opens a stream and returns its session id.
  func open() -> String {
    opened.add(1, ordering: .relaxed)
    return queues.withLock { queues in
      var id = Identifiers.uuid()
      while queues[id] != nil { id = Identifiers.uuid() }
      queues[id] = []
      return id
    }
  }

  func isOpen(_ id: String) -> Bool {
    queues.withLock { $0[id] != nil }
  }

  /// Queues an event for the stream; false when it is closed.
  func send(_ event: String, to id: String) -> Bool {
    queues.withLock { queues in
      guard queues[id] != nil else { return false }
      queues[id]!.append(event)
      return true
    }
  }

  /// The events queued since the last call; nil once the stream is closed.
  func take(_ id: String) -> [String]? {
    queues.withLock { queues in
      guard let events = queues[id] else { return nil }
      queues[id] = []
      return events
    }
  }

  func close(_ id: String) {
    _ = queues.withLock { $0.removeValue(forKey: id) }
  }

  /// Closes every stream, as a gateway restart would; returns how many were open.
  func closeAll() -> Int {
    queues.withLock { queues in
      defer { queues.removeAll() }
      return queues.count
    }
  }

  /// For `/sandbox/stats/mcp`: streams open now, and opened since the sandbox started.
  var counts: (open: Int, opened: Int) {
    (queues.withLock { $0.count }, opened.load(ordering: .relaxed))
  }
}
