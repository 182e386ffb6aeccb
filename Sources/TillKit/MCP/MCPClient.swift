/// A tool's answer: what it returned, or the error it reported.
public struct MCPToolResult: Sendable {
  public var isError: Bool
  /// `structuredContent` when the server sent it, else the JSON found in the text content.
  public var value: JSONValue?
  /// The text content, joined.
  public var text: String
}

/// A Model Context Protocol client on the same HTTP layer as everything else: initialize, then
/// call tools, keeping the server's session and ending it when done.
///
/// It speaks both HTTP transports, chosen as the specification's backwards-compatibility
/// section says: the initialize request is POSTed to the URL (Streamable HTTP, 2025-03-26 and
/// later); when that is refused with a 4xx, a GET of the URL must open an event stream whose
/// first `endpoint` event names where to POST (the legacy HTTP+SSE transport of 2024-11-05),
/// and every answer then comes back on that one stream, kept open until `close()`.
public final class MCPClient {
  public static let protocolVersion = "2025-06-18"
  /// The versions till accepts from a server, oldest first.
  public static let acceptedVersions = ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"]

  /// Which transport the server speaks, once known.
  public enum Transport: String, Sendable {
    case streamableHTTP = "streamable HTTP"
    case legacySSE = "HTTP+SSE"
  }

  private let transport: HTTPTransport
  private let endpoint: String
  private let openStream: EventStreamOpener?
  private var sessionID: String?
  private var negotiatedVersion: String?
  private var nextID = 1
  /// The transport in use; nil until the first initialize answered.
  public private(set) var speaks: Transport?
  /// The legacy transport's stream, and the URL its `endpoint` event named.
  private var legacyStream: EventStream?
  private var messageURL: String?

  /// `openStream` opens the legacy transport's event stream; without it only Streamable HTTP
  /// is spoken.
  public init(transport: HTTPTransport, endpoint: String, openStream: EventStreamOpener? = nil) {
    self.transport = transport
    self.endpoint = endpoint
    self.openStream = openStream
  }

  /// Calls a tool, initialising first if needed. When the server has forgotten the session
  /// (404), initialises once more and repeats the call. A tool that `onlyReads` may be sent
  /// twice when a connection drops; any other reaches the server at most once.
  public func callTool(_ name: String, arguments: JSONValue, onlyReads: Bool = false)
    throws(TillError) -> MCPToolResult
  {
    let params: JSONValue = ["name": .string(name), "arguments": arguments]
    let response = try requestRenewing(
      "tools/call", params: params, doing: "calling \(name)", changesNothing: onlyReads)
    return try toolResult(response, tool: name)
  }

  /// The tools the server offers (`tools/list`, following its pages): name → input schema.
  public func listTools() throws(TillError) -> [String: JSONValue] {
    var tools: [String: JSONValue] = [:]
    var cursor: String?
    for _ in 0..<50 {
      var params: [(String, JSONValue)] = []
      if let cursor { params.append(("cursor", .string(cursor))) }
      let result = try requestRenewing(
        "tools/list", params: .object(params), doing: "listing the MCP server's tools",
        changesNothing: true)
      for tool in result["tools"]?.array ?? [] {
        if let name = tool["name"]?.string { tools[name] = tool["inputSchema"] ?? .null }
      }
      guard let next = result["nextCursor"]?.string, !next.isEmpty else { break }
      cursor = next
    }
    return tools
  }

  /// One request after initialize; once more after a fresh initialize when the session is gone.
  private func requestRenewing(
    _ method: String, params: JSONValue, doing action: String, changesNothing: Bool
  ) throws(TillError) -> JSONValue {
    if negotiatedVersion == nil { try initialize() }
    do {
      return try request(method, params: params, doing: action, changesNothing: changesNothing)
    } catch is SessionExpired {
      endSession()
      try initialize()
      return try requestOrFail(
        method, params: params, doing: action, changesNothing: changesNothing)
    } catch let error as TillError {
      throw error
    } catch {
      throw TillError(.serverOrNetwork, "\(error)")
    }
  }

