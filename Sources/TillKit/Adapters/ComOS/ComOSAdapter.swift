/// The cart a saga checks out, the customer's email and a saved payment method (`pm_…`).
public struct ComOSCheckout: Sendable {
  public var cart: String?
  public var email: String?
  public var paymentMethod: String?
  /// The name on the shipping label, and the address (personal data: never kept or printed).
  public var customerName: String?
  public var shippingAddress: JSONValue?

  public init(
    cart: String?, email: String? = nil, paymentMethod: String? = nil,
    customerName: String? = nil, shippingAddress: JSONValue? = nil
  ) {
    self.cart = cart
    self.email = email
    self.paymentMethod = paymentMethod
    self.customerName = customerName
    self.shippingAddress = shippingAddress
  }
}

/// The ComOS Federation Gateway: a checkout saga driven through MCP tools.
public final class ComOSAdapter: CheckoutAdapter {
  public let api = "comos"
  /// The saga's steps in execution order, as the gateway documents them.
  public static let stepNames = [
    "validate_cart", "reserve_inventory", "create_order", "process_payment", "confirm_order",
    "send_confirmation", "clear_cart",
  ]

  private let client: MCPClient
  private let tenant: String?
  private let token: String?
  private let gateway: String
  /// What `tools/list` said, asked once per run before the first tool call: name → schema.
  private var offeredTools: [String: JSONValue]?
  private let clock: PollClock

  /// `openStream` opens the legacy HTTP+SSE transport's event stream, for a gateway URL
  /// such as `…/mcp/sse` that answers a POST of initialize with a 4xx.
  public init(
    transport: HTTPTransport, endpoint: APIEndpoint, clock: PollClock,
    openStream: EventStreamOpener? = nil
  ) throws(TillError) {
    self.client = MCPClient(
      transport: transport, endpoint: endpoint.baseURL, openStream: openStream)
    self.tenant = endpoint.tenant.flatMap { $0.isEmpty ? nil : $0 }
    self.gateway = safe(endpoint.baseURL.prefix(200))
    self.token = endpoint.token
    self.clock = clock
  }

  /// ComOS gives no Retry-After: polling backs off gently while a saga does not move.
  public var isServerPaced: Bool { false }

  public func finish() { client.close() }

  /// `tenant_id`, the given arguments, and `auth_token` when there is one.
  private func arguments(_ members: [(String, JSONValue)], tenant: String?) -> JSONValue {
    var all = members
    if let tenant { all.insert(("tenant_id", .string(tenant)), at: 0) }
    if let token { all.append(("auth_token", .string(token))) }
    return .object(all)
  }

  /// The tenant of this run, which every tool but the tenant list needs.
  func requireTenant() throws(TillError) -> String {
    guard let tenant else {
      throw TillError(.usage, "--api comos needs --tenant ID (the gateway's tenant_id)")
    }
    return tenant
  }

  /// The input schema of a tool the gateway offers; an error naming the tool and the gateway
  /// when it offers no such tool. `tools/list` is asked once per run; a gateway that cannot
  /// list its tools is taken to offer them all.
  func offeredTool(_ tool: String) throws(TillError) -> JSONValue? {
    if offeredTools == nil {
      do {
        offeredTools = try client.listTools()
      } catch let error where error.status == .serverOrNetwork && error.message.contains("-32601") {
        offeredTools = [:]
      }
    }
    guard let tools = offeredTools, !tools.isEmpty else { return nil }
    guard let schema = tools[tool] else {
      throw TillError(
        .checkoutFailed,
        "the gateway at \(gateway) offers no tool '\(tool)' (tools/list names \(tools.count) "
          + "tools); it may be an older or smaller gateway than this command needs")
    }
    return schema
  }

  /// Calls a tool and returns its JSON, or the error a user reads. Only a tool that
  /// `onlyReads` may reach the gateway twice.
  private func call(
    _ tool: String, _ members: [(String, JSONValue)], doing action: String,
    onlyReads: Bool = false, tenanted: Bool = true
  ) throws(TillError) -> JSONValue {
    let tenant = tenanted ? try requireTenant() : nil
    _ = try offeredTool(tool)
    let result = try client.callTool(
      tool, arguments: arguments(members, tenant: tenant), onlyReads: onlyReads)
    if result.isError {
      throw ComOSAdapter.toolError(result, doing: action)
    }
    guard let value = result.value else {
      throw TillError(
        .serverOrNetwork,
        "\(action): the \(tool) tool returned no JSON; got '\(safe(result.text.prefix(120)))'"
      )
    }
    return value
  }

