import Glibc
import TillArguments
import TillKit

/// `checkout start` and `checkout status`.
struct CheckoutCommands {
  let invocation: Invocation
  var settings: Settings { invocation.settings }
  var console: Console { invocation.console }
  var parsed: ParsedCommand { invocation.parsed }

  init(_ invocation: Invocation) { self.invocation = invocation }

  func start() throws(TillError) -> ExitStatus {
    // Each API reads its own options and checks them before anything is sent.
    let prepared = try invocation.api.checkoutRequest(invocation)
    let request = prepared.request
    // Ctrl-C or SIGTERM during the submit ends it cleanly, so the key that was sent is told.
    invocation.installSignalHandlers()
    var history = try HistoryRecorder(invocation, baseURL: try settings.requireBaseURL())
    let run = try prepareRun()
    let adapter = run.adapter
    if case .user(let user)? = request.owner { history.user = user }
    let accepted: CheckoutStatus
    do throws(TillError) {
      accepted = try adapter.start(request)
    } catch {
      if error.status == .serverOrNetwork, !request.retriesSubmit {
        let why =
          "the body has no order object to hold a correlationId, so the server could not "
          + "tell a retry from a second order"
        let said =
          error.message.hasSuffix(notSentAgain)
          ? String(error.message.dropLast(notSentAgain.count)) : error.message
        throw TillError(error.status, said + "; not sent again: " + why)
      }
      guard error.status == .interrupted else { throw error }
      return interruptedSubmit(request, adapter: adapter, history: history)
    }
    if let problem = CheckoutID.problem(accepted.id, fromServer: true) {
      // Kept, so that `--last` finds it; never printed where a script would pass it on.
      history.record(accepted, started: true)
      throw TillError(
        .serverOrNetwork,
        "the server accepted the checkout, but its id '\(safe(accepted.id))' \(problem); "
          + "till does not pass it on. It is in the history: till checkout status --last")
    }
    try prepared.afterAccepted?()
    // The id is printed and recorded first, whatever happens to a 3-D Secure page after.
    let (submitted, pageProblem) = ChallengePage.saving(
      accepted, in: invocation.stateDirectory)
    if run.watch, !adapter.isAsynchronous {
      console.err(
        "till: note: --api \(adapter.api) checks out within the request; nothing to watch")
    }
    guard run.watch, adapter.isAsynchronous else {
      history.record(submitted, started: true)
      StatusRenderer(console: console, settings: settings).show(submitted)
      if let pageProblem { console.warning(pageProblem.message) }
      return .success
    }
    return try follow(
      run, id: submitted.id, initial: submitted, history: history, pageProblem: pageProblem)
  }

  func status() throws(TillError) -> ExitStatus {
    if parsed.arguments("id").count > 1 || parsed.has("ids-from") {
      return try FanOutWatch(invocation).run()
    }
    let id = try checkoutID()
    let history = try HistoryRecorder(invocation, baseURL: try settings.requireBaseURL())
    let run = try prepareRun()
    guard run.watch else {
      var (status, pageProblem) = ChallengePage.saving(
        try run.adapter.status(id: id), in: invocation.stateDirectory)
      if status.state == .unknown, let seen = lastSeen(id) {
        status.message = (status.message.map { $0 + "; " } ?? "") + seen
      }
      StatusRenderer(console: console, settings: settings).show(status)
      if let pageProblem { console.warning(pageProblem.message) }
      history.record(status, started: false)
      return status.state.exitStatus
    }
    return try follow(run, id: id, initial: nil, history: history)
  }

  /// `checkout trace ID`: a status (or with --watch, the whole watch) recorded as a HAR log,
  /// by default `till-trace-ID.har` in the current directory.
  func trace() throws(TillError) -> ExitStatus {
    var name = "till-trace.har"
    if parsed.arguments("id").count <= 1, !parsed.has("ids-from") {
      let id = try checkoutID()
      name =
        "till-trace-"
        + String(
          id.map { $0.isASCII && ($0.isLetter || $0.isNumber || "-_".contains($0)) ? $0 : "_" })
        + ".har"
    }
    invocation.startTrace(to: parsed.value("output") ?? name)
    return try status()
  }

