/// The ComOS gateway's tools as the sandbox's MCP endpoint serves them: their JSON Schemas,
/// the checking of call arguments against those schemas, and the calls themselves.
struct ComOSTools: Sendable {
  /// One tool parameter and the JSON it accepts.
  struct Parameter: Sendable {
    enum Kind: Sendable {
      case string
      case oneOf([String])
      case integer(ClosedRange<Int>)
      case number
      case strings
      case object
    }

    var name: String
    var kind: Kind
    var required: Bool
    var description: String
  }

  struct Tool: Sendable {
    var name: String
    var description: String
    var parameters: [Parameter]

    var inputSchema: JSONText {
      .object([
        "type": .string("object"),
        "properties": .object(parameters.map { JSONText.Member(key: $0.name, value: $0.schema) }),
        "required": .array(parameters.filter(\.required).map { .string($0.name) }),
        "additionalProperties": .boolean(false),
      ])
    }
  }

  /// Arguments that passed their tool's schema.
  struct Arguments: Sendable {
    var members: [String: JSONText]

    func string(_ name: String) -> String? {
      if case .string(let text) = members[name] { return text }
      return nil
    }

    func decimal(_ name: String) -> Double? {
      switch members[name] {
      case .number(let text)?: Double(text)
      case .integer(let value)?: Double(value)
      default: nil
      }
    }

    func integer(_ name: String) -> Int? {
      if case .number(let text) = members[name] { return Int(text) }
      return nil
    }

    func value(_ name: String) -> JSONText? { members[name] }
  }

  /// What a tool call answers: a result (a success or a tool error, both JSON-RPC results) or
  /// a JSON-RPC error for a call that names no tool or breaks its schema.
  enum Answer: Sendable, Equatable {
    case success(JSONText)
    /// The gateway's tool error: `{code, message, retryable}` as the text content.
    case toolError(code: String, message: String, retryable: Bool)
    case invalidParams(String)
  }

  static let tenantParameter = Parameter(
    name: "tenant_id", kind: .string, required: true,
    description: "Target tenant ID (required). Use federation_list_tenants() to see available "
      + "tenants.")
  static let authParameter = Parameter(
    name: "auth_token", kind: .string, required: false,
    description: "JWT auth token for authenticated operations (cart, orders). Get from api_call "
      + "POST /v1/auth/login.")
  static let cartParameter = Parameter(
    name: "cartId", kind: .string, required: true,
    description: "The customer's email or a guest id such as guest-abc123")
  static let productParameter = Parameter(
    name: "productId", kind: .string, required: true,
    description: "Product ID (MongoDB ObjectId from catalog_search)")
  static let orderParameter = Parameter(
    name: "orderId", kind: .string, required: true, description: "Order ID")
  static let sagaParameter = Parameter(
    name: "sagaId", kind: .string, required: true, description: "Checkout saga ID")

