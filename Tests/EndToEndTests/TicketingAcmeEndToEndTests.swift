import Foundation
import Testing
import TillKit

/// A till aimed at one of the sandbox's REST APIs.
func restTill(_ api: String) -> Till {
  let till = Till()
  till.environment["TILL_API"] = api
  if api == "acme" { till.environment["TILL_BASE_URL"] = SharedSandbox.baseURL + "/acme" }
  return till
}

/// A seat nobody else in this test run uses.
func freshSeat() -> String { UUID().uuidString.lowercased() }

/// The ticketing system's four services, each a proxy in front of the sandbox, so that a test
/// sees which paths each one was asked.
struct TicketingServices {
  let catalog, inventory, ordering, payment: FaultServer

  init() throws {
    let proxies = try (0..<4).map { _ in
      try FaultServer(upstream: SharedSandbox.instance.port) { _, _ in .forward }
    }
    (catalog, inventory, ordering, payment) = (proxies[0], proxies[1], proxies[2], proxies[3])
  }

  /// A till aimed at the ordering service, and the options naming the other three.
  var till: Till {
    let till = Till(baseURL: ordering.baseURL)
    till.environment["TILL_API"] = "ticketing"
    return till
  }
  var options: [String] {
    [
      "--catalog-url", catalog.baseURL, "--inventory-url", inventory.baseURL, "--payment-url",
      payment.baseURL,
    ]
  }

  /// Each service was asked only its own paths: events; reservations; cart and orders;
  /// payments.
  func expectEachAskedOnlyItsOwnPaths() {
    let paths = { (server: FaultServer) in
      Set(server.requests.map { String($0.path.split(separator: "/").first ?? "") })
    }
    #expect(paths(catalog) == ["events"])
    #expect(paths(inventory) == ["reservations"])
    #expect(paths(ordering) == ["cart", "orders"])
    #expect(paths(payment) == ["payments"])
  }

  func stop() { for server in [catalog, inventory, ordering, payment] { server.stop() } }
}

/// A GUID user: the payment service takes no other kind of customer id.
func freshUser() -> String { UUID().uuidString.lowercased() }

@Suite struct TicketingEndToEndTests {
  @Test func aWholePurchaseDraftPendingPaid() throws {
    let till = restTill("ticketing")
    let user = freshUser()
    let add = try till.run([
      "cart", "add", "--seat", freshSeat(), "--price", "50.00", "--reserve", "--user", user,
    ])
    #expect(add.status == 0, "\(add.stderr)")
    #expect(add.stderr.contains("Reserved seat"))
    #expect(add.stderr.contains("saw the reservation after 3 tries"), "\(add.stderr)")
    let order = try #require(add.stdout.split(separator: " ").dropFirst().first.map(String.init))
    #expect(add.stdout.hasSuffix("(draft): 1 item, total 50.00\n"), "\(add.stdout)")
    // A second seat for the same owner grows the same draft order; decimals stay exact
    // (0.17 has no exact binary floating-point form).
    let second = try till.run([
      "-q", "cart", "add", "--seat", freshSeat(), "--price", "0.17", "--reserve", "--user", user,
    ])
    #expect(second.stdout == order + "\n")
    let start = try till.run(["--json", "checkout", "start", "--order", order, "--user", user])
    #expect(start.status == 0, "\(start.stderr)")
    let json = try JSONValue.parse(start.stdout)
    #expect(json["state"]?.string == "pending")
    #expect(json["serverState"]?.string == "pending")
    #expect(json["raw"]?["totalAmount"] == .number("50.17"))
    let pay = try till.run(["checkout", "pay", order, "--amount", "50.17", "--user", user])
    #expect(pay.status == 0, "\(pay.stderr)")
    #expect(pay.stdout.hasPrefix("Paid 50.17 for order \(order) (payment "))
    let status = try till.run(["checkout", "status", order])
    #expect(status.status == 0)
    #expect(status.stdout.contains("the ordering service does not report an order's state"))
    // What this machine last saw stands in for the state the server does not give.
    #expect(status.stdout.contains("; last seen here: completed, as of "), "\(status.stdout)")
    #expect(status.stdout.contains(", from till checkout pay\n"), "\(status.stdout)")
    #expect(status.stdout.contains("Event name"), "a raw field name: \(status.stdout)")
    #expect(status.stdout.contains("Sandbox Symphony"))
    #expect(!status.stdout.contains("totalAmount"), "a raw field name: \(status.stdout)")
  }

