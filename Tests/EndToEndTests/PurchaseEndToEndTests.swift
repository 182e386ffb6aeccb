import Foundation
import Testing
import TillKit

/// `till purchase`: each API's whole flow against the sandbox, as a CI smoke test runs it,
/// and each of its errors with the step, the message and the exit status.
@Suite struct PurchaseEndToEndTests {
  /// The sandbox's "Loopback Live" and "Declined Card Cabaret" events and a seat of each, by
  /// the catalog's numbering; each test takes seats of its own.
  static let loopbackLive = "7a1c2e3f-0000-4000-8000-000000000002"
  static let cabaret = "7a1c2e3f-0000-4000-8000-000000000013"
  static func seat(event: Int, number: Int) -> String {
    "5ea70000-0000-4000-8000-000000\(event)1010\(number)"
  }
  static let acmeProduct = "5ca1ab1e-0000-4000-8000-00000000c0ff"
  static let acmeCustomer = "3f2b8c1e-6d4a-4f7e-9b2c-1a2b3c4d5e6f"

  /// The NDJSON lines of a purchase: one object a step, in order.
  func steps(_ result: RunResult) throws -> [JSONValue] {
    try result.stdoutLines.map { try JSONValue.parse($0) }
  }

  func names(_ lines: [JSONValue]) -> [String] { lines.compactMap { $0["name"]?.string } }

  func statuses(_ lines: [JSONValue]) -> [String] { lines.compactMap { $0["status"]?.string } }