  static let all: [Tool] = [
    Tool(
      name: "federation_list_tenants",
      description: "List the merchants (tenants) on the gateway.", parameters: [authParameter]),
    Tool(
      name: "federation_tenant_info", description: "Details of one tenant.",
      parameters: [tenantParameter, authParameter]),
    Tool(
      name: "catalog_search",
      description: "Search a tenant's catalog. Product ids are MongoDB ObjectIds.",
      parameters: [
        tenantParameter,
        Parameter(name: "query", kind: .string, required: false, description: "Search words"),
        Parameter(name: "category", kind: .string, required: false, description: "Category"),
        Parameter(name: "minPrice", kind: .number, required: false, description: "Lowest price"),
        Parameter(
          name: "maxPrice", kind: .number, required: false, description: "Highest price"),
        Parameter(
          name: "limit", kind: .integer(1...100), required: false,
          description: "At most this many"),
        authParameter,
      ]),
    Tool(
      name: "catalog_get_products", description: "Products of a tenant's catalog by id.",
      parameters: [
        tenantParameter,
        Parameter(
          name: "productIds", kind: .strings, required: true,
          description: "Product ids (MongoDB ObjectIds from catalog_search)"),
        authParameter,
      ]),
    Tool(
      name: "api_call",
      description: "Call one of the tenant's REST endpoints through the gateway. Only POST "
        + "/v1/auth/login is wrapped: it answers {token, expiresIn} for a valid email and "
        + "password.",
      parameters: [
        tenantParameter,
        Parameter(
          name: "method", kind: .string, required: true, description: "HTTP method, e.g. POST"),
        Parameter(
          name: "path", kind: .string, required: true, description: "Path, e.g. /v1/auth/login"),
        Parameter(name: "body", kind: .object, required: false, description: "JSON body"),
        authParameter,
      ]),
    Tool(
      name: "cart_add_item",
      description: "Add a product to a cart, creating the cart when it is new.",
      parameters: [
        tenantParameter,
        Parameter(
          name: "cartId", kind: .string, required: true,
          description: "The customer's email or a guest id such as guest-abc123"),
        Parameter(
          name: "productId", kind: .string, required: true, description: "Catalog product ID"),
        Parameter(
          name: "quantity", kind: .integer(1...1000), required: false,
          description: "How many to add (default 1)"),
        authParameter,
      ]),
    Tool(
      name: "cart_view",
      description: "View a cart: its items, quantities and item count.",
      parameters: [tenantParameter, cartParameter, authParameter]),
    Tool(
      name: "cart_update_quantity",
      description: "Set the quantity of a product already in the cart.",
      parameters: [
        tenantParameter, cartParameter, productParameter,
        Parameter(
          name: "quantity", kind: .integer(1...99), required: true,
          description: "New quantity (1-99)"),
        authParameter,
      ]),
    Tool(
      name: "cart_remove_item",
      description: "Remove a product from the cart.",
      parameters: [tenantParameter, cartParameter, productParameter, authParameter]),
    Tool(
      name: "cart_clear",
      description: "Remove every item from the cart.",
      parameters: [tenantParameter, cartParameter, authParameter]),
    Tool(
      name: "checkout_start",
      description: "Start a checkout saga for a cart. Without paymentMethodId the saga waits "
        + "in payment_pending until the page of checkout_create_payment_session is paid.",
      parameters: [
        tenantParameter,
        Parameter(name: "userId", kind: .string, required: true, description: "Customer ID"),
        Parameter(name: "cartId", kind: .string, required: true, description: "Cart ID"),
        Parameter(
          name: "email", kind: .string, required: false,
          description: "Where the confirmation is sent"),
        Parameter(
          name: "paymentMethodId", kind: .string, required: false,
          description: "A stored payment method such as pm_card_visa"),
        Parameter(
          name: "customerName", kind: .string, required: false,
          description: "The customer's name, for the shipping label"),
        Parameter(
          name: "shippingAddress", kind: .object, required: false,
          description: "Shipping address {line1, line2, city, state, postalCode, country}; "
            + "required when any item is physical"),
        authParameter,
      ]),
    Tool(
      name: "checkout_shipping_options",
      description: "The shipping methods a saga with physical products may use.",
      parameters: [tenantParameter, sagaParameter, authParameter]),
    Tool(
      name: "checkout_select_shipping",
      description: "Choose a saga's shipping method while it is pending or payment_pending; "
        + "optional (a default method applies). Returns the new total.",
      parameters: [
        tenantParameter, sagaParameter,
        Parameter(name: "carrierId", kind: .string, required: true, description: "e.g. fedex, ups"),
        Parameter(
          name: "serviceId", kind: .string, required: true, description: "e.g. ground, express"),
        authParameter,
      ]),
    Tool(
      name: "checkout_status",
      description: "Get the current status of a checkout saga, including completed steps, "
        + "errors, and order details.",
      parameters: [tenantParameter, sagaParameter, authParameter]),
    Tool(
      name: "checkout_create_payment_session",
      description: "Create a single-use hosted payment page for a saga in payment_pending.",
      parameters: [tenantParameter, sagaParameter, authParameter]),
    Tool(
      name: "checkout_retry",
      description: "Rerun a failed or compensated saga from its first step.",
      parameters: [tenantParameter, sagaParameter, authParameter]),
    Tool(
      name: "orders_list",
      description: "List a user's orders, newest first. Needs auth_token.",
      parameters: [
        tenantParameter,
        Parameter(name: "userId", kind: .string, required: true, description: "Customer ID"),
        Parameter(
          name: "status", kind: .string, required: false, description: "Only this status"),
        authParameter,
      ]),
    Tool(
      name: "orders_get", description: "One order. Needs auth_token.",
      parameters: [tenantParameter, orderParameter, authParameter]),
    Tool(
      name: "orders_track", description: "An order's delivery tracking. Needs auth_token.",
      parameters: [tenantParameter, orderParameter, authParameter]),
    Tool(
      name: "orders_recent", description: "The tenant's most recent orders. Needs auth_token.",
      parameters: [
        tenantParameter,
        Parameter(
          name: "limit", kind: .integer(1...100), required: false,
          description: "At most this many"),
        authParameter,
      ]),
    Tool(
      name: "checkout_list",
      description: "List a user's checkout sagas, newest first.",
      parameters: [
        tenantParameter,
        Parameter(name: "userId", kind: .string, required: true, description: "Customer ID"),
        Parameter(
          name: "status", kind: .oneOf(ComOSSagaStatus.allCases.map(\.rawValue)),
          required: false, description: "Only sagas in this status"),
        authParameter,
      ]),
  ]