  /// The gateway's own error in a tool's answer: `{code, message, retryable}` with an
  /// UPPER_SNAKE code, found as the answer's JSON, inside an `error` member, in JSON after
  /// a prefix of text (`Error executing tool …: {…}`), or as a leading `CODE: message`.
  public struct CodedError: Sendable, Equatable {
    public var code: String
    public var message: String?
    public var retryable: Bool?
  }

  public static func codedError(in result: MCPToolResult) -> CodedError? {
    var candidates: [JSONValue] = []
    if let value = result.value { candidates.append(value) }
    if let brace = result.text.firstIndex(of: "{"),
      let json = try? JSONValue.parse(String(result.text[brace...]))
    {
      candidates.append(json)
    }
    for candidate in candidates {
      for error in [candidate["error"], candidate].compactMap({ $0 }) where error.isObject {
        if let code = error["code"]?.string, isErrorCode(code) {
          return CodedError(
            code: code, message: error["message"]?.string, retryable: error["retryable"]?.bool)
        }
      }
    }
    let text = result.text.trimmingWhitespace()
    // In plain text only a word with an underscore is taken for a code (not `ERROR:`).
    if let colon = text.firstIndex(of: ":"), text[..<colon].contains("_"),
      isErrorCode(String(text[..<colon]))
    {
      let rest = text[text.index(after: colon)...].trimmingWhitespace()
      return CodedError(
        code: String(text[..<colon]), message: rest.isEmpty ? nil : rest, retryable: nil)
    }
    return nil
  }

  /// `CART_NOT_FOUND`, `UNAUTHORIZED`: upper-case letters, digits and underscores.
  static func isErrorCode(_ text: String) -> Bool {
    guard text.count >= 3, text.count <= 64, let first = text.first,
      first.isASCII, first.isUppercase
    else { return false }
    return text.allSatisfy { ($0.isASCII && ($0.isUppercase || $0.isNumber)) || $0 == "_" }
  }

  /// The exit status a gateway error code means.
  public static func exitStatus(forCode code: String, retryable: Bool?) -> ExitStatus {
    switch code {
    // The tenant is part of the credentials a run is configured with, as for the other APIs.
    case "UNAUTHORIZED", "UNAUTHENTICATED", "FORBIDDEN", "AUTH_REQUIRED", "INVALID_TOKEN",
      "TOKEN_EXPIRED", "TENANT_NOT_FOUND", "UNKNOWN_TENANT", "INVALID_TENANT", "ACCESS_DENIED":
      return .authentication
    case _ where code.hasSuffix("_NOT_FOUND") || code == "NOT_FOUND":
      return .notFound
    case _ where code.hasPrefix("INVALID_") && code.hasSuffix("_STATE"),
      "CONFLICT", "ALREADY_EXISTS", "SAGA_NOT_RETRYABLE":
      return .conflict
    case "SAGA_TIMEOUT", "TIMEOUT":
      return .timedOut
    case _
    where code.hasSuffix("_SERVICE_ERROR") || code == "RATE_LIMITED"
      || code == "SERVICE_UNAVAILABLE" || code == "INTERNAL_ERROR":
      return .serverOrNetwork
    default:
      return retryable == true ? .serverOrNetwork : .checkoutFailed
    }
  }

  /// A tool's error mapped onto an exit status: by its code when it has one, else by what
  /// its text says.
  static func toolError(_ result: MCPToolResult, doing action: String) -> TillError {
    guard let coded = codedError(in: result) else {
      return toolError(result.text, doing: action)
    }
    let status = exitStatus(forCode: coded.code, retryable: coded.retryable)
    var text = "\(action): \(coded.code)"
    if let message = coded.message, !message.isEmpty {
      text += ": " + safe(message.prefix(300))
    }
    if coded.retryable == true {
      text += " (retryable: the gateway says the same command may succeed if run again)"
    }
    if status == .authentication {
      text +=
        coded.code.contains("TENANT")
        ? "; check --tenant ('till tenant list' names the gateway's tenants)"
        : "; run 'till login' (or set TILL_TOKEN) and try again"
    }
    return TillError(status, text)
  }

