import FoundationEssentials
import Testing
import TillSandbox

/// The streamable HTTP transport of the sandbox's ComOS endpoint: sessions, headers, status
/// codes and the two response forms.
@Suite struct MCPTransportTests {
  static let initializeBody =
    #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","#
    + #""capabilities":{},"clientInfo":{"name":"till","version":"1.4.0"}}}"#
  static let listBody = #"{"jsonrpc":"2.0","id":7,"method":"tools/list"}"#

  @Test func initializeOpensASessionAndRecordsTheClient() throws {
    let sandbox = try startSandbox()
    defer { sandbox.stop() }
    let session = try MCPTestSession(port: sandbox.port)

    let answer = try session.post(Self.initializeBody, session: false)
    #expect(answer.status == 200)
    #expect(answer.header("Content-Type") == "application/json")
    let sessionId = try #require(answer.header("Mcp-Session-Id"))
    #expect(isLowercaseUUID(sessionId))
    #expect(
      answer.text
        == #"{"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-06-18","#
        + #""capabilities":{"tools":{"listChanged":false}},"#
        + #""serverInfo":{"name":"comos-sandbox","version":"1.0.0"}}}"#)

    let before = try session.stats()
    #expect(before.sessions == 1)
    #expect(before.initializations == 1)
    #expect(before.initializedNotifications == 0)
    #expect(before.clients == [.init(name: "till", version: "1.4.0")])

    // The notification is accepted without a body, and counted.
    session.sessionId = sessionId
    let notified = try session.post(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#)
    #expect(notified.status == 202)
    #expect(notified.body.isEmpty)
    #expect(notified.header("Content-Type") == nil)
    #expect(try session.stats().initializedNotifications == 1)

    // A second initialize opens a second session with a new id.
    let second = try MCPTestSession(port: sandbox.port)
    try second.open(name: "other", version: "2")
    #expect(second.sessionId != sessionId)
    let after = try session.stats()
    #expect(after.sessions == 2)
    #expect(after.initializations == 2)
    #expect(after.clients.map(\.name) == ["till", "other"])
  }

  @Test func requestsWithoutASessionIdAre400() throws {
    let sandbox = try startSandbox()
    defer { sandbox.stop() }
    let session = try MCPTestSession(port: sandbox.port)
    try session.open()

    let answer = try session.post(
      Self.listBody,
      headers: [
        ("Content-Type", "application/json"), MCPTestSession.accept, MCPTestSession.version,
      ])
    #expect(answer.status == 400)
    #expect(answer.header("Content-Type") == "application/json")
    let envelope = try decode(RPCEnvelope<JSONAny>.self, answer)
    #expect(envelope.jsonrpc == "2.0")
    #expect(envelope.id == 7)
    #expect(envelope.error?.code == -32600)
    #expect(envelope.error?.message.contains("Mcp-Session-Id") == true)
  }

  @Test(arguments: [nil, "2025-03-26", "garbage"])
  func aMissingOrWrongProtocolVersionIs400(version: String?) throws {
    let sandbox = try startSandbox()
    defer { sandbox.stop() }
    let session = try MCPTestSession(port: sandbox.port)
    try session.open()
    let sessionId = try #require(session.sessionId)

    var headers = [
      ("Content-Type", "application/json"), MCPTestSession.accept, ("Mcp-Session-Id", sessionId),
    ]
    if let version { headers.append(("MCP-Protocol-Version", version)) }
    let answer = try session.post(Self.listBody, headers: headers)
    #expect(answer.status == 400)
    let error = try #require(try decode(RPCEnvelope<JSONAny>.self, answer).error)
    #expect(error.code == -32600)
    #expect(error.message.contains("2025-06-18"))
  }

  @Test func anUnknownSessionIs404() throws {
    let sandbox = try startSandbox()
    defer { sandbox.stop() }
    let session = try MCPTestSession(port: sandbox.port)
    session.sessionId = "00000000-0000-4000-8000-000000000000"
    let answer = try session.post(Self.listBody)
    #expect(answer.status == 404)
    #expect(try decode(RPCEnvelope<JSONAny>.self, answer).error?.code == -32600)
  }

  @Test func expiredSessionsAre404UntilTheClientInitializesAgain() throws {
    let sandbox = try startSandbox()
    defer { sandbox.stop() }
    let session = try MCPTestSession(port: sandbox.port)
    try session.open()
    let oldId = try #require(session.sessionId)
    #expect(try session.post(Self.listBody).status == 200)

    let expire = try session.client.request("POST", "/sandbox/mcp/expire-sessions")
    #expect(expire.status == 200)
    #expect(expire.text == #"{"expired":1}"#)
    #expect(try session.post(Self.listBody).status == 404)
    // A notification in an expired session is refused the same way.
    #expect(
      try session.post(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#).status == 404)

    try session.open()
    #expect(session.sessionId != oldId)
    #expect(try session.post(Self.listBody).status == 200)
    let stats = try session.stats()
    #expect(stats.expired == 1)
    #expect(stats.sessions == 1)
    #expect(stats.initializations == 2)
    // Only POST expires sessions.
    #expect(try session.client.request("GET", "/sandbox/mcp/expire-sessions").status == 405)
  }

  @Test(arguments: ["/mcp", "/mcp-sse"])
  func deleteEndsTheSession(path: String) throws {
    let sandbox = try startSandbox()
    defer { sandbox.stop() }
    let session = try MCPTestSession(port: sandbox.port, path: path)
    try session.open()
    let sessionId = try #require(session.sessionId)
    let client = session.client

    let unnamed = try client.request("DELETE", path, headers: [MCPTestSession.version])
    #expect(unnamed.status == 400)
    let sessionHeaders = [("Mcp-Session-Id", sessionId), MCPTestSession.version]
    let deleted = try client.request("DELETE", path, headers: sessionHeaders)
    #expect(deleted.status == 204)
    #expect(deleted.body.isEmpty)
    #expect(try session.post(Self.listBody).status == 404)
    #expect(try client.request("DELETE", path, headers: sessionHeaders).status == 404)
    let stats = try session.stats()
    #expect(stats.deletes == 1)
    #expect(stats.sessions == 0)
  }

  @Test func theTransportRefusesWhatItCannotServe() throws {
    let sandbox = try startSandbox()
    defer { sandbox.stop() }
    let session = try MCPTestSession(port: sandbox.port)
    try session.open()
    let sessionId = try #require(session.sessionId)
    let sessionHeaders = [("Mcp-Session-Id", sessionId), MCPTestSession.version]
    let json = ("Content-Type", "application/json")

    for accept in ["application/json", "text/event-stream", "*/*"] {
      let answer = try session.post(
        Self.listBody, headers: [json, ("Accept", accept)] + sessionHeaders)
      #expect(answer.status == 406, "Accept: \(accept)")
      #expect(try decode(RPCEnvelope<JSONAny>.self, answer).error?.code == -32600)
    }
    // Media ranges with parameters and in any order are fine.
    let reordered = try session.post(
      Self.listBody,
      headers: [json, ("Accept", "text/event-stream;q=0.5, application/json")] + sessionHeaders)
    #expect(reordered.status == 200)

    let plain = try session.post(
      Self.listBody,
      headers: [("Content-Type", "text/plain"), MCPTestSession.accept] + sessionHeaders)
    #expect(plain.status == 415)

    let broken = try session.post("{not json")
    #expect(broken.status == 400)
    let parseError = try #require(try decode(RPCEnvelope<JSONAny>.self, broken).error)
    #expect(parseError.code == -32700)

    for invalid in [
      #"[{"jsonrpc":"2.0","id":1,"method":"ping"}]"#,
      #"{"jsonrpc":"1.0","id":1,"method":"ping"}"#,
      #"{"jsonrpc":"2.0","id":1.5,"method":"ping"}"#,
      #"{"jsonrpc":"2.0","id":null,"method":"ping"}"#,
      #"{"jsonrpc":"2.0","id":1,"method":"ping","params":[1]}"#,
      #"{"jsonrpc":"2.0","id":1}"#,
    ] {
      let answer = try session.post(invalid)
      #expect(answer.status == 400, "\(invalid)")
      #expect(try decode(RPCEnvelope<JSONAny>.self, answer).error?.code == -32600, "\(invalid)")
    }

    let get = try session.client.request("GET", "/mcp", headers: [MCPTestSession.accept])
    #expect(get.status == 405)
    #expect(get.header("Allow") == "POST, DELETE")
  }

  @Test func requestsOtherThanToolsAreAnsweredByTheProtocol() throws {
    let sandbox = try startSandbox()
    defer { sandbox.stop() }
    let session = try MCPTestSession(port: sandbox.port)
    try session.open()

    let (pingAnswer, ping) = try session.rpc("ping", params: "{}")
    // The initialize request took id 1.
    #expect(ping == #"{"jsonrpc":"2.0","id":2,"result":{}}"#)
    #expect(pingAnswer.header("Mcp-Session-Id") == session.sessionId)

    let unknown = try session.rpcError("resources/list", params: "{}")
    #expect(unknown.code == -32601)
    #expect(unknown.message.contains("resources/list"))

    // A client's answer to a server request is accepted like a notification.
    let reply = try session.post(#"{"jsonrpc":"2.0","id":"s-1","result":{}}"#)
    #expect(reply.status == 202)

    // A string id is echoed as it came.
    let named = try session.post(#"{"jsonrpc":"2.0","id":"req-9","method":"ping"}"#)
    #expect(named.text == #"{"jsonrpc":"2.0","id":"req-9","result":{}}"#)

    let reinitialize = try session.rpcError(
      "initialize", params: #"{"protocolVersion":"2025-06-18","capabilities":{}}"#)
    #expect(reinitialize.code == -32602)
  }

  @Test func theEventStreamPathFramesEveryAnswer() throws {
    let sandbox = try startSandbox()
    defer { sandbox.stop() }
    let session = try MCPTestSession(port: sandbox.port, path: "/mcp-sse")

    let initialize = try session.post(Self.initializeBody, session: false)
    #expect(initialize.status == 200)
    #expect(initialize.header("Content-Type") == "text/event-stream")
    #expect(initialize.header("Cache-Control") == "no-cache")
    let sessionId = try #require(initialize.header("Mcp-Session-Id"))
    session.sessionId = sessionId

    // The raw stream: a comment, a notification event, the response split over two data
    // lines, every line ended by CRLF.
    let text = initialize.text
    #expect(text.hasPrefix(": keep-alive\r\n\r\n"))
    #expect(text.hasSuffix("\r\n\r\n"))
    let withoutCRLF = text.replacing("\r\n", with: "")
    #expect(!withoutCRLF.contains("\n") && !withoutCRLF.contains("\r"), "a bare line end")
    let lines = text.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
    #expect(lines.filter { $0.hasPrefix("event: ") } == ["event: message", "event: message"])
    #expect(lines.filter { $0.hasPrefix("id: ") }.count == 2)
    let dataLines = lines.filter { $0.hasPrefix("data: ") }
    #expect(dataLines.count == 3)
    #expect(dataLines.dropFirst().first == #"data: {"jsonrpc":"2.0","#)

    let events = parseEventStream(text)
    try #require(events.count == 2)
    #expect(events.allSatisfy { $0.event == "message" })
    let ids = events.compactMap { $0.id.flatMap(Int.init) }
    #expect(ids.count == 2 && ids[0] < ids[1])
    #expect(
      events[0].data
        == #"{"jsonrpc":"2.0","method":"notifications/message","#
        + #""params":{"level":"info","data":"working"}}"#)
    #expect(events[0].dataLines == 1)
    #expect(events[1].dataLines == 2)
    #expect(events[1].data.contains(",\n"))
    let response = try JSONDecoder().decode(
      RPCEnvelope<JSONAny>.self, from: Data(events[1].data.utf8))
    #expect(response.id == 1)
    #expect(response.result != nil)

    // The notification is still answered 202 without a stream.
    let notified = try session.post(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#)
    #expect(notified.status == 202)
    #expect(notified.body.isEmpty)

    // Tool results and JSON-RPC errors come as streams too; transport errors do not.
    let saga = try session.startSaga(cart: "sse-cart")
    #expect(saga.status == "pending")
    let error = try session.rpcError("nope", params: "{}")
    #expect(error.code == -32601)
    let streamedError = try session.post(#"{"jsonrpc":"2.0","id":99,"method":"nope"}"#)
    #expect(streamedError.header("Content-Type") == "text/event-stream")
    #expect(parseEventStream(streamedError.text).count == 2)
    session.sessionId = "00000000-0000-4000-8000-000000000000"
    let lost = try session.post(Self.listBody)
    #expect(lost.status == 404)
    #expect(lost.header("Content-Type") == "application/json")
  }

  @Test func bothPathsShareSessionsAndSagas() throws {
    let sandbox = try startSandbox()
    defer { sandbox.stop() }
    let streamed = try MCPTestSession(port: sandbox.port, path: "/mcp-sse")
    try streamed.open()
    let started = try streamed.startSaga(cart: "shared-cart")

    let plain = try MCPTestSession(port: sandbox.port, path: "/mcp")
    plain.sessionId = streamed.sessionId
    let polled = try plain.status(started.sagaId)
    #expect(polled.status == "in_progress")
    #expect(try streamed.status(started.sagaId).completedSteps.count == 2)
  }

  @Test func statsCountToolCallsAndPolls() throws {
    let sandbox = try startSandbox()
    defer { sandbox.stop() }
    let session = try MCPTestSession(port: sandbox.port)
    try session.open()
    let saga = try session.startSaga(cart: "counted")
    _ = try session.status(saga.sagaId)
    _ = try session.status(saga.sagaId)
    _ = try session.rpcError("tools/call", params: #"{"name":"checkout_status","arguments":{}}"#)
    _ = try session.rpcError("tools/call", params: #"{"name":"no_such_tool","arguments":{}}"#)

    let stats = try session.stats()
    #expect(stats.toolCalls == ["cart_add_item": 1, "checkout_start": 1, "checkout_status": 3])
    #expect(stats.sagas[saga.sagaId]?.polls == 2)
    #expect(stats.sagas[saga.sagaId]?.status == "in_progress")
    #expect(stats.sagas[saga.sagaId]?.attempt == 1)
  }
}