  static let symphony = "7a1c2e3f-0000-4000-8000-000000000001"

  /// The catalog gives the events, the seat map and the seat's price; a seat that is taken or
  /// not in the map is refused before anything is reserved.
  @Test func theSeatMapGivesThePrice() throws {
    let till = restTill("ticketing")
    let events = try till.run(["event", "list"])
    #expect(events.status == 0, "\(events.stderr)")
    #expect(events.stdout.contains("\(Self.symphony)  Sandbox Symphony"), "\(events.stdout)")
    #expect(try till.run(["-q", "event", "list"]).stdout.hasPrefix(Self.symphony + "\n"))
    let free = try till.run(["-q", "event", "seats", Self.symphony])
    let seats = free.stdout.split(separator: "\n").map(String.init)
    let seat = try #require(seats.last, "no seat available: \(free.stderr)")
    let user = freshUser()
    let add = try till.run([
      "cart", "add", "--event", Self.symphony, "--seat", seat, "--reserve", "--user", user,
    ])
    #expect(add.status == 0, "\(add.stderr)")
    let map = try JSONValue.parse(till.run(["--json", "event", "seats", Self.symphony]).stdout)
    let entry = map["seats"]?.array?.first { $0["id"]?.text == seat }
    let price = try #require(entry?["price"]?.text)
    #expect(add.stdout.hasSuffix("(draft): 1 item, total \(price)\n"), "\(add.stdout)")
    #expect(entry?["status"]?.string == "reserved")
    let taken = try till.run([
      "cart", "add", "--event", Self.symphony, "--seat", seat, "--user", freshUser(),
    ])
    #expect(taken.status == 7)
    #expect(taken.stderr.contains("is reserved"), "\(taken.stderr)")
    let absent = try till.run([
      "cart", "add", "--event", Self.symphony, "--seat", freshSeat(), "--user", user,
    ])
    #expect(absent.status == 4)
    #expect(absent.stderr.contains("is not in the seat map of event"), "\(absent.stderr)")
    let both = try till.run([
      "cart", "add", "--event", Self.symphony, "--seat", seat, "--price", "1.00", "--user", user,
    ])
    #expect(both.status == 2)
    let unknown = try till.run(["event", "seats", freshSeat()])
    #expect(unknown.status == 4, "\(unknown.stderr)")
  }