  /// For a server that does not report a state (a synchronous order service): the last
  /// state this machine saw, from the history, and that it is not the server's word.
  private func lastSeen(_ id: String) -> String? {
    guard let entries = try? invocation.history().entries().entries else { return nil }
    guard let entry = entries.first(where: { $0.id == id }), entry.state != "unknown" else {
      return nil
    }
    let how = entry.recordedBy.map { ", from till \(safe($0))" } ?? ""
    return "last seen here: \(safe(entry.state)), as of \(ISOTime.format(entry.updatedAt))"
      + how
  }

  /// The id argument, or with --last the newest checkout in the history (whose API and base
  /// URL are used unless the flags, environment or profile name others).
  private func checkoutID() throws(TillError) -> String {
    let given = parsed.argument("id")
    guard parsed.flag("last") else {
      guard let given, !given.isEmpty else {
        throw TillError(
          .usage, "\(parsed.path.joined(separator: " ")) needs a checkout id (or --last)")
      }
      if let problem = CheckoutID.problem(given, fromServer: false) {
        throw TillError(.usage, "'\(safe(given))' is not a checkout id: it \(problem)")
      }
      return given
    }
    guard given == nil else {
      throw TillError(.usage, "give a checkout id or --last, not both")
    }
    let (entries, warnings) = try invocation.history().entries()
    for warning in warnings { console.warning(warning) }
    guard let last = entries.first else {
      throw TillError(
        .notFound, "no checkout in the history yet; start one with 'till checkout start'")
    }
    if invocation.settings.baseURL == nil {
      invocation.settings.baseURL = Sourced(value: last.baseURL, source: "the history")
    }
    if invocation.settings.api.source == "default" {
      invocation.settings.api = Sourced(value: last.api, source: "the history")
    }
    return last.id
  }

  /// Watches until a final state and reports how the watch ended.
  private func follow(
    _ run: WatchableRun, id: String, initial: CheckoutStatus?, history: HistoryRecorder,
    pageProblem: TillError? = nil
  ) throws(TillError) -> ExitStatus {
    let (clock, startedAt, adapter) = (run.clock, run.startedAt, run.adapter)
    let renderer = StatusRenderer(console: console, settings: settings)
    let live =
      LiveStatusView.fits(console, style: renderer.style)
      ? LiveStatusView(renderer: renderer) : nil
    let watcher = CheckoutWatcher(
      clock: clock,
      policy: PollPolicy(
        interval: run.interval, maxWait: settings.maxWait,
        backsOffWhileUnchanged: !adapter.isServerPaced),
      recorder: invocation.recorder)
    var last = initial
    var writeError = pageProblem
    let outcome: WatchOutcome
    do throws(TillError) {
      outcome = try watcher.watch(
        initial: initial, startedAt: startedAt,
        fetch: { () throws(TillError) -> CheckoutStatus in try adapter.status(id: id) },
        onChange: { status, poll in
          let (shown, problem) = ChallengePage.saving(
            status, in: invocation.stateDirectory)
          if let problem { writeError = problem }
          last = shown
          if let live {
            live.redraw(shown, poll: poll, elapsed: clock.now - startedAt)
          } else {
            renderer.change(shown, poll: poll, elapsed: clock.now - startedAt)
          }
          history.record(shown, started: poll == 0)
        })
    } catch {
      guard error.status == .interrupted else { throw error }
      report(id: id, api: adapter.api, outcome: .interrupted(last), elapsed: clock.now - startedAt)
      return interrupted(id: id, last: last)
    }
    report(id: id, api: adapter.api, outcome: outcome, elapsed: clock.now - startedAt)
    if let writeError { console.warning(writeError.message) }
    let shownID = sanitizeForTerminal(id, singleLine: true)
    switch outcome {
    case .terminal(let status):
      if status.state != .completed, settings.quiet || settings.json {
        console.error(
          "checkout \(shownID) ended \(status.state.rawValue) (\(safe(status.serverState)))")
      }
      if status.state == .failed, status.steps.contains(where: { $0.retryable == true }) {
        let words =
          globalResumeWords(parsed, settings) + ["checkout", "retry"] + CheckoutID.arguments([id])
        console.err("Retry with: " + words.map(shellQuote).joined(separator: " "))
      }
      if renderer.style == .quiet, status.state == .completed { return .success }
      return outcome.exitStatus
    case .actionRequired:
      console.error(
        "checkout \(shownID) needs a human to complete 3-D Secure, and the server said no "
          + "further steps follow")
    case .timedOut(let status, let polls):
      let state = status.map { " is still \($0.state.rawValue)" } ?? " has no answer yet"
      let limit = formatDuration(settings.maxWait ?? .zero)
      if let asked = status.flatMap({ PollPolicy.serverDelay($0.hint) }),
        let maxWait = settings.maxWait, asked > maxWait
      {
        // Stopped at once rather than at the end of --max-wait: say why.
        console.error(
          "stopped: the server asks to wait \(formatDuration(asked)) before the next poll, "
            + "longer than --max-wait \(limit); checkout \(shownID)\(state) (\(polls) polls)")
      } else {
        console.error(
          "gave up after --max-wait \(limit): checkout \(shownID)\(state) (\(polls) polls)")
      }
      console.err("Resume with: \(resumeCommand(id: id))")
    case .followUpStopped(let status):
      console.error(
        "the server said not to follow up (canFollowUp: false) while checkout \(shownID) "
          + "is \(status.state.rawValue)")
    case .interrupted(let status):
      return interrupted(id: id, last: status ?? last)
    }
    return outcome.exitStatus
  }

