import Testing

@testable import TillSandbox

@Suite struct WireTextTests {
  @Test(
    arguments: [
      ("50.00", 5000), ("0.13", 13), ("50", 5000), ("50.1", 5010), ("-2.50", -250),
      ("1.5e1", 1500), ("125E-2", 125), ("0.130", 13), ("0", 0), ("-0", 0), ("1e-40", nil),
      ("0.125", nil), ("01", nil), ("5.", nil), (".5", nil), ("12a", nil), ("", nil),
      (" 1", nil), ("1000000000000.01", nil), ("999999999999.99", 99_999_999_999_999),
    ] as [(String, Int?)])
  func centsFromDecimalText(text: String, cents: Int?) {
    #expect(Cents(decimalText: text)?.value == cents)
  }

  @Test func centsAreWrittenWithTwoDecimals() {
    #expect(Cents(5013).decimalText == "50.13")
    #expect(Cents(5).decimalText == "0.05")
    #expect(Cents(-105).decimalText == "-1.05")
    #expect((Cents(13) + Cents(5000)).decimalText == "50.13")
  }

  @Test func amountsKeepTheirTextUnlessItHasAnExponent() {
    #expect(DecimalAmount(numberText: "50.00")?.text == "50.00")
    #expect(DecimalAmount(numberText: "7")?.text == "7")
    #expect(DecimalAmount(numberText: "1.5e1")?.text == "15.00")
    #expect(DecimalAmount(numberText: "0.001") == nil)
  }

  @Test func parsesAndKeepsMemberOrderAndNumberText() throws {
    let text = #" {"b":[1,2.50,-3e2],"a":{"s":"x\"\u00e9\ud83d\ude00\n"},"t":true,"n":null} "#
    let value = try #require(JSONText.parse(Array(text.utf8)))
    #expect(
      value.serialized
        == #"{"b":[1,2.50,-3e2],"a":{"s":"x\"é😀\n"},"t":true,"n":null}"#)
    #expect(value["b"] == .array([.number("1"), .number("2.50"), .number("-3e2")]))
    #expect(value.member(ignoringCase: "A")?["s"] == .string("x\"é😀\n"))
    #expect(value["missing"] == nil)
  }

  @Test(arguments: [
    "", "{", "{\"a\":}", "[1,]", "{\"a\":1,}", "01", "\"\u{01}\"", "\"\\x\"", "\"\\ud800\"",
    "tru", "nul", "1 2", "{'a':1}",
    String(repeating: "[", count: 100) + String(repeating: "]", count: 100),
  ])
  func rejectsWhatIsNotJSON(text: String) {
    #expect(JSONText.parse(Array(text.utf8)) == nil)
  }

  @Test func percentDecodingOfPathSegments() {
    #expect(HTTPText.percentDecoded("my%20cart") == "my cart")
    #expect(HTTPText.percentDecoded("caf%C3%A9") == "café")
    #expect(HTTPText.percentDecoded("plain") == "plain")
    #expect(HTTPText.percentDecoded("bad%2") == nil)
    #expect(HTTPText.percentDecoded("bad%+f") == nil)
    #expect(HTTPText.percentDecoded("%FF") == nil)
  }

  @Test func canonicalUUIDs() {
    #expect(
      Identifiers.canonicalUUID("3F2B8C1E-9A4D-4E7B-8C2A-1D5E6F7A8B9C")
        == "3f2b8c1e-9a4d-4e7b-8c2a-1d5e6f7a8b9c")
    #expect(Identifiers.canonicalUUID("3f2b8c1e9a4d4e7b8c2a1d5e6f7a8b9c") == nil)
    #expect(Identifiers.canonicalUUID("3f2b8c1e-9a4d-4e7b-8c2a-1d5e6f7a8b9g") == nil)
    let made = Identifiers.uuid()
    #expect(Identifiers.canonicalUUID(made) == made)
    #expect(Array(made)[14] == "4")
  }

  @Test func iso8601Timestamps() {
    #expect(ISO8601UTC.string(fromUnixSeconds: 0) == "1970-01-01T00:00:00Z")
    #expect(ISO8601UTC.string(fromUnixSeconds: 1_771_946_100) == "2026-02-24T15:15:00Z")
  }

  @Test func promotionDiscountIsRoundedDown() {
    var cart = AcmeCart(id: "c")
    cart.lines = [.init(productId: "p", quantity: 1, unitPrice: 1255)]
    cart.promotionCode = "SAVE10"
    #expect(cart.subtotal == 1255)
    #expect(cart.discount == 125)
    #expect(cart.total == 1130)
  }

  @Test func sagaScriptsByCustomer() {
    #expect(SagaScript(customerId: "00000000-0000-0000-0000-000000000402").stageCount == 4)
    #expect(SagaScript(customerId: "00000000-0000-0000-0000-000000000409").stageCount == 5)
    let completes = SagaScript(customerId: "3f2b8c1e-9a4d-4e7b-8c2a-1d5e6f7a8b9c")
    #expect(completes.stageCount == 4)
    #expect((0..<4).map { completes.view(atStage: $0).isFinal } == [false, false, false, true])
  }

  /// The C2A submit body: what the sandbox acts on is read, anything else is accepted.
  @Test(
    arguments: [
      (
        #"{"order":{"offerIdentifier":"success","correlationId":"c-1","items":[]},"x":1}"#,
        CheckoutRequestBody(order: .init(offerIdentifier: "success", correlationId: "c-1"))
      ),
      (#"{"order":{"offerIdentifier":null}}"#, CheckoutRequestBody(order: .init())),
      (#"{"order":null}"#, CheckoutRequestBody()),
      (#"{"paymentMethod":{}}"#, CheckoutRequestBody()),
      (#"{"order":{"offerIdentifier":7}}"#, nil),
      (#"{"order":{"correlationId":true}}"#, nil),
      (#"{"order":[]}"#, nil),
      (#"[{"order":{}}]"#, nil),
      (#"{"order":{"offerIdentifier":"success"}"#, nil),
      ("", nil),
    ] as [(String, CheckoutRequestBody?)])
  func checkoutRequestBodies(body: String, expected: CheckoutRequestBody?) {
    #expect(CheckoutRequestBody.decode(Array(body.utf8)) == expected)
  }
}