  static func tool(named name: String) -> Tool? {
    all.first { $0.name == name }
  }

  let sagas: ComOSSagas

  /// Runs a `tools/call` whose `params` are `{name, arguments}`; `baseURL` is where the
  /// sandbox serves its hosted payment pages.
  func call(_ params: JSONText?, baseURL: String) -> Answer {
    guard let params, params.isObject, case .string(let name) = params["name"] else {
      return .invalidParams("tools/call needs params {name, arguments}")
    }
    guard let tool = Self.tool(named: name) else {
      return .invalidParams("Unknown tool: \(name)")
    }
    let arguments: Arguments
    switch Self.check(params["arguments"] ?? .object([]), against: tool) {
    case .success(let checked): arguments = checked
    case .failure(let problem): return .invalidParams(problem.message)
    }
    if tool.name == "federation_list_tenants" {
      return .success(.array(ComOSCatalog.tenants.map(ComOSCatalog.wire)))
    }
    let tenant = arguments.string("tenant_id") ?? ""
    guard ComOSSagas.isKnownTenant(tenant) else {
      return .toolError(
        code: "TENANT_NOT_FOUND", message: "Unknown tenant '\(tenant)'", retryable: false)
    }
    if let token = arguments.string("auth_token"), !sagas.isIssued(token: token) {
      return .toolError(
        code: "UNAUTHORIZED", message: "Invalid or expired auth token", retryable: false)
    }
    return run(tool.name, arguments, tenant: tenant, baseURL: baseURL)
  }

