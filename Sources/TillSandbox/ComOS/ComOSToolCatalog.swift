/// The gateway's tools as the sandbox lists them (`tools/list`): each one's parameters and
/// their JSON Schema, and the checking of a call's arguments against them.
extension ComOSTools {
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

    static func required(_ name: String, _ kind: Kind, _ description: String) -> Parameter {
      Parameter(name: name, kind: kind, required: true, description: description)
    }

    static func optional(_ name: String, _ kind: Kind, _ description: String) -> Parameter {
      Parameter(name: name, kind: kind, required: false, description: description)
    }
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

  static let tenantParameter = Parameter.required(
    "tenant_id", .string,
    "Target tenant ID (required). Use federation_list_tenants() to see available "
      + "tenants.")
  static let authParameter = Parameter.optional(
    "auth_token", .string,
    "JWT auth token for authenticated operations (cart, orders). Get from api_call "
      + "POST /v1/auth/login.")
  static let cartParameter = Parameter.required(
    "cartId", .string, "The customer's email or a guest id such as guest-abc123")
  static let productParameter = Parameter.required(
    "productId", .string, "Product ID (MongoDB ObjectId from catalog_search)")
  static let orderParameter = Parameter.required("orderId", .string, "Order ID")
  static let sagaParameter = Parameter.required("sagaId", .string, "Checkout saga ID")

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
        .optional("query", .string, "Search words"),
        .optional("category", .string, "Category"),
        .optional("minPrice", .number, "Lowest price"),
        .optional("maxPrice", .number, "Highest price"),
        .optional("limit", .integer(1...100), "At most this many"),
        authParameter,
      ]),
    Tool(
      name: "catalog_get_products", description: "Products of a tenant's catalog by id.",
      parameters: [
        tenantParameter,
        .required(
          "productIds", .strings, "Product ids (MongoDB ObjectIds from catalog_search)"),
        authParameter,
      ]),
    Tool(
      name: "api_call",
      description: "Call one of the tenant's REST endpoints through the gateway. Only POST "
        + "/v1/auth/login is wrapped: it answers {token, expiresIn} for a valid email and "
        + "password.",
      parameters: [
        tenantParameter,
        .required("method", .string, "HTTP method, e.g. POST"),
        .required("path", .string, "Path, e.g. /v1/auth/login"),
        .optional("body", .object, "JSON body"),
        authParameter,
      ]),
    Tool(
      name: "cart_add_item",
      description: "Add a product to a cart, creating the cart when it is new.",
      parameters: [
        tenantParameter,
        .required(
          "cartId", .string, "The customer's email or a guest id such as guest-abc123"),
        .required("productId", .string, "Catalog product ID"),
        .optional("quantity", .integer(1...1000), "How many to add (default 1)"),
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
        .required("quantity", .integer(1...99), "New quantity (1-99)"),
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
        .required("userId", .string, "Customer ID"),
        .required("cartId", .string, "Cart ID"),
        .optional("email", .string, "Where the confirmation is sent"),
        .optional(
          "paymentMethodId", .string, "A stored payment method such as pm_card_visa"),
        .optional("customerName", .string, "The customer's name, for the shipping label"),
        .optional(
          "shippingAddress", .object,
          "Shipping address {line1, line2, city, state, postalCode, country}; "
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
        .required("carrierId", .string, "e.g. fedex, ups"),
        .required("serviceId", .string, "e.g. ground, express"),
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
        .required("userId", .string, "Customer ID"),
        .optional("status", .string, "Only this status"),
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
        .optional("limit", .integer(1...100), "At most this many"),
        authParameter,
      ]),
    Tool(
      name: "checkout_list",
      description: "List a user's checkout sagas, newest first.",
      parameters: [
        tenantParameter,
        .required("userId", .string, "Customer ID"),
        .optional(
          "status", .oneOf(ComOSSagaStatus.allCases.map(\.rawValue)), "Only sagas in this status"),
        authParameter,
      ]),
  ]

  static func tool(named name: String) -> Tool? {
    all.first { $0.name == name }
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
