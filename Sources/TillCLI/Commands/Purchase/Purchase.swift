import Glibc
import TillArguments
import TillKit

/// One run of `till purchase`: an API's flow as numbered steps, each narrated on a terminal,
/// one NDJSON line with --json, one JUnit test case with --report-junit. A step that fails
/// ends the purchase with its error and exit status; the steps after it are reported as
/// skipped. `till demo` runs the same against the built-in sandbox.
final class Purchase {
  let invocation: Invocation
  let clock: SystemClock
  /// When the purchase began, on `clock`: --max-wait counts from here.
  let startedAt: Duration
  /// The longest the whole purchase may take.
  let maxWait: Duration
  /// Who completes what a human must do in a browser (3-D Secure, a hosted payment page):
  /// the demo's stand-in browser, or nil when a human does it while till waits.
  let browser: PurchaseBrowser?

  /// Where each checkout the purchase starts is kept, for `checkout status --last`.
  let history: HistoryRecorder
  private var planned: [String] = []
  /// Polls of the checkout so far, across steps, so each step's lines go on counting.
  private var pollsSoFar = 0
  private(set) var reports: [WatchReport] = []
  private var lazyAdapter: CheckoutAdapter?

  var console: Console { invocation.console }
  var parsed: ParsedCommand { invocation.parsed }
  var settings: Settings { invocation.settings }
  /// The wait between polls when the server gives no Retry-After.
  let interval: Duration
  /// Narration is for a human on a terminal: --json and -q print none.
  var narrates: Bool { !settings.json && !settings.quiet }

  /// Without --max-wait a purchase still ends: a CI job that hangs tells nothing.
  static let defaultMaxWait: Duration = .seconds(600)

  init(invocation: Invocation, browser: PurchaseBrowser?) throws(TillError) {
    self.invocation = invocation
    self.browser = browser
    history = try HistoryRecorder(invocation)
    clock = SystemClock(interruption: interruption)
    startedAt = clock.now
    maxWait = invocation.settings.maxWait ?? Self.defaultMaxWait
    interval =
      try Settings.duration(invocation.parsed, "interval")
      ?? (browser == nil ? .seconds(2) : .seconds(1))
  }

  /// The API's adapter on the run's settings, made once; its retries stop at --max-wait.
  func adapter() throws(TillError) -> CheckoutAdapter {
    if let lazyAdapter { return lazyAdapter }
    let made = try invocation.makeAdapter(clock: clock, deadline: startedAt + maxWait)
    lazyAdapter = made
    return made
  }

  /// The adapter as the API's concrete type.
  func adapter<A>(_ type: A.Type) throws(TillError) -> A {
    guard let adapter = try adapter() as? A else {
      throw TillError(.usage, "purchase: --api \(invocation.api.name) has no such adapter")
    }
    return adapter
  }

  /// The value of `--name`, or a usage error saying the purchase needs it for its API
  /// (`shape` says what it is), before anything is sent.
  func required(_ name: String, _ shape: String) throws(TillError) -> String {
    try parsed.requiredValue(name, shape, "for --api \(invocation.api.name)")
  }

  /// The steps, by name, in order: what "Step 2 of 5" counts and the report lists.
  func plan(_ steps: [String]) { planned = steps }

  /// Runs step `name`: its title and the command it stands for first, then `body`, which
  /// tells what it found through the record. A step that throws is reported failed, the
  /// rest skipped, and the error goes on.
  @discardableResult
  func step<T>(
    _ name: String, _ title: String, command: [String],
    _ body: (inout PurchaseStep) throws(TillError) -> T
  ) throws(TillError) -> T {
    let number = reports.count + 1
    let total = max(planned.count, number)
    let began = clock.now
    // `--api` as the run was given it, so the line runs as it reads.
    let api = settings.api.source == "--api" ? ["--api", settings.api.value] : []
    // Secrets and personal data the purchase was given (an email, a name) stay out of it.
    let shown = invocation.secrets.redact(
      (["till"] + api + command).map(shellQuote).joined(separator: " "))
    if narrates {
      console.outputIndent = ""
      console.out("")
      console.out(console.paint("Step \(number) of \(total): \(name): \(title)", "1"))
      console.outputIndent = "  "
      console.out(console.paint("$ \(shown)", "2"))
    }
    var record = PurchaseStep(narrates: narrates, console: console)
    do throws(TillError) {
      let value = try body(&record)
      finish(name, number, total, shown, began, record, error: nil)
      return value
    } catch {
      finish(name, number, total, shown, began, record, error: error)
      skipRest(after: number)
      throw TillError(
        error.status, "purchase step \(number) of \(total) (\(name)): \(error.message)")
    }
  }