  private func run(_ name: String, _ arguments: Arguments, tenant: String, baseURL: String)
    -> Answer
  {
    let sagaId = arguments.string("sagaId") ?? ""
    if name.hasPrefix("orders_"), arguments.string("auth_token") == nil {
      return .toolError(
        code: "AUTH_REQUIRED", message: "Orders need an auth_token from api_call login",
        retryable: false)
    }
    switch name {
    case "orders_list", "orders_recent":
      var found = sagas.orders(tenant: tenant, userId: arguments.string("userId"))
      if let status = arguments.string("status") {
        found = found.filter { ComOSWire.orderStatus($0) == status }
      }
      return .success(
        .object([
          "orders": .array(found.prefix(arguments.integer("limit") ?? 50).map(ComOSWire.order))
        ]))
    case "orders_get", "orders_track":
      let orderId = arguments.string("orderId") ?? ""
      guard
        let saga = sagas.order(tenant: tenant, orderId: orderId, tracking: name == "orders_track")
      else {
        return .toolError(
          code: "ORDER_NOT_FOUND", message: "Order \(orderId) not found", retryable: false)
      }
      return .success(name == "orders_get" ? ComOSWire.order(saga) : ComOSWire.tracking(saga))
    case "federation_tenant_info":
      let known = ComOSCatalog.tenants.first { $0.id == tenant }
      return .success(
        ComOSCatalog.wire(
          known
            ?? ComOSCatalog.Tenant(id: tenant, name: tenant, description: "A sandbox tenant")))
    case "catalog_search":
      let found = ComOSCatalog.search(
        query: arguments.string("query"), category: arguments.string("category"),
        minPrice: arguments.decimal("minPrice"), maxPrice: arguments.decimal("maxPrice"),
        limit: arguments.integer("limit"))
      return .success(
        .object([
          "products": .array(found.map(ComOSCatalog.wire)),
          "_meta": .object([
            "catalog_version": .string("sandbox-1"),
            "fetched_at": .string(ISO8601UTC.string(fromUnixSeconds: Int64(0))),
          ]),
        ]))
    case "catalog_get_products":
      var ids: [String] = []
      if case .array(let items)? = arguments.value("productIds") {
        for case .string(let id) in items { ids.append(id) }
      }
      let found = ids.compactMap(ComOSCatalog.product)
      guard !found.isEmpty || ids.isEmpty else {
        return .toolError(
          code: "SKU_NOT_FOUND", message: "No product \(ids.joined(separator: ", "))",
          retryable: false)
      }
      return .success(.object(["products": .array(found.map(ComOSCatalog.wire))]))
    case "api_call":
      return apiCall(arguments)
    case "cart_add_item":
      let cartId = arguments.string("cartId") ?? ""
      let lines = sagas.addItem(
        tenant: tenant, cartId: cartId, productId: arguments.string("productId") ?? "",
        quantity: arguments.integer("quantity") ?? 1)
      return .success(ComOSWire.cart(id: cartId, lines: lines))
    case "cart_view":
      let cartId = arguments.string("cartId") ?? ""
      guard let lines = sagas.cart(tenant: tenant, cartId: cartId) else {
        return Self.cartNotFound(cartId)
      }
      return .success(ComOSWire.cart(id: cartId, lines: lines))
    case "cart_update_quantity", "cart_remove_item":
      let cartId = arguments.string("cartId") ?? ""
      let productId = arguments.string("productId") ?? ""
      let quantity = name == "cart_remove_item" ? nil : arguments.integer("quantity")
      switch sagas.setQuantity(
        tenant: tenant, cartId: cartId, productId: productId, quantity: quantity)
      {
      case .changed(let lines): return .success(ComOSWire.cart(id: cartId, lines: lines))
      case .cartNotFound: return Self.cartNotFound(cartId)
      case .itemNotFound:
        return .toolError(
          code: "ITEM_NOT_FOUND", message: "Product \(productId) is not in cart \(cartId)",
          retryable: false)
      }
    case "cart_clear":
      let cartId = arguments.string("cartId") ?? ""
      guard sagas.clearCart(tenant: tenant, cartId: cartId) else {
        return Self.cartNotFound(cartId)
      }
      return .success(ComOSWire.cart(id: cartId, lines: []))
    case "checkout_start":
      let cartId = arguments.string("cartId") ?? ""
      let shipping = sagas.defaultShipping(tenant: tenant, cartId: cartId)
      if shipping != nil {
        guard let address = arguments.value("shippingAddress") else {
          return .toolError(
            code: "INVALID_ADDRESS",
            message: "A shippingAddress is required: cart \(cartId) holds physical products",
            retryable: false)
        }
        for field in ["line1", "city", "postalCode", "country"] {
          guard case .string(let text)? = address[field], !text.isEmpty else {
            return .toolError(
              code: "INVALID_ADDRESS", message: "The shippingAddress lacks \(field)",
              retryable: false)
          }
        }
      }
      let saga = sagas.start(
        tenant: tenant, userId: arguments.string("userId") ?? "", cartId: cartId,
        email: arguments.string("email"), paymentMethodId: arguments.string("paymentMethodId"),
        shipping: shipping)
      return .success(ComOSWire.saga(saga))
    case "checkout_shipping_options":
      guard let saga = sagas.peek(tenant: tenant, sagaId: sagaId) else {
        return Self.sagaNotFound(sagaId)
      }
      let options = saga.shipping == nil ? [] : ComOSShipping.options
      return .success(
        .object([
          "sagaId": .string(sagaId),
          "options": .array(options.map { ComOSWire.shipping($0, chosen: $0 == saga.shipping) }),
        ]))
    case "checkout_select_shipping":
      let carrier = arguments.string("carrierId") ?? ""
      let service = arguments.string("serviceId") ?? ""
      guard
        let option = ComOSShipping.options.first(where: {
          $0.carrierId == carrier && $0.serviceId == service
        })
      else {
        return .toolError(
          code: "SHIPPING_METHOD_NOT_FOUND",
          message: "No shipping method \(carrier)/\(service); checkout_shipping_options lists them",
          retryable: false)
      }
      switch sagas.selectShipping(tenant: tenant, sagaId: sagaId, option: option) {
      case .chosen(let saga):
        return .success(
          .object([
            "sagaId": .string(sagaId), "carrierId": .string(carrier),
            "serviceId": .string(service), "shippingCost": .number(option.price),
            "total": .number(ComOSWire.sagaTotal(saga, sagas: sagas)), "currency": .string("USD"),
          ]))
      case .notFound:
        return Self.sagaNotFound(sagaId)
      case .noShipping:
        return .toolError(
          code: "SHIPPING_NOT_REQUIRED", message: "Saga \(sagaId) holds no physical products",
          retryable: false)
      case .refused(let status):
        return .toolError(
          code: "INVALID_SAGA_STATE",
          message: "Saga \(sagaId) is \(status.rawValue); shipping can be chosen while pending "
            + "or payment_pending", retryable: false)
      }
    case "checkout_status":
      guard let saga = sagas.poll(tenant: tenant, sagaId: sagaId) else {
        return Self.sagaNotFound(sagaId)
      }
      return .success(ComOSWire.saga(saga))
    case "checkout_create_payment_session":
      switch sagas.createPaymentSession(
        tenant: tenant, sagaId: sagaId, pageBase: baseURL + PaymentPages.path)
      {
      case .created(let session):
        return .success(ComOSWire.paymentSession(session))
      case .notFound:
        return Self.sagaNotFound(sagaId)
      case .refused(let status):
        return .toolError(
          code: "INVALID_SAGA_STATE",
          message: "Saga \(sagaId) is \(status.rawValue); a payment session needs payment_pending",
          retryable: false)
      }
    case "checkout_retry":
      switch sagas.retry(tenant: tenant, sagaId: sagaId) {
      case .found(let saga):
        return .success(ComOSWire.saga(saga))
      case .notFound:
        return Self.sagaNotFound(sagaId)
      case .refused(let status):
        return .toolError(
          code: "INVALID_SAGA_STATE",
          message: "Saga \(sagaId) is \(status.rawValue); only failed or compensated sagas can "
            + "be retried", retryable: false)
      }
    default:
      let status = arguments.string("status").flatMap(ComOSSagaStatus.init(rawValue:))
      let found = sagas.list(
        tenant: tenant, userId: arguments.string("userId") ?? "", status: status)
      return .success(.object(["sagas": .array(found.map(ComOSWire.saga))]))
    }
  }