  /// Ends the session on the server: the legacy transport's stream is closed; a Streamable
  /// HTTP session, if there is one, is deleted (DELETE). Failures do not matter here.
  public func close() {
    if let stream = legacyStream {
      stream.close()
      legacyStream = nil
      messageURL = nil
      return
    }
    guard let sessionID else { return }
    var headers = HTTPHeaders()
    headers.append("Mcp-Session-Id", sessionID)
    if let version = negotiatedVersion { headers.append("MCP-Protocol-Version", version) }
    _ = try? transport.send(HTTPRequest(method: .delete, url: endpoint, headers: headers))
    self.sessionID = nil
  }

  /// Forgets the session the server forgot, and closes its stream.
  private func endSession() {
    legacyStream?.close()
    legacyStream = nil
    messageURL = nil
    sessionID = nil
    negotiatedVersion = nil
  }

  private func initialize() throws(TillError) {
    let params: JSONValue = [
      "protocolVersion": .string(MCPClient.protocolVersion),
      "capabilities": [:],
      "clientInfo": ["name": "till", "version": .string(Till.version)],
    ]
    let action = "connecting to the MCP server"
    var result: JSONValue
    if speaks == .legacySSE {
      try openLegacyStream(refused: nil)
      result = try requestOrFail("initialize", params: params, doing: action, changesNothing: true)
    } else {
      do {
        // A second initialize makes at most an idle session; the handshake may be repeated.
        result = try request("initialize", params: params, doing: action, changesNothing: true)
        speaks = speaks ?? .streamableHTTP
      } catch let refused as RefusedInitialize {
        try openLegacyStream(refused: refused.error)
        speaks = .legacySSE
        result = try requestOrFail(
          "initialize", params: params, doing: action, changesNothing: true)
      } catch let error as TillError {
        throw error
      } catch {
        throw TillError(.serverOrNetwork, "\(action): the MCP server answered 404")
      }
    }
    let version = result["protocolVersion"]?.string ?? MCPClient.protocolVersion
    guard MCPClient.acceptedVersions.contains(version) else {
      throw TillError(
        .serverOrNetwork,
        "the MCP server speaks protocol version \(safe(version)); "
          + "till speaks \(MCPClient.acceptedVersions.first!) to \(MCPClient.acceptedVersions.last!)"
      )
    }
    negotiatedVersion = version
    let notification = rpcBody(method: "notifications/initialized", params: nil, id: nil)
    var initialized = post(notification)
    initialized.changesNothing = true
    let response = try exchange(transport, initialized)
    guard (200...299).contains(response.status) else {
      throw errorForStatus(response, doing: "finishing the MCP handshake")
    }
  }

  /// The legacy transport: GET the URL, expect an event stream whose first event is
  /// `endpoint`. `refused` is the error of the POST that led here, reported when the GET
  /// shows no legacy server either.
  private func openLegacyStream(refused: TillError?) throws(TillError) {
    guard let openStream else {
      throw refused ?? TillError(.serverOrNetwork, "the MCP event stream cannot be opened here")
    }
    var headers = HTTPHeaders()
    headers.append("Accept", "text/event-stream")
    let stream: EventStream
    do {
      stream = try openStream(HTTPRequest(method: .get, url: endpoint, headers: headers))
    } catch .interrupted {
      throw TillError(.interrupted, "interrupted")
    } catch {
      throw refused
        ?? TillError(.serverOrNetwork, "opening the MCP event stream: \(error.description)")
    }
    let notLegacy = { (why: String) -> TillError in
      if let refused {
        return TillError(
          refused.status,
          refused.message + "; a GET of the URL found no HTTP+SSE server either (\(why))")
      }
      return TillError(.serverOrNetwork, "opening the MCP event stream: \(why)")
    }
    guard (200...299).contains(stream.status), MCPClient.isEventStream(stream.headers) else {
      stream.close()
      throw notLegacy(
        "HTTP \(stream.status), "
          + safe(stream.headers["Content-Type"] ?? "no Content-Type"))
    }
    let first: ServerSentEvent?
    do {
      first = try stream.nextEvents().first
    } catch {
      stream.close()
      throw notLegacy(error.description)
    }
    guard let first, first.event == "endpoint" else {
      stream.close()
      throw notLegacy("its first event is not 'endpoint'")
    }
    let reference = first.data.trimmingWhitespace()
    guard let base = Endpoint(url: endpoint), let url = base.resolveSameOrigin(reference) else {
      stream.close()
      throw TillError(
        .serverOrNetwork,
        "the MCP server's endpoint event names '\(safe(reference.prefix(120)))', "
          + "not a URL of the server's own origin; till posts nowhere else")
    }
    legacyStream = stream
    messageURL = url
  }

