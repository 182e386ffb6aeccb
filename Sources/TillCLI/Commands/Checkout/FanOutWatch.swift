import Glibc
import TillArguments
import TillKit

/// `checkout status ID ID… [--watch]` and `--ids-from FILE|-`: many checkouts read at once by
/// one thread, through libcurl's multi interface, each on its own schedule.
struct FanOutWatch {
  static let defaultParallel = 16
  /// How often the live table refreshes its ages while nothing changes.
  static let tableRefresh: Duration = .milliseconds(500)

  let invocation: Invocation
  var settings: Settings { invocation.settings }
  var console: Console { invocation.console }
  var parsed: ParsedCommand { invocation.parsed }

  func run() throws(TillError) -> ExitStatus {
    guard !parsed.flag("last") else {
      throw TillError(.usage, "give checkout ids or --last, not both")
    }
    let ids = try checkoutIDs()
    let parallel = try parallelLimit()
    let interval = try Settings.duration(parsed, "interval") ?? .seconds(2)
    let follows = parsed.flag("watch")
    invocation.installSignalHandlers()
    let clock = SystemClock(interruption: interruption)
    let adapter = try invocation.makeAdapter(clock: clock)
    guard adapter.statusRequest(id: ids[0]) != nil else {
      throw TillError(
        .usage, "--api \(adapter.api) cannot read several checkouts at once; give one id")
    }
    let multi: CurlMulti
    do {
      multi = try CurlMulti(
        options: invocation.transportOptions(), connections: parallel, trace: invocation.trace)
    } catch {
      throw .transport(error)
    }
    let history = try HistoryRecorder(invocation)
    let display = FanOutDisplay(console: console, settings: settings, clock: clock)
    let watcher = FanOutWatcher(
      ids: ids, adapter: adapter, transport: multi, clock: clock,
      policy: FanOutPolicy(
        poll: PollPolicy(
          interval: interval, maxWait: settings.maxWait,
          backsOffWhileUnchanged: !adapter.isServerPaced),
        parallel: parallel, follows: follows,
        tick: display.isLive ? FanOutWatch.tableRefresh : nil),
      interruption: interruption)
    let status = watcher.run { event in
      if case .changed(let index, let status, let poll) = event {
        let shown = savingChallengePage(status)
        history.record(shown, started: false)
        display.changed(shown, poll: poll, index: index, watcher: watcher)
      } else {
        display.handle(event, watcher: watcher)
      }
    }
    display.finish(watcher: watcher, exitStatus: status)
    report(watcher, api: adapter.api, now: clock.now)
    return concludingStatus(status, watcher: watcher)
  }

  /// For CI: a JUnit test case per checkout (`--report-junit`), and GitHub annotations.
  private func report(_ watcher: FanOutWatcher, api: String, now: Duration) {
    let reports = watcher.checkouts.map { checkout -> WatchReport in
      let seconds = ((checkout.endedAt ?? now) - watcher.startedAt).secondsDouble
      let outcome: WatchOutcome
      switch checkout.ending {
      case .watched(let watched)?: outcome = watched
      case .seen(let status)?: outcome = .terminal(status)
      case .failed(let error)?:
        return WatchReport(
          id: checkout.id, api: api, outcome: "error", message: error.message, seconds: seconds)
      case nil: outcome = .interrupted(checkout.last)
      }
      return WatchReport(id: checkout.id, api: api, outcome: outcome, seconds: seconds)
    }
    if let path = parsed.value("report-junit") {
      JUnitReport.write(reports, to: path, console: console)
    }
    JUnitReport.annotate(reports, environment: settings.environment, console: console)
  }

  /// Tells what was left unfinished and how to pick it up again.
  private func concludingStatus(_ status: ExitStatus, watcher: FanOutWatcher) -> ExitStatus {
    let unfinished = watcher.checkouts.filter { checkout in
      switch checkout.ending {
      case .watched(.timedOut), .watched(.interrupted): return true
      default: return false
      }
    }
    guard !unfinished.isEmpty else { return status }
    let count = unfinished.count == 1 ? "1 checkout" : "\(unfinished.count) checkouts"
    if let reason = console.stdoutFailureText {
      if console.readerGone { return .outputClosed }
      console.error("cannot write to standard output: \(reason); \(count) go on without till.")
      console.reportedOutputFailure = true
    } else if status == .interrupted {
      console.err("till: interrupted; \(count) go on without till.")
    } else {
      console.error(
        "gave up after --max-wait \(formatDuration(settings.maxWait ?? .zero)): \(count) "
          + "reached no final state")
    }
    console.err("Resume with: \(resumeCommand(unfinished: unfinished.map(\.id)))")
    if console.stdoutFailure != nil { return .serverOrNetwork }
    if status == .interrupted, interruption.signal == SIGTERM { return .terminated }
    return status
  }

  /// The ids given as arguments, then those of --ids-from, each once, in order.
  private func checkoutIDs() throws(TillError) -> [String] {
    var ids = parsed.arguments("id")
    for id in ids {
      if let problem = CheckoutID.problem(id, fromServer: false) {
        throw TillError(
          .usage,
          "'\(safe(id))' is not a checkout id: it \(problem)")
      }
    }
    if let source = parsed.value("ids-from") {
      let bytes: [UInt8]
      if source == "-" {
        guard let input = invocation.readStandardInput() else {
          throw TillError(.usage, "could not read the checkout ids from standard input")
        }
        bytes = input
      } else {
        bytes = try LocalFile.read(source, what: "id file")
      }
      switch CheckoutID.list(in: bytes) {
      case .success(let listed): ids += listed
      case .failure(let failure):
        let name = source == "-" ? "standard input" : "'\(source)'"
        throw TillError(
          .usage, "line \(failure.line) of \(name) is not a checkout id: it \(failure.problem)")
      }
    }
    var seen = Set<String>()
    ids = ids.filter { seen.insert($0).inserted }
    guard !ids.isEmpty else {
      throw TillError(.usage, "no checkout ids in '\(parsed.value("ids-from") ?? "")'")
    }
    return ids
  }

  private func parallelLimit() throws(TillError) -> Int {
    guard let text = parsed.value("parallel") else { return FanOutWatch.defaultParallel }
    guard let value = Int(text), (1...1000).contains(value) else {
      throw TillError(.usage, "invalid value '\(text)' for '--parallel': expected 1…1000")
    }
    return value
  }

  /// The status with its 3-D Secure page saved; a failure to save it is a warning.
  private func savingChallengePage(_ status: CheckoutStatus) -> CheckoutStatus {
    let (saved, problem) = ChallengePage.saving(status, in: invocation.stateDirectory)
    if let problem { console.warning(problem.message) }
    return saved
  }

  /// The command that watches what is left, with the same non-secret settings: the same id
  /// file when there was one, else the unfinished ids.
  func resumeCommand(unfinished: [String]) -> String {
    var ids = unfinished
    var options: [String] = []
    if let file = parsed.value("ids-from"), file != "-" {
      ids = parsed.arguments("id")
      options = ["--ids-from", file]
    }
    options.append("--watch")
    for name in ["interval", "parallel"] {
      if let value = parsed.value(name) { options += ["--\(name)", value] }
    }
    let words =
      globalResumeWords(parsed, settings) + ["checkout", "status"]
      + CheckoutID.arguments(ids, then: options)
    return words.map(shellQuote).joined(separator: " ")
  }
}