  /// The four services at four URLs, as the real deployment runs them: each is asked only
  /// what it serves.
  @Test func aWholePurchaseWithAURLForEachService() throws {
    let system = try TicketingServices()
    defer { system.stop() }
    let (till, services) = (system.till, system.options)
    let seat = try #require(
      try till.run(services + ["-q", "event", "seats", Self.symphony]).stdout
        .split(separator: "\n").dropFirst().first.map(String.init))
    let user = freshUser()
    let order = try till.run(
      services + [
        "-q", "cart", "add", "--event", Self.symphony, "--seat", seat, "--reserve", "--user", user,
      ]
    ).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(
      try till.run(services + ["checkout", "start", "--order", order, "--user", user]).status == 0)
    let map = try JSONValue.parse(
      till.run(services + ["--json", "event", "seats", Self.symphony]).stdout)
    let price = try #require(map["seats"]?.array?.first { $0["id"]?.text == seat }?["price"]?.text)
    let pay = try till.run(
      services + ["checkout", "pay", order, "--amount", price, "--user", user])
    #expect(pay.status == 0, "\(pay.stderr)")
    system.expectEachAskedOnlyItsOwnPaths()
  }

  @Test func checkoutNeedsAnOwnerBeforeAnyRequest() throws {
    let result = try restTill("ticketing").run(["checkout", "start", "--order", "o-1"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("needs --user ID or --guest TOKEN"))
  }

  @Test func theWrongOwnerIsRefusedWithExitSix() throws {
    let till = restTill("ticketing")
    let order = try till.run([
      "-q", "cart", "add", "--seat", freshSeat(), "--price", "20.00", "--reserve", "--user",
      "alice",
    ]).stdout.trimmingCharacters(in: .newlines)
    let result = try till.run(["checkout", "start", "--order", order, "--user", "mallory"])
    #expect(result.status == 6)
    #expect(result.stderr.contains("(HTTP 401): Unauthorized; give the --user or --guest"))
  }

  @Test(arguments: [
    (
      ["checkout", "start", "--order", "00000000-0000-0000-0000-00000000abcd", "--user", "u"],
      Int32(4),
      "(HTTP 404): Order not found"
    ),
    (
      [
        "cart", "add", "--seat", "00000000-0000-0000-0000-000000000500", "--price", "1.00",
        "--user", "u",
      ], 8, "(HTTP 500): An error occurred while processing your request."
    ),
    (
      [
        "cart", "add", "--seat", "11111111-2222-3333-4444-555555555555", "--price", "1.00",
        "--reservation", "99999999-2222-3333-4444-555555555555", "--user", "u",
      ], 1,
      "(HTTP 400): Reservation not found"
    ),
    (
      [
        "checkout", "pay", "00000000-0000-0000-0000-00000000abcd", "--amount", "5.00", "--user",
        "3f2b8c1e-6d4a-4f7e-9b2c-1a2b3c4d5e6f",
      ], 4, "Order not found (HTTP 404)"
    ),
    (
      [
        "checkout", "pay", "00000000-0000-0000-0000-00000000abcd", "--amount", "0", "--user",
        "3f2b8c1e-6d4a-4f7e-9b2c-1a2b3c4d5e6f",
      ], 1, "refused (HTTP 400): Order validation failed: the amount must be positive"
    ),
    (
      ["checkout", "cancel", "00000000-0000-0000-0000-00000000abcd"], 4,
      "cancelling order 00000000-0000-0000-0000-00000000abcd: no such order (HTTP 404)"
    ),
  ])
  func eachErrorShapeShowsTheServersMessage(
    arguments: [String], status: Int32, message: String
  ) throws {
    let result = try restTill("ticketing").run(arguments)
    #expect(result.status == status, "\(arguments): \(result.stderr)")
    #expect(result.stderr.contains(message), "\(result.stderr)")
    #expect(result.stderr.split(separator: "\n").count == 1)
  }

  /// The payment service binds `PaymentRequest.customerId` as a Guid: any other id is named
  /// before a request is sent.
  @Test func aPaymentAsANonGUIDCustomerIsRefusedBeforeSending() throws {
    let payments = try FaultServer { _, _ in .respond(httpResponse(500, "Boom")) }
    defer { payments.stop() }
    let till = restTill("ticketing")
    let result = try till.run([
      "--payment-url", payments.baseURL, "checkout", "pay", "00000000-0000-0000-0000-00000000abcd",
      "--amount", "5.00", "--user", "user-123",
    ])
    #expect(result.status == 2)
    #expect(
      result.stderr.hasPrefix(
        "till: error: checkout pay: --user 'user-123' is not a GUID, and the payment service's "
          + "PaymentRequest.customerId is one"), "\(result.stderr)")
    #expect(payments.requests.isEmpty, "a request was sent")
    till.environment["TILL_GUEST_TOKEN"] = "guest-SECRET-1"
    let guest = try till.run([
      "--payment-url", payments.baseURL, "checkout", "pay", "00000000-0000-0000-0000-00000000abcd",
      "--amount", "5.00",
    ])
    #expect(guest.status == 2)
    #expect(
      guest.stderr.contains("the guest token is not a GUID") && !guest.stderr.contains("SECRET"))
  }

  /// A pending order of a new GUID user, for `amount`.
  func pendingOrder(_ till: Till, amount: String) throws -> (order: String, user: String) {
    let user = freshUser()
    let order = try till.run([
      "-q", "cart", "add", "--seat", freshSeat(), "--price", amount, "--reserve", "--user", user,
    ]).stdout.trimmingCharacters(in: .newlines)
    let start = try till.run(["checkout", "start", "--order", order, "--user", user])
    try #require(start.status == 0, "\(start.stderr)")
    return (order, user)
  }

  @Test func aDeclinedPaymentExitsOneWithTheProvidersCodeAndCancelsTheOrder() throws {
    let till = restTill("ticketing")
    let (order, user) = try pendingOrder(till, amount: "13.13")
    let pay = try till.run(["checkout", "pay", order, "--amount", "13.13", "--user", user])
    #expect(pay.status == 1)
    #expect(
      pay.stderr.contains("declined: Payment failed: your card was declined. (CARD_DECLINED)"),
      "\(pay.stderr)")
    // The payment service cancels a declined order: it cannot be paid again.
    let again = try till.run(["checkout", "pay", order, "--amount", "13.13", "--user", user])
    #expect(again.status == 1)
    #expect(
      again.stderr.contains("refused (HTTP 400): Order validation failed: the order is not pending")
    )
  }

  /// The payment service's own statuses, each with the exit status of its meaning.
  @Test func paymentAnswersMapToTheirMeaning() throws {
    let till = restTill("ticketing")
    let (order, _) = try pendingOrder(till, amount: "20.66")
    let someoneElse = try till.run([
      "checkout", "pay", order, "--amount", "20.66", "--user", freshUser(),
    ])
    #expect(someoneElse.status == 6, "\(someoneElse.stderr)")
    #expect(
      someoneElse.stderr.contains("refused (HTTP 401): Unauthorized; pay as the order's owner"))
    let (failing, owner) = try pendingOrder(till, amount: "20.66")
    let failed = try till.run(["checkout", "pay", failing, "--amount", "20.66", "--user", owner])
    #expect(failed.status == 8, "\(failed.stderr)")
    #expect(
      failed.stderr.contains(
        "the payment service failed (HTTP 500): An error occurred while processing the payment"))
  }

  /// The ordering service answers "not found or cannot be cancelled" for both; till looks.
  @Test func cancellingAPaidOrderSaysItCannotBeCancelled() throws {
    let till = restTill("ticketing")
    let (order, user) = try pendingOrder(till, amount: "15.00")
    #expect(
      try till.run(["checkout", "pay", order, "--amount", "15.00", "--user", user]).status == 0)
    let cancel = try till.run(["checkout", "cancel", order])
    #expect(cancel.status == 7, "\(cancel.stderr)")
    #expect(cancel.stderr.contains("the order exists but cannot be cancelled"), "\(cancel.stderr)")
  }

  @Test func guestTokensStayOffTheScreen() throws {
    let till = restTill("ticketing")
    till.environment["TILL_GUEST_TOKEN"] = "guest-SECRET-token-0042"
    let add = try till.run([
      "--json", "cart", "add", "--seat", freshSeat(), "--price", "9.99", "--reserve",
    ])
    #expect(add.status == 0, "\(add.stderr)")
    #expect(!add.stdout.contains("SECRET") && !add.stderr.contains("SECRET"))
    #expect(try JSONValue.parse(add.stdout)["guestToken"]?.string == "gues…")
  }

  @Test func cancellingAnOrder() throws {
    let till = restTill("ticketing")
    let order = try till.run([
      "-q", "cart", "add", "--seat", freshSeat(), "--price", "5.00", "--reserve", "--user", "c",
    ]).stdout.trimmingCharacters(in: .newlines)
    let cancel = try till.run(["checkout", "cancel", order])
    #expect(cancel.status == 0)
    #expect(cancel.stdout.contains("State     cancelled"))
    let again = try till.run(["checkout", "start", "--order", order, "--user", "c"])
    #expect(again.status == 1)
    #expect(again.stderr.contains("Order is not in draft state"))
  }

  @Test func badMoneyIsAUsageError() throws {
    let result = try restTill("ticketing").run([
      "cart", "add", "--seat", freshSeat(), "--price", "1e3", "--user", "u",
    ])
    #expect(result.status == 2)
    #expect(result.stderr.contains("--price AMOUNT"))
  }
}