  /// The answer to request `id` on the legacy stream; other messages (notifications, the
  /// server's own requests) are passed over.
  private func awaitOnStream(id: Int, doing action: String, changesNothing: Bool) throws
    -> JSONValue
  {
    guard let stream = legacyStream else {
      throw TillError(.serverOrNetwork, "\(action): the MCP event stream is not open")
    }
    while true {
      let events: [ServerSentEvent]
      do {
        events = try stream.nextEvents()
      } catch .interrupted {
        throw TillError(.interrupted, "interrupted")
      } catch {
        let lost = "\(action): waiting for the answer on the MCP event stream: \(error)"
        guard case .connectionLost = error else { throw TillError(.serverOrNetwork, lost) }
        // The stream ended with the session (the server restarted or forgot it): a read is
        // asked again on a new session; anything else may have been done, so it is not.
        guard changesNothing else { throw TillError(.serverOrNetwork, lost + notSentAgain) }
        throw SessionExpired(error: TillError(.serverOrNetwork, lost))
      }
      for event in events where event.event == "message" {
        if let message = try? JSONValue.parse(event.data), MCPClient.isResponse(message, to: id) {
          return message
        }
      }
    }
  }

  /// The initialize POST was refused with a 4xx: the URL may be a legacy HTTP+SSE server.
  private struct RefusedInitialize: Error {
    let error: TillError
  }

  /// The server forgot the session: a 404 for it, or for a request that changes nothing, its
  /// event stream ended before the answer (`error`, said if the request fails again).
  private struct SessionExpired: Error {
    var error: TillError?
  }

  private func requestOrFail(
    _ method: String, params: JSONValue, doing action: String, changesNothing: Bool
  ) throws(TillError) -> JSONValue {
    do {
      return try request(method, params: params, doing: action, changesNothing: changesNothing)
    } catch let error as TillError {
      throw error
    } catch let refused as RefusedInitialize {
      throw refused.error
    } catch {
      throw (error as? SessionExpired)?.error
        ?? TillError(
          .serverOrNetwork,
          "\(action): the MCP server answered 404 (unknown session or endpoint)")
    }
  }

  /// One JSON-RPC request; returns its `result`. Throws SessionExpired on a 404 for a session,
  /// RefusedInitialize on a 4xx to the first initialize when the legacy transport may be tried.
  private func request(
    _ method: String, params: JSONValue, doing action: String, changesNothing: Bool
  ) throws -> JSONValue {
    let id = nextID
    nextID += 1
    var outgoing = post(rpcBody(method: method, params: params, id: id), answering: id)
    outgoing.changesNothing = changesNothing
    let response = try exchange(transport, outgoing)
    let hasSession = sessionID != nil || legacyStream != nil
    if response.status == 404, hasSession, method != "initialize" {
      throw SessionExpired(error: nil)
    }
    guard (200...299).contains(response.status) else {
      let error = errorForStatus(response, doing: action)
      if method == "initialize", speaks == nil, openStream != nil,
        (400...499).contains(response.status)
      {
        throw RefusedInitialize(error: error)
      }
      throw error
    }
    if method == "initialize", let session = response.headers["Mcp-Session-Id"] {
      sessionID = session
    }
    let message: JSONValue
    if legacyStream != nil, response.body.isEmpty || response.status == 202 {
      message = try awaitOnStream(id: id, doing: action, changesNothing: changesNothing)
    } else {
      message = try rpcResponse(in: response, id: id, doing: action)
    }
    if let error = message["error"] {
      throw MCPClient.rpcError(error, doing: action)
    }
    guard let result = message["result"] else {
      throw TillError(
        .serverOrNetwork, "\(action): the JSON-RPC answer has neither result nor error")
    }
    return result
  }

