import Testing

@testable import TillKit

@Suite struct SecretsTests {
  @Test func aSecretIsReplacedInEveryFormItTravelsIn() {
    let secrets = Secrets()
    secrets.add(#"gu"e\st token/1"#)
    let forms = [
      #"gu"e\st token/1"#, #"gu\"e\\st token/1"#, #"gu\"e\\st token\/1"#,
      "gu%22e%5Cst%20token%2F1", "gu%22e%5cst+token/1", "gu%22%65%5Cst%20token%2f1",
    ]
    for form in forms {
      #expect(secrets.redact("a \(form) b") == "a [redacted] b", "\(form)")
    }
  }

  @Test func aShortSecretIsReplacedWhereItStandsAlone() {
    let secrets = Secrets()
    secrets.add("g7")
    secrets.add("737")
    #expect(secrets.redact(#"{"customerId":"g7"}"#) == #"{"customerId":"[redacted]"}"#)
    #expect(secrets.redact("/orders/g7/pay?guest=g7") == "/orders/[redacted]/pay?guest=[redacted]")
    #expect(secrets.redact("msg7 g77 at 12:07:37.737Z") == "msg7 g77 at 12:07:37.737Z")
    #expect(secrets.redact("17370 or 737") == "17370 or [redacted]")
  }

  @Test func aLongSecretIsReplacedInsideWordsToo() {
    let secrets = Secrets()
    secrets.add("sk_live_123456")
    #expect(secrets.redact("xsk_live_123456x") == "x[redacted]x")
  }

  @Test func basicCredentialsAreReplacedInTheirBase64() {
    let secrets = Secrets()
    secrets.addCredentials(in: "http://till:pr0xy%40pass@127.0.0.1:3128")
    #expect(secrets.redact("Basic dGlsbDpwcjB4eUBwYXNz") == "Basic [redacted]")
    #expect(secrets.redact("http://till:pr0xy%40pass@h") == "http://till:[redacted]@h")
    #expect(secrets.redact("pr0xy@pass") == "[redacted]")
    #expect(base64(Array("Ma".utf8)) == "TWE=")
    #expect(base64(Array("M".utf8)) == "TQ==")
  }

  @Test func jsonIsRedactedInItsStringsNamesAndNumbers() throws {
    let secrets = Secrets()
    secrets.add(card: try JSONValue.parse(Array(#"{"number":"4111111111111111","month":1}"#.utf8)))
    let value = try JSONValue.parse(
      Array(#"{"pan":4111111111111111,"4111111111111111":"x","month":1}"#.utf8))
    #expect(
      secrets.redact(value).serialized()
        == #"{"pan":"[redacted]","[redacted]":"x","month":1}"#)
  }

  @Test func withoutSecretsTextIsUnchanged() {
    #expect(Secrets().redact("anything") == "anything")
  }
}
