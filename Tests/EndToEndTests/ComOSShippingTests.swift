import Foundation
import Testing

/// Physical goods: `checkout start --customer-name --shipping-address FILE`, and
/// `checkout shipping ID [--carrier --service]`, end to end against the sandbox. The address
/// is personal data: it is in no file till writes, and the HAR log redacts it.
@Suite struct ComOSShippingTests {
  static let kettle = "665f1c2ae4b0a1d2c3f40002"
  static let address =
    #"{"line1":"12 Harbour Lane","line2":"Flat 3","city":"Portland","state":"OR","#
    + #""postalCode":"97201","country":"US"}"#

  @Test(arguments: [SharedSandbox.baseURL + "/mcp", SharedSandbox.baseURL + "/mcp/sse"])
  func aPhysicalProductIsBoughtEndToEnd(endpoint: String) throws {
    let till = comosTill(endpoint: endpoint)
    let cart = "ship-\(UUID().uuidString)@example.com"
    #expect(try till.run(["cart", "add", "--cart", cart, "--product", Self.kettle]).status == 0)

    let noAddress = try till.run(["checkout", "start", "--cart", cart, "--user", "u1"])
    #expect(noAddress.status == 1, "\(noAddress.stderr)")
    #expect(noAddress.stderr.contains("INVALID_ADDRESS"))

    let addressFile = till.stateHome + "/address.json"
    try Self.address.write(toFile: addressFile, atomically: true, encoding: .utf8)
    let har = till.stateHome + "/run.har"
    let started = try till.run([
      "-q", "--trace", har, "checkout", "start", "--cart", cart, "--user", "u1",
      "--customer-name", "Ann Lee", "--shipping-address", addressFile,
    ])
    #expect(started.status == 0, "\(started.stderr)")
    let saga = started.stdout.trimmingCharacters(in: .newlines)

    let options = try till.run(["checkout", "shipping", saga])
    #expect(options.status == 0, "\(options.stderr)")
    #expect(options.stdoutLines.first?.hasPrefix("CARRIER  SERVICE  PRICE") == true)
    #expect(options.stdoutLines.count == 5)
    #expect(options.stdoutLines[1].contains("yes"), "the default method is shown as chosen")
    let quiet = try till.run(["-q", "checkout", "shipping", saga])
    #expect(quiet.stdoutLines == ["ups/ground", "ups/express", "fedex/ground", "fedex/express"])
    let chosen = try till.run([
      "checkout", "shipping", saga, "--carrier", "fedex", "--service", "express",
    ])
    #expect(chosen.status == 0, "\(chosen.stderr)")
    #expect(chosen.stdout == "Saga \(saga) ships by fedex/express; total 71.00 USD\n")
    let unknown = try till.run([
      "checkout", "shipping", saga, "--carrier", "dhl", "--service", "x",
    ])
    #expect(unknown.status == 4)
    let half = try till.run(["checkout", "shipping", saga, "--carrier", "ups"])
    #expect(half.status == 2)

    // Standard input takes the address too; the saga pays with the gateway's test card.
    let second = "ship-\(UUID().uuidString)@example.com"
    _ = try till.run(["cart", "add", "--cart", second, "--product", Self.kettle])
    let paid = try till.run(
      [
        "checkout", "start", "--cart", second, "--user", "u1", "--payment-method",
        "pm_test_visa", "--shipping-address", "-", "--watch", "--interval", "50ms",
      ], stdin: Self.address)
    #expect(paid.status == 0, "\(paid.stderr)")
    #expect(paid.stdoutLines.last?.contains("completed") == true)
    let late = try till.run([
      "checkout", "shipping", try #require(sagaID(in: paid.stdout)), "--carrier", "ups",
      "--service", "express",
    ])
    #expect(late.status == 7, "choosing after the saga ran on is a conflict: \(late.stderr)")

    // Nothing till wrote holds the address or the name; the HAR log redacts them.
    for secret in ["Harbour", "Portland", "97201", "Ann Lee"] {
      let files = FileManager.default.enumerator(atPath: till.stateHome)
      while let file = files?.nextObject() as? String {
        let path = till.stateHome + "/" + file
        guard path != addressFile,
          let text = try? String(contentsOfFile: path, encoding: .utf8)
        else { continue }
        #expect(!text.contains(secret), "\(secret) is in \(file)")
      }
    }
    let log = try String(contentsOfFile: har, encoding: .utf8)
    #expect(log.contains(#"shippingAddress\":\"[redacted]\""#), "\(log.prefix(400))")
  }

  @Test func aBadAddressFileIsAUsageErrorThatQuotesNothingOfIt() throws {
    let till = comosTill()
    for (text, problem) in [
      ("[1]", "is not a JSON object"),
      (#"{"line1":"9 Secret St","city":"Oslo","country":"NO"}"#, "lacks postalCode"),
      (#"{"line1":"9 Secret St","zip":"1"}"#, "has a field 'zip' the gateway does not take"),
    ] {
      let result = try till.run(
        ["checkout", "start", "--cart", "c", "--user", "u", "--shipping-address", "-"],
        stdin: text)
      #expect(result.status == 2, "\(text): \(result.stderr)")
      #expect(result.stderr.contains("the shipping address in standard input \(problem)"))
      #expect(!result.stderr.contains("Secret"))
    }
    let other = try Till().run(["--api", "c2a", "checkout", "start", "--shipping-address", "-"])
    #expect(other.status == 2)
  }
}

/// The same path against a server built on the official MCP Python SDK.
@Suite struct ComOSShippingSDKTests {
  @Test(.mcpSDKServer, arguments: [MCPServerProcess.Mode.json, .legacy])
  func aPhysicalProductAgainstTheSDKServer(mode: MCPServerProcess.Mode) throws {
    let server = try MCPServerProcess.start(mode: mode)
    defer { server.stop() }
    let till = comosTill(endpoint: server.baseURL)
    let cart = "sdk-ship-\(UUID().uuidString)@example.com"
    let shoes = "665f1c2ae4b0a1d2c3f4a001"
    #expect(try till.run(["cart", "add", "--cart", cart, "--product", shoes]).status == 0)
    let refused = try till.run(["checkout", "start", "--cart", cart, "--user", "u1"])
    #expect(refused.status == 1, "\(mode): \(refused.stderr)")
    #expect(refused.stderr.contains("INVALID_ADDRESS"))
    let started = try till.run(
      [
        "-q", "checkout", "start", "--cart", cart, "--user", "u1", "--customer-name", "Ann Lee",
        "--shipping-address", "-",
      ], stdin: ComOSShippingTests.address)
    #expect(started.status == 0, "\(mode): \(started.stderr)")
    let saga = started.stdout.trimmingCharacters(in: .newlines)
    let options = try till.run(["-q", "checkout", "shipping", saga])
    #expect(options.stdoutLines == ["fedex/ground", "fedex/express"], "\(options.stderr)")
    let chosen = try till.run([
      "checkout", "shipping", saga, "--carrier", "fedex", "--service", "express",
    ])
    #expect(chosen.stdout == "Saga \(saga) ships by fedex/express; total 111.5 USD\n")
  }
}