  @Test func c2aFromANewCustomerToASubscription() throws {
    let till = Till()
    let email = "p-\(UUID().uuidString)@example.com"
    let result = try till.run([
      "--json", "purchase", "--email", email, "--country", "de",
      "--promotion", "WELCOME10", "--interval", "100ms",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let lines = try steps(result)
    #expect(names(lines) == ["customer", "offer", "checkout", "watch", "subscription"])
    #expect(statuses(lines) == Array(repeating: "passed", count: 5))
    #expect(lines[0]["result"]?["customerUrn"]?.string?.hasPrefix("cu.") == true)
    #expect(lines[1]["result"]?["bundles"]?.array?.first?["price"]?.string == "13.49 EUR")
    let tracking = try #require(lines[2]["result"]?["trackingNumber"]?.string)
    #expect(lines[2]["command"]?.string?.contains("checkout start --offer of.") == true)
    #expect(lines[3]["result"]?["state"]?.string == "completed")
    #expect(lines[4]["result"]?["subscriptions"]?.array?.count == 1)
    // The email is personal data: the step's command line shows it redacted.
    #expect(lines[0]["command"]?.string?.contains("--email [redacted] --country DE") == true)
    #expect(!result.stdout.contains(email) && !result.stderr.contains(email))
    // The checkout is in the history: the usual commands find it.
    let last = try till.run(["-q", "checkout", "list"])
    #expect(last.stdout.contains(tracking), "\(last.stdout)")
  }

  @Test func c2aForAStoredCustomerNarratesEachStep() throws {
    let till = Till()
    let customer = try till.run([
      "-q", "customer", "add", "--external-id", UUID().uuidString, "--email",
      "s-\(UUID().uuidString)@example.com", "--country", "DE",
    ]).stdout.trimmingCharacters(in: .newlines)
    let result = try till.run([
      "purchase", "--customer", customer, "--item", "bn.00.2", "--interval", "100ms",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("Step 1 of 5: customer: read the customer"))
    #expect(result.stdout.contains("  $ till customer show \(customer)"))
    #expect(result.stdout.contains("  $ till checkout start --offer of."))
    #expect(result.stdout.contains("--item bn.00.2"))
    #expect(result.stdout.contains("active: Pro Yearly"), "\(result.stdout)")
    #expect(result.stdout.contains("Purchased in "))
    #expect(result.stdout.contains("\(customer) subscribes to Pro Yearly"))
    let quiet = try till.run([
      "-q", "purchase", "--customer", customer, "--interval", "100ms",
    ])
    #expect(quiet.status == 0, "\(quiet.stderr)")
    #expect(quiet.stdoutLines.count == 1)
    #expect(quiet.stdout.hasPrefix("trk_"), "-q prints the checkout id alone: \(quiet.stdout)")
  }

  /// A card whose issuer asks for 3-D Secure: the page is shown, and the purchase goes on
  /// once a human (here the test, as a browser would) has completed it.
  @Test func c2aWaitsForTheHumanThrough3DSecure() throws {
    let till = Till()
    let card = till.stateHome + "/card.json"
    try
      #"{"cardHolderName":"A","cardNumber":"4000000000003220","expireMonth":12,"expireYear":2030,"cvc":"123"}"#
      .write(toFile: card, atomically: true, encoding: .utf8)
    chmod(card, 0o600)
    let email = { "t-\(UUID().uuidString)@example.com" }
    let watch = try till.start([
      "purchase", "--email", email(), "--country", "DE", "--card-file", card, "--interval",
      "100ms", "--max-wait", "60s",
    ])
    #expect(watch.waitForOutput(containing: "/sandbox/3ds/"), "\(watch.stdoutSoFar)")
    let page = try #require(
      watch.stdoutSoFar.range(
        of: #"http://127\.0\.0\.1:[0-9]+/sandbox/3ds/trk_[A-Z0-9]+"#,
        options: .regularExpression))
    let url = String(watch.stdoutSoFar[page])
    #expect(try CurlTransport().send(HTTPRequest(url: url)).status == 200)
    let done = watch.finish()
    #expect(done.status == 0, "\(done.stdout)\(done.stderr)")
    #expect(done.stdout.contains("active: Pro Monthly"), "\(done.stdout)")
    // With --json nothing is narrated, but the page still reaches a human, on stderr.
    let json = try till.run([
      "--json", "purchase", "--email", email(), "--country", "DE", "--card-file", card,
      "--interval", "100ms", "--max-wait", "3s",
    ])
    #expect(json.status == 5, "\(json.stderr)")
    #expect(json.stderr.contains("waits for a human (3-D Secure): open http://127.0.0.1:"))
    #expect(json.stderr.contains("purchase step 4 of 5 (watch): gave up after --max-wait 3s"))
    #expect(try statuses(steps(json)) == ["passed", "passed", "passed", "failed", "skipped"])
    #expect(!json.stdout.contains("4000000000003220") && !json.stderr.contains("4000000000003220"))
  }

  @Test func c2aDeclinedCardFailsAtTheCheckoutStep() throws {
    let till = Till()
    let card = till.stateHome + "/card.json"
    try
      #"{"cardHolderName":"A","cardNumber":"4000000000000002","expireMonth":12,"expireYear":2030,"cvc":"123"}"#
      .write(toFile: card, atomically: true, encoding: .utf8)
    chmod(card, 0o600)
    let result = try till.run([
      "--json", "purchase", "--email", "d-\(UUID().uuidString)@example.com", "--country", "DE",
      "--card-file", card,
    ])
    #expect(result.status == 1, "\(result.stderr)")
    #expect(
      result.stderr.contains(
        "till: error: purchase step 3 of 5 (checkout): submitting the checkout was refused: "
          + "CARD_DECLINED"), "\(result.stderr)")
    let lines = try steps(result)
    #expect(statuses(lines) == ["passed", "passed", "failed", "skipped", "skipped"])
    #expect(lines[2]["exitStatus"]?.int == 1)
    #expect(
      !result.stdout.contains("4000000000000002") && !result.stderr.contains("4000000000000002"))
  }

