/// The ComOS gateway's MCP endpoint: JSON-RPC 2.0 over the streamable HTTP transport,
/// protocol version 2025-06-18.
///
/// One server answers at two paths. `/mcp` answers each request with a single JSON body;
/// `/mcp-sse` answers each with an event stream the way a server that reports progress does:
/// a keep-alive comment, a log notification, then the response as one event whose JSON is
/// split over two `data:` lines.
struct MCPRoutes: Sendable {
  static let jsonPath = "/mcp"
  static let streamPath = "/mcp-sse"
  static let protocolVersion = "2025-06-18"
  static let serverName = "comos-sandbox"
  static let serverVersion = "1.0.0"

  private static let json = "application/json"
  private static let eventStream = "text/event-stream"
  private static let sessionHeader = "Mcp-Session-Id"
  private static let versionHeader = "MCP-Protocol-Version"

  // JSON-RPC 2.0 error codes.
  static let parseError = -32700
  static let invalidRequest = -32600
  static let methodNotFound = -32601
  static let invalidParams = -32602

  let tools: ComOSTools
  let sessions: MCPSessions

  init(sagas: ComOSSagas, sessions: MCPSessions = MCPSessions()) {
    self.tools = ComOSTools(sagas: sagas)
    self.sessions = sessions
  }

  static func claims(_ path: String) -> Bool {
    path == jsonPath || path == streamPath
  }

  /// `baseURL` is where the sandbox's own pages are, for the hosted payment page's link.
  func respond(to request: HTTPRequest, baseURL: String) -> HTTPResponse {
    let streams = request.path == Self.streamPath
    switch request.method {
    case "POST":
      return post(request, streams: streams, baseURL: baseURL)
    case "DELETE":
      return delete(request)
    default:
      // RFC 9110 §15.5.6; a server that offers no GET stream answers GET with 405.
      var response = transportError(
        405, Self.invalidRequest,
        "Method Not Allowed: \(request.method) is not served here; use POST or DELETE")
      response.headers.append((name: "Allow", value: "POST, DELETE"))
      return response
    }
  }

  /// `POST /sandbox/mcp/expire-sessions`: ends every live session, as a gateway restart
  /// would, so a client's next request with its old id is answered 404.
  func expireSessions() -> HTTPResponse {
    let count = sessions.expireAll()
    return HTTPResponse(status: 200, json: .object(["expired": .integer(count)]))
  }

  func stats(legacyStreams: (open: Int, opened: Int)) -> HTTPResponse {
    HTTPResponse(
      status: 200,
      json: sessions.statsReport(sagas: tools.sagas.allSagas(), legacyStreams: legacyStreams))
  }

  // MARK: Transport

  /// A JSON-RPC message as the client sent it.
  enum Message {
    case request(id: JSONText, method: String, params: JSONText?)
    case notification(method: String)
    /// A client's answer to a server request; the sandbox never sends any, but the transport
    /// accepts them.
    case response
  }

  private func post(_ request: HTTPRequest, streams: Bool, baseURL: String) -> HTTPResponse {
    let accepted = Set(request.acceptedMediaTypes)
    guard accepted.contains(Self.json) && accepted.contains(Self.eventStream) else {
      return transportError(
        406, Self.invalidRequest,
        "Not Acceptable: Client must accept both application/json and text/event-stream")
    }
    guard request.mediaType == Self.json else {
      return transportError(
        415, Self.invalidRequest, "Unsupported Media Type: Content-Type must be application/json")
    }
    guard let body = JSONText.parse(request.body) else {
      return transportError(400, Self.parseError, "Parse error: the body is not JSON")
    }
    guard let message = Self.message(in: body) else {
      return transportError(
        400, Self.invalidRequest,
        "Invalid Request: expected one JSON-RPC 2.0 request, notification or response object",
        id: Self.requestID(in: body))
    }
    if case .request(let id, "initialize", let params) = message {
      return initialize(id: id, params: params, streams: streams)
    }
    let sessionId: String
    switch liveSession(request, id: Self.requestID(in: body)) {
    case .success(let live): sessionId = live
    case .failure(let refusal): return refusal.response
    }
    switch message {
    case .notification(let method):
      if method == "notifications/initialized" { sessions.noteInitializedNotification() }
      return HTTPResponse(status: 202, headers: [(Self.sessionHeader, sessionId)])
    case .response:
      return HTTPResponse(status: 202, headers: [(Self.sessionHeader, sessionId)])
    case .request(let id, let method, let params):
      return reply(
        answer(method, params, id: id, baseURL: baseURL), streams: streams, sessionId: sessionId)
    }
  }

