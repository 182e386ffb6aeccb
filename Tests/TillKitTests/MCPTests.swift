import Testing

@testable import TillKit

@Suite struct ServerSentEventTests {
  @Test func multiLineDataJoinsWithNewlines() {
    let events = parseServerSentEvents(Array("data: {\"a\":\ndata: 1}\n\n".utf8))
    #expect(events == [ServerSentEvent(data: "{\"a\":\n1}")])
  }

  @Test func commentsAndKeepAlivesAreSkipped() {
    let text = ": keep-alive\n\n: another\nevent: message\nid: 7\ndata: x\n\n"
    #expect(parseServerSentEvents(Array(text.utf8)) == [ServerSentEvent(data: "x", id: "7")])
  }

  @Test func crlfAndCrLineEnds() {
    let crlf = "event: message\r\ndata: one\r\n\r\ndata: two\r\r"
    #expect(parseServerSentEvents(Array(crlf.utf8)).map(\.data) == ["one", "two"])
  }

  @Test func otherEventsComeThroughWithTheirNames() {
    let text = "event: ping\ndata: {}\n\ndata:no-space\n\n"
    let events = parseServerSentEvents(Array(text.utf8))
    #expect(events.map(\.event) == ["ping", "message"])
    #expect(events.last?.data == "no-space")
  }

  @Test func anEventOpenAtTheEndIsKept() {
    #expect(parseServerSentEvents(Array("data: last".utf8)).map(\.data) == ["last"])
    #expect(parseServerSentEvents(Array("\u{FEFF}data: bom\n\n".utf8)).map(\.data) == ["bom"])
    #expect(parseServerSentEvents(Array("event: x\n\n".utf8)).isEmpty)
  }

  @Test func theResponseIsFoundAfterOtherMessages() throws {
    let body = """
      : keep-alive\r
      event: message\r
      data: {"jsonrpc":"2.0","method":"notifications/message","params":{"data":"working"}}\r
      \r
      event: message\r
      id: 2\r
      data: {"jsonrpc":"2.0","id":3,\r
      data: "result":{"ok":true}}\r
      \r

      """
    let response = HTTPResponse(
      status: 200, headers: HTTPHeaders([("Content-Type", "text/event-stream")]),
      body: Array(body.utf8))
    let client = MCPClient(transport: UnusedTransport(), endpoint: "http://127.0.0.1:1/mcp")
    let message = try client.rpcResponse(in: response, id: 3, doing: "x")
    #expect(message["result"]?["ok"]?.bool == true)
    #expect(throws: TillError.self) { try client.rpcResponse(in: response, id: 4, doing: "x") }
  }

  /// A server's own request (a `method`) shares the id space of nothing till sent: with the
  /// id of till's call it is not the answer, in a stream or in a JSON batch.
  @Test func aServerRequestWithTheSameIdIsNotTheResponse() throws {
    let ping = #"{"jsonrpc":"2.0","id":3,"method":"ping"}"#
    let answer = #"{"jsonrpc":"2.0","id":3,"result":{"ok":true}}"#
    let client = MCPClient(transport: UnusedTransport(), endpoint: "http://127.0.0.1:1/mcp")
    let stream = HTTPResponse(
      status: 200, headers: HTTPHeaders([("Content-Type", "text/event-stream")]),
      body: Array("data: \(ping)\n\ndata: \(answer)\n\n".utf8))
    #expect(try client.rpcResponse(in: stream, id: 3, doing: "x")["result"]?["ok"]?.bool == true)
    let batch = HTTPResponse(
      status: 200, headers: HTTPHeaders([("Content-Type", "application/json")]),
      body: Array("[\(ping),\(answer)]".utf8))
    #expect(try client.rpcResponse(in: batch, id: 3, doing: "x")["result"] != nil)
    #expect(!MCPClient.isResponse(ServerSentEvent(data: ping), to: 3))
    #expect(MCPClient.isResponse(ServerSentEvent(data: answer), to: 3))
  }

