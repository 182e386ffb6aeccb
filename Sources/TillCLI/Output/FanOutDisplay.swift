import Glibc
import TillArguments
import TillKit

/// What a fan-out shows: a table redrawn in place on a terminal, one line per change in a pipe,
/// one JSON object per change with --json, nothing but errors with -q; and a summary at the end.
final class FanOutDisplay {
  private enum Mode { case table, lines, json, quiet }

  private let console: Console
  private let renderer: StatusRenderer
  private let clock: PollClock
  private let mode: Mode
  /// Lines the table took when last drawn, to move back over them.
  private var drawnLines = 0
  private var lastDraw: Duration?
  /// Messages held back while the table is on screen, printed after it.
  private var heldMessages: [String] = []

  init(console: Console, settings: Settings, clock: PollClock) {
    self.console = console
    self.clock = clock
    renderer = StatusRenderer(console: console, settings: settings)
    switch renderer.style {
    case .json: mode = .json
    case .quiet: mode = .quiet
    case .human: mode = console.drawsInPlace ? .table : .lines
    }
  }

  var isLive: Bool { mode == .table }

  func changed(_ status: CheckoutStatus, poll: Int, index: Int, watcher: FanOutWatcher) {
    switch mode {
    case .table: drawTable(watcher, force: false)
    case .lines: renderer.change(status, poll: poll, elapsed: clock.now - watcher.startedAt)
    case .json:
      console.out(
        renderer.json(status, poll: poll, elapsed: clock.now - watcher.startedAt).serialized())
    case .quiet: break
    }
  }

  func handle(_ event: FanOutEvent, watcher: FanOutWatcher) {
    switch event {
    case .changed: break
    case .tick: drawTable(watcher, force: true)
    case .ended(let index):
      let checkout = watcher.checkouts[index]
      if mode == .table { drawTable(watcher, force: false) }
      guard let message = FanOutDisplay.message(for: checkout) else { return }
      switch mode {
      case .table: heldMessages.append(message)
      case .lines, .quiet: console.error(message)
      case .json:
        let code = checkout.ending?.exitStatus.rawValue ?? 0
        let line: JSONValue = .object([
          ("id", .string(checkout.id)), ("error", .string(message)),
          ("exitStatus", .number(String(code))),
        ])
        console.out(line.serialized())
      }
    }
  }

  func finish(watcher: FanOutWatcher, exitStatus: ExitStatus) {
    let elapsed = clock.now - watcher.startedAt
    switch mode {
    case .table:
      drawTable(watcher, force: true)
      for message in heldMessages { console.error(message) }
    case .lines: console.out("Summary: " + FanOutDisplay.summary(watcher, elapsed: elapsed))
    case .json:
      let counts = FanOutDisplay.outcomeCounts(watcher.checkouts)
      let summary: JSONValue = .object([
        (
          "summary",
          .object([
            ("checkouts", .number(String(watcher.checkouts.count))),
            ("outcomes", .object(counts.map { ($0.word, .number(String($0.count))) })),
            ("polls", .number(String(watcher.checkouts.reduce(0) { $0 + $1.polls }))),
            ("requests", .number(String(watcher.requestsSent))),
            ("elapsedMs", .number(String(elapsed.milliseconds))),
            ("exitStatus", .number(String(exitStatus.rawValue))),
          ])
        )
      ])
      console.out(summary.serialized())
    case .quiet: break
    }
  }

  /// A line for standard error about a checkout that ended without a final state of its own.
  static func message(for checkout: WatchedCheckout) -> String? {
    let id = safe(checkout.id)
    switch checkout.ending {
    case .failed(let error):
      return error.message
    case .watched(.actionRequired):
      return "checkout \(id) needs a human to complete 3-D Secure, and the server said no "
        + "further steps follow"
    case .watched(.followUpStopped(let status)):
      return "the server said not to follow up (canFollowUp: false) while checkout \(id) is "
        + status.state.rawValue
    default:
      return nil
    }
  }

  /// One word for where a checkout is or how it ended: its state, or what stopped it.
  static func outcome(of checkout: WatchedCheckout) -> String {
    switch checkout.ending {
    case nil: return checkout.last?.state.rawValue ?? "waiting"
    case .seen(let status): return status.state.rawValue
    case .watched(let outcome):
      switch outcome {
      case .terminal(let status): return status.state.rawValue
      case .actionRequired: return CheckoutState.actionRequired.rawValue
      case .timedOut: return "timed_out"
      case .followUpStopped: return "follow_up_stopped"
      case .interrupted: return "interrupted"
      case .reached(let status): return status.state.rawValue
      }
    case .failed(let error):
      switch error.status {
      case .notFound: return "not_found"
      case .authentication, .checkoutFailed: return "refused"
      case .conflict: return "conflict"
      default: return "error"
      }
    }
  }