  /// A POST of one message; for a request (`answering` its id), an event stream ends as soon
  /// as it holds the response, even if the server keeps the stream open for more.
  private func post(_ body: JSONValue, answering id: Int? = nil) -> HTTPRequest {
    var headers = HTTPHeaders()
    headers.append("Content-Type", "application/json")
    if let messageURL {
      // The legacy transport: the answer comes on the stream; the POST says only 202.
      return HTTPRequest(
        method: .post, url: messageURL, headers: headers, body: Array(body.serialized().utf8))
    }
    headers.append("Accept", "application/json, text/event-stream")
    if let version = negotiatedVersion { headers.append("MCP-Protocol-Version", version) }
    if let sessionID { headers.append("Mcp-Session-Id", sessionID) }
    var request = HTTPRequest(
      method: .post, url: endpoint, headers: headers, body: Array(body.serialized().utf8))
    if let id {
      let stream = EventStreamReader()
      request.isAnswerComplete = { @Sendable (headers: HTTPHeaders, body: [UInt8]) -> Bool in
        MCPClient.isEventStream(headers)
          && stream.eventsEnded(in: body).contains { MCPClient.isResponse($0, to: id) }
      }
    }
    return request
  }

  /// An event stream, which a server may keep open after its last event; any other body ends
  /// when the server ends it.
  static func isEventStream(_ headers: HTTPHeaders) -> Bool {
    headers["Content-Type"]?.lowercased().hasPrefix("text/event-stream") == true
  }

  /// Whether the event carries the JSON-RPC response with this id.
  static func isResponse(_ event: ServerSentEvent, to id: Int) -> Bool {
    guard event.event == "message", let message = try? JSONValue.parse(event.data) else {
      return false
    }
    return isResponse(message, to: id)
  }

  /// Whether the message is the response to till's request `id`. Requests and responses have
  /// ids of their own: a server's own request on the stream (`ping`, `sampling/createMessage`)
  /// may carry the same id, and has a `method`; a response has none, and has a `result` or an
  /// `error`. A server's requests are not answered: till offers no capabilities.
  static func isResponse(_ message: JSONValue, to id: Int) -> Bool {
    guard message["method"] == nil, message["result"] != nil || message["error"] != nil else {
      return false
    }
    return message["id"] == .number(String(id)) || message["id"] == .string(String(id))
  }

  private func rpcBody(method: String, params: JSONValue?, id: Int?) -> JSONValue {
    var members: [(String, JSONValue)] = [("jsonrpc", "2.0")]
    if let id { members.append(("id", .number(String(id)))) }
    members.append(("method", .string(method)))
    if let params { members.append(("params", params)) }
    return .object(members)
  }

  /// The JSON-RPC response with this id, from a JSON body (one message or a batch) or an event
  /// stream (possibly after notifications and other messages).
  func rpcResponse(in response: HTTPResponse, id: Int, doing action: String) throws(TillError)
    -> JSONValue
  {
    let type = response.headers["Content-Type"]?.lowercased() ?? ""
    var messages: [JSONValue] = []
    if type.hasPrefix("text/event-stream") {
      for event in parseServerSentEvents(response.body) where event.event == "message" {
        if let message = try? JSONValue.parse(event.data) { messages.append(message) }
      }
    } else {
      let json = try parseJSONBody(response, doing: action)
      messages = json.array ?? [json]
    }
    for message in messages where MCPClient.isResponse(message, to: id) { return message }
    throw TillError(
      .serverOrNetwork,
      "\(action): no JSON-RPC response with id \(id) in the answer (HTTP \(response.status), "
        + "\(messages.count) message(s)); got \(quoteBody(response.body))")
  }

  static func rpcError(_ error: JSONValue, doing action: String) -> TillError {
    let code = error["code"]?.int ?? 0
    let message = safe(error["message"]?.string ?? "no message")
    let status: ExitStatus
    switch code {
    case -32602: status = .usage
    case -32001, -32003: status = .authentication
    default: status = .serverOrNetwork
    }
    return TillError(status, "\(action): JSON-RPC error \(code): \(message)")
  }

  /// Reads `result` of `tools/call`: the structured content when present, else the JSON in the
  /// text content; tolerates either being absent.
  func toolResult(_ result: JSONValue, tool: String) throws(TillError) -> MCPToolResult {
    let texts = (result["content"]?.array ?? []).compactMap { item -> String? in
      guard item["type"]?.string == nil || item["type"]?.string == "text" else { return nil }
      return item["text"]?.string
    }
    let text = texts.joined(separator: "\n")
    var value = result["structuredContent"]
    if value == nil {
      for candidate in texts {
        if let json = try? JSONValue.parse(candidate), json.isObject || json.array != nil {
          value = json
          break
        }
      }
    }
    return MCPToolResult(isError: result["isError"]?.bool ?? false, value: value, text: text)
  }
}