  /// For CI: the watch's outcome as a JUnit report (`--report-junit`), and under GitHub
  /// Actions an annotation when it did not complete.
  private func report(id: String, api: String, outcome: WatchOutcome, elapsed: Duration) {
    let report = WatchReport(id: id, api: api, outcome: outcome, seconds: elapsed.secondsDouble)
    if let path = parsed.value("report-junit") {
      JUnitReport.write([report], to: path, console: console)
    }
    JUnitReport.annotate([report], environment: settings.environment, console: console)
  }

  /// What a command that may watch needs, set up before its first request: SIGINT and SIGTERM
  /// end a watch cleanly, and while watching the adapter's retries stop at `--max-wait`.
  private func prepareRun() throws(TillError) -> WatchableRun {
    let clock = SystemClock(interruption: interruption)
    let startedAt = clock.now
    let interval = try Settings.duration(parsed, "interval") ?? .seconds(2)
    let watch = parsed.flag("watch")
    if watch { invocation.installSignalHandlers() }
    let deadline = watch ? settings.maxWait.map { startedAt + $0 } : nil
    let adapter = try invocation.makeAdapter(clock: clock, deadline: deadline)
    return WatchableRun(
      clock: clock, startedAt: startedAt, watch: watch, interval: interval, adapter: adapter)
  }

  /// Interrupted while the submit was in flight: the server may or may not have taken it.
  /// An API that dedupes by correlation id takes the same command with that id again safely; the
  /// attempt goes into the history as `unknown` under that id.
  private func interruptedSubmit(
    _ request: CheckoutRequest, adapter: CheckoutAdapter, history: HistoryRecorder
  ) -> ExitStatus {
    let signalled = interruption.signal == SIGTERM ? ExitStatus.terminated : .interrupted
    if console.readerGone { return .outputClosed }
    guard invocation.api.capabilities.dedupesByCorrelationID else {
      console.err(
        "till: interrupted while submitting; the server may have started the checkout. "
          + "Look with: till checkout list --user ID")
      return signalled
    }
    let key = sanitizeForTerminal(request.correlationId, singleLine: true)
    console.err(
      "till: interrupted while submitting; the server may or may not have the checkout "
        + "(correlation id \(key)).")
    console.err("Re-submit safely (the server dedupes by this id) with: \(resubmitCommand(key))")
    history.recordUnknown(id: request.correlationId, api: adapter.api)
    return signalled
  }