  private func finish(
    _ name: String, _ number: Int, _ total: Int, _ command: String, _ began: Duration,
    _ record: PurchaseStep, error: TillError?
  ) {
    let seconds = (clock.now - began).secondsDouble
    reports.append(
      WatchReport(
        id: "\(number) \(name)", api: "purchase.\(invocation.api.name)",
        outcome: error == nil ? "passed" : record.outcome ?? "failed",
        message: error.map { "step \(number) (\(name)): \($0.message)" } ?? "", seconds: seconds))
    guard settings.json else { return }
    var members: [(String, JSONValue)] = [
      ("step", .number(String(number))), ("of", .number(String(total))), ("name", .string(name)),
      ("command", .string(command)),
      ("status", .string(error == nil ? "passed" : "failed")),
      ("seconds", .number(threeDecimals(max(0, seconds)))),
    ]
    if !record.facts.isEmpty { members.append(("result", .object(record.facts))) }
    if let error {
      members.append(("exitStatus", .number(String(error.status.rawValue))))
      members.append(("error", .string(error.message)))
    }
    console.out(JSONValue.object(members).serialized())
  }

  private func skipRest(after number: Int) {
    guard number < planned.count else { return }
    for (index, name) in planned.enumerated().dropFirst(number) {
      reports.append(
        WatchReport(
          id: "\(index + 1) \(name)", api: "purchase.\(invocation.api.name)",
          outcome: "skipped", message: "not run: an earlier step failed", seconds: 0))
      if settings.json {
        console.out(
          JSONValue.object([
            ("step", .number(String(index + 1))), ("of", .number(String(planned.count))),
            ("name", .string(name)), ("status", .string("skipped")),
          ]).serialized())
      }
    }
  }

  /// A checkout the server accepted: kept in the history first, then checked as an id a
  /// script may be given.
  func started(_ status: CheckoutStatus, _ record: inout PurchaseStep, fact: String)
    throws(TillError)
  {
    history.record(status, started: true)
    if let problem = CheckoutID.problem(status.id, fromServer: true) {
      throw TillError(
        .serverOrNetwork,
        "the server accepted the checkout, but its id '\(safe(status.id))' \(problem); till "
          + "does not pass it on. It is in the history: till checkout status --last")
    }
    record.fact(fact, status.id)
  }

  /// Follows checkout `initial` until it completes, or until `until` holds (a saga asking for
  /// payment), showing each change on a terminal; a page a human must complete is handed to
  /// the browser, or shown while till waits. Any other end is an error with the exit status
  /// of its meaning; `what` says what a wait cut short by --max-wait was waiting for.
  func watch(
    _ initial: CheckoutStatus, _ record: inout PurchaseStep, waitingFor what: String? = nil,
    until: ((CheckoutStatus) -> Bool)? = nil
  ) throws(TillError) -> CheckoutStatus {
    let adapter = try adapter()
    let renderer = StatusRenderer(console: console, settings: settings)
    let remaining = maxWait - (clock.now - startedAt)
    let watcher = CheckoutWatcher(
      clock: clock,
      policy: PollPolicy(
        interval: interval, maxWait: max(remaining, .zero),
        backsOffWhileUnchanged: !adapter.isServerPaced),
      recorder: invocation.recorder)
    var visited = Set<String>()
    var browserError: TillError?
    var polls = 0
    let id = initial.id
    let before = pollsSoFar
    let outcome = try watcher.watch(
      initial: initial,
      fetch: { () throws(TillError) -> CheckoutStatus in try adapter.status(id: id) },
      onChange: { status, poll in
        polls = poll
        history.record(status, started: false)
        if narrates {
          renderer.change(
            status, poll: poll == 0 ? 0 : before + poll, elapsed: clock.now - startedAt)
        }
        guard status.state == .actionRequired, let url = status.redirect?.url,
          !visited.contains(url)
        else { return }
        visited.insert(url)
        guard let browser else {
          if !narrates { humanNeeded(url, for: status.id) }
          return
        }
        do throws(TillError) {
          let said = try browser.complete(url)
          record.say("The demo's browser completed it: \(said)")
        } catch {
          browserError = error
        }
      }, until: until)
    pollsSoFar = before + polls
    if let browserError { throw browserError }
    record.fact("polls", .number(String(polls)))
    switch outcome {
    case .reached(let status):
      return status
    case .terminal(let status) where status.state == .completed:
      record.fact("state", .string(status.state.rawValue))
      record.fact("serverState", .string(status.serverState))
      return status
    case .interrupted:
      record.outcome = "interrupted"
      let signalled = interruption.signal == SIGTERM ? ExitStatus.terminated : .interrupted
      throw TillError(
        signalled,
        "interrupted; checkout \(safe(id)) goes on without till. Resume with: "
          + resumeLine(id))
    case .timedOut(let status, let polls):
      record.outcome = "timed_out"
      let state = status.map { "is still \(safe($0.serverState))" } ?? "has no answer yet"
      let waiting = what.map { ", waiting for \($0)" } ?? ""
      throw TillError(
        .timedOut,
        "gave up after --max-wait \(formatDuration(maxWait)) for the whole purchase: checkout "
          + "\(safe(id)) \(state) (\(polls) polls)\(waiting). Resume with: " + resumeLine(id))
    case .actionRequired:
      throw TillError(
        .actionRequired,
        "checkout \(safe(id)) needs a human to complete \(invocation.api.capabilities.challenge),"
          + " and the server said no further steps follow")
    default:
      record.outcome = outcome.word
      throw TillError(outcome.exitStatus, outcome.summary(id: id))
    }
  }