  /// A tool's error text, without a code, mapped onto an exit status by what it says.
  static func toolError(_ text: String, doing action: String) -> TillError {
    let message = safe(text.isEmpty ? "the tool reported an error" : text)
    let lower = text.lowercased()
    let status: ExitStatus
    if lower.contains("not found") {
      status = .notFound
    } else if lower.contains("unknown tenant") || lower.contains("auth")
      || lower.contains("token") || lower.contains("unauthori") || lower.contains("forbidden")
    {
      status = .authentication
    } else if lower.contains(" is ") && (lower.contains("only") || lower.contains("needs")) {
      status = .conflict
    } else {
      status = .checkoutFailed
    }
    return TillError(status, "\(action): \(message)")
  }

  /// A tool call for the gateway's other tools (carts, catalog, orders): its JSON, or the
  /// error a user reads.
  func toolCall(
    _ tool: String, _ members: [(String, JSONValue)], doing action: String,
    onlyReads: Bool = false, tenanted: Bool = true
  ) throws(TillError) -> JSONValue {
    try call(tool, members, doing: action, onlyReads: onlyReads, tenanted: tenanted)
  }

  public func login(email: String, password: String) throws(TillError) -> String {
    let result = try call(
      "api_call",
      [
        ("method", "POST"), ("path", "/v1/auth/login"),
        ("body", ["email": .string(email), "password": .string(password)]),
      ], doing: "logging in")
    let status = result["status"]?.int ?? 200
    let body = result["body"] ?? result
    guard (200...299).contains(status),
      let token = body["token"]?.string ?? body["accessToken"]?.string
    else {
      let said = body["error"]?.string ?? body["message"]?.string ?? "no token in the answer"
      throw TillError(
        status == 401 || status == 403 ? .authentication : .serverOrNetwork,
        "logging in as \(safe(email)) failed (HTTP \(status)): "
          + safe(said))
    }
    return token
  }

  public func addToCart(_ request: CartAddition) throws(TillError) -> CartSummary {
    let (addition, cart, product) = try ProductLine.required(
      request, api: api, cart: " (an email or guest id)")
    let json = try call(
      "cart_add_item",
      [
        ("cartId", .string(cart)), ("productId", .string(product)),
        ("quantity", .number(String(addition.quantity))),
      ], doing: "adding \(product) to cart \(cart)")
    let items = json["items"]?.array ?? []
    var count = json["itemCount"]?.int ?? 0
    if json["itemCount"]?.int == nil { count = try totalQuantity(items, cart: cart) }
    return CartSummary(
      id: json["cartId"]?.text ?? cart, state: "open", itemCount: count, total: nil, raw: json)
  }

  public func start(_ checkout: CheckoutRequest) throws(TillError) -> CheckoutStatus {
    let request = try details(
      checkout.details, ComOSCheckout.self, api: api, for: "checkout start")
    guard let cart = request.cart, !cart.isEmpty else {
      throw TillError(.usage, "checkout start needs --cart ID for --api comos")
    }
    guard case .user(let user)? = checkout.owner else {
      throw TillError(.usage, "checkout start needs --user ID for --api comos")
    }
    var members: [(String, JSONValue)] = [("userId", .string(user)), ("cartId", .string(cart))]
    if let email = request.email { members.append(("email", .string(email))) }
    if let method = request.paymentMethod { members.append(("paymentMethodId", .string(method))) }
    if let name = request.customerName {
      // Named as the tool's schema names it; `customerName` when it says nothing.
      let properties = try offeredTool("checkout_start")?["properties"]
      let key =
        ["customerName", "customer_name", "name"].first { properties?[$0] != nil }
        ?? "customerName"
      members.append((key, .string(name)))
    }
    if let address = request.shippingAddress { members.append(("shippingAddress", address)) }
    let saga = try call("checkout_start", members, doing: "starting the checkout of cart \(cart)")
    return try ComOSAdapter.status(from: saga, id: "")
  }

  public func status(id: String) throws(TillError) -> CheckoutStatus {
    let saga = try call(
      "checkout_status", [("sagaId", .string(id))], doing: "reading saga \(id)", onlyReads: true)
    return try ComOSAdapter.status(from: saga, id: id)
  }

  public func createPaymentSession(id: String) throws(TillError) -> CheckoutStatus {
    let session = try call(
      "checkout_create_payment_session", [("sagaId", .string(id))],
      doing: "creating a payment session for saga \(id)")
    var status = try self.status(id: id)
    let url = session["url"]?.string ?? session["paymentUrl"]?.string ?? status.redirect?.url
    status.redirect = RedirectInstructions(url: url, hasNextSteps: true)
    status.state = status.state.isTerminal ? status.state : .actionRequired
    if let expires = session["expiresAt"]?.string {
      status.references.append(("paymentSessionExpires", expires))
    }
    return status
  }