  /// This `checkout start` again, with `--correlation-id` set to the key already sent.
  private func resubmitCommand(_ key: String) -> String {
    var words = globalResumeWords(parsed, settings) + ["checkout", "start"]
    let own = Set(parsed.command.options.map(\.long)).subtracting(["correlation-id"])
    for option in parsed.options where own.contains(option.long) {
      words.append("--" + option.long)
      if let value = option.value { words.append(value) }
    }
    words += ["--correlation-id", key]
    return words.map(shellQuote).joined(separator: " ")
  }

  private func interrupted(id: String, last: CheckoutStatus?) -> ExitStatus {
    let state = last.map { " (last seen \($0.state.rawValue))" } ?? ""
    if let reason = console.stdoutFailureText {
      // Stopped because standard output failed, not by a signal.
      if console.readerGone { return .outputClosed }
      console.error(
        "cannot write to standard output: \(reason); checkout "
          + "\(sanitizeForTerminal(id, singleLine: true))\(state) goes on without till.")
      console.err("Resume with: \(resumeCommand(id: id))")
      console.reportedOutputFailure = true
      return .serverOrNetwork
    }
    console.err(
      "till: interrupted; checkout \(sanitizeForTerminal(id, singleLine: true))\(state) goes on "
        + "without till.")
    console.err("Resume with: \(resumeCommand(id: id))")
    return interruption.signal == SIGTERM ? .terminated : .interrupted
  }

  /// The command that picks the watch up again, with the same non-secret settings.
  func resumeCommand(id: String) -> String {
    var options = ["--watch"]
    if let interval = parsed.value("interval") { options += ["--interval", interval] }
    let words =
      globalResumeWords(parsed, settings) + ["checkout", "status"]
      + CheckoutID.arguments([id], then: options)
    return words.map(shellQuote).joined(separator: " ")
  }

}

/// `till` and the global options a resumed command needs: the non-secret ones this run was
/// given, a base URL's password redacted.
func globalResumeWords(_ parsed: ParsedCommand, _ settings: Settings) -> [String] {
  var words = ["till"]
  for name in ["profile", "api", "base-url", "tenant", "api-key-file", "cacert"] {
    guard let value = parsed.value(name) else { continue }
    words += ["--\(name)", name == "base-url" ? redactingPassword(in: value) : value]
  }
  if settings.insecure { words.append("--insecure") }
  if parsed.flag("allow-https-upgrade") { words.append("--allow-https-upgrade") }
  return words
}

/// A command run that may watch: see `CheckoutCommands.prepareRun`.
struct WatchableRun {
  let clock: SystemClock
  /// When the run began, on `clock`: `--max-wait` counts from here.
  let startedAt: Duration
  let watch: Bool
  let interval: Duration
  let adapter: CheckoutAdapter
}

/// Keeps `history.jsonl` up to date for checkouts this machine started. A failure to write it
/// is a warning: the checkout itself must not fail for it.
struct HistoryRecorder {
  let invocation: Invocation
  let baseURL: String
  let history: CheckoutHistory
  private let known: KnownCheckouts
  /// The user a `checkout start` named, kept with the checkout so a list can be filtered.
  var user: String?

  init(_ invocation: Invocation, baseURL: String) throws(TillError) {
    self.invocation = invocation
    self.baseURL = baseURL
    history = try invocation.history()
    known = KnownCheckouts(history)
  }

  /// Records a new checkout, or the latest state of one started here before (by this run
  /// too: a watch after `checkout start` keeps the history at the state it last saw).
  func record(_ status: CheckoutStatus, started: Bool) {
    if started {
      known.insert(status.id)
    } else if !known.contains(status.id) || status.state == .unknown {
      // A look that learnt no state keeps the last one known.
      return
    }
    let now = wallClockNow()
    let entry = HistoryEntry(
      id: status.id, api: status.api, baseURL: baseURL,
      profile: invocation.settings.profile?.name, startedAt: now, state: status.state.rawValue,
      serverState: status.serverState, updatedAt: now, user: started ? user : nil)
    write(entry)
  }

