import FoundationEssentials
import Testing
import TillSandbox

// The test side's own reading of the MCP transport and the ComOS tool results, written from
// the wire contract rather than from the sandbox's code.

struct RPCErrorShape: Decodable, Equatable {
  var code: Int
  var message: String
}

struct RPCEnvelope<Result: Decodable>: Decodable {
  var jsonrpc: String
  var id: Int?
  var result: Result?
  var error: RPCErrorShape?
}

struct ToolResultShape<Structured: Decodable>: Decodable {
  struct Content: Decodable {
    var type: String
    var text: String
  }

  var content: [Content]
  var structuredContent: Structured?
  var isError: Bool
}

struct SagaShape: Decodable, Equatable {
  struct Fault: Decodable, Equatable {
    var code: String
    var message: String
    var retryable: Bool
    var step: String
  }

  struct Compensation: Decodable, Equatable {
    var reason: String
    var compensatedSteps: [String]
  }

  var sagaId: String
  var status: String
  var cartId: String
  var userId: String
  var completedSteps: [String]
  var currentStep: String?
  var error: Fault?
  var compensation: Compensation?
  var orderId: String?
  var paymentIntentId: String?
  var paymentUrl: String?
  var createdAt: String
  var updatedAt: String
  var attempt: Int
}

struct SagaListShape: Decodable {
  var sagas: [SagaShape]
}

struct PaymentSessionShape: Decodable {
  var sagaId: String
  var sessionId: String
  var url: String
  var expiresAt: String
}

struct ComOSCartShape: Decodable {
  struct Item: Decodable, Equatable {
    var productId: String
    var quantity: Int
  }

  var cartId: String
  var items: [Item]
  var itemCount: Int
}

struct RestAnswerShape: Decodable {
  struct Body: Decodable {
    var token: String?
    var expiresIn: Int?
    var error: String?
  }

  var status: Int
  var body: Body
}

struct ToolListShape: Decodable {
  struct Tool: Decodable {
    struct Schema: Decodable {
      var type: String
      var required: [String]
      var additionalProperties: Bool
      var properties: [String: [String: JSONAny]]
    }

    var name: String
    var description: String
    var inputSchema: Schema
  }

  var tools: [Tool]
}

/// Any JSON value, for schema members the tests do not look into.
struct JSONAny: Decodable {
  init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if container.decodeNil() { return }
    if (try? container.decode(String.self)) != nil { return }
    if (try? container.decode(Double.self)) != nil { return }
    if (try? container.decode(Bool.self)) != nil { return }
    if (try? container.decode([JSONAny].self)) != nil { return }
    _ = try container.decode([String: JSONAny].self)
  }
}

struct MCPStatsShape: Decodable {
  struct Client: Decodable, Equatable {
    var name: String
    var version: String
  }

  struct Saga: Decodable {
    var status: String
    var attempt: Int
    var polls: Int
  }

  var sessions: Int
  var initializations: Int
  var initializedNotifications: Int
  var deletes: Int
  var expired: Int
  var clients: [Client]
  var toolCalls: [String: Int]
  var sagas: [String: Saga]
}

/// One server-sent event: its fields, with the data lines joined by "\n" as the SSE
/// standard says.
struct ServerSentEvent: Equatable {
  var event: String?
  var id: String?
  var data: String
  var dataLines: Int
}

/// Reads an event stream the way the SSE standard does: lines end in CRLF, LF or CR; comment
/// lines start with a colon; a blank line ends an event; events without data are dropped.
func parseEventStream(_ text: String) -> [ServerSentEvent] {
  let normalized = text.replacing("\r\n", with: "\n").replacing("\r", with: "\n")
  var events: [ServerSentEvent] = []
  var current = ServerSentEvent(event: nil, id: nil, data: "", dataLines: 0)
  for line in normalized.split(separator: "\n", omittingEmptySubsequences: false) {
    if line.isEmpty {
      if current.dataLines > 0 { events.append(current) }
      current = ServerSentEvent(event: nil, id: nil, data: "", dataLines: 0)
      continue
    }
    if line.hasPrefix(":") { continue }
    let field = line.prefix { $0 != ":" }
    var value = line.dropFirst(field.count).dropFirst()
    if value.hasPrefix(" ") { value = value.dropFirst() }
    switch field {
    case "event": current.event = String(value)
    case "id": current.id = String(value)
    case "data":
      current.data += (current.dataLines > 0 ? "\n" : "") + value
      current.dataLines += 1
    default: break
    }
  }
  return events
}