  /// The step that puts `line` into a cart the server keeps (`cart add`): the cart's id, how
  /// many items it holds and its total, where the server says.
  func cartStep(_ title: String, _ line: ProductLine, adapter: CheckoutAdapter) throws(TillError) {
    let words = ["--cart", line.cart ?? "", "--product", line.product ?? ""]
    try step(
      "cart", title, command: ["cart", "add"] + words + ["--quantity", String(line.quantity)]
    ) {
      record throws(TillError) in
      let summary = try adapter.addToCart(CartAddition(details: line))
      record.fact("cartId", summary.id)
      record.fact("items", .number(String(summary.itemCount)))
      if let total = summary.total { record.fact("total", total) }
      let items = summary.itemCount == 1 ? "1 item" : "\(summary.itemCount) items"
      record.say(
        "Cart \(safe(summary.id)): \(items)" + (summary.total.map { ", total \(safe($0))" } ?? "")
          + ".")
    }
  }

  /// The step that follows checkout `status` to its end (`checkout status ID --watch`): the
  /// order it made, where the server names one.
  @discardableResult
  func watchStep(_ name: String, _ title: String, _ status: CheckoutStatus) throws(TillError)
    -> String?
  {
    try step(
      name, title,
      command: ["checkout", "status"] + CheckoutID.arguments([status.id], then: ["--watch"])
    ) { record throws(TillError) in
      let order = try watch(status, &record).reference("orderId")
      if let order { record.fact("orderId", order) }
      return order
    }
  }

  /// With --json or -q nothing is narrated, but a page only a human can complete must still
  /// reach one: standard error says where it is.
  private func humanNeeded(_ url: String, for id: String) {
    console.err(
      "till: checkout \(safe(id)) waits for a human (\(invocation.api.capabilities.challenge)): "
        + "open \(safe(url))")
  }

  /// `till checkout status ID --watch`, with the run's API and base URL.
  func resumeLine(_ id: String) -> String {
    let words =
      globalResumeWords(parsed, settings) + ["checkout", "status"]
      + CheckoutID.arguments([id], then: ["--watch"])
    return words.map(shellQuote).joined(separator: " ")
  }

  /// The report for CI, once the purchase has ended either way.
  func writeReports() {
    if let path = parsed.value("report-junit") {
      JUnitReport.write(reports, to: path, console: console, suite: JUnitReport.purchaseSuite)
    }
    JUnitReport.annotate(
      reports, environment: settings.environment, console: console, title: "till purchase")
  }
}

/// What one step found: lines narrated on a terminal and facts for its NDJSON line.
struct PurchaseStep {
  let narrates: Bool
  let console: Console
  private(set) var facts: [(String, JSONValue)] = []
  /// How the step ended when it did not pass, in one word for the report.
  var outcome: String?

  init(narrates: Bool, console: Console) {
    self.narrates = narrates
    self.console = console
  }

  /// A line for the human at the terminal.
  func say(_ line: String) {
    if narrates { console.out(line) }
  }

  /// A value for the step's NDJSON line.
  mutating func fact(_ name: String, _ value: JSONValue) {
    facts.removeAll { $0.0 == name }
    facts.append((name, value))
  }

  mutating func fact(_ name: String, _ text: String?) {
    fact(name, text.map(JSONValue.string) ?? .null)
  }
}

/// Completes a page a human would open (a 3-D Secure challenge, a hosted payment page), as
/// the demo's stand-in for a browser; answers what it did.
struct PurchaseBrowser {
  let complete: (String) throws(TillError) -> String
}