  /// Records a submit whose answer never came: `unknown`, under the key that was sent.
  func recordUnknown(id: String, api: String) {
    let now = wallClockNow()
    write(
      HistoryEntry(
        id: id, api: api, baseURL: baseURL, profile: invocation.settings.profile?.name,
        startedAt: now, state: "unknown", serverState: "submit interrupted", updatedAt: now))
  }

  private func write(_ entry: HistoryEntry) {
    var entry = entry
    entry.recordedBy = invocation.parsed.path.joined(separator: " ")
    do throws(TillError) {
      try history.record(entry)
    } catch {
      invocation.console.warning(error.message)
    }
  }
}

/// Which checkouts the history holds, read when first asked. The first question, all a single
/// status asks, is answered by comparing bytes; a second reads every id into a set once, for a
/// watch or a fan-out that asks at each change.
private final class KnownCheckouts {
  private let history: CheckoutHistory
  private var recorded: Set<String> = []
  private var inFile: Set<String>?
  private var asked = false

  init(_ history: CheckoutHistory) { self.history = history }

  func insert(_ id: String) { recorded.insert(id) }

  func contains(_ id: String) -> Bool {
    if recorded.contains(id) { return true }
    if let inFile { return inFile.contains(id) }
    guard asked else {
      asked = true
      if history.contains(id) { recorded.insert(id) }
      return recorded.contains(id)
    }
    let ids = history.ids()
    inFile = ids
    return ids.contains(id)
  }
}

func wallClockNow() -> Int64 { Int64(time(nil)) }

extension CheckoutCommands {
  /// `checkout list`: the history, newest first.
  func list() throws(TillError) -> ExitStatus {
    var limit = 20
    if let text = parsed.value("limit") {
      guard let value = Int(text), value >= 1 else {
        throw TillError(.usage, "invalid value '\(text)' for '--limit': expected 1 or more")
      }
      limit = value
    }
    var (all, warnings) = try invocation.history().entries()
    for warning in warnings { console.warning(warning) }
    if let user = parsed.value("user") {
      all = try merged(all, withServerSagasOf: user)
    } else if parsed.value("status") != nil {
      throw TillError(.usage, "--status filters the server's sagas; give --user ID too")
    }
    let entries = all.prefix(limit)
    if settings.json {
      console.out(JSONValue.array(entries.map(\.publicJSON)).serialized())
      return .success
    }
    if settings.quiet {
      // Ids for a script to pass on: one it could take for an option, or that does not show
      // as itself, is named on standard error instead.
      for entry in entries {
        if let problem = CheckoutID.problem(entry.id, fromServer: true) {
          console.warning("not listing checkout '\(safe(entry.id))': its id \(problem)")
        } else {
          console.out(entry.id)
        }
      }
      return .success
    }
    guard !entries.isEmpty else {
      console.out("No checkouts yet. Start one with 'till checkout start'.")
      return .success
    }
    let now = wallClockNow()
    let rows = entries.map { entry in
      [
        entry.id, entry.api, entry.state, ageText(seconds: now - entry.startedAt),
        entry.profile ?? "-", entry.baseURL,
      ].map { sanitizeForTerminal($0, singleLine: true) }
    }
    let header = ["ID", "API", "STATE", "STARTED", "PROFILE", "BASE URL"]
    let widths = header.indices.map { column in
      ([header[column]] + rows.map { $0[column] }).map { displayWidth($0) }.max() ?? 0
    }
    for row in [header] + rows {
      let cells = row.indices.map { column in
        column == row.count - 1
          ? row[column]
          : row[column]
            + String(repeating: " ", count: max(0, widths[column] - displayWidth(row[column])))
      }
      console.out(cells.joined(separator: "  "))
    }
    return .success
  }
}

