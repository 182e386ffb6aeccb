import Foundation
import Testing
import TillKit
import TillSandbox

// MARK: - C2A customers, offers and subscriptions

extension FaultCase {
  /// A fake C2A server that answers every request with `response`.
  static func accountCase(
    _ fault: String, group: Group = .c2aAccounts, arguments: [String], status: Int32,
    message: String?,
    response: [UInt8], check: @escaping @Sendable (FaultObservation) -> Void = { _ in }
  ) -> FaultCase {
    FaultCase(
      group: group, fault: fault, command: arguments.joined(separator: " "),
      expectedStatus: status, expectedMessage: message, printsID: false,
      run: { try observeFake(try FaultServer { _, _ in .respond(response) }, arguments) },
      check: check)
  }

  static let accounts: [FaultCase] = [
    accountCase(
      "Controls in an offer's bundle names, campaign and expiry",
      arguments: ["offer", "resolve", "--customer", "cu.1"], status: 0, message: nil,
      response: httpResponse(
        200, "OK",
        json: #"{"offer":{"offerIdentifier":"of.1","expiresAt":"\#(hostileJSONText)","#
          + #""campaigns":[{"name":"\#(hostileJSONText)"}],"artifactGroups":[{"#
          + #""bundleUrn":"bn.\#(hostileJSONText)","name":"\#(hostileJSONText)","#
          + #""price":{"amountMilpieces":1499,"currency":"\#(hostileJSONText)"}}]},"#
          + #""status":{"messageCode":"SUCCESS"}}"#),
      check: { observation in
        expectNoRawControls(observation)
        #expect(observation.result.stdout.contains(#"14.99 \x1b[2J"#))
      }),
    accountCase(
      "Controls in a refusal's message code and message",
      arguments: ["subscription", "cancel", "or.1"], status: 7,
      message: "requesting the cancellation of or.1: conflict (HTTP 409)",
      response: httpResponse(
        409, "Conflict",
        json: #"{"result":null,"status":{"messageCode":"X\#(hostileJSONText)","#
          + #""message":"\#(hostileJSONText)"}}"#),
      check: { observation in
        expectNoRawControls(observation)
        #expect(observation.result.stderr.split(separator: "\n").count == 1)
      }),
    accountCase(
      "A refusal with a known code under HTTP 200: the code decides",
      arguments: ["customer", "show", "cu.1"], status: 4,
      message: "CUSTOMER_NOT_FOUND: gone; check the URN",
      response: httpResponse(
        200, "OK",
        json: #"{"result":null,"status":{"messageCode":"CUSTOMER_NOT_FOUND","message":"gone"}}"#)
    ),
    accountCase(
      "SUCCESS with the payload null",
      arguments: ["offer", "resolve", "--customer", "cu.1"], status: 8,
      message: "resolving the offer: the answer has no 'offer'",
      response: httpResponse(200, "OK", json: #"{"offer":null,"status":{"messageCode":"SUCCESS"}}"#)
    ),
    accountCase(
      "A subscription list that is not a list",
      arguments: ["subscription", "list", "cu.1"], status: 8,
      message: "the answer has no result list",
      response: httpResponse(
        200, "OK", json: #"{"result":{"bundleName":"x"},"status":{"messageCode":"SUCCESS"}}"#)),
    accountCase(
      "An HTML 502 page from a proxy in front of customer/store",
      arguments: [
        "customer", "add", "--external-id", "x", "--email", "x@example.com", "--country", "DE",
      ], status: 8, message: "storing the customer: server error (HTTP 502)",
      response: httpResponse(
        502, "Bad Gateway", body: Array("<html><body>Bad gateway</body></html>".utf8),
        contentType: "text/html")),
    accountCase(
      "A customerUrn that begins with '-', printed with -q",
      arguments: [
        "-q", "customer", "add", "--external-id", "x", "--email", "x@example.com", "--country",
        "DE",
      ], status: 8, message: "begins with '-', so a command line would read it as an option",
      response: httpResponse(
        200, "OK",
        json: #"{"result":{"customerUrn":"--base-url=http://evil/"},"#
          + #""status":{"messageCode":"SUCCESS"}}"#),
      check: { observation in #expect(observation.result.stdout.isEmpty) }),
    accountCase(
      "A price of 10^20 milpieces, past Int",
      arguments: ["offer", "resolve", "--customer", "cu.1"], status: 0, message: nil,
      response: httpResponse(
        200, "OK",
        json: #"{"offer":{"offerIdentifier":"of.1","artifactGroups":[{"bundleUrn":"bn.1","#
          + #""name":"Pro","price":{"amountMilpieces":100000000000000000000,"currency":"EUR"}}]},"#
          + #""status":{"messageCode":"SUCCESS"}}"#),
      check: { observation in
        #expect(
          observation.result.stdoutLines.contains { $0.hasPrefix("bn.1") && $0.hasSuffix("-") })
      }),
  ]
}
