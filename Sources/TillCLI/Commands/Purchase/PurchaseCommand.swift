import TillArguments
import TillKit

/// `till purchase`: the chosen API's whole flow against its server, step by step.
struct PurchaseCommand: TillCommand {
  static let spec = CommandSpec(
    name: "purchase",
    abstract: "Run a whole purchase, from the first step to the confirmed result.",
    discussion: """
      Runs the chosen API's flow against its server, from its first step to the confirmed \
      result, each step as the command it stands for would (below: each API's steps). A step \
      that fails ends the purchase with its error and the exit status of \
      its meaning (till help exit-codes); what earlier steps made stays made, and the \
      checkout is in the history (checkout status --last). A page a human must complete \
      (3-D Secure, a hosted payment page) is shown, and till waits for it. --json prints one \
      line per step, --report-junit writes one test case per step, -q prints only the \
      checkout's id at the end. --max-wait bounds the whole purchase; without it a purchase \
      gives up after 10m, so a CI job never hangs.
      """,
    options: [
      CommandTree.intervalOption,
      .value(
        "report-junit", "FILE", .file,
        help: "Write a JUnit XML report: one test case per step, failed or skipped unless it "
          + "passed (what CI test reporters read)."),
    ])

  let invocation: Invocation

  func run() throws(TillError) -> ExitStatus {
    try PurchaseRunner(invocation: invocation, browser: nil).run()
  }
}

/// Runs the API's purchase and tells how it ended: for `till purchase`, and for `till demo`
/// with the demo's stand-in browser.
struct PurchaseRunner {
  let invocation: Invocation
  let browser: PurchaseBrowser?

  func run() throws(TillError) -> ExitStatus {
    invocation.installSignalHandlers()
    let purchase = try Purchase(invocation: invocation, browser: browser)
    let outcome: PurchaseOutcome
    do throws(TillError) {
      outcome = try invocation.api.purchase(purchase)
    } catch {
      purchase.writeReports()
      throw error
    }
    purchase.writeReports()
    let console = invocation.console
    if invocation.settings.quiet {
      try console.outID(outcome.id, what: "checkout id")
    } else if purchase.narrates {
      console.outputIndent = ""
      console.out("")
      let elapsed = formatDuration(purchase.clock.now - purchase.startedAt)
      console.out("Purchased in \(elapsed): \(outcome.summary)")
    }
    return .success
  }
}

/// How a purchase ended: the checkout it made and, for a human, what was bought.
struct PurchaseOutcome {
  var id: String
  var summary: String
}