@Suite struct AcmeEndToEndTests {
  /// Products of the sandbox: ids are UUIDs, as the Acme schemas type them.
  static let coffee = "5ca1ab1e-0000-4000-8000-00000000c0ff"
  static let mug = "5ca1ab1e-0000-4000-8000-0000000000b2"

  @Test func aSagaCompletesStepByStep() throws {
    let till = restTill("acme")
    let cart = UUID().uuidString.lowercased()
    let add = try till.run([
      "cart", "add", "--cart", cart, "--product", Self.coffee, "--quantity", "2",
    ])
    #expect(add.status == 0, "\(add.stderr)")
    #expect(add.stdout == "Cart \(cart) (OPEN): 2 items, total 25.00 USD\n")
    let watch = try till.run([
      "--json", "checkout", "start", "--cart", cart, "--customer",
      "3f2b8c1e-6d4a-4f7e-9b2c-1a2b3c4d5e6f", "--promotion", "SAVE10", "--watch",
    ])
    #expect(watch.status == 0, "\(watch.stderr)")
    let lines = try watch.stdoutLines.map { try JSONValue.parse($0) }
    #expect(lines.last?["state"]?.string == "completed")
    let steps = lines.map { line in
      (line["steps"]?.array ?? []).map { $0["status"]?.string ?? "?" }.joined(separator: ",")
    }
    #expect(steps.contains("current,pending,pending"))
    #expect(steps.contains("done,current,pending"))
    #expect(steps.last == "done,done,done")
    #expect(lines.last?["references"]?["orderId"]?.string?.hasPrefix("ord_") == true)
  }

