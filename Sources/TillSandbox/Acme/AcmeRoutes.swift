/// Maps requests under `/acme/` to the Acme Checkout API and its orchestrator's sessions.
struct AcmeRoutes: Sendable {
  static let prefix = "/acme/"
  /// A cart whose id (a UUID, as the schemas type it) begins with this is checked out with the
  /// bare Cart: no session id anywhere, found only through `carts/{cartId}/checkout-session`.
  static let bareMarker = "ba4e0000-"
  /// A cart whose id begins with this has its session only in a `Link; rel="checkout-session"`.
  static let linkMarker = "11c40000-"
  /// Enough for any cart a person builds, and far from overflowing a subtotal.
  static let maximumQuantity = 1000

  let checkouts: AcmeCheckouts
  /// The `Retry-After` of session answers that are not final.
  let retryAfterSeconds: Int

  /// Whether the path belongs to the Acme API, answered or not.
  static func claims(_ path: String) -> Bool {
    path == "/acme" || path.hasPrefix(prefix)
  }

  func respond(to request: HTTPRequest) -> HTTPResponse {
    let route = request.path.dropFirst(Self.prefix.count)
      .split(separator: "/", omittingEmptySubsequences: false)
    guard route.count >= 2, route.allSatisfy({ !$0.isEmpty }),
      let id = HTTPText.percentDecoded(route[1]), !id.isEmpty
    else { return notFound(request) }
    switch (route[0], route.count, route.count > 2 ? route[2] : "") {
    case ("carts", 2, _):
      return only("GET", request) { cart(id) }
    case ("carts", 3, "items"):
      return only("POST", request) { addItem(request, cartId: id) }
    case ("carts", 3, "checkout"):
      return only("POST", request) { checkout(request, cartId: id) }
    case ("carts", 3, "checkout-session"):
      return only("GET", request) { sessionOfCart(id) }
    case ("carts", 4, "items"):
      guard let productId = HTTPText.percentDecoded(route[3]) else { return notFound(request) }
      return only("DELETE", request) { removeItem(cartId: id, productId: productId) }
    case ("checkout-sessions", 2, _):
      return only("GET", request) { session(id) }
    default:
      return notFound(request)
    }
  }

  func stats() -> HTTPResponse {
    HTTPResponse(status: 200, json: AcmeWire.stats(checkouts.statsReport()))
  }

  // MARK: Checkout API

  private func cart(_ cartId: String) -> HTTPResponse {
    guard let cart = checkouts.cart(id: cartId) else { return cartNotFound(cartId) }
    return HTTPResponse(status: 200, json: AcmeWire.cart(cart))
  }

  private func addItem(_ request: HTTPRequest, cartId: String) -> HTTPResponse {
    guard let body = JSONText.parse(request.body), body.isObject else {
      return invalidRequest("the body must be a JSON object {productId, quantity}")
    }
    guard case .string(let productId) = body["productId"], !productId.isEmpty else {
      return invalidRequest("productId is required")
    }
    let quantity: Int
    switch body["quantity"] {
    case nil, .null:
      return invalidRequest("quantity is required")
    case .number(let text):
      guard let whole = Int(text) else {
        return invalidRequest("quantity must be a whole number")
      }
      quantity = whole
    default:
      return invalidRequest("quantity must be a number")
    }
    guard quantity >= 1 else { return invalidRequest("quantity must be at least 1") }
    guard quantity <= Self.maximumQuantity else {
      return invalidRequest("quantity must be at most \(Self.maximumQuantity)")
    }
    switch checkouts.addItem(cartId: cartId, productId: productId, quantity: quantity) {
    case .added(let cart):
      return HTTPResponse(status: 200, json: AcmeWire.cart(cart))
    case .checkedOut:
      return cartCheckedOut(cartId)
    }
  }

  private func removeItem(cartId: String, productId: String) -> HTTPResponse {
    switch checkouts.removeItem(cartId: cartId, productId: productId) {
    case .removed(let cart):
      return HTTPResponse(status: 200, json: AcmeWire.cart(cart))
    case .cartNotFound:
      return cartNotFound(cartId)
    case .itemNotFound:
      return error(404, "ITEM_NOT_FOUND", "Cart \(cartId) has no product \(productId)")
    case .checkedOut:
      return cartCheckedOut(cartId)
    }
  }