/// An MCP session with the sandbox over one loopback connection, speaking the transport by
/// hand so that tests see every header and byte.
final class MCPTestSession {
  static let accept = ("Accept", "application/json, text/event-stream")
  static let version = ("MCP-Protocol-Version", "2025-06-18")

  let client: LoopbackClient
  let path: String
  var sessionId: String?
  private var nextRequestID = 1

  init(port: UInt16, path: String = "/mcp") throws {
    client = try LoopbackClient(port: port)
    self.path = path
  }

  /// Opens a session and sends `notifications/initialized`; returns the initialize answer.
  @discardableResult
  func open(name: String = "till-tests", version: String = "0.9.1") throws -> LoopbackResponse {
    let answer = try post(
      #"{"jsonrpc":"2.0","id":\#(takeID()),"method":"initialize","params":{"#
        + #""protocolVersion":"2025-06-18","capabilities":{},"#
        + #""clientInfo":{"name":"\#(name)","version":"\#(version)"}}}"#,
      session: false)
    try #require(answer.status == 200, "\(answer.text)")
    sessionId = try #require(answer.header("Mcp-Session-Id"))
    let initialized = try post(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#)
    try #require(initialized.status == 202, "\(initialized.text)")
    return answer
  }

  /// POSTs a body with the headers a client sends, the session's own unless `session` is
  /// false; `headers` replace those of the same name.
  func post(_ body: String, session: Bool = true, headers: [(String, String)]? = nil) throws
    -> LoopbackResponse
  {
    var standard = [("Content-Type", "application/json"), Self.accept]
    if session, let sessionId {
      standard += [("Mcp-Session-Id", sessionId), Self.version]
    }
    return try client.request("POST", path, headers: headers ?? standard, body: body)
  }

  func takeID() -> Int {
    defer { nextRequestID += 1 }
    return nextRequestID
  }

  /// The JSON-RPC response a request got, from a JSON body or from the last event of a stream.
  func rpc(_ method: String, params: String) throws -> (LoopbackResponse, String) {
    let answer = try post(
      #"{"jsonrpc":"2.0","id":\#(takeID()),"method":"\#(method)","params":\#(params)}"#)
    try #require(answer.status == 200, "\(answer.status) \(answer.text)")
    return (answer, try responseJSON(of: answer))
  }

  func responseJSON(of answer: LoopbackResponse) throws -> String {
    if answer.header("Content-Type") == "text/event-stream" {
      return try #require(parseEventStream(answer.text).last?.data)
    }
    return answer.text
  }

  /// A `tools/call` that must not be a JSON-RPC error.
  func call<Structured: Decodable>(
    _ tool: String, _ arguments: String, as type: Structured.Type = SagaShape.self
  ) throws -> ToolResultShape<Structured> {
    let (_, json) = try rpc(
      "tools/call", params: #"{"name":"\#(tool)","arguments":\#(arguments)}"#)
    let envelope = try JSONDecoder().decode(
      RPCEnvelope<ToolResultShape<Structured>>.self, from: Data(json.utf8))
    #expect(envelope.error == nil, "\(json)")
    return try #require(envelope.result, "\(json)")
  }

  /// A `tools/call` that must succeed; its structured content, checked against its text.
  func value<Structured: Decodable>(
    _ tool: String, _ arguments: String, as type: Structured.Type = SagaShape.self
  ) throws -> Structured {
    let result = try call(tool, arguments, as: type)
    try #require(!result.isError, "\(result.content.first?.text ?? "")")
    let text = try #require(result.content.first { $0.type == "text" }?.text)
    // The text content is the same JSON as the structured content.
    _ = try JSONDecoder().decode(type, from: Data(text.utf8))
    return try #require(result.structuredContent)
  }

  /// A `tools/call` that must be a tool error; its text.
  /// A tool error's message; its text is the gateway's `{code, message, retryable}`.
  func toolError(_ tool: String, _ arguments: String) throws -> String {
    try codedToolError(tool, arguments).message
  }

  struct CodedToolError: Decodable, Equatable {
    var code: String
    var message: String
    var retryable: Bool
  }

  func codedToolError(_ tool: String, _ arguments: String) throws -> CodedToolError {
    let result = try call(tool, arguments, as: SagaShape.self)
    #expect(result.isError)
    #expect(result.structuredContent == nil)
    let text = try #require(result.content.first?.text)
    let error = try JSONDecoder().decode(CodedToolError.self, from: Data(text.utf8))
    #expect(error.code.allSatisfy { $0.isUppercase || $0 == "_" }, "\(error.code)")
    return error
  }

  /// A request that must be answered with a JSON-RPC error.
  func rpcError(_ method: String, params: String) throws -> RPCErrorShape {
    let (_, json) = try rpc(method, params: params)
    let envelope = try JSONDecoder().decode(RPCEnvelope<JSONAny>.self, from: Data(json.utf8))
    #expect(envelope.result == nil)
    return try #require(envelope.error, "\(json)")
  }

  func status(_ sagaId: String, tenant: String = "tenant-a") throws -> SagaShape {
    try value("checkout_status", #"{"tenant_id":"\#(tenant)","sagaId":"\#(sagaId)"}"#)
  }

  func addItem(cart: String, product: String = "prod-1", tenant: String = "tenant-a") throws {
    _ = try value(
      "cart_add_item", #"{"tenant_id":"\#(tenant)","cartId":"\#(cart)","productId":"\#(product)"}"#,
      as: ComOSCartShape.self)
  }

  /// Fills the cart and starts its saga; `paymentMethod` nil leaves it out.
  func startSaga(
    cart: String, user: String = "user-1", paymentMethod: String? = "pm_card_visa",
    fill: Bool = true
  ) throws -> SagaShape {
    if fill { try addItem(cart: cart) }
    let method = paymentMethod.map { #","paymentMethodId":"\#($0)""# } ?? ""
    return try value(
      "checkout_start",
      #"{"tenant_id":"tenant-a","userId":"\#(user)","cartId":"\#(cart)"\#(method)}"#)
  }

  /// Creates the saga's payment session and pays its page, as the customer would.
  func pay(_ sagaId: String) throws {
    let payment = try value(
      "checkout_create_payment_session", sagaArguments(sagaId), as: PaymentSessionShape.self)
    let prefix = "http://127.0.0.1:\(client.port)"
    try #require(payment.url.hasPrefix(prefix), "\(payment.url)")
    let paid = try client.request("POST", String(payment.url.dropFirst(prefix.count)))
    try #require(paid.status == 200, "\(paid.text)")
  }

  func stats() throws -> MCPStatsShape {
    let answer = try client.request("GET", "/sandbox/stats/mcp")
    try #require(answer.status == 200)
    return try decode(MCPStatsShape.self, answer)
  }
}

/// An opened session on a fresh sandbox; the sandbox must outlive the session.
func openMCPSession(path: String = "/mcp") throws -> (Sandbox, MCPTestSession) {
  let sandbox = try startSandbox()
  let session = try MCPTestSession(port: sandbox.port, path: path)
  try session.open()
  return (sandbox, session)
}

extension MCPTestSession {
  /// Polls until `count` answers have come back and returns them all.
  func statuses(_ sagaId: String, times count: Int) throws -> [SagaShape] {
    try (0..<count).map { _ in try status(sagaId) }
  }
}

func sagaArguments(_ sagaId: String, tenant: String = "tenant-a") -> String {
  #"{"tenant_id":"\#(tenant)","sagaId":"\#(sagaId)"}"#
}

let allSagaSteps = [
  "validate_cart", "reserve_inventory", "create_order", "process_payment", "confirm_order",
  "send_confirmation", "clear_cart",
]