  /// The gateway's REST passthrough, which wraps nothing but the login.
  private func apiCall(_ arguments: Arguments) -> Answer {
    let method = (arguments.string("method") ?? "").uppercased()
    let path = arguments.string("path") ?? ""
    guard method == "POST", path == "/v1/auth/login" else {
      return .success(ComOSWire.restAnswer(status: 404, body: ComOSWire.restError("Not found")))
    }
    let body = arguments.value("body")
    guard case .string(let email)? = body?["email"],
      case .string(let password)? = body?["password"],
      let token = sagas.logIn(email: email, password: password)
    else {
      return .success(
        ComOSWire.restAnswer(status: 401, body: ComOSWire.restError("Invalid credentials")))
    }
    return .success(
      ComOSWire.restAnswer(
        status: 200, body: .object(["token": .string(token), "expiresIn": .integer(3600)])))
  }

  private static func cartNotFound(_ cartId: String) -> Answer {
    .toolError(code: "CART_NOT_FOUND", message: "Cart \(cartId) not found", retryable: false)
  }

  private static func sagaNotFound(_ sagaId: String) -> Answer {
    .toolError(code: "SAGA_NOT_FOUND", message: "Saga \(sagaId) not found", retryable: false)
  }

  struct ArgumentProblem: Error {
    var message: String
  }