  private func checkout(_ request: HTTPRequest, cartId: String) -> HTTPResponse {
    guard let body = JSONText.parse(request.body), body.isObject else {
      return invalidRequest("the body must be a JSON object {customerId, promotionCode}")
    }
    guard case .string(let customerText) = body["customerId"],
      let customerId = Identifiers.canonicalUUID(customerText)
    else {
      return error(400, "INVALID_CUSTOMER", "customerId must be a UUID")
    }
    var promotionCode: String?
    switch body["promotionCode"] {
    case nil, .null, .string(""):
      break
    case .string(let code) where AcmeCart.promotions[code] != nil:
      promotionCode = code
    case .string(let code):
      return error(400, "INVALID_PROMOTION", "Promotion code \(code) is not valid")
    default:
      return error(400, "INVALID_PROMOTION", "promotionCode must be a string")
    }
    switch checkouts.checkout(cartId: cartId, customerId: customerId, promotionCode: promotionCode)
    {
    case .checkedOut(let cart):
      // The catalog's Cart has no session id: how a deployment tells it is the cart id's to
      // pick (see `sessionMarkers`), by default both in the body and as Location.
      let location = "\(Self.prefix)checkout-sessions/\(cart.checkoutSessionId ?? "")"
      if cartId.hasPrefix(Self.bareMarker) {
        return HTTPResponse(status: 200, json: AcmeWire.cart(cart, withSession: false))
      }
      if cartId.hasPrefix(Self.linkMarker) {
        return HTTPResponse(
          status: 200, json: AcmeWire.cart(cart, withSession: false),
          headers: [("Link", "<\(location)>; rel=\"checkout-session\"")])
      }
      return HTTPResponse(
        status: 200, json: AcmeWire.cart(cart), headers: [("Location", location)])
    case .cartNotFound:
      return cartNotFound(cartId)
    case .empty:
      return error(409, "CART_EMPTY", "Cart \(cartId) is empty")
    case .alreadyCheckedOut:
      return cartCheckedOut(cartId)
    }
  }

  // MARK: Orchestrator sessions

  private func session(_ sessionId: String) -> HTTPResponse {
    guard let session = checkouts.poll(sessionId: sessionId) else {
      return error(404, "SESSION_NOT_FOUND", "Checkout session \(sessionId) not found")
    }
    return sessionResponse(session)
  }

  private func sessionOfCart(_ cartId: String) -> HTTPResponse {
    switch checkouts.poll(cartId: cartId) {
    case .found(let session):
      return sessionResponse(session)
    case .cartNotFound:
      return cartNotFound(cartId)
    case .sessionNotFound:
      return error(404, "SESSION_NOT_FOUND", "Cart \(cartId) has not been checked out")
    }
  }

  /// A session answer; one the saga may still change says when to look again.
  private func sessionResponse(_ session: AcmeCheckoutSession) -> HTTPResponse {
    HTTPResponse(
      status: 200, json: AcmeWire.session(session),
      headers: session.view.isFinal ? [] : [("Retry-After", "\(retryAfterSeconds)")])
  }

  // MARK: Helpers

  private func cartNotFound(_ cartId: String) -> HTTPResponse {
    error(404, "CART_NOT_FOUND", "Cart \(cartId) not found")
  }

  private func cartCheckedOut(_ cartId: String) -> HTTPResponse {
    error(409, "CART_CHECKED_OUT", "Cart \(cartId) is already checked out")
  }

  private func invalidRequest(_ message: String) -> HTTPResponse {
    error(400, "INVALID_REQUEST", message)
  }

  private func notFound(_ request: HTTPRequest) -> HTTPResponse {
    error(
      404, "NOT_FOUND",
      "No Acme route at \(request.path); the API serves \(Self.prefix)carts/{cartId}/items, "
        + "\(Self.prefix)carts/{cartId}/checkout and \(Self.prefix)checkout-sessions/{id}")
  }

  private func error(_ status: Int, _ code: String, _ message: String) -> HTTPResponse {
    HTTPResponse(status: status, json: AcmeWire.error(code: code, message: message))
  }

  private func only(
    _ method: String, _ request: HTTPRequest, _ handler: () -> HTTPResponse
  ) -> HTTPResponse {
    guard request.method == method else {
      var response = error(
        405, "METHOD_NOT_ALLOWED", "\(request.method) is not served here; use \(method)")
      response.headers.append((name: "Allow", value: method))
      return response
    }
    return handler()
  }
}