  public func retry(id: String) throws(TillError) -> CheckoutStatus {
    let saga = try call("checkout_retry", [("sagaId", .string(id))], doing: "retrying saga \(id)")
    return try ComOSAdapter.status(from: saga, id: id)
  }

  public func list(user: String, status: String?) throws(TillError) -> [CheckoutStatus] {
    var members: [(String, JSONValue)] = [("userId", .string(user))]
    if let status { members.append(("status", .string(status))) }
    let json = try call(
      "checkout_list", members, doing: "listing the sagas of \(user)", onlyReads: true)
    let sagas = json["sagas"]?.array ?? json.array ?? []
    var result: [CheckoutStatus] = []
    for saga in sagas { result.append(try ComOSAdapter.status(from: saga, id: "")) }
    return result
  }

  /// Maps a saga onto the common model. Every documented field is optional here.
  public static func status(from saga: JSONValue, id: String) throws(TillError) -> CheckoutStatus {
    guard saga.isObject else {
      throw TillError(
        .serverOrNetwork, "the saga is not a JSON object: \(saga.serialized().prefix(80))")
    }
    let word = saga["status"]?.string ?? ""
    let state: CheckoutState
    switch word {
    case "pending": state = .pending
    case "in_progress", "compensating": state = .processing
    case "payment_pending": state = .actionRequired
    case "completed": state = .completed
    case "failed": state = .failed
    case "compensated": state = .compensated
    default: state = .unknown
    }
    let error = saga["error"]
    let retryable = error?["retryable"]?.bool
    var message: String?
    if let error, error.isObject {
      let text = [error["code"]?.text, error["message"]?.string].compactMap { $0 }
        .joined(separator: ": ")
      message = text.isEmpty ? nil : text
      if state == .failed || state == .compensated {
        let advice =
          retryable == true
          ? "retryable: 'till checkout retry' may help"
          : "not retryable: a retry would fail the same way"
        message = (message.map { $0 + "; " } ?? "") + advice
      }
    }
    let compensation = saga["compensation"]
    let reason = compensation?["reason"]?.string
    let compensated = Set(
      (compensation?["compensatedSteps"]?.array ?? compensation?["steps"]?.array ?? [])
        .compactMap(\.string))
    let completed = Set((saga["completedSteps"]?.array ?? []).compactMap(\.string))
    let current = saga["currentStep"]?.string
    let failedStep = error?["step"]?.string ?? (state == .failed ? current : nil)
    var names = stepNames
    for name in completed.union(compensated).union([current, failedStep].compactMap { $0 })
    where !names.contains(name) {
      names.append(name)
    }
    var steps: [CheckoutStep] = []
    for name in names {
      var step = CheckoutStep(name: name, status: .pending)
      if compensated.contains(name) {
        step.status = .compensated
        step.compensation = reason
      } else if name == failedStep {
        step.status = .failed
        step.errorCode = error?["code"]?.text
        step.message = error?["message"]?.string
        step.retryable = retryable
      } else if completed.contains(name) {
        step.status = .done
      } else if name == current {
        step.status = .current
      }
      steps.append(step)
    }
    var redirect: RedirectInstructions?
    if let url = saga["paymentUrl"]?.string, state == .actionRequired {
      redirect = RedirectInstructions(url: url, hasNextSteps: true)
    }
    var status = CheckoutStatus(
      id: saga["sagaId"]?.text ?? saga["id"]?.text ?? id, api: "comos", state: state,
      serverState: word.isEmpty ? "(no status)" : word, message: message, redirect: redirect,
      hint: PollHint(canFollowUp: !state.isTerminal), raw: saga)
    status.steps = steps
    // The document names `compensated` the final failure; `failed` that is not retryable is
    // followed by a rollback.
    status.compensationMayFollow = state == .failed && retryable != true
    for key in ["orderId", "paymentIntentId", "cartId", "userId"] {
      if let value = saga[key]?.text { status.references.append((key, value)) }
    }
    if state == .completed, let order = saga["orderId"]?.text, status.message == nil {
      status.message =
        "order \(safe(order)): 'till order track \(safe(order))' shows its delivery"
    }
    status.stateSince = (saga["updatedAt"] ?? saga["createdAt"])?.string.flatMap(ISOTime.parse)
    return status
  }
}