  private func delete(_ request: HTTPRequest) -> HTTPResponse {
    let sessionId: String
    switch liveSession(request, id: nil) {
    case .success(let live): sessionId = live
    case .failure(let refusal): return refusal.response
    }
    // Gone between the check and here only if another request ended it first.
    guard sessions.end(sessionId) else { return sessionNotFound(id: nil) }
    return HTTPResponse(status: 204)
  }

  private struct Refusal: Error {
    var response: HTTPResponse
  }

  /// The session a request after `initialize` belongs to, checked with the protocol version
  /// it must name.
  private func liveSession(_ request: HTTPRequest, id: JSONText?) -> Result<String, Refusal> {
    guard let sessionId = request.header(Self.sessionHeader).map({ HTTPText.trimmed($0[...]) }),
      !sessionId.isEmpty
    else {
      return .failure(
        Refusal(
          response: transportError(
            400, Self.invalidRequest,
            "Bad Request: Missing session ID; send the Mcp-Session-Id that initialize returned",
            id: id)))
    }
    let version = request.header(Self.versionHeader).map { HTTPText.trimmed($0[...]) }
    guard version == Self.protocolVersion else {
      let named = version.map { "'\($0)'" } ?? "none"
      return .failure(
        Refusal(
          response: transportError(
            400, Self.invalidRequest,
            "Bad Request: Unsupported protocol version \(named); send MCP-Protocol-Version: "
              + Self.protocolVersion,
            id: id)))
    }
    guard sessions.isLive(sessionId) else {
      return .failure(Refusal(response: sessionNotFound(id: id)))
    }
    return .success(sessionId)
  }

  private func sessionNotFound(id: JSONText?) -> HTTPResponse {
    transportError(404, Self.invalidRequest, "Session not found", id: id)
  }

  // MARK: Methods

  private func initialize(id: JSONText, params: JSONText?, streams: Bool) -> HTTPResponse {
    guard let params, params.isObject, case .string? = params["protocolVersion"],
      let clientInfo = params["clientInfo"], case .string(let name)? = clientInfo["name"]
    else {
      let error = Self.error(
        id: id, code: Self.invalidParams,
        message: "initialize needs params {protocolVersion, capabilities, clientInfo {name, "
          + "version}}")
      return reply(error, streams: streams, sessionId: nil)
    }
    let version: String
    if case .string(let text)? = clientInfo["version"] { version = text } else { version = "" }
    let sessionId = sessions.open(for: MCPSessions.Client(name: name, version: version))
    // Whatever version the client asked for, the one version the sandbox speaks is offered;
    // a client that cannot speak it disconnects.
    let result = JSONText.object([
      "protocolVersion": .string(Self.protocolVersion),
      "capabilities": .object(["tools": .object(["listChanged": .boolean(false)])]),
      "serverInfo": .object([
        "name": .string(Self.serverName), "version": .string(Self.serverVersion),
      ]),
    ])
    return reply(Self.result(id: id, result), streams: streams, sessionId: sessionId)
  }

  /// The JSON-RPC response to a request in a live session.
  func answer(_ method: String, _ params: JSONText?, id: JSONText, baseURL: String)
    -> JSONText
  {
    switch method {
    case "ping":
      return Self.result(id: id, .object([]))
    case "tools/list":
      let list = ComOSTools.all.map { tool in
        JSONText.object([
          "name": .string(tool.name),
          "description": .string(tool.description),
          "inputSchema": tool.inputSchema,
        ])
      }
      return Self.result(id: id, .object(["tools": .array(list)]))
    case "tools/call":
      if case .string(let name)? = params?["name"], ComOSTools.tool(named: name) != nil {
        sessions.noteToolCall(name)
      }
      switch tools.call(params, baseURL: baseURL) {
      case .success(let structured):
        return Self.result(
          id: id,
          .object([
            "content": .array([
              .object(["type": .string("text"), "text": .string(structured.serialized)])
            ]),
            "structuredContent": structured,
            "isError": .boolean(false),
          ]))
      case .toolError(let code, let message, let retryable):
        let error = JSONText.object([
          "code": .string(code), "message": .string(message), "retryable": .boolean(retryable),
        ])
        return Self.result(
          id: id,
          .object([
            "content": .array([
              .object(["type": .string("text"), "text": .string(error.serialized)])
            ]),
            "isError": .boolean(true),
          ]))
      case .invalidParams(let message):
        return Self.error(id: id, code: Self.invalidParams, message: message)
      }
    default:
      return Self.error(id: id, code: Self.methodNotFound, message: "Method not found: \(method)")
    }
  }