  /// Checks arguments against the tool's schema: an object with every required property, no
  /// other property, and each value of its declared type.
  static func check(_ arguments: JSONText, against tool: Tool) -> Result<
    Arguments, ArgumentProblem
  > {
    guard case .object(let members) = arguments else {
      return .failure(ArgumentProblem(message: "arguments for \(tool.name) must be an object"))
    }
    var checked: [String: JSONText] = [:]
    for member in members {
      guard let parameter = tool.parameters.first(where: { $0.name == member.key }) else {
        return .failure(
          ArgumentProblem(message: "Unknown argument '\(member.key)' for tool \(tool.name)"))
      }
      guard checked[member.key] == nil else {
        return .failure(ArgumentProblem(message: "Argument '\(member.key)' is given twice"))
      }
      if let problem = parameter.problem(with: member.value) {
        return .failure(
          ArgumentProblem(message: "Invalid argument '\(member.key)' for \(tool.name): \(problem)"))
      }
      checked[member.key] = member.value
    }
    if let missing = tool.parameters.first(where: { $0.required && checked[$0.name] == nil }) {
      return .failure(
        ArgumentProblem(
          message: "Missing required argument '\(missing.name)' for tool \(tool.name)"))
    }
    return .success(Arguments(members: checked))
  }
}

extension ComOSTools.Parameter {
  var schema: JSONText {
    switch kind {
    case .string:
      .object(["type": .string("string"), "description": .string(description)])
    case .oneOf(let values):
      .object([
        "type": .string("string"), "enum": .array(values.map(JSONText.string)),
        "description": .string(description),
      ])
    case .integer(let range):
      .object([
        "type": .string("integer"), "minimum": .integer(range.lowerBound),
        "maximum": .integer(range.upperBound), "default": .integer(range.lowerBound),
        "description": .string(description),
      ])
    case .number:
      .object(["type": .string("number"), "description": .string(description)])
    case .strings:
      .object([
        "type": .string("array"), "items": .object(["type": .string("string")]),
        "description": .string(description),
      ])
    case .object:
      .object(["type": .string("object"), "description": .string(description)])
    }
  }

  /// Why `value` does not fit this parameter; nil when it does.
  func problem(with value: JSONText) -> String? {
    switch (kind, value) {
    case (.string, .string):
      return nil
    case (.oneOf(let values), .string(let text)):
      return values.contains(text) ? nil : "must be one of \(values.joined(separator: ", "))"
    case (.integer(let range), .number(let text)):
      guard let number = Int(text) else { return "must be a whole number" }
      return range.contains(number)
        ? nil : "must be from \(range.lowerBound) to \(range.upperBound)"
    case (.object, .object):
      return nil
    case (.number, .number(let text)):
      return Double(text).map { $0 >= 0 ? nil : "must not be negative" } ?? "must be a number"
    case (.number, .integer(let value)):
      return value >= 0 ? nil : "must not be negative"
    case (.strings, .array(let items)):
      return items.allSatisfy { if case .string = $0 { true } else { false } }
        ? nil : "must be an array of strings"
    case (.number, _):
      return "must be a number"
    case (.strings, _):
      return "must be an array of strings"
    case (.string, _), (.oneOf, _):
      return "must be a string"
    case (.integer, _):
      return "must be an integer"
    case (.object, _):
      return "must be an object"
    }
  }
}
