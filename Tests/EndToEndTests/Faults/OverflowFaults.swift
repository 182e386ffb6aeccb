import Foundation
import Testing
import TillKit

// MARK: - Numbers that overflow

extension FaultCase {
  static let largest = String(Int.max)

  /// A cart answer whose two items' quantities add up past `Int.max`.
  static let overflowingItems =
    #"[{"productId":"p1","quantity":\#(largest)},{"productId":"p2","quantity":\#(largest)}]"#

  /// A JSON-RPC answer to the tool call in `request`, with `value` as its structured content.
  static func toolResult(_ request: ReceivedRequest, _ value: String) -> FaultAction {
    let id =
      (try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])?["id"]
      as? Int ?? 0
    return .respond(
      httpResponse(
        200, "OK",
        json: #"{"jsonrpc":"2.0","id":\#(id),"result":{"content":[],"structuredContent":"#
          + value + "}}"))
  }

  static let overflow: [FaultCase] = [
    FaultCase(
      group: .overflow, fault: "Local cart: the same item twice, each `Int.max`",
      command: "cart add --item a:\(largest) (run twice)", expectedStatus: 2,
      expectedMessage: "the quantity of 'a' would pass \(largest)", printsID: false,
      run: {
        let till = Till(baseURL: nil)
        var observation = try observe(till, ["cart", "add", "--item", "a:\(largest)"])
        observation.files["first"] = observation.result.stdout
        observation = try observe(till, ["cart", "add", "--item", "a:\(largest)"])
        observation.files["cart"] = fileText(till.stateHome + "/state/till/cart.json")
        return observation
      },
      check: { observation in
        #expect(!observation.crashed)
        #expect(
          observation.files["cart"]?.contains(#"{"id":"a","quantity":\#(largest)}"#) == true,
          "the cart was changed: \(observation.files["cart"] ?? "none")")
      }),
    FaultCase(
      group: .overflow, fault: "Acme cart whose item quantities add up past `Int.max`",
      command: "--api acme cart add --cart \(acmeCart) --product \(acmeProduct)",
      expectedStatus: 8,
      expectedMessage: "the server's cart \(acmeCart) holds quantities that add up past \(largest)",
      printsID: false,
      run: {
        let server = try FaultServer { _, _ in
          .respond(
            httpResponse(
              200, "OK",
              json: #"{"cartId":"\#(acmeCart)","status":"OPEN","items":\#(overflowingItems)}"#))
        }
        return try observeFake(
          server,
          ["--api", "acme", "cart", "add", "--cart", acmeCart, "--product", acmeProduct])
      },
      check: { #expect(!$0.crashed) }),
    FaultCase(
      group: .overflow, fault: "ComOS cart whose item quantities add up past `Int.max`",
      command: "--api comos cart add --cart C --product p1", expectedStatus: 8,
      expectedMessage: "the server's cart C holds quantities that add up past \(largest)",
      printsID: false,
      run: {
        let proxy = try mcpProxy { request in
          toolResult(request, #"{"cartId":"C","items":\#(overflowingItems)}"#)
        }
        return try observeCartAdd(proxy, path: "/mcp")
      },
      check: { #expect(!$0.crashed) }),
  ]
}

/// An Acme cart and product: UUIDs, as the Acme schemas type them.
private let acmeCart = "00000000-0000-4000-8000-0000000000c1"
private let acmeProduct = "5ca1ab1e-0000-4000-8000-00000000c0ff"