extension CheckoutCommands {
  /// `checkout cancel ID`.
  func cancel() throws(TillError) -> ExitStatus {
    let id = parsed.argument("id") ?? ""
    let history = try HistoryRecorder(invocation, baseURL: try settings.requireBaseURL())
    let clock = SystemClock(interruption: interruption)
    let adapter = try invocation.makeAdapter(clock: clock)
    let status = try adapter.cancel(id: id)
    history.record(status, started: false)
    StatusRenderer(console: console, settings: settings).show(status)
    return .success
  }

  /// `checkout pay ID --amount A`, or a hosted payment page where the API has one.
  func pay() throws(TillError) -> ExitStatus {
    let id = parsed.argument("id") ?? ""
    if invocation.api.capabilities.hasHostedPaymentPage { return try paymentSession(id: id) }
    guard let amount = parsed.value("amount") else {
      throw TillError(.usage, "checkout pay needs --amount AMOUNT (e.g. 50.00)")
    }
    let owner = try invocation.owner()
    let history = try HistoryRecorder(invocation, baseURL: try settings.requireBaseURL())
    let clock = SystemClock(interruption: interruption)
    let adapter = try invocation.makeAdapter(clock: clock)
    let payment = try adapter.pay(id: id, amount: amount, owner: owner)
    var paid = CheckoutStatus(
      id: id, api: adapter.api, state: .completed, serverState: "paid",
      hint: PollHint(canFollowUp: false))
    paid.references = [("paymentId", payment.id ?? "-"), ("paymentStatus", payment.status)]
    history.record(paid, started: false)
    if settings.json {
      console.out(payment.raw.serialized())
    } else if settings.quiet {
      console.out(sanitizeForTerminal(payment.id ?? id, singleLine: true))
    } else {
      let reference =
        payment.id.map { " (payment \(sanitizeForTerminal($0, singleLine: true)))" } ?? ""
      console.out(
        "Paid \(amount) for order \(sanitizeForTerminal(id, singleLine: true))\(reference): "
          + sanitizeForTerminal(payment.status, singleLine: true))
    }
    return .success
  }
}

extension CheckoutCommands {
  /// Polls a saga until it is `payment_pending`; nil when interrupted. A saga that ends first,
  /// or `--max-wait` passing, is an error naming the state it is in.
  private func awaitPaymentPending(id: String, run: WatchableRun) throws(TillError)
    -> CheckoutStatus?
  {
    let deadline = settings.maxWait.map { run.startedAt + $0 }
    var delay = run.interval
    while true {
      let current = try run.adapter.status(id: id)
      if current.serverState == "payment_pending" { return current }
      if current.state.isTerminal {
        throw TillError(
          .conflict,
          "saga \(safe(id)) ended \(safe(current.serverState)) before it asked for payment")
      }
      let next = run.clock.now + delay
      if let deadline, next > deadline {
        throw TillError(
          .timedOut,
          "gave up after --max-wait \(formatDuration(settings.maxWait ?? .zero)): saga "
            + "\(safe(id)) is still \(safe(current.serverState)), not payment_pending")
      }
      guard run.clock.sleep(until: next) else { return nil }
      delay = min(delay * 3 / 2, run.interval * 4)
    }
  }

  /// A hosted payment page. Without --watch a human must act: exit 3. With --watch, the
  /// saga is followed through payment_pending to its end.
  func paymentSession(id: String) throws(TillError) -> ExitStatus {
    let history = try HistoryRecorder(invocation, baseURL: try settings.requireBaseURL())
    let run = try prepareRun()
    if run.watch {
      // Straight after `checkout start` the saga is still reserving: wait, as a watch does,
      // until it asks for payment.
      guard try awaitPaymentPending(id: id, run: run) != nil else {
        return interrupted(id: id, last: nil)
      }
    }
    let status: CheckoutStatus
    do throws(TillError) {
      status = try run.adapter.createPaymentSession(id: id)
    } catch {
      guard error.status == .conflict, !run.watch else { throw error }
      throw TillError(
        .conflict,
        error.message + "; to wait for it, run: till checkout pay "
          + CheckoutID.arguments([id], then: ["--watch"]).map(shellQuote).joined(separator: " "))
    }
    guard run.watch else {
      StatusRenderer(console: console, settings: settings).show(status)
      history.record(status, started: false)
      return status.state.isTerminal ? status.state.exitStatus : .actionRequired
    }
    return try follow(run, id: id, initial: status, history: history)
  }

