import Glibc
import TillArguments
import TillKit

/// A checkout command that may follow a checkout to its end: start, status, pay, retry. What
/// a watch does, prints and records is here, once.
protocol FollowingCommand: TillCommand {}

extension FollowingCommand {
  /// The id argument, or with --last the newest checkout in the history (whose API and base
  /// URL are used unless the flags, environment or profile name others).
  func checkoutID() throws(TillError) -> String {
    if let last = invocation.lastCheckout { return last.id }
    guard let given = parsed.argument("id"), !given.isEmpty else {
      throw TillError(
        .usage, "\(parsed.path.joined(separator: " ")) needs a checkout id (or --last)")
    }
    if let problem = CheckoutID.problem(given, fromServer: false) {
      throw TillError(.usage, "'\(safe(given))' is not a checkout id: it \(problem)")
    }
    return given
  }

  /// Watches until a final state and reports how the watch ended.
  func follow(
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
    let shownID = safe(id)
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
    case .reached:
      // A follow sets no condition of its own.
      break
    }
    return outcome.exitStatus
  }

  /// After a watch that saw checkout `id` complete: what the API confirms of it (a
  /// subscription bought). The checkout is done whatever that says, so a failure to read it
  /// is a warning; -q and --json print nothing more.
  func confirm(_ id: String, adapter: CheckoutAdapter) {
    guard !settings.quiet, !settings.json else { return }
    do throws(TillError) {
      for line in try invocation.api.confirmation(ofCheckout: id, invocation, adapter: adapter) {
        console.out(line)
      }
    } catch {
      console.warning("checkout \(safe(id)) completed, but confirming it failed: \(error.message)")
    }
  }

  /// For CI: the watch's outcome as a JUnit report (`--report-junit`), and under GitHub
  /// Actions an annotation when it did not complete.
  func report(id: String, api: String, outcome: WatchOutcome, elapsed: Duration) {
    let report = WatchReport(id: id, api: api, outcome: outcome, seconds: elapsed.secondsDouble)
    if let path = parsed.value("report-junit") {
      JUnitReport.write([report], to: path, console: console)
    }
    JUnitReport.annotate([report], environment: settings.environment, console: console)
  }

  /// What a command that may watch needs, set up before its first request: SIGINT and SIGTERM
  /// end a watch cleanly, and while watching the adapter's retries stop at `--max-wait`.
  func prepareRun() throws(TillError) -> WatchableRun {
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

  func interrupted(id: String, last: CheckoutStatus?) -> ExitStatus {
    let state = last.map { " (last seen \($0.state.rawValue))" } ?? ""
    if let reason = console.stdoutFailureText {
      // Stopped because standard output failed, not by a signal.
      if console.readerGone { return .outputClosed }
      console.error(
        "cannot write to standard output: \(reason); checkout \(safe(id))\(state) goes on "
          + "without till.")
      console.err("Resume with: \(resumeCommand(id: id))")
      console.reportedOutputFailure = true
      return .serverOrNetwork
    }
    console.err(
      "till: interrupted; checkout \(safe(id))\(state) goes on "
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

/// A command run that may watch: see `FollowingCommand.prepareRun`.
struct WatchableRun {
  let clock: SystemClock
  /// When the run began, on `clock`: `--max-wait` counts from here.
  let startedAt: Duration
  let watch: Bool
  let interval: Duration
  let adapter: CheckoutAdapter
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
    case .reached: return "reached"
    }
  }

  /// One line for a report: the final state, the server's word and message.
  func summary(id: String) -> String {
    let last: CheckoutStatus?
    switch self {
    case .terminal(let status), .actionRequired(let status), .followUpStopped(let status),
      .reached(let status):
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
