import Testing

/// `till demo`, the README's first command: `till purchase` against the sandbox in the same
/// process, for each API, with the demo completing what a human would in a browser.
@Suite struct DemoEndToEndTests {
  @Test(arguments: [
    (
      [],
      [
        "$ till --api c2a purchase --email '[redacted]' --country DE --promotion WELCOME10 "
          + "--card-file card.json",
        "Step 5 of 5: subscription: read the subscription it made",
        "The demo's browser completed it: GET http://127.0.0.1:",
        "active: Pro Monthly, renews ", "Purchased in ",
      ]
    ),
    (
      ["--api", "ticketing"],
      [
        "Step 1 of 6: seatmap", "(section A, row 1, seat 1): 80.00, available.",
        "saw the reservation after", "Step 6 of 6: paid",
        "the catalog shows seat 5ea70000-0000-4000-8000-000000110101 sold.", "Purchased in ",
      ]
    ),
    (
      ["--api", "acme"],
      ["Step 3 of 3: saga", "completed       COMPLETED", "Purchased in ", ", order ord_"]
    ),
    (
      ["--api", "comos"],
      [
        "(legacy HTTP+SSE) on http://127.0.0.1:", "Step 3 of 4: payment",
        "The demo's browser completed it: POST http://127.0.0.1:",
        "track it with: till order track ord_",
      ]
    ),
  ])
  func aWholePurchaseRunsAgainstTheBuiltInSandbox(options: [String], expected: [String]) throws {
    // Nothing to connect to but what the demo starts itself.
    let till = Till(apiKey: nil, baseURL: nil)
    let demo = try till.run(options + ["demo"], timeout: 60)
    #expect(demo.status == 0, "\(demo.stdout)\(demo.stderr)")
    #expect(demo.stderr.isEmpty, "\(demo.stderr)")
    for text in expected {
      #expect(demo.stdout.contains(text), "\(demo.stdout)")
    }
    #expect(!demo.stdout.contains("demo-key"), "the demo's API key is never printed")
    #expect(!demo.stdout.contains("4000000000003220"), "nor its card")
    #expect(!demo.stdout.contains("Harbour Lane"), "nor its address")
    #expect(!demo.stdout.contains("ada@example.com"), "nor the customer's email")
    #expect(!demo.stdout.contains("Ann Lee"), "nor the name on the label")

    // Inside a step, every line (the command's own output too) sits two columns in, under
    // the step's title; the lines before the first step and after the last one do not.
    var step: String?
    var steps = 0
    for line in demo.stdoutLines {
      if line.hasPrefix("Step ") {
        step = line
        steps += 1
      } else if line.hasPrefix("Purchased") {
        step = nil
      } else if let step {
        #expect(line.hasPrefix("  "), "in '\(step)': '\(line)'")
      } else {
        #expect(!line.hasPrefix(" "), "outside the steps: '\(line)'")
      }
    }
    #expect(steps >= 3)
  }

  /// The demo is `purchase`: with --json, the same one line a step.
  @Test func withJSONTheDemoPrintsALineAStep() throws {
    let till = Till(apiKey: nil, baseURL: nil)
    let demo = try till.run(["--api", "acme", "--json", "demo"], timeout: 60)
    #expect(demo.status == 0, "\(demo.stderr)")
    #expect(demo.stdoutLines.count == 3, "\(demo.stdout)")
    #expect(demo.stdoutLines.allSatisfy { $0.contains(#""status":"passed""#) }, "\(demo.stdout)")
  }
}