  // MARK: Messages

  static func message(in body: JSONText) -> Message? {
    guard body.isObject, body["jsonrpc"] == .string("2.0") else { return nil }
    let id = body["id"]
    if case .string(let method)? = body["method"] {
      guard let id else { return .notification(method: method) }
      guard isValidID(id) else { return nil }
      let params = body["params"]
      if let params, !params.isObject, params != .null { return nil }
      return .request(id: id, method: method, params: params)
    }
    guard let id, isValidID(id), body["result"] != nil || body["error"] != nil else { return nil }
    return .response
  }

  /// MCP narrows JSON-RPC ids to strings and integers.
  private static func isValidID(_ id: JSONText) -> Bool {
    switch id {
    case .string: true
    case .number(let text): Int(text) != nil
    default: false
    }
  }

  /// The id to echo in an error about a request that may not be valid.
  private static func requestID(in body: JSONText) -> JSONText? {
    body["id"].flatMap { isValidID($0) ? $0 : nil }
  }

  static func result(id: JSONText, _ result: JSONText) -> JSONText {
    .object(["jsonrpc": .string("2.0"), "id": id, "result": result])
  }

  static func error(id: JSONText?, code: Int, message: String) -> JSONText {
    .object([
      "jsonrpc": .string("2.0"), "id": id ?? .null,
      "error": .object(["code": .integer(code), "message": .string(message)]),
    ])
  }

  // MARK: Responses

  /// A JSON-RPC response as the path answers it: one JSON body, or an event stream.
  private func reply(_ message: JSONText, streams: Bool, sessionId: String?) -> HTTPResponse {
    let sessionHeaders = sessionId.map { [(Self.sessionHeader, $0)] } ?? []
    guard streams else {
      return HTTPResponse(status: 200, json: message, headers: sessionHeaders)
    }
    let progress = JSONText.object([
      "jsonrpc": .string("2.0"), "method": .string("notifications/message"),
      "params": .object(["level": .string("info"), "data": .string("working")]),
    ])
    let (head, tail) = Self.splitAtFirstComma(message.serialized)
    var stream = ": keep-alive\r\n\r\n"
    stream += "event: message\r\nid: \(sessions.nextEventID())\r\n"
    stream += "data: \(progress.serialized)\r\n\r\n"
    stream += "event: message\r\nid: \(sessions.nextEventID())\r\n"
    stream += "data: \(head)\r\n"
    if !tail.isEmpty { stream += "data: \(tail)\r\n" }
    stream += "\r\n"
    return HTTPResponse(
      status: 200, contentType: Self.eventStream, body: Array(stream.utf8),
      headers: [("Cache-Control", "no-cache")] + sessionHeaders)
  }

  /// Splits serialized JSON after its first comma outside a string. The two parts joined by
  /// the newline an SSE reader puts between `data:` lines are the same JSON value, since a
  /// newline is JSON whitespace.
  static func splitAtFirstComma(_ text: String) -> (head: String, tail: String) {
    var inString = false
    var escaped = false
    for index in text.indices {
      let character = text[index]
      if inString {
        if escaped {
          escaped = false
        } else if character == "\\" {
          escaped = true
        } else if character == "\"" {
          inString = false
        }
      } else if character == "\"" {
        inString = true
      } else if character == "," {
        let cut = text.index(after: index)
        return (String(text[..<cut]), String(text[cut...]))
      }
    }
    return (text, "")
  }

  /// An error the transport answers before any method runs, always as a JSON body.
  private func transportError(_ status: Int, _ code: Int, _ message: String, id: JSONText? = nil)
    -> HTTPResponse
  {
    HTTPResponse(status: status, json: Self.error(id: id, code: code, message: message))
  }
}
