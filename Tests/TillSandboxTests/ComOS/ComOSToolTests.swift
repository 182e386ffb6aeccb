import FoundationEssentials
import Testing
import TillSandbox

/// The ComOS tools around the sagas: tenants, tokens, carts, listing, the tool list and the
/// checking of call arguments.
@Suite struct ComOSToolTests {
  @Test func toolsCheckTheTenantAndTheSagasBelongToIt() throws {
    let (sandbox, session) = try openMCPSession()
    defer { sandbox.stop() }
    let saga = try session.startSaga(cart: "tenanted")
    for (tool, arguments) in [
      ("checkout_status", #"{"tenant_id":"acme","sagaId":"\#(saga.sagaId)"}"#),
      ("cart_add_item", #"{"tenant_id":"acme","cartId":"c","productId":"p"}"#),
      ("checkout_start", #"{"tenant_id":"acme","userId":"u","cartId":"c"}"#),
      ("checkout_list", #"{"tenant_id":"acme","userId":"u"}"#),
      ("api_call", #"{"tenant_id":"acme","method":"GET","path":"/"}"#),
      ("checkout_retry", #"{"tenant_id":"acme","sagaId":"x"}"#),
      ("checkout_create_payment_session", #"{"tenant_id":"acme","sagaId":"x"}"#),
    ] {
      #expect(try session.toolError(tool, arguments) == "Unknown tenant 'acme'", "\(tool)")
    }
    #expect(
      try session.toolError("checkout_status", sagaArguments(saga.sagaId, tenant: "tenant-b"))
        == "Saga \(saga.sagaId) not found")
    #expect(
      try session.toolError("checkout_status", sagaArguments("saga_UNKNOWN"))
        == "Saga saga_UNKNOWN not found")
    #expect(try session.status(saga.sagaId).status == "in_progress")
  }

  @Test func loginGivesATokenTheOtherToolsAccept() throws {
    let (sandbox, session) = try openMCPSession()
    defer { sandbox.stop() }
    func login(_ password: String, method: String = "POST", path: String = "/v1/auth/login")
      throws -> RestAnswerShape
    {
      try session.value(
        "api_call",
        #"{"tenant_id":"tenant-a","method":"\#(method)","path":"\#(path)","#
          + #""body":{"email":"ann@example.com","password":"\#(password)"}}"#,
        as: RestAnswerShape.self)
    }
    let answer = try login("correct-horse")
    #expect(answer.status == 200)
    #expect(answer.body.expiresIn == 3600)
    let token = try #require(answer.body.token)
    #expect(token.hasPrefix("eyJ"))
    #expect(token.split(separator: ".").count == 3)
    #expect(try login("correct-horse", method: "post").status == 200)

    let refused = try login("wrong")
    #expect(refused.status == 401)
    #expect(refused.body.error == "Invalid credentials")
    #expect(refused.body.token == nil)
    let noBody = try session.value(
      "api_call", #"{"tenant_id":"tenant-a","method":"POST","path":"/v1/auth/login"}"#,
      as: RestAnswerShape.self)
    #expect(noBody.status == 401)
    let elsewhere = try login("correct-horse", path: "/v1/orders")
    #expect(elsewhere.status == 404)
    #expect(elsewhere.body.error == "Not found")
    #expect(try login("correct-horse", method: "GET").status == 404)

    let cart = try session.value(
      "cart_add_item",
      #"{"tenant_id":"tenant-a","cartId":"authed","productId":"p","auth_token":"\#(token)"}"#,
      as: ComOSCartShape.self)
    #expect(cart.itemCount == 1)
    let started = try session.value(
      "checkout_start",
      #"{"tenant_id":"tenant-a","userId":"u","cartId":"authed","auth_token":"\#(token)"}"#)
    #expect(started.status == "pending")
    #expect(
      try session.toolError(
        "cart_add_item",
        #"{"tenant_id":"tenant-a","cartId":"c","productId":"p","auth_token":"eyJforged.x.y"}"#)
        == "Invalid or expired auth token")
    #expect(
      try session.toolError(
        "checkout_status",
        #"{"tenant_id":"tenant-a","sagaId":"\#(started.sagaId)","auth_token":"nope"}"#)
        == "Invalid or expired auth token")
  }

  @Test func cartAddItemGrowsTheCart() throws {
    let (sandbox, session) = try openMCPSession()
    defer { sandbox.stop() }
    let first = try session.value(
      "cart_add_item", #"{"tenant_id":"tenant-a","cartId":"ann@example.com","productId":"p1"}"#,
      as: ComOSCartShape.self)
    #expect(first.cartId == "ann@example.com")
    #expect(first.items == [.init(productId: "p1", quantity: 1)])
    #expect(first.itemCount == 1)
    _ = try session.value(
      "cart_add_item",
      #"{"tenant_id":"tenant-a","cartId":"ann@example.com","productId":"p2","quantity":4}"#,
      as: ComOSCartShape.self)
    let grown = try session.value(
      "cart_add_item",
      #"{"tenant_id":"tenant-a","cartId":"ann@example.com","productId":"p1","quantity":2}"#,
      as: ComOSCartShape.self)
    #expect(
      grown.items == [.init(productId: "p1", quantity: 3), .init(productId: "p2", quantity: 4)])
    #expect(grown.itemCount == 7)
  }

  @Test func theListIsNewestFirstAndFiltersByStatus() throws {
    let (sandbox, session) = try openMCPSession()
    defer { sandbox.stop() }
    let first = try session.startSaga(cart: "list-1", user: "lister")
    let second = try session.startSaga(cart: "list-2", user: "lister", paymentMethod: nil)
    let third = try session.startSaga(cart: "declined-list", user: "lister")
    _ = try session.startSaga(cart: "list-other", user: "someone-else")
    _ = try session.statuses(second.sagaId, times: 3)

    let all = try session.value(
      "checkout_list", #"{"tenant_id":"tenant-a","userId":"lister"}"#, as: SagaListShape.self)
    #expect(all.sagas.map(\.sagaId) == [third.sagaId, second.sagaId, first.sagaId])
    #expect(all.sagas.map(\.status) == ["pending", "payment_pending", "pending"])
    let waiting = try session.value(
      "checkout_list", #"{"tenant_id":"tenant-a","userId":"lister","status":"payment_pending"}"#,
      as: SagaListShape.self)
    #expect(waiting.sagas.map(\.sagaId) == [second.sagaId])
    let none = try session.value(
      "checkout_list", #"{"tenant_id":"tenant-b","userId":"lister"}"#, as: SagaListShape.self)
    #expect(none.sagas.isEmpty)
    // Listing does not move a saga on.
    #expect(try session.status(first.sagaId).completedSteps == ["validate_cart"])
  }

  @Test func toolsListDescribesEveryToolWithAClosedSchema() throws {
    let (sandbox, session) = try openMCPSession()
    defer { sandbox.stop() }
    let (_, json) = try session.rpc("tools/list", params: "{}")
    let list = try #require(
      try JSONDecoder().decode(RPCEnvelope<ToolListShape>.self, from: Data(json.utf8)).result)
    #expect(
      list.tools.map(\.name) == [
        "federation_list_tenants", "federation_tenant_info", "catalog_search",
        "catalog_get_products", "api_call", "cart_add_item", "cart_view", "cart_update_quantity",
        "cart_remove_item",
        "cart_clear", "checkout_start", "checkout_shipping_options", "checkout_select_shipping",
        "checkout_status", "checkout_create_payment_session",
        "checkout_retry", "orders_list", "orders_get", "orders_track", "orders_recent",
        "checkout_list",
      ])
    for tool in list.tools where tool.name != "federation_list_tenants" {
      #expect(tool.inputSchema.type == "object")
      #expect(tool.inputSchema.additionalProperties == false, "\(tool.name)")
      #expect(tool.inputSchema.required.first == "tenant_id", "\(tool.name)")
      #expect(tool.inputSchema.properties["tenant_id"] != nil)
      #expect(tool.inputSchema.properties["auth_token"] != nil)
      #expect(!tool.description.isEmpty)
    }
    let byName = Dictionary(uniqueKeysWithValues: list.tools.map { ($0.name, $0.inputSchema) })
    #expect(byName["checkout_status"]?.required == ["tenant_id", "sagaId"])
    #expect(byName["cart_add_item"]?.required == ["tenant_id", "cartId", "productId"])
    #expect(byName["checkout_start"]?.required == ["tenant_id", "userId", "cartId"])
    #expect(byName["checkout_list"]?.required == ["tenant_id", "userId"])
    #expect(byName["api_call"]?.required == ["tenant_id", "method", "path"])
    #expect(
      Set(byName["checkout_start"]?.properties.keys.map { $0 } ?? [])
        == [
          "tenant_id", "userId", "cartId", "email", "paymentMethodId", "customerName",
          "shippingAddress", "auth_token",
        ])
    #expect(
      byName["checkout_select_shipping"]?.required
        == ["tenant_id", "sagaId", "carrierId", "serviceId"])
    #expect(
      byName["cart_update_quantity"]?.required == ["tenant_id", "cartId", "productId", "quantity"])
  }

  @Test(arguments: [
    (#"{"name":"no_such_tool","arguments":{"tenant_id":"tenant-a"}}"#, "no_such_tool"),
    (#"{"name":"checkout_status","arguments":{"tenant_id":"tenant-a"}}"#, "sagaId"),
    (#"{"name":"checkout_status","arguments":{"sagaId":"s"}}"#, "tenant_id"),
    (#"{"name":"checkout_status"}"#, "tenant_id"),
    (
      #"{"name":"checkout_status","arguments":{"tenant_id":"tenant-a","sagaId":"s","x":1}}"#,
      "'x'"
    ),
    (#"{"name":"checkout_status","arguments":{"tenant_id":"tenant-a","sagaId":7}}"#, "sagaId"),
    (#"{"name":"checkout_status","arguments":[]}"#, "object"),
    (
      #"{"name":"cart_add_item","arguments":{"tenant_id":"tenant-a","cartId":"c","#
        + #""productId":"p","quantity":0}}"#, "quantity"
    ),
    (
      #"{"name":"cart_add_item","arguments":{"tenant_id":"tenant-a","cartId":"c","#
        + #""productId":"p","quantity":1.5}}"#, "quantity"
    ),
    (
      #"{"name":"checkout_list","arguments":{"tenant_id":"tenant-a","userId":"u","#
        + #""status":"stuck"}}"#, "status"
    ),
    (
      #"{"name":"api_call","arguments":{"tenant_id":"tenant-a","method":"POST","path":"/","#
        + #""body":"text"}}"#, "body"
    ),
    (#"{"arguments":{}}"#, "name"),
  ])
  func badParamsAreJSONRPCErrors(params: String, mentioned: String) throws {
    let (sandbox, session) = try openMCPSession()
    defer { sandbox.stop() }
    let error = try session.rpcError("tools/call", params: params)
    #expect(error.code == -32602)
    #expect(error.message.contains(mentioned), "\(error.message)")
  }
}