  @Test func aDeclinedAuthorizationCompensates() throws {
    let till = restTill("acme")
    let cart = UUID().uuidString.lowercased()
    _ = try till.run(["cart", "add", "--cart", cart, "--product", Self.coffee])
    let result = try till.run([
      "checkout", "start", "--cart", cart, "--customer", "00000000-0000-0000-0000-000000000402",
      "--watch",
    ])
    #expect(result.status == 1)
    #expect(result.stdout.contains("compensated"))
    #expect(result.stdout.contains("PAYMENT_DECLINED: Authorization declined by the issuer"))
    let id = try #require(result.stdout.split(separator: " ").first { $0.hasPrefix("cs_") })
    let view = try till.run(["checkout", "status", String(id)])
    #expect(view.status == 1)
    #expect(view.stdout.contains("1. reserve_inventory  compensated"))
    #expect(view.stdout.contains("reservation released (payment authorization declined)"))
    #expect(view.stdout.contains("2. authorize_payment  failed"))
  }

  @Test func aFailedOrderVoidsTheAuthorizationToo() throws {
    let till = restTill("acme")
    let cart = UUID().uuidString.lowercased()
    _ = try till.run(["cart", "add", "--cart", cart, "--product", Self.coffee])
    let result = try till.run([
      "--json", "checkout", "start", "--cart", cart, "--customer",
      "00000000-0000-0000-0000-000000000409", "--watch",
    ])
    #expect(result.status == 1)
    let last = try JSONValue.parse(result.stdoutLines.last ?? "")
    #expect(last["state"]?.string == "compensated")
    let compensations = (last["steps"]?.array ?? []).compactMap { $0["compensation"]?.string }
    #expect(compensations.contains { $0.hasPrefix("authorization voided") })
    #expect(compensations.contains { $0.hasPrefix("reservation released") })
  }