  @Test func ticketingFromTheSeatMapToAPaidOrder() throws {
    let till = restTill("ticketing")
    let user = freshUser()
    let seat = Self.seat(event: 2, number: 1)
    let result = try till.run([
      "--json", "purchase", "--event", Self.loopbackLive, "--seat", seat, "--user", user,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let lines = try steps(result)
    #expect(names(lines) == ["seatmap", "reserve", "cart", "checkout", "pay", "paid"])
    #expect(statuses(lines) == Array(repeating: "passed", count: 6))
    #expect(lines[0]["result"]?["price"]?.text == "35.00")
    let order = try #require(lines[2]["result"]?["orderId"]?.string)
    #expect(lines[4]["result"]?["paymentStatus"]?.string == "succeeded")
    #expect(lines[5]["result"]?["seatStatus"]?.string == "sold")
    // A paid order cannot be cancelled: till looks it up and says which it is.
    let cancel = try till.run(["checkout", "cancel", order])
    #expect(cancel.status == 7, "\(cancel.stderr)")
    #expect(cancel.stderr.contains("exists but cannot be cancelled"), "\(cancel.stderr)")
  }

  /// A guest buys with TILL_GUEST_TOKEN (a GUID, as the payment service needs), and the
  /// token, a secret, is in no output.
  @Test func ticketingAsAGuest() throws {
    let till = restTill("ticketing")
    let token = freshUser()
    till.environment["TILL_GUEST_TOKEN"] = token
    let result = try till.run([
      "--json", "purchase", "--event", Self.loopbackLive, "--seat", Self.seat(event: 2, number: 5),
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(try statuses(steps(result)) == Array(repeating: "passed", count: 6))
    #expect(!result.stdout.contains(token) && !result.stderr.contains(token))
    till.environment["TILL_GUEST_TOKEN"] = "not-a-guid-SECRET"
    let refused = try till.run(["purchase", "--event", Self.loopbackLive])
    #expect(refused.status == 2)
    #expect(refused.stderr.contains("the guest token is not a GUID"), "\(refused.stderr)")
    #expect(!refused.stderr.contains("SECRET"))
  }

  @Test func ticketingWithAURLForEachServiceAsksEachItsOwnPaths() throws {
    let system = try TicketingServices()
    defer { system.stop() }
    let result = try system.till.run(
      system.options + [
        "-q", "purchase", "--event", Self.loopbackLive, "--seat", Self.seat(event: 2, number: 2),
        "--user", freshUser(),
      ])
    #expect(result.status == 0, "\(result.stderr)")
    system.expectEachAskedOnlyItsOwnPaths()
  }

  @Test func ticketingErrorsStopAtTheirStep() throws {
    let till = restTill("ticketing")
    // A seat someone else holds: the seat map says so before anything is reserved.
    let held = Self.seat(event: 2, number: 3)
    let other = try till.run([
      "cart", "add", "--event", Self.loopbackLive, "--seat", held, "--reserve", "--user",
      freshUser(),
    ])
    #expect(other.status == 0, "\(other.stderr)")
    let taken = try till.run([
      "purchase", "--event", Self.loopbackLive, "--seat", held, "--user", freshUser(),
    ])
    #expect(taken.status == 7, "\(taken.stderr)")
    #expect(
      taken.stderr.contains(
        "purchase step 1 of 6 (seatmap): seat \(held) of event \(Self.loopbackLive) is reserved"),
      "\(taken.stderr)")
    #expect(
      taken.stderr.contains("the seats still available: till event seats \(Self.loopbackLive)"))
    // A user the payment service could never take: refused before anything is sent.
    let named = try till.run([
      "purchase", "--event", Self.loopbackLive, "--user", "alice",
    ])
    #expect(named.status == 2)
    #expect(named.stderr.contains("--user 'alice' is not a GUID"), "\(named.stderr)")
    #expect(named.stdout.isEmpty)
  }

  @Test func aDeclinedPaymentIsAFailedTestCaseAndTheRestSkipped() throws {
    let till = restTill("ticketing")
    till.environment["GITHUB_ACTIONS"] = "true"
    let report = till.stateHome + "/purchase.xml"
    let result = try till.run([
      "purchase", "--event", Self.cabaret, "--seat", Self.seat(event: 3, number: 1), "--user",
      freshUser(), "--report-junit", report,
    ])
    #expect(result.status == 1, "\(result.stderr)")
    #expect(
      result.stderr.contains("purchase step 5 of 6 (pay): paying order "), "\(result.stderr)")
    #expect(
      result.stderr.contains("declined: Payment failed: your card was declined. (CARD_DECLINED)"))
    #expect(result.stderr.contains("::error title=till purchase 5 pay::"), "\(result.stderr)")
    let (valid, said) = try JUnitReportEndToEndTests().validate(report)
    #expect(valid == 0, "not valid JUnit XML: \(said)")
    let xml = try String(contentsOfFile: report, encoding: .utf8)
    #expect(
      xml.contains(
        #"<testsuite name="till purchase" tests="6" failures="1" errors="0" skipped="1""#), "\(xml)"
    )
    let parsed = try readBack(PurchaseReport.self, with: "junit-read.py", report)
    #expect(
      parsed.cases.map(\.name) == [
        "1 seatmap", "2 reserve", "3 cart", "4 checkout", "5 pay", "6 paid",
      ])
    #expect(Set(parsed.cases.map(\.classname)) == ["till.purchase.ticketing"])
    #expect(parsed.cases[4].failures.first?.hasPrefix("step 5 (pay): paying order ") == true)
    #expect(parsed.cases[5].skipped == ["not run: an earlier step failed"])
    #expect(parsed.cases.prefix(4).allSatisfy { $0.failures.isEmpty && $0.skipped.isEmpty })
  }

  struct PurchaseReport: Decodable {
    struct Case: Decodable {
      var name: String
      var classname: String
      var failures: [String]
      var skipped: [String]
    }
    var cases: [Case]
  }

  @Test func acmeFromACartToTheOrder() throws {
    let till = restTill("acme")
    let report = till.stateHome + "/acme.xml"
    let result = try till.run([
      "--json", "purchase", "--product", Self.acmeProduct, "--quantity", "2", "--customer",
      Self.acmeCustomer, "--report-junit", report, "--interval", "100ms",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let lines = try steps(result)
    #expect(names(lines) == ["cart", "checkout", "saga"])
    #expect(lines[0]["result"]?["total"]?.string == "25.00 USD")
    #expect(lines[1]["result"]?["checkoutSessionId"]?.string?.hasPrefix("cs_") == true)
    #expect(lines[2]["result"]?["orderId"]?.string?.hasPrefix("ord_") == true)
    let parsed = try readBack(PurchaseReport.self, with: "junit-read.py", report)
    #expect(parsed.cases.map(\.name) == ["1 cart", "2 checkout", "3 saga"])
    #expect(parsed.cases.allSatisfy { $0.failures.isEmpty && $0.skipped.isEmpty })
  }

  @Test(arguments: [
    (
      ["--product", "00000000-0000-0000-0000-0000000000e0", "--customer", acmeCustomer],
      Int32(1),
      "purchase step 3 of 3 (saga): checkout cs_", "ended failed (FAILED): OUT_OF_STOCK: Product "
    ),
    (
      ["--product", acmeProduct, "--customer", "00000000-0000-0000-0000-000000000402"], 1,
      "purchase step 3 of 3 (saga): checkout cs_",
      "ended compensated (COMPENSATED): PAYMENT_DECLINED"
    ),
    (
      ["--product", "sku-1", "--customer", acmeCustomer], 2,
      "till: error: productId 'sku-1' is not a UUID, and the Acme schemas type productId as one",
      ""
    ),
    (
      ["--cart", "c1", "--product", acmeProduct, "--customer", acmeCustomer], 2,
      "till: error: cartId 'c1' is not a UUID", ""
    ),
  ])
  func acmeErrors(arguments: [String], status: Int32, message: String, more: String) throws {
    let result = try restTill("acme").run(["purchase", "--interval", "100ms"] + arguments)
    #expect(result.status == status, "\(result.stderr)")
    #expect(result.stderr.contains(message), "\(result.stderr)")
    if !more.isEmpty { #expect(result.stderr.contains(more), "\(result.stderr)") }
    if status == 2 { #expect(result.stdout.isEmpty, "nothing is sent: \(result.stdout)") }
  }

  @Test func comosWithASavedPaymentMethod() throws {
    let till = comosTill()
    let result = try till.run([
      "--json", "purchase", "--cart", "pm-\(UUID().uuidString)@example.com", "--product",
      "665f1c2ae4b0a1d2c3f40003", "--user", "u1", "--payment-method", "pm_test_visa",
      "--interval", "100ms",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let lines = try steps(result)
    #expect(names(lines) == ["cart", "saga", "payment", "completed"])
    #expect(statuses(lines) == Array(repeating: "passed", count: 4))
    #expect(lines[1]["result"]?["sagaId"]?.string?.hasPrefix("saga_") == true)
    #expect(lines[2]["result"]?["paymentId"]?.string?.hasPrefix("pi_") == true, "\(lines[2])")
    #expect(lines[3]["result"]?["orderId"]?.string?.hasPrefix("ord_") == true)
  }

  /// Without a payment method the human pays on the hosted page while till waits.
  @Test func comosWaitsForTheHumanOnTheHostedPage() throws {
    let till = comosTill()
    let watch = try till.start([
      "purchase", "--cart", "page-\(UUID().uuidString)@example.com", "--product",
      "665f1c2ae4b0a1d2c3f40004", "--user", "u1", "--interval", "100ms", "--max-wait", "60s",
    ])
    #expect(watch.waitForOutput(containing: "/sandbox/pay/"), "\(watch.stdoutSoFar)")
    #expect(watch.stdoutSoFar.contains("Waiting while you complete it; polling goes on."))
    let url = try #require(paymentPageURL(in: watch.stdoutSoFar))
    #expect(try CurlTransport().send(HTTPRequest(method: .post, url: url)).status == 200)
    let paid = watch.finish()
    #expect(paid.status == 0, "\(paid.stdout)\(paid.stderr)")
    #expect(paid.stdout.contains("Step 4 of 4: completed"), "\(paid.stdout)")
    #expect(paid.stdout.contains("till order track ord_"), "\(paid.stdout)")
  }

  @Test func comosMaxWaitEndsThePurchaseAndSaysHowToResume() throws {
    let till = comosTill()
    let result = try till.run([
      "purchase", "--cart", "wait-\(UUID().uuidString)@example.com", "--product",
      "665f1c2ae4b0a1d2c3f40004", "--user", "u1", "--interval", "100ms", "--max-wait", "3s",
    ])
    #expect(result.status == 5, "\(result.stderr)")
    #expect(
      result.stderr.contains(
        "purchase step 3 of 4 (payment): gave up after --max-wait 3s for the whole purchase: "
          + "checkout saga_"), "\(result.stderr)")
    #expect(result.stderr.contains("Resume with: till checkout status saga_"), "\(result.stderr)")
    #expect(result.stdout.contains("Saga saga_"), "the saga's id stays printed")
  }

  @Test func comosDeclinedPaymentMethodFailsAtThePayment() throws {
    let result = try comosTill().run([
      "--json", "purchase", "--cart", "dm-\(UUID().uuidString)@example.com", "--product",
      "665f1c2ae4b0a1d2c3f40003", "--user", "u1", "--payment-method", "pm_card_chargeDeclined",
      "--interval", "100ms",
    ])
    #expect(result.status == 1, "\(result.stderr)")
    #expect(result.stderr.contains("purchase step 3 of 4 (payment): checkout saga_"))
    #expect(result.stderr.contains("PAYMENT_DECLINED: Your card was declined"), "\(result.stderr)")
    #expect(try statuses(steps(result)) == ["passed", "passed", "failed", "skipped"])
  }

  @Test func optionsOfAnotherAPIAreRefused() throws {
    let result = try restTill("acme").run(["purchase", "--event", "e1"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("--event is not an option of --api acme"), "\(result.stderr)")
  }
}
