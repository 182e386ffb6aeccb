/// A tool's answer: what it returned, or the error it reported.
public struct MCPToolResult: Sendable {
  public var isError: Bool
  /// `structuredContent` when the server sent it, else the JSON found in the text content.
  public var value: JSONValue?
  /// The text content, joined.
  public var text: String
}

/// A Model Context Protocol client over the streamable HTTP transport (protocol version
/// 2025-06-18), on the same HTTP layer as everything else: initialize, then call tools,
/// keeping the server's session and ending it when done.
public final class MCPClient {
  public static let protocolVersion = "2025-06-18"
  private static let acceptedVersions: Set<String> = ["2025-06-18", "2025-03-26"]

  private let transport: HTTPTransport
  private let endpoint: String
  private var sessionID: String?
  private var negotiatedVersion: String?
  private var nextID = 1

  public init(transport: HTTPTransport, endpoint: String) {
    self.transport = transport
    self.endpoint = endpoint
  }

  /// Calls a tool, initialising first if needed. When the server has forgotten the session
  /// (404), initialises once more and repeats the call. A tool that `onlyReads` may be sent
  /// twice when a connection drops; any other reaches the server at most once.
  public func callTool(_ name: String, arguments: JSONValue, onlyReads: Bool = false)
    throws(TillError) -> MCPToolResult
  {
    if negotiatedVersion == nil { try initialize() }
    let params: JSONValue = ["name": .string(name), "arguments": arguments]
    let response: JSONValue
    do {
      response = try request(
        "tools/call", params: params, doing: "calling \(name)", changesNothing: onlyReads)
    } catch is SessionExpired {
      sessionID = nil
      negotiatedVersion = nil
      try initialize()
      response = try requestOrFail(
        "tools/call", params: params, doing: "calling \(name)", changesNothing: onlyReads)
    } catch let error as TillError {
      throw error
    } catch {
      throw TillError(.serverOrNetwork, "\(error)")
    }
    return try toolResult(response, tool: name)
  }

  /// Ends the session on the server (DELETE), if there is one. Failures do not matter here.
  public func close() {
    guard let sessionID else { return }
    var headers = HTTPHeaders()
    headers.append("Mcp-Session-Id", sessionID)
    if let version = negotiatedVersion { headers.append("MCP-Protocol-Version", version) }
    _ = try? transport.send(HTTPRequest(method: .delete, url: endpoint, headers: headers))
    self.sessionID = nil
  }

  private func initialize() throws(TillError) {
    let params: JSONValue = [
      "protocolVersion": .string(MCPClient.protocolVersion),
      "capabilities": [:],
      "clientInfo": ["name": "till", "version": .string(Till.version)],
    ]
    // A second initialize makes at most an idle session; the handshake may be repeated.
    let result = try requestOrFail(
      "initialize", params: params, doing: "connecting to the MCP server", changesNothing: true)
    let version = result["protocolVersion"]?.string ?? MCPClient.protocolVersion
    guard MCPClient.acceptedVersions.contains(version) else {
      throw TillError(
        .serverOrNetwork,
        "the MCP server speaks protocol version \(sanitizeForTerminal(version, singleLine: true)); "
          + "till speaks \(MCPClient.protocolVersion)")
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

  private struct SessionExpired: Error {}

  private func requestOrFail(
    _ method: String, params: JSONValue, doing action: String, changesNothing: Bool
  ) throws(TillError) -> JSONValue {
    do {
      return try request(method, params: params, doing: action, changesNothing: changesNothing)
    } catch let error as TillError {
      throw error
    } catch {
      throw TillError(
        .serverOrNetwork, "\(action): the MCP server answered 404 (unknown session or endpoint)")
    }
  }

  /// One JSON-RPC request; returns its `result`. Throws SessionExpired on a 404 for a session.
  private func request(
    _ method: String, params: JSONValue, doing action: String, changesNothing: Bool
  ) throws -> JSONValue {
    let id = nextID
    nextID += 1
    var outgoing = post(rpcBody(method: method, params: params, id: id), answering: id)
    outgoing.changesNothing = changesNothing
    let response = try exchange(transport, outgoing)
    if response.status == 404, sessionID != nil { throw SessionExpired() }
    guard (200...299).contains(response.status) else {
      throw errorForStatus(response, doing: action)
    }
    if method == "initialize", let session = response.headers["Mcp-Session-Id"] {
      sessionID = session
    }
    let message = try rpcResponse(in: response, id: id, doing: action)
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
    let message = sanitizeForTerminal(error["message"]?.string ?? "no message", singleLine: true)
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