  @Test(arguments: [
    (
      [
        "checkout", "start", "--cart", "00000000-0000-4000-8000-00000000dead", "--customer",
        "3f2b8c1e-6d4a-4f7e-9b2c-1a2b3c4d5e6f",
      ], Int32(4), "CART_NOT_FOUND: Cart 00000000-0000-4000-8000-00000000dead not found"
    ),
    (
      ["checkout", "start", "--cart", AcmeEndToEndTests.coffee, "--customer", "not-a-uuid"], 2,
      "customerId 'not-a-uuid' is not a UUID, and the Acme schemas type customerId as one"
    ),
    (
      ["cart", "add", "--cart", "c1", "--product", AcmeEndToEndTests.coffee], 2,
      "cartId 'c1' is not a UUID, and the Acme schemas type cartId as one"
    ),
    (
      ["cart", "add", "--cart", AcmeEndToEndTests.coffee, "--product", "sku-1"], 2,
      "productId 'sku-1' is not a UUID"
    ),
    (
      ["cart", "remove", "--cart", AcmeEndToEndTests.coffee, "--product", "sku-1"], 2,
      "productId 'sku-1'"
    ),
    (
      ["cart", "add", "--cart", "c", "--product", "p", "--quantity", "0"], 2,
      "expected 1 or more"
    ),
    (["checkout", "status", "cs_NOPE"], 4, "SESSION_NOT_FOUND"),
  ])
  func errorsShowCodeAndMessage(arguments: [String], status: Int32, message: String) throws {
    let result = try restTill("acme").run(arguments)
    #expect(result.status == status, "\(arguments): \(result.stderr)")
    #expect(result.stderr.contains(message), "\(result.stderr)")
  }

