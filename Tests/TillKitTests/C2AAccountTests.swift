import Testing

@testable import TillKit

/// The C2A message codes of customers, offers, payment and subscriptions: each one's exit
/// status, decided by the code before the HTTP status; and prices read as money.
@Suite struct C2AAccountTests {
  @Test(arguments: [
    ("CUSTOMER_NOT_FOUND", TillKit.ExitStatus.notFound),
    ("CUSTOMER_ALREADY_STORED", .conflict),
    ("USER_WITH_SAME_EMAIL_EXISTS", .conflict),
    ("USER_WITH_SAME_PHONE_NUMBER_EXISTS", .conflict),
    ("NO_OFFER_FOUND", .notFound),
    ("OFFER_EXPIRED", .checkoutFailed),
    ("OFFER_NOT_PURCHASABLE", .checkoutFailed),
    ("INVALID_PROMOTION_CODE", .checkoutFailed),
    ("STOREFRONT_NOT_FOUND", .notFound),
    ("CARD_DECLINED", .checkoutFailed),
    ("INVALID_CARD", .checkoutFailed),
    ("PSP_UNAVAILABLE", .serverOrNetwork),
    ("SUBSCRIPTION_NOT_FOUND", .notFound),
    ("SUBSCRIPTION_NOT_CANCELABLE", .conflict),
    ("SUBSCRIPTION_NOT_REACTIVATABLE", .conflict),
  ])
  func eachCodeHasOneExitStatus(code: String, status: TillKit.ExitStatus) {
    #expect(C2AMessageCode.meaning(of: code)?.status == status)
  }

  func response(_ status: Int, _ json: String) -> HTTPResponse {
    HTTPResponse(status: status, headers: HTTPHeaders(), body: Array(json.utf8))
  }

  @Test func theCodeDecidesBeforeTheHTTPStatus() {
    let expired = C2AMessageCode.error(
      in: response(
        400, #"{"result":null,"status":{"messageCode":"OFFER_EXPIRED","message":"old"}}"#),
      doing: "submitting the checkout")
    #expect(expired?.status == .checkoutFailed)
    #expect(
      expired?.message
        == "submitting the checkout was refused: OFFER_EXPIRED: old; resolve the offer again "
        + "with 'till offer resolve' and check out the new one")
    let underOK = C2AMessageCode.error(
      in: response(200, #"{"status":{"messageCode":"PSP_UNAVAILABLE"}}"#), doing: "paying")
    #expect(underOK?.status == .serverOrNetwork)
    let unknown = C2AMessageCode.error(
      in: response(409, #"{"status":{"messageCode":"SOMETHING_NEW"}}"#), doing: "x")
    #expect(unknown?.status == .conflict, "an unknown code falls back to the HTTP status")
    let unknownUnderOK = C2AMessageCode.error(
      in: response(200, #"{"status":{"messageCode":"SOMETHING_NEW"}}"#), doing: "x")
    #expect(unknownUnderOK?.status == .checkoutFailed)
    #expect(
      C2AMessageCode.error(in: response(200, #"{"status":{"messageCode":"SUCCESS"}}"#), doing: "x")
        == nil)
    #expect(
      C2AMessageCode.error(in: response(502, "<html>"), doing: "x")?.status == .serverOrNetwork)
  }

  @Test func milpiecesAreShownAsMoney() {
    #expect(C2AOffer.money(["amountMilpieces": 1499, "currency": "EUR"]) == "14.99 EUR")
    #expect(C2AOffer.money(["amountMilpieces": 5, "currency": "EUR"]) == "0.05 EUR")
    #expect(C2AOffer.money(["amountMilpieces": 14990]) == "149.90")
    #expect(C2AOffer.money(["amountMilpieces": "n/a"]) == nil)
    #expect(C2AOffer.money(nil) == nil)
  }
}