  /// A stream still arriving holds the response only once the event carrying it has ended,
  /// however the bytes are cut into chunks: read as it grows, it says so at the first chunk
  /// that ends that event, and each event is returned once.
  @Test(arguments: [1, 2, 3, 7, 64, 1000])
  func aStreamHoldsTheResponseOnceItsEventEnds(chunk: Int) {
    let stream = Array(
      (": keep-alive\r\n\r\nevent: message\r\n"
        + #"data: {"jsonrpc":"2.0","method":"notifications/progress","params":{}}"# + "\r\n\r\n"
        + #"event: message\#r\#ndata: {"jsonrpc":"2.0","id":3,\#r\#n"#
        + #"data: "result":{}}\#r\#n\#r\#n: still open\#r\#n"#).utf8)
    // The event ends with the CR of its blank line: a CR ends a line by itself.
    let ended = stream.count - "\n: still open\r\n".utf8.count
    let reader = EventStreamReader()
    var events: [ServerSentEvent] = []
    var length = 0
    while length < stream.count {
      let before = length
      length = min(length + chunk, stream.count)
      let new = reader.eventsEnded(in: Array(stream[..<length]))
      events += new
      let found = events.contains { MCPClient.isResponse($0, to: 3) }
      #expect(found == (length >= ended), "after \(length) of \(stream.count) bytes")
      #expect(new.contains { MCPClient.isResponse($0, to: 3) } == (found && before < ended))
    }
    #expect(events == parseServerSentEvents(stream))
    #expect(!events.contains { MCPClient.isResponse($0, to: 2) })
    #expect(MCPClient.isEventStream(HTTPHeaders([("content-type", "Text/Event-Stream; x=1")])))
    #expect(!MCPClient.isEventStream(HTTPHeaders([("Content-Type", "application/json")])))
  }

  /// A body that starts again (a request sent anew) is read from its start.
  @Test func aReaderStartsAgainWithAShorterBody() {
    let reader = EventStreamReader()
    let first = Array("data: 1\n\ndata: 2\n\n".utf8)
    #expect(reader.eventsEnded(in: first).map(\.data) == ["1", "2"])
    #expect(reader.eventsEnded(in: first).isEmpty)
    #expect(reader.eventsEnded(in: Array("data: 3\n\n".utf8)).map(\.data) == ["3"])
  }
}

@Suite struct MCPResultTests {
  let client = MCPClient(transport: UnusedTransport(), endpoint: "http://127.0.0.1:1/mcp")

  @Test func structuredContentWins() throws {
    let result = try client.toolResult(
      ["content": [["type": "text", "text": "{\"a\":2}"]], "structuredContent": ["a": 1]],
      tool: "t")
    #expect(result.value?["a"] == .number("1"))
    #expect(!result.isError)
  }

  @Test func jsonTextIsReadWhenNoStructuredContent() throws {
    let result = try client.toolResult(
      ["content": [["type": "text", "text": "{\"sagaId\":\"s1\"}"]]], tool: "t")
    #expect(result.value?["sagaId"]?.string == "s1")
  }

  @Test func toolErrorsKeepTheirText() throws {
    let result = try client.toolResult(
      ["content": [["type": "text", "text": "Saga s9 not found"]], "isError": true], tool: "t")
    #expect(result.isError)
    #expect(result.value == nil)
    let error = ComOSAdapter.toolError(result.text, doing: "reading saga s9")
    #expect(error.status == .notFound)
    #expect(error.message == "reading saga s9: Saga s9 not found")
  }

  @Test(arguments: [
    ("Saga s1 not found", TillKit.ExitStatus.notFound),
    ("Unknown tenant 'acme'", .authentication),
    ("Invalid or expired auth token", .authentication),
    ("Saga s1 is completed; only failed or compensated sagas can be retried", .conflict),
    ("Saga s1 is in_progress; a payment session needs payment_pending", .conflict),
    ("Cart is empty", .checkoutFailed),
  ])
  func toolErrorStatuses(text: String, status: TillKit.ExitStatus) {
    #expect(ComOSAdapter.toolError(text, doing: "x").status == status)
  }

  @Test(arguments: [
    ("CART_NOT_FOUND", false, TillKit.ExitStatus.notFound),
    ("SKU_NOT_FOUND", false, .notFound),
    ("SAGA_NOT_FOUND", false, .notFound),
    ("INVENTORY_UNAVAILABLE", false, .checkoutFailed),
    ("INVALID_ADDRESS", false, .checkoutFailed),
    ("PAYMENT_DECLINED", false, .checkoutFailed),
    ("CART_EMPTY", false, .checkoutFailed),
    ("UNAUTHORIZED", false, .authentication),
    ("TENANT_NOT_FOUND", false, .authentication),
    ("INVALID_SAGA_STATE", false, .conflict),
    ("PAYMENT_SERVICE_ERROR", true, .serverOrNetwork),
    ("SAGA_TIMEOUT", true, .timedOut),
    ("SOMETHING_NEW", true, .serverOrNetwork),
    ("SOMETHING_NEW", false, .checkoutFailed),
  ])
  func codedToolErrors(code: String, retryable: Bool, status: TillKit.ExitStatus) throws {
    let text =
      #"{"code":"\#(code)","message":"the tenant's cart said no","retryable":\#(retryable)}"#
    let result = try client.toolResult(
      ["content": [["type": "text", "text": .string(text)]], "isError": true], tool: "t")
    let error = ComOSAdapter.toolError(result, doing: "x")
    // The code decides, not the words: this message mentions a tenant and is no auth error.
    #expect(error.status == status, "\(code)")
    #expect(error.message.hasPrefix("x: \(code): the tenant's cart said no"))
    #expect(error.message.contains("retryable:") == retryable)
  }

  @Test(arguments: [
    // The SDK's prefix before the JSON, an `error` member, and a leading `CODE: message`.
    "Error executing tool checkout_start: {\"code\":\"INVALID_ADDRESS\",\"message\":\"no city\"}",
    "{\"error\":{\"code\":\"INVALID_ADDRESS\",\"message\":\"no city\",\"retryable\":false}}",
    "INVALID_ADDRESS: no city",
  ])
  func codedErrorsAreFoundInEveryForm(text: String) throws {
    let result = try client.toolResult(
      ["content": [["type": "text", "text": .string(text)]], "isError": true], tool: "t")
    let coded = try #require(ComOSAdapter.codedError(in: result))
    #expect(coded.code == "INVALID_ADDRESS")
    #expect(coded.message == "no city")
    #expect(ComOSAdapter.toolError(result, doing: "x").message == "x: INVALID_ADDRESS: no city")
  }

  @Test func withoutACodeTheTextDecidesAndATenantAloneIsNoAuthError() throws {
    let result = try client.toolResult(
      ["content": [["type": "text", "text": "Cart c1 of tenant-a is empty"]], "isError": true],
      tool: "t")
    #expect(ComOSAdapter.codedError(in: result) == nil)
    #expect(ComOSAdapter.toolError(result, doing: "x").status == .checkoutFailed)
  }

  @Test(arguments: [
    (-32602, TillKit.ExitStatus.usage), (-32601, .serverOrNetwork), (-32603, .serverOrNetwork),
  ])
  func rpcErrors(code: Int, status: TillKit.ExitStatus) {
    let error = MCPClient.rpcError(
      ["code": .number(String(code)), "message": "bad \u{1b}[31m"], doing: "calling t")
    #expect(error.status == status)
    #expect(error.message == "calling t: JSON-RPC error \(code): bad \\x1b[31m")
  }
}

@Suite struct ComOSSagaTests {
  /// The documented statuses, each onto the common model.
  @Test(arguments: [
    ("pending", CheckoutState.pending), ("in_progress", .processing),
    ("payment_pending", .actionRequired), ("completed", .completed), ("failed", .failed),
    ("compensating", .processing), ("compensated", .compensated), ("paused", .unknown),
  ])
  func statuses(word: String, state: CheckoutState) throws {
    let status = try ComOSAdapter.status(from: ["sagaId": "s", "status": .string(word)], id: "s")
    #expect(status.state == state)
    #expect(status.serverState == word)
  }

  @Test func stepsFollowTheDocumentedOrder() throws {
    let saga: JSONValue = [
      "sagaId": "saga_1", "status": "in_progress",
      "completedSteps": ["validate_cart", "reserve_inventory"], "currentStep": "create_order",
    ]
    let status = try ComOSAdapter.status(from: saga, id: "")
    #expect(status.steps.map(\.name) == ComOSAdapter.stepNames)
    #expect(
      status.steps.map(\.status)
        == [.done, .done, .current, .pending, .pending, .pending, .pending])
  }

  @Test func aRetryableFailureSaysRetryMayHelp() throws {
    let saga: JSONValue = [
      "sagaId": "s", "status": "failed", "completedSteps": ["validate_cart"],
      "currentStep": "reserve_inventory",
      "error": [
        "code": "INVENTORY_SERVICE_ERROR", "message": "timeout", "retryable": true,
        "step": "reserve_inventory",
      ],
    ]
    let status = try ComOSAdapter.status(from: saga, id: "")
    #expect(status.steps[1].status == .failed)
    #expect(status.steps[1].retryable == true)
    #expect(status.message?.contains("'till checkout retry' may help") == true)
  }

  @Test func compensationMarksTheUndoneSteps() throws {
    let saga: JSONValue = [
      "sagaId": "s", "status": "compensated",
      "completedSteps": ["validate_cart", "reserve_inventory", "create_order"],
      "error": [
        "code": "PAYMENT_DECLINED", "message": "declined", "retryable": false,
        "step": "process_payment",
      ],
      "compensation": [
        "reason": "payment declined", "compensatedSteps": ["create_order", "reserve_inventory"],
      ],
      "orderId": "ord_1", "updatedAt": "2026-11-22T10:00:00Z",
    ]
    let status = try ComOSAdapter.status(from: saga, id: "")
    #expect(
      status.steps.prefix(4).map(\.status) == [.done, .compensated, .compensated, .failed])
    #expect(status.steps[1].compensation == "payment declined")
    #expect(status.message?.contains("not retryable") == true)
    #expect(status.references.first?.1 == "ord_1")
    #expect(status.stateSince == ISOTime.parse("2026-11-22T10:00:00Z"))
  }

  @Test func paymentPendingCarriesThePaymentPage() throws {
    let status = try ComOSAdapter.status(
      from: [
        "sagaId": "s", "status": "payment_pending",
        "paymentUrl": "https://checkout.stripe.com/c/pay/cs_test_1",
      ], id: "")
    #expect(status.state == .actionRequired)
    #expect(status.redirect?.url == "https://checkout.stripe.com/c/pay/cs_test_1")
  }

  @Test func missingFieldsAreTolerated() throws {
    let status = try ComOSAdapter.status(from: [:], id: "saga_9")
    #expect(status.id == "saga_9")
    #expect(status.state == .unknown)
    #expect(status.steps.count == 7)
  }
}
