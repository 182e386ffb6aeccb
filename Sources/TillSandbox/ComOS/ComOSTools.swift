/// The ComOS gateway's tools as the sandbox's MCP endpoint serves them: their JSON Schemas,
/// the checking of call arguments against those schemas, and the calls themselves.
struct ComOSTools: Sendable {
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
        return Self.invalidState(
          sagaId, status, "shipping can be chosen while pending or payment_pending")
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
        return Self.invalidState(sagaId, status, "a payment session needs payment_pending")
      }
    case "checkout_retry":
      switch sagas.retry(tenant: tenant, sagaId: sagaId) {
      case .found(let saga):
        return .success(ComOSWire.saga(saga))
      case .notFound:
        return Self.sagaNotFound(sagaId)
      case .refused(let status):
        return Self.invalidState(
          sagaId, status, "only failed or compensated sagas can be retried")
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

  /// The saga is in a state the tool cannot act in; `why` says in which it can.
  private static func invalidState(_ sagaId: String, _ status: ComOSSagaStatus, _ why: String)
    -> Answer
  {
    .toolError(
      code: "INVALID_SAGA_STATE", message: "Saga \(sagaId) is \(status.rawValue); \(why)",
      retryable: false)
  }

  struct ArgumentProblem: Error {
    var message: String
  }
}