  @Test func checkingOutTwiceIsAConflict() throws {
    let till = restTill("acme")
    let cart = UUID().uuidString.lowercased()
    _ = try till.run(["cart", "add", "--cart", cart, "--product", Self.coffee])
    let customer = "3f2b8c1e-6d4a-4f7e-9b2c-1a2b3c4d5e6f"
    #expect(
      try till.run(["checkout", "start", "--cart", cart, "--customer", customer]).status == 0)
    let again = try till.run(["checkout", "start", "--cart", cart, "--customer", customer])
    #expect(again.status == 7)
    #expect(again.stderr.contains("CART_CHECKED_OUT"))
  }

  @Test func theStatusPathCanBeMoved() throws {
    let till = restTill("acme")
    let cart = UUID().uuidString.lowercased()
    _ = try till.run(["cart", "add", "--cart", cart, "--product", Self.coffee])
    _ = try till.run([
      "checkout", "start", "--cart", cart, "--customer", "3f2b8c1e-6d4a-4f7e-9b2c-1a2b3c4d5e6f",
    ])
    // The sandbox also serves the session under the cart; the template says where to look.
    let moved = try till.run([
      "--status-path", "/carts/{id}/checkout-session", "checkout", "status", cart,
    ])
    #expect(moved.status == 0, "\(moved.stderr)")
    #expect(moved.stdout.contains("(acme)"))
    let wrong = try till.run(["--status-path", "/nowhere/{id}", "checkout", "status", "cs_X"])
    #expect(wrong.status == 4)
    #expect(wrong.stderr.contains("--status-path"))
    let invalid = try till.run(["--status-path", "no-id-here", "checkout", "status", "cs_X"])
    #expect(invalid.status == 2)
  }

  /// Checks out a cart of one item as the customer; the first line of stdout is the session.
  func checkOut(_ till: Till, cart: String, _ extra: [String] = []) throws -> RunResult {
    _ = try till.run(["cart", "add", "--cart", cart, "--product", Self.coffee])
    return try till.run(
      extra + [
        "-q", "checkout", "start", "--cart", cart, "--customer",
        "3f2b8c1e-6d4a-4f7e-9b2c-1a2b3c4d5e6f",
      ])
  }

  /// The Cart API's Remove Item: `DELETE /carts/{cartId}/items/{productId}`.
  @Test func anItemIsRemovedFromTheCart() throws {
    let till = restTill("acme")
    let cart = UUID().uuidString.lowercased()
    _ = try till.run(["cart", "add", "--cart", cart, "--product", Self.coffee, "--quantity", "2"])
    _ = try till.run(["cart", "add", "--cart", cart, "--product", Self.mug])
    let removed = try till.run(["cart", "remove", "--cart", cart, "--product", Self.coffee])
    #expect(removed.status == 0, "\(removed.stderr)")
    #expect(removed.stdout.hasPrefix("Cart \(cart) (OPEN): 1 item, total "), "\(removed.stdout)")
    let absent = try till.run(["cart", "remove", "--cart", cart, "--product", Self.coffee])
    #expect(absent.status == 4, "\(absent.stderr)")
    #expect(absent.stderr.contains("ITEM_NOT_FOUND"), "\(absent.stderr)")
    let local = try till.run(["cart", "remove", "--item", Self.mug])
    #expect(local.status == 2)
    #expect(local.stderr.contains("--api acme names the product with --product ID"))
  }

  /// The session's own id, however the deployment names it: a Link header, a lookup by cart.
  @Test func theSessionIsFoundWhereverTheDeploymentNamesIt() throws {
    let till = restTill("acme")
    let linked = try checkOut(till, cart: "11c40000-" + UUID().uuidString.lowercased().dropFirst(9))
    #expect(linked.status == 0, "\(linked.stderr)")
    #expect(linked.stdout.hasPrefix("cs_"), "the Link header's session: \(linked.stdout)")
    let bareCart = "ba4e0000-" + UUID().uuidString.lowercased().dropFirst(9)
    let looked = try checkOut(
      till, cart: bareCart, ["--session-lookup", "/carts/{cartId}/checkout-session"])
    #expect(looked.status == 0, "\(looked.stderr)")
    #expect(looked.stdout.hasPrefix("cs_"), "the looked-up session: \(looked.stdout)")
    let id = looked.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    let watched = try till.run(["checkout", "status", id, "--watch", "--interval", "100ms"])
    #expect(watched.status == 0, "\(watched.stderr)")
    // With nothing to go on, the cart's id stands in, and its status says where to look.
    let unnamed = try checkOut(
      till, cart: "ba4e0000-" + UUID().uuidString.lowercased().dropFirst(9))
    #expect(unnamed.stdout.hasPrefix("ba4e0000-"), "\(unnamed.stdout)")
    let lost = try till.run([
      "checkout", "status", unnamed.stdout.trimmingCharacters(in: .newlines),
    ])
    #expect(lost.status == 4)
    #expect(lost.stderr.contains("--session-lookup"), "\(lost.stderr)")
  }

  /// The orchestrator is another service: sessions are read there, carts on the base URL.
  @Test func sessionsAreReadFromTheOrchestrator() throws {
    let orchestrator = try FaultServer(upstream: SharedSandbox.instance.port) { _, _ in .forward }
    defer { orchestrator.stop() }
    let till = restTill("acme")
    let cart = UUID().uuidString.lowercased()
    let start = try checkOut(till, cart: cart)
    let id = start.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    let status = try till.run([
      "--orchestrator-url", orchestrator.baseURL + "/acme", "checkout", "status", id,
    ])
    #expect(status.status == 0, "\(status.stderr)")
    #expect(orchestrator.requests.map(\.path) == ["/acme/checkout-sessions/\(id)"])
    let invalid = try till.run(["--orchestrator-url", "ftp://x", "checkout", "status", id])
    #expect(invalid.status == 2)
    #expect(invalid.stderr.contains("--orchestrator-url"), "\(invalid.stderr)")
  }
}

@Suite struct ScriptedFlowTests {
  /// The ticketing document's complete flow, scripted in bash with till as a user would.
  @Test func ticketingCompleteFlowScript() throws {
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Scripts/ticketing-complete-flow.sh")
    let till = Till()
    till.environment["TILL"] = Till.binary
    let process = try RunningTill(
      binary: "/bin/bash", arguments: [script.path], environment: till.environment, stdin: nil)
    let result = process.finish(timeout: 60)
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    #expect(result.stdout.contains("Order ID: "))
    #expect(result.stdout.contains(#""state":"pending""#))
    #expect(result.stdout.contains("Paid 50.00 for order"))
    #expect(result.stdout.hasSuffix("Purchase complete.\n"))
  }
}