  /// `checkout retry ID`: only a failed or compensated saga; the server refuses others.
  func retry() throws(TillError) -> ExitStatus {
    let id = parsed.argument("id") ?? ""
    let history = try HistoryRecorder(invocation, baseURL: try settings.requireBaseURL())
    let run = try prepareRun()
    let current = try run.adapter.status(id: id)
    guard current.state == .failed || current.state == .compensated else {
      throw TillError(
        .conflict,
        "saga \(safe(id)) is \(safe(current.serverState)); only a "
          + "failed or compensated saga can be retried")
    }
    let status = try run.adapter.retry(id: id)
    guard run.watch else {
      StatusRenderer(console: console, settings: settings).show(status)
      history.record(status, started: false)
      return .success
    }
    return try follow(run, id: id, initial: status, history: history)
  }
}

extension CheckoutCommands {
  /// The local history with the server's own list of the user's checkouts: the server's state
  /// wins for a checkout both know; the server's other checkouts are added.
  func merged(_ local: [HistoryEntry], withServerSagasOf user: String) throws(TillError)
    -> [HistoryEntry]
  {
    let clock = SystemClock(interruption: interruption)
    let adapter = try invocation.makeAdapter(clock: clock)
    let remote = try adapter.list(user: user, status: parsed.value("status"))
    let baseURL = try settings.requireBaseURL()
    // Only what was asked about: this user's checkouts, by the server's list or as started here.
    let theirs = Set(remote.map(\.id))
    var entries = local.filter { $0.user == user || theirs.contains($0.id) }
    for saga in remote {
      let since = saga.stateSince ?? wallClockNow()
      if let index = entries.firstIndex(where: { $0.id == saga.id }) {
        entries[index].state = saga.state.rawValue
        entries[index].serverState = saga.serverState
        entries[index].updatedAt = since
      } else {
        let started =
          saga.raw?["createdAt"]?.string.flatMap(ISOTime.parse) ?? since
        entries.append(
          HistoryEntry(
            id: saga.id, api: saga.api, baseURL: baseURL, profile: settings.profile?.name,
            startedAt: started, state: saga.state.rawValue, serverState: saga.serverState,
            updatedAt: since, user: user))
      }
    }
    if parsed.value("status") != nil {
      let ids = Set(remote.map(\.id))
      entries.removeAll { !ids.contains($0.id) }
    }
    return entries.sorted { $0.startedAt > $1.startedAt }
  }
}

extension WatchOutcome {
  /// How the watch ended, in one word: the final state, or why there was none.
  var word: String {
    switch self {
    case .terminal(let status): return status.state.rawValue
    case .actionRequired: return "action_required"
    case .timedOut: return "timed_out"
    case .followUpStopped: return "follow_up_stopped"
    case .interrupted: return "interrupted"
    }
  }

  /// One line for a report: the final state, the server's word and message.
  func summary(id: String) -> String {
    let last: CheckoutStatus?
    switch self {
    case .terminal(let status), .actionRequired(let status), .followUpStopped(let status):
      last = status
    case .timedOut(let status, _), .interrupted(let status):
      last = status
    }
    guard let last else { return "checkout \(id): \(word.replacingAll("_", with: " ")), no answer" }
    let message = last.message.map { ": " + $0 } ?? ""
    return
      "checkout \(id) \(word == last.state.rawValue ? "ended" : "\(word.replacingAll("_", with: " ")),")"
      + " \(last.state.rawValue) (\(last.serverState))\(message)"
  }
}
