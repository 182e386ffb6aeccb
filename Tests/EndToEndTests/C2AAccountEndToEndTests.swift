import Foundation
import Testing
import TillKit

/// The C2A purchase around the checkout, as a user runs it against the sandbox: a customer,
/// an offer, a bundle in the cart, the checkout, and the subscription it made; and each
/// message code's message and exit status.
@Suite struct C2AAccountEndToEndTests {
  /// A new customer's URN; every test has its own, under an external id no other test uses.
  func newCustomer(_ till: Till) throws -> String {
    let id = "user-" + UUID().uuidString.prefix(8).lowercased()
    let added = try till.run([
      "-q", "customer", "add", "--external-id", id, "--email", "\(id)@example.com", "--country",
      "DE", "--language", "de",
    ])
    #expect(added.status == 0, "\(added.stderr)")
    let urn = added.stdout.trimmingCharacters(in: .newlines)
    #expect(urn.hasPrefix("cu.") && added.stdoutLines.count == 1, "\(added.stdout)")
    return urn
  }

  /// A card file, mode 0600 as secret files must be.
  func cardFile(_ till: Till, number: String) throws -> String {
    let path = till.stateHome + "/card-\(number).json"
    let card =
      #"{"cardHolderName":"Ada Lovelace","cardNumber":"\#(number)","expireMonth":"12","#
      + #""expireYear":"2030","cvc":"123"}"#
    #expect(
      FileManager.default.createFile(
        atPath: path, contents: Data(card.utf8), attributes: [.posixPermissions: 0o600]))
    return path
  }

  @Test func aNewCustomerBecomesAConfirmedSubscription() throws {
    let till = Till()
    let externalID = "user-" + UUID().uuidString.prefix(8).lowercased()
    let free = try till.run(["customer", "validate", externalID])
    #expect(free.status == 0, "\(free.stderr)")
    #expect(free.stdout.contains("Available"))

    let added = try till.run([
      "customer", "add", "--external-id", externalID, "--email", "ada@example.com", "--country",
      "de", "--language", "DE",
    ])
    #expect(added.status == 0, "\(added.stderr)")
    let urn = try #require(
      added.stdout.firstMatch(of: /cu\.[0-9.]+[0-9]/).map { String($0.output) })
    #expect(added.stdout.contains("DE/de"))
    #expect(added.stdout.contains("till offer resolve --customer \(urn)"))

    let taken = try till.run(["customer", "validate", externalID])
    #expect(taken.status == 7)
    #expect(taken.stdout.contains("Taken"))

    let shown = try till.run(["customer", "show", urn])
    #expect(shown.status == 0, "\(shown.stderr)")
    #expect(shown.stdout.contains(externalID))
    #expect(shown.stdout.contains("a***@example.com"))
    #expect(!shown.stdout.contains("ada@example.com"), "personal data: \(shown.stdout)")

    let offer = try till.run(["offer", "resolve", "--customer", urn, "--promotion", "WELCOME10"])
    #expect(offer.status == 0, "\(offer.stderr)")
    let lines = offer.stdoutLines
    #expect(lines.first?.hasPrefix("Offer of.") == true, "\(offer.stdout)")
    #expect(lines.contains("Campaign: Welcome: 10% off"))
    #expect(lines.contains { $0.hasPrefix("bn.00.1") && $0.hasSuffix("13.49 EUR") })
    #expect(lines.contains { $0.hasPrefix("bn.00.2") && $0.hasSuffix("134.91 EUR") })
    #expect(!offer.stdout.contains("1349"), "milpieces are shown as money")

    let added1 = try till.run(["cart", "add", "--bundle", "bn.00.1"])
    #expect(added1.status == 0, "\(added1.stderr)")
    let watch = try till.run(["checkout", "start", "--watch"])
    #expect(watch.status == 0, "\(watch.stderr)")
    #expect(watch.stdoutLines.contains { $0.contains("CHECK_OUT_DONE") })
    let renews = try #require(
      watch.stdoutLines.last?.firstMatch(
        of: /^active: Pro Monthly, renews (\d{4}-\d\d-\d\d) \(order (or\.[0-9.]+)\)$/),
      "\(watch.stdout)")
    let order = String(renews.output.2)
    #expect(watch.stderr.isEmpty, "\(watch.stderr)")
    let cart = try till.run(["cart", "show"])
    #expect(cart.stdout.contains("The cart is empty."))

    let list = try till.run(["subscription", "list", urn])
    #expect(list.status == 0)
    #expect(list.stdoutLines.first?.hasPrefix("ORDER") == true)
    #expect(list.stdoutLines.contains { $0.hasPrefix(order) && $0.contains("Pro Monthly  Active") })
    let ids = try till.run(["-q", "subscription", "list", urn])
    #expect(ids.stdoutLines == [order])
    let json = try till.run(["--json", "subscription", "list", urn])
    let subscriptions = try JSONValue.parse(json.stdout).array ?? []
    #expect(subscriptions.count == 1)
    #expect(subscriptions.first?["bundleUrn"]?.string == "bn.00.1")
    #expect(subscriptions.first?["endDate"]?.string?.hasPrefix(String(renews.output.1)) == true)

    let cancelled = try till.run(["subscription", "cancel", order, "--reason", "NOT_USED"])
    #expect(cancelled.status == 0, "\(cancelled.stderr)")
    #expect(cancelled.stdout.contains("Cancelled \(order) (Pro Monthly): PendingCancel"))
    #expect(cancelled.stdout.contains("till subscription reactivate \(order)"))
    let again = try till.run(["subscription", "cancel", order])
    #expect(again.status == 7)
    #expect(again.stderr.contains("SUBSCRIPTION_NOT_CANCELABLE"))
    let kept = try till.run(["subscription", "reactivate", order])
    #expect(kept.status == 0, "\(kept.stderr)")
    #expect(kept.stdout.contains("Reactivated \(order) (Pro Monthly): Active, renews"))
    let twice = try till.run(["subscription", "reactivate", order])
    #expect(twice.status == 7)
    #expect(twice.stderr.contains("SUBSCRIPTION_NOT_REACTIVATABLE"))
  }

  @Test func quietAndJSONPrintTheIdsAndTheObjects() throws {
    let till = Till()
    let urn = try newCustomer(till)
    let offer = try till.run(["-q", "offer", "resolve", "--customer", urn])
    #expect(offer.status == 0)
    #expect(offer.stdoutLines.count == 1 && offer.stdout.hasPrefix("of."))
    let json = try till.run(["--json", "offer", "resolve", "--customer", urn])
    let object = try JSONValue.parse(json.stdout)
    #expect(object["offerIdentifier"]?.string?.hasPrefix("of.") == true)
    let price = object["artifactGroups"]?[0]?["price"]
    #expect(price?["amountMilpieces"]?.int == 1499)
    #expect(price?["currency"]?.string == "EUR")
    let customer = try till.run(["--json", "customer", "show", urn])
    let shown = try JSONValue.parse(customer.stdout)
    #expect(shown["customerUrn"]?.string == urn)
    #expect(shown["email"]?.string?.contains("***@example.com") == true, "\(customer.stdout)")
    let showcase = try till.run(["offer", "showcase"])
    #expect(showcase.status == 0)
    #expect(showcase.stdoutLines.first?.contains("for display only, not purchasable") == true)
    #expect(showcase.stdoutLines.contains { $0.hasSuffix("14.99 EUR") })
    #expect(!showcase.stdout.contains("till cart add"))
  }

  /// Each code the issue names, from the command a user would run, with its exit status and
  /// the advice in its message.
  @Test(arguments: [
    ("CUSTOMER_ALREADY_STORED", 7, "look the customer up"),
    ("USER_WITH_SAME_EMAIL_EXISTS", 7, "another address"),
    ("CUSTOMER_NOT_FOUND", 4, "till customer add"),
    ("INVALID_PROMOTION_CODE", 1, "without --promotion"),
    ("STOREFRONT_NOT_FOUND", 4, "--storefront"),
    ("NO_OFFER_FOUND", 4, "--interaction new"),
    ("OFFER_EXPIRED", 1, "resolve the offer again with 'till offer resolve'"),
    ("OFFER_NOT_PURCHASABLE", 1, "showcase offer is for display"),
    ("CARD_DECLINED", 1, "another card"),
    ("PSP_UNAVAILABLE", 8, "try the checkout again later"),
    ("SUBSCRIPTION_NOT_FOUND", 4, "till subscription list"),
  ])
  func eachCodeHasTheExitStatusOfItsMeaning(code: String, status: Int32, advice: String) throws {
    let till = Till()
    let urn = try newCustomer(till)
    func offer(_ extra: [String] = []) throws -> String {
      let resolved = try till.run(["-q", "offer", "resolve", "--customer", urn] + extra)
      #expect(resolved.status == 0, "\(resolved.stderr)")
      return resolved.stdout.trimmingCharacters(in: .newlines)
    }
    let checkout = ["checkout", "start", "--item", "bn.00.1", "--customer", urn, "--offer"]
    let arguments: [String]
    switch code {
    case "CUSTOMER_ALREADY_STORED":
      arguments = [
        "customer", "add", "--external-id", "taken", "--email", "x@example.org", "--country", "DE",
      ]
    case "USER_WITH_SAME_EMAIL_EXISTS":
      arguments = [
        "customer", "add", "--external-id", UUID().uuidString, "--email", "taken@example.com",
        "--country", "DE",
      ]
    case "CUSTOMER_NOT_FOUND": arguments = ["subscription", "list", "cu.00.999999"]
    case "INVALID_PROMOTION_CODE":
      arguments = ["offer", "resolve", "--customer", urn, "--promotion", "NOPE"]
    case "STOREFRONT_NOT_FOUND":
      arguments = ["offer", "resolve", "--customer", urn, "--storefront", "sf.99.9"]
    case "NO_OFFER_FOUND":
      arguments = ["offer", "resolve", "--customer", urn, "--interaction", "winback"]
    case "OFFER_EXPIRED": arguments = checkout + [try offer(["--promotion", "EXPIRING"])]
    case "OFFER_NOT_PURCHASABLE":
      let showcase = try till.run(["-q", "offer", "showcase"])
      arguments = checkout + [showcase.stdout.trimmingCharacters(in: .newlines)]
    case "CARD_DECLINED":
      arguments =
        checkout + [try offer(), "--card-file", try cardFile(till, number: "4000000000000002")]
    case "PSP_UNAVAILABLE":
      arguments =
        checkout + [try offer(), "--card-file", try cardFile(till, number: "4000000000000119")]
    default: arguments = ["subscription", "cancel", "or.00.999999"]
    }
    let result = try till.run(arguments)
    #expect(result.status == status, "\(arguments): \(result.stderr)")
    #expect(result.stdout.isEmpty, "\(result.stdout)")
    let lines = result.stderr.split(separator: "\n")
    #expect(lines.count == 1, "one line: \(result.stderr)")
    #expect(result.stderr.hasPrefix("till: error: "))
    #expect(result.stderr.contains(code), "\(result.stderr)")
    #expect(result.stderr.contains(advice), "\(result.stderr)")
    #expect(!result.stderr.contains("4000000000000"), "card data: \(result.stderr)")
  }

  @Test func aLaterWatchConfirmsTheSubscriptionToo() throws {
    let till = Till()
    let urn = try newCustomer(till)
    #expect(try till.run(["-q", "offer", "resolve", "--customer", urn]).status == 0)
    let started = try till.run(["-q", "checkout", "start", "--bundle", "bn.00.2"])
    #expect(started.status == 0, "\(started.stderr)")
    #expect(started.stdoutLines.count == 1, "-q prints only the id: \(started.stdout)")
    let id = started.stdout.trimmingCharacters(in: .newlines)
    let json = try till.run(["--json", "checkout", "status", id, "--watch"])
    #expect(json.status == 0)
    #expect(json.stdoutLines.allSatisfy { (try? JSONValue.parse($0)) != nil }, "only JSON lines")
    let watch = try till.run(["checkout", "status", "--last", "--watch"])
    #expect(watch.status == 0, "\(watch.stderr)")
    #expect(
      watch.stdoutLines.last?.hasPrefix("active: Pro Yearly, renews ") == true, "\(watch.stdout)")
    let other = try till.run(["checkout", "start", "--offer", "success", "--watch"])
    #expect(other.status == 0)
    #expect(!other.stdout.contains("active:"), "a scenario offer bought no subscription")
    #expect(other.stderr.isEmpty, "\(other.stderr)")
  }

  @Test func aTraceKeepsNoPersonalData() throws {
    let till = Till()
    let added = try till.run(
      [
        "--trace", "customer.har", "customer", "add", "--external-id",
        "user-" + UUID().uuidString, "--email", "grace@example.com", "--country", "US",
      ], directory: till.stateHome)
    #expect(added.status == 0, "\(added.stderr)")
    let urn = try #require(
      added.stdout.firstMatch(of: /cu\.[0-9.]+[0-9]/).map { String($0.output) })
    let shown = try till.run(
      ["--trace", "show.har", "customer", "show", urn], directory: till.stateHome)
    #expect(shown.status == 0)
    for file in ["customer.har", "show.har"] {
      let log = try String(contentsOfFile: till.stateHome + "/" + file, encoding: .utf8)
      #expect(log.contains("customerUrn"), "\(file) records the exchange")
      #expect(!log.contains("grace@example.com"), "\(file) keeps the email")
      #expect(log.contains(#"\"email\":\"[redacted]\""#), "\(file)")
    }
  }

  @Test func aBundleMustBelongToTheResolvedOffer() throws {
    let till = Till()
    let none = try till.run(["cart", "add", "--bundle", "bn.00.1"])
    #expect(none.status == 2)
    #expect(none.stderr.contains("run 'till offer resolve' first"), "\(none.stderr)")
    let urn = try newCustomer(till)
    #expect(try till.run(["-q", "offer", "resolve", "--customer", urn]).status == 0)
    let wrong = try till.run(["cart", "add", "--bundle", "bn.00.7"])
    #expect(wrong.status == 2)
    #expect(wrong.stderr.contains("is not a bundle of offer of."), "\(wrong.stderr)")
    #expect(wrong.stderr.contains("bn.00.1, bn.00.2"))
    let nothing = try till.run(["cart", "add"])
    #expect(nothing.status == 2)
    #expect(nothing.stderr.contains("--item ID[:QTY] or --bundle URN"), "\(nothing.stderr)")
  }

  @Test func theCommandsAreC2AsOnly() throws {
    for command in [
      ["customer", "validate", "x"], ["offer", "showcase"], ["subscription", "list", "cu.1"],
    ] {
      let result = try Till().run(["--api", "ticketing"] + command)
      #expect(result.status == 2)
      #expect(
        result.stderr.contains("'\(command.prefix(2).joined(separator: " "))' is for --api c2a"),
        "\(result.stderr)")
    }
    let bundle = try Till().run(["--api", "ticketing", "cart", "add", "--bundle", "bn.00.1"])
    #expect(bundle.status == 2)
    #expect(bundle.stderr.contains("--bundle is not an option of --api ticketing"))
  }
}
