import Foundation
import Testing
import TillSandbox

/// The customer, offer and subscription routes on the wire: the AzotteStatus envelope, the
/// scenario values of each code, tenants kept apart, and a checkout of a resolved offer that
/// becomes a subscription once done.
@Suite struct AccountRoutesTests {
  let prefix = "/api/v1/c2a/"

  func call(
    _ client: LoopbackClient, _ method: String, _ route: String, _ body: String? = nil,
    tenant: String = "tenant-a"
  ) throws -> (status: Int, json: [String: Any], response: LoopbackResponse) {
    let headers =
      credentials(tenant: tenant) + (body == nil ? [] : [("Content-Type", "application/json")])
    let response = try client.request(method, prefix + route, headers: headers, body: body)
    let json = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
    return (response.status, json ?? [:], response)
  }

  func code(_ json: [String: Any]) -> String? {
    (json["status"] as? [String: Any])?["messageCode"] as? String
  }

  func store(_ client: LoopbackClient, _ id: String, tenant: String = "tenant-a") throws -> String {
    let stored = try call(
      client, "POST", "customer/store",
      #"{"customer":{"externalIdentifier":"\#(id)","email":"\#(id)@example.com"},"#
        + #""claimedRegion":{"countryCode":"DE","languageCode":"de"}}"#, tenant: tenant)
    #expect(stored.status == 200)
    #expect(code(stored.json) == "SUCCESS")
    #expect(stored.response.header("Content-Type") == "application/clientOutput+Json")
    return try #require((stored.json["result"] as? [String: Any])?["customerUrn"] as? String)
  }

  @Test func customersAreValidatedStoredAndReadBack() throws {
    let sandbox = try startSandbox()
    defer { sandbox.stop() }
    let client = try LoopbackClient(port: sandbox.port)
    let free = try call(client, "POST", "customer/validate", #"{"externalId":"ada"}"#)
    #expect(free.json["isAvailable"] as? Bool == true)
    #expect(code(free.json) == "SUCCESS")
    let taken = try call(client, "POST", "customer/validate", #"{"externalId":"taken"}"#)
    #expect(taken.json["isAvailable"] as? Bool == false)

    let urn = try store(client, "ada")
    #expect(urn.hasPrefix("cu.00."))
    let again = try call(client, "POST", "customer/validate", #"{"externalId":"ada"}"#)
    #expect(again.json["isAvailable"] as? Bool == false)
    let twice = try call(
      client, "POST", "customer/store",
      #"{"customer":{"externalIdentifier":"ada","email":"b@example.com"},"#
        + #""claimedRegion":{"countryCode":"DE"}}"#)
    #expect(twice.status == 409)
    #expect(code(twice.json) == "CUSTOMER_ALREADY_STORED")
    #expect(twice.json.keys.contains("result") && twice.json["result"] is NSNull)

    let byURN = try call(client, "GET", "customer/info?urn=" + urn)
    #expect((byURN.json["result"] as? [String: Any])?["externalIdentifier"] as? String == "ada")
    let byID = try call(client, "GET", "customer/info?exId=ada")
    #expect((byID.json["result"] as? [String: Any])?["customerUrn"] as? String == urn)
    let elsewhere = try call(client, "GET", "customer/info?urn=" + urn, tenant: "tenant-b")
    #expect(elsewhere.status == 404)
    #expect(code(elsewhere.json) == "CUSTOMER_NOT_FOUND")
    let wrongMethod = try call(client, "GET", "customer/store")
    #expect(wrongMethod.status == 405)
    let noKey = try client.request("POST", prefix + "customer/validate", body: "{}")
    #expect(noKey.status == 401)
  }

  @Test func offersTakeTheDocumentsAliasesAndSteerEachCode() throws {
    let sandbox = try startSandbox()
    defer { sandbox.stop() }
    let client = try LoopbackClient(port: sandbox.port)
    let urn = try store(client, "grace")
    let offer = try call(
      client, "POST", "offer/bundles",
      #"{"context":{"CU":"\#(urn)","IT":"NewAcquisition","PC":"WELCOME10"}}"#)
    #expect(offer.status == 200)
    let resolved = try #require(offer.json["offer"] as? [String: Any])
    #expect((resolved["offerIdentifier"] as? String)?.hasPrefix("of.") == true)
    let groups = try #require(resolved["artifactGroups"] as? [[String: Any]])
    let price = try #require(groups.first?["price"] as? [String: Any])
    #expect(price["amountMilpieces"] as? Int == 1349)
    #expect(price["currency"] as? String == "EUR")

    let cases: [(String, Int, String)] = [
      (#"{"context":{"customerUrn":"\#(urn)"}}"#, 400, "VALIDATION_ERROR"),
      (
        #"{"context":{"customerUrn":"cu.9","interactionType":"NewAcquisition"}}"#, 404,
        "CUSTOMER_NOT_FOUND"
      ),
      (
        #"{"context":{"customerUrn":"\#(urn)","interactionType":"NewAcquisition","promotionCode":"X"}}"#,
        400, "INVALID_PROMOTION_CODE"
      ),
      (
        #"{"context":{"customerUrn":"\#(urn)","interactionType":"NewAcquisition","storefrontUrn":"sf.1"}}"#,
        404, "STOREFRONT_NOT_FOUND"
      ),
      (
        #"{"context":{"customerUrn":"\#(urn)","interactionType":"Replace"}}"#, 404, "NO_OFFER_FOUND"
      ),
    ]
    for (body, status, expected) in cases {
      let answer = try call(client, "POST", "offer/bundles", body)
      #expect(answer.status == status, "\(body)")
      #expect(code(answer.json) == expected, "\(body)")
      #expect(answer.json["offer"] is NSNull)
    }
    let showcase = try call(client, "POST", "offer/showcase", "{}")
    let shown = try #require(showcase.json["offer"] as? [String: Any])
    #expect(shown["isPurchasable"] as? Bool == false)
    #expect((shown["offerIdentifier"] as? String)?.hasPrefix("sc.") == true)
  }

  func checkout(
    offer: String, customer: String, item: String = "bn.00.1", card: String = "4242424242424242"
  )
    -> String
  {
    #"{"order":{"offerIdentifier":"\#(offer)","correlationId":"\#(randomCorrelationID())","#
      + #""items":[{"itemIdentifier":"\#(item)","quantity":1}],"customer":{"customerUrn":"\#(customer)"}},"#
      + #""paymentMethod":{"paymentChannel":"CreditCard","creditCard":{"cardNumber":"\#(card)"}}}"#
  }

  @Test func aDoneCheckoutOfAResolvedOfferBecomesASubscription() throws {
    let sandbox = try startSandbox(pollsBeforeDone: 1)
    defer { sandbox.stop() }
    let client = try LoopbackClient(port: sandbox.port)
    let urn = try store(client, "linus")
    let resolve = #"{"context":{"customerUrn":"\#(urn)","interactionType":"NewAcquisition"}}"#
    let offer = try #require(
      (try call(client, "POST", "offer/bundles", resolve).json["offer"] as? [String: Any])?[
        "offerIdentifier"] as? String)

    let refusals: [(String, Int, String)] = [
      (checkout(offer: offer, customer: urn, item: "bn.00.9"), 400, "INVALID_ITEMS"),
      (checkout(offer: offer, customer: "cu.other"), 400, "CUSTOMER_MISMATCH"),
      (checkout(offer: offer, customer: urn, card: "4000000000000002"), 402, "CARD_DECLINED"),
      (checkout(offer: offer, customer: urn, card: "4000000000000119"), 502, "PSP_UNAVAILABLE"),
    ]
    for (body, status, expected) in refusals {
      let answer = try call(client, "POST", "offer/checkout", body)
      #expect(answer.status == status)
      #expect(code(answer.json) == expected)
    }
    let none = try call(client, "GET", "subscription/" + urn)
    #expect((none.json["result"] as? [Any])?.isEmpty == true)

    let submitted = try call(
      client, "POST", "offer/checkout", checkout(offer: offer, customer: urn))
    #expect(submitted.status == 202)
    let tracking = try #require(submitted.json["trackingNumber"] as? String)
    var last = ""
    for _ in 0..<3 {
      last = code(try call(client, "GET", "offer/checkout/\(tracking)/status").json) ?? ""
    }
    #expect(last == "CHECK_OUT_DONE")
    let listed = try call(client, "GET", "subscription/" + urn)
    let subscriptions = try #require(listed.json["result"] as? [[String: Any]])
    #expect(subscriptions.count == 1, "a done checkout polled again is fulfilled once")
    let subscription = try #require(subscriptions.first)
    #expect(subscription["bundleName"] as? String == "Pro Monthly")
    #expect(subscription["state"] as? String == "Active")
    let order = try #require(subscription["orderIdentifier"] as? String)

    let body = #"{"orderIdentifier":"\#(order)"}"#
    let request = try call(client, "POST", "subscription/cancel/request", body)
    #expect((request.json["result"] as? [String: Any])?["reasons"] is [[String: Any]])
    #expect(
      code(try call(client, "POST", "subscription/reactivate", body).json)
        == "SUBSCRIPTION_NOT_REACTIVATABLE")
    let confirmed = try call(client, "POST", "subscription/cancel/confirm", body)
    #expect((confirmed.json["result"] as? [String: Any])?["state"] as? String == "PendingCancel")
    let again = try call(client, "POST", "subscription/cancel/request", body)
    #expect(again.status == 409)
    #expect(code(again.json) == "SUBSCRIPTION_NOT_CANCELABLE")
    #expect(code(try call(client, "POST", "subscription/reactivate", body).json) == "SUCCESS")
    let unknown = try call(
      client, "POST", "subscription/reactivate", #"{"orderIdentifier":"or.1"}"#)
    #expect(unknown.status == 404)
    #expect(code(unknown.json) == "SUBSCRIPTION_NOT_FOUND")
    let otherTenant = try call(client, "POST", "subscription/reactivate", body, tenant: "tenant-b")
    #expect(code(otherTenant.json) == "SUBSCRIPTION_NOT_FOUND")
  }
}