  /// How many checkouts are at each outcome, in the order the outcomes first appear.
  static func outcomeCounts(_ checkouts: [WatchedCheckout]) -> [(word: String, count: Int)] {
    var counts: [(word: String, count: Int)] = []
    for checkout in checkouts {
      let word = outcome(of: checkout)
      if let position = counts.firstIndex(where: { $0.word == word }) {
        counts[position].count += 1
      } else {
        counts.append((word, 1))
      }
    }
    return counts
  }

  /// `5 checkouts: 3 completed, 1 failed, 1 not found; 14 polls in 3.1s`.
  static func summary(_ watcher: FanOutWatcher, elapsed: Duration) -> String {
    let checkouts = watcher.checkouts
    let counts = outcomeCounts(checkouts).map { entry in
      "\(entry.count) \(entry.word.replacingAll("_", with: " "))"
    }
    let polls = checkouts.reduce(0) { $0 + $1.polls }
    let noun = checkouts.count == 1 ? "checkout" : "checkouts"
    return "\(checkouts.count) \(noun): \(counts.joined(separator: ", ")); "
      + "\(polls) \(polls == 1 ? "poll" : "polls") in \(formatDuration(elapsed))"
  }

  /// Redraws the table over the last one: at most ten times a second unless forced.
  private func drawTable(_ watcher: FanOutWatcher, force: Bool) {
    guard mode == .table else { return }
    let now = clock.now
    if !force, let lastDraw, now - lastDraw < .milliseconds(100) { return }
    lastDraw = now
    let size = FanOutDisplay.terminalSize()
    let lines = tableLines(watcher, now: now, rows: max(1, size.rows - 3), columns: size.columns)
      .map { fitting($0, width: size.columns - 1) }
    var text = drawnLines > 0 ? "\u{1b}[\(drawnLines)F" : ""
    text += "\u{1b}[J" + lines.joined(separator: "\n")
    drawnLines = lines.count
    console.out(text)
  }

  private func tableLines(_ watcher: FanOutWatcher, now: Duration, rows: Int, columns: Int)
    -> [String]
  {
    let checkouts = watcher.checkouts
    // Checkouts still watched first, when they do not all fit.
    var shown = Array(checkouts.indices)
    if shown.count > rows {
      shown =
        shown.filter { checkouts[$0].ending == nil }
        + shown.filter {
          checkouts[$0].ending != nil
        }
      shown = Array(shown.prefix(rows - 1))
    }
    let stateWidth = 18
    let fixedWidth = 2 + stateWidth + 7 + 8
    let idWidth = min(
      max(2, shown.map { displayWidth(safe(checkouts[$0].id)) }.max() ?? 2),
      max(8, columns - fixedWidth))
    func cell(_ text: String, _ width: Int) -> String {
      let cut = fitting(text, width: width)
      return cut + String(repeating: " ", count: max(0, width - displayWidth(cut)))
    }
    var lines = [cell("ID", idWidth) + "  " + cell("STATE", stateWidth) + "  POLLS  AGE"]
    for index in shown {
      let checkout = checkouts[index]
      let word = FanOutDisplay.outcome(of: checkout)
      let polls = String(checkout.polls)
      let age = (checkout.endedAt ?? now) - watcher.startedAt
      lines.append(
        cell(safe(checkout.id), idWidth) + "  "
          + paint(word, padTo: stateWidth) + "  "
          + String(repeating: " ", count: max(0, 5 - polls.count)) + polls + "  "
          + formatDuration(age))
    }
    if shown.count < checkouts.count {
      lines.append("… and \(checkouts.count - shown.count) more")
    }
    lines.append(FanOutDisplay.summary(watcher, elapsed: now - watcher.startedAt))
    return lines
  }

  /// The outcome word padded to `width`, coloured by what it means.
  private func paint(_ word: String, padTo width: Int) -> String {
    let padding = String(repeating: " ", count: max(0, width - word.count))
    if let state = CheckoutState(rawValue: word) {
      guard console.useColor else { return word + padding }
      // The symbol and space `paint` adds take two columns of the padding.
      return console.paint(state) + String(padding.dropLast(2))
    }
    let shown = word.replacingAll("_", with: " ")
    switch word {
    case "waiting", "timed_out", "interrupted", "follow_up_stopped":
      return shown + padding
    default:
      return console.paint(shown, "31") + padding
    }
  }

  /// Rows and columns of the terminal on standard output; 24 by 80 when it does not say.
  static func terminalSize() -> (rows: Int, columns: Int) {
    var size = winsize()
    guard ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0, size.ws_col > 0 else {
      return (24, 80)
    }
    return (Int(size.ws_row), Int(size.ws_col))
  }
}
