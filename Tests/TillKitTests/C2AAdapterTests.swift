import Testing

@testable import TillKit

/// The sample responses of the vendor's "Get Checkout Status" page, verbatim.
enum C2ADocumentSamples {
  static let done = """
    {
    "trackingNumber": "trk_01HZ9XPZ3K2A8E0VBVQH7N9XGB",
    "status": { "messageCode": "CHECK_OUT_DONE" },
    "followUpInstructions": { "canFollowUp": false }
    }
    """
  static let threeDS = """
    {
    "trackingNumber": "trk_01HZ9XPZ3K2A8E0VBVQH7N9XGB",
    "status": { "messageCode": "CHECK_OUT_3DS_REQUIRED" },
    "redirectInstructions": {
    "redirectUrl": "https://psp.example/3ds/abc",
    "isRedirectRequired": true,
    "hasNextSteps": true,
    "showHtmlContent": false
    },
    "followUpInstructions": { "retryAfterSeconds": 3, "canFollowUp": true }
    }
    """
  static let notFound = """
    {
    "status": { "messageCode": "ORDERED_ITEM_NOT_FOUND" }
    }
    """
}

@Suite struct C2AAdapterTests {
  @Test func decodesTerminalSuccessSample() throws {
    let json = try JSONValue.parse(C2ADocumentSamples.done)
    let status = try C2AAdapter.status(from: json, id: "x", response: nil, now: 0)
    #expect(status.id == "trk_01HZ9XPZ3K2A8E0VBVQH7N9XGB")
    #expect(status.state == .completed)
    #expect(status.serverState == "CHECK_OUT_DONE")
    #expect(status.hint.canFollowUp == false)
    #expect(status.redirect == nil)
  }

  @Test func decodesThreeDSSample() throws {
    let json = try JSONValue.parse(C2ADocumentSamples.threeDS)
    let response = HTTPResponse(status: 200, headers: HTTPHeaders([("Retry-After", "5")]))
    let status = try C2AAdapter.status(from: json, id: "x", response: response, now: 0)
    #expect(status.state == .actionRequired)
    #expect(status.redirect?.url == "https://psp.example/3ds/abc")
    #expect(status.redirect?.hasNextSteps == true)
    #expect(status.redirect?.showHtmlContent == false)
    #expect(status.hint == PollHint(retryAfter: .seconds(5), suggestedDelay: .seconds(3)))
  }

  @Test func notFoundSampleYieldsItsMessageCode() throws {
    let response = HTTPResponse(status: 404, body: Array(C2ADocumentSamples.notFound.utf8))
    #expect(serverMessage(in: response) == "ORDERED_ITEM_NOT_FOUND")
  }

  @Test func unknownCodesAreKeptAndNotTerminal() throws {
    let json = try JSONValue.parse(#"{"status":{"messageCode":"CHECK_OUT_QUEUED"}}"#)
    let status = try C2AAdapter.status(from: json, id: "trk_1", response: nil, now: 0)
    #expect(status.state == .unknown)
    #expect(status.serverState == "CHECK_OUT_QUEUED")
    #expect(status.id == "trk_1")
    #expect(!status.state.isTerminal)
    #expect(status.hint.canFollowUp)
  }

  @Test func negativeBodyHintIsIgnored() throws {
    let json = try JSONValue.parse(
      #"{"status":{"messageCode":"CHECK_OUT_PROCESSING"},"followUpInstructions":{"retryAfterSeconds":-4}}"#
    )
    let status = try C2AAdapter.status(from: json, id: "t", response: nil, now: 0)
    #expect(status.hint.suggestedDelay == nil)
  }

  @Test(arguments: [
    ("https://acme.sandbox.azotte.com", "https://acme.sandbox.azotte.com/api/v1/c2a"),
    ("https://acme.sandbox.azotte.com/", "https://acme.sandbox.azotte.com/api/v1/c2a"),
    ("https://h/api/v1/c2a", "https://h/api/v1/c2a"),
    ("https://h/api/v1/c2a/", "https://h/api/v1/c2a"),
    ("https://h/api/c2a", "https://h/api/c2a"),
    ("http://127.0.0.1:8080/base", "http://127.0.0.1:8080/base/api/v1/c2a"),
  ])
  func basePrefix(base: String, prefix: String) {
    #expect(C2AAdapter.prefix(for: base) == prefix)
  }

  @Test func submitBodyFollowsTheDocumentedShape() throws {
    var order = C2AOrder(offer: "offer-9", items: [CartItem(id: "sku-1", quantity: 2)])
    order.customer = "urn:c:1"
    order.paymentChannel = "CreditCard"
    order.useStoredMethod = true
    #expect(
      C2AAdapter.body(for: order, correlationId: "corr-1").serialized()
        == #"{"order":{"offerIdentifier":"offer-9","correlationId":"corr-1","#
        + #""items":[{"itemIdentifier":"sku-1","quantity":2}],"customer":{"customerUrn":"urn:c:1"}},"#
        + #""paymentMethod":{"paymentChannel":"CreditCard","useStoredMethod":true}}"#)
  }

  @Test(arguments: [
    ("sku", CartItem(id: "sku", quantity: 1)), ("sku:3", CartItem(id: "sku", quantity: 3)),
    ("urn:x:sku:2", CartItem(id: "urn:x:sku", quantity: 2)),
  ])
  func itemArguments(argument: String, item: CartItem) {
    #expect(CartItem(argument: argument) == item)
  }

  @Test(arguments: ["", "sku:0", "sku:-1", ":2", "sku:x"])
  func badItemArguments(argument: String) {
    #expect(CartItem(argument: argument) == nil)
  }

  @Test func percentEncodingKeepsIdsInsideTheirSegment() {
    #expect(CheckoutID.pathSegment("trk_01HZ") == "trk_01HZ")
    #expect(CheckoutID.pathSegment("../x?y") == "..%2Fx%3Fy")
    #expect(CheckoutID.pathSegment("..") == "%2E%2E")
    #expect(CheckoutID.pathSegment(".") == "%2E")
    #expect(CheckoutID.pathSegment("...") == "%2E%2E%2E")
    #expect(CheckoutID.pathSegment("%2e%2E") == "%252e%252E")
    #expect(CheckoutID.pathSegment("a.b") == "a.b")
  }
}
