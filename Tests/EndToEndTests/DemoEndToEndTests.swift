import Testing

/// `till demo`, the README's first command: a whole purchase against the sandbox in the same
/// process, for each API it can show.
@Suite struct DemoEndToEndTests {
  @Test(arguments: [
    ([], ["Done in ", "over 1 TCP connection, 0 of them before the Retry-After it asked for."]),
    (
      ["--api", "ticketing"],
      ["declined: Payment failed: your card was declined. (CARD_DECLINED)", "Done. "]
    ),
    (["--api", "acme"], ["Done: one saga completed, one compensated"]),
    (
      ["--api", "comos"],
      [
        "(legacy HTTP+SSE, in this process)", "physical  Pour-over kettle",
        "Ships by UPS Express; total 68.00 USD.", ": delivered\n",
        "Done: found, bought, shipped and delivered through the gateway's tools.",
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

    // Inside a step, every line (the command's own output too) sits two columns in, under
    // the step's title; the lines before the first step and after the last one do not.
    var step: String?
    var steps = 0
    for line in demo.stdoutLines {
      if line.hasPrefix("Step ") {
        step = line
        steps += 1
      } else if line.hasPrefix("Done") {
        step = nil
      } else if let step {
        #expect(line.hasPrefix("  "), "in '\(step)': '\(line)'")
      } else {
        #expect(!line.hasPrefix(" "), "outside the steps: '\(line)'")
      }
    }
    #expect(steps >= 3)
  }
}
