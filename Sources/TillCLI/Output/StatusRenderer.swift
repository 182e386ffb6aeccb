import Glibc
import TillArguments
import TillKit

/// Turns the common checkout model into what the user reads: a block for one look, a line per
/// change for a watch, one JSON object per line with --json, the bare id with -q.
struct StatusRenderer {
  enum Style { case human, json, quiet }

  let console: Console
  let style: Style

  init(console: Console, settings: Settings) {
    self.console = console
    style = settings.json ? .json : settings.quiet ? .quiet : .human
  }

  /// One look at a checkout.
  func show(_ status: CheckoutStatus) {
    switch style {
    case .quiet: console.out(safe(status.id))
    case .json: console.out(json(status).serialized())
    case .human: for line in block(status) { console.out(line) }
    }
  }

  /// The human view of a checkout, line by line: state, where a saga is and for how long, its
  /// steps, its ids, and what a human must do.
  func block(_ status: CheckoutStatus) -> [String] {
    // One label column for the whole view, wide enough for its longest field name.
    let labels = status.references.map { humanLabel($0.0) }
    let width = max(10, (labels.map(\.count).max() ?? 0) + 1)
    func labelled(_ label: String, _ text: String) -> String {
      label + String(repeating: " ", count: width - label.count) + text
    }
    var lines = [
      labelled("Checkout", "\(safe(status.id)) (\(status.api))"),
      labelled(
        "State", "\(console.paint(status.state))\(serverWord(status))" + whereAndHowLong(status)),
    ]
    if let message = status.message { lines.append(labelled("Message", safe(message))) }
    lines += stepLines(status.steps, labelWidth: width)
    for ((_, value), label) in zip(status.references, labels) {
      lines.append(labelled(label, safe(value)))
    }
    if let redirect = status.redirect { lines += redirectLines(redirect, for: status) }
    if !status.state.isTerminal, status.hint.canFollowUp {
      let words = CheckoutID.arguments([status.id], then: ["--watch"]).map(shellQuote)
      lines.append(labelled("Follow", "till checkout status " + words.joined(separator: " ")))
    }
    return lines
  }

  /// `Compensated reserve_inventory, create_order: payment declined`: what a saga undid and
  /// why, steps that share a reason named together; nil when nothing was undone.
  func compensationLine(_ status: CheckoutStatus) -> String? {
    var groups: [(names: [String], why: String?)] = []
    for step in status.steps where step.status == .compensated {
      if let last = groups.last, last.why == step.compensation {
        groups[groups.count - 1].names.append(safe(step.name))
      } else {
        groups.append((names: [safe(step.name)], why: step.compensation))
      }
    }
    guard !groups.isEmpty else { return nil }
    let parts = groups.map { group in
      group.names.joined(separator: ", ") + (group.why.map { ": " + safe($0) } ?? "")
    }
    return "Compensated " + parts.joined(separator: "; ")
  }

  /// ` (CHECK_OUT_DONE)`: the server's own word, when it says more than ours.
  func serverWord(_ status: CheckoutStatus) -> String {
    let word = status.serverState
    let same = word.lowercased().replacingAll(" ", with: "_") == status.state.rawValue
    return same ? "" : " (\(safe(word)))"
  }

  /// A field name as a label: `totalAmount` reads "Total amount", `orderId` "Order ID".
  func humanLabel(_ key: String) -> String {
    var words: [String] = []
    for character in key {
      if character.isUppercase || words.isEmpty {
        words.append(String(character).lowercased())
      } else {
        words[words.count - 1].append(character)
      }
    }
    if words.last == "id" { words[words.count - 1] = "ID" }
    let text = words.joined(separator: " ")
    return text.prefix(1).uppercased() + text.dropFirst()
  }

  /// A change seen while watching.
  func change(_ status: CheckoutStatus, poll: Int, elapsed: Duration) {
    switch style {
    case .quiet:
      // The id of a checkout just submitted, before anything can go wrong.
      if poll == 0 { console.out(safe(status.id)) }
    case .json: console.out(json(status, poll: poll, elapsed: elapsed).serialized())
    case .human:
      let state = console.paint(status.state)
      let symbolWidth = console.useColor ? 2 : 0
      let padding = String(
        repeating: " ", count: max(1, 16 + symbolWidth - status.state.rawValue.count))
      var line = "\(clockTime())  \(safe(status.id))  \(state)\(padding)\(safe(status.serverState))"
      if let step = status.steps.first(where: { $0.status == .current || $0.status == .failed }) {
        line += ", at \(safe(step.name))"
      }
      if poll > 0 { line += "  (poll \(poll), \(formatDuration(elapsed)))" }
      // One line per change, so a CI log reads as a list of events.
      if let message = status.message { line += ": \(safe(message))" }
      console.out(line)
      if status.state.isTerminal, let undone = compensationLine(status) {
        console.out("          " + undone)
      }
      if let redirect = status.redirect, status.state == .actionRequired {
        showRedirect(redirect, for: status, indent: "          ")
        if redirect.hasNextSteps {
          console.out("          Waiting while you complete it; polling goes on.")
        }
      }
    }
  }

  /// `, at process_payment, for 14m`: where a saga is and how long it has been there.
  func whereAndHowLong(_ status: CheckoutStatus) -> String {
    var text = ""
    if !status.state.isTerminal, let current = status.steps.first(where: { $0.status == .current })
    {
      text += ", at \(safe(current.name))"
    }
    if let since = status.stateSince {
      text += ", for \(formatDuration(.seconds(max(0, wallClockSeconds() - since))))"
    }
    return text
  }

  /// The saga's steps in order, one per line, each with what happened to it; reads the same
  /// without colour, and keeps to 80 columns by moving long details to their own line.
  func stepLines(_ steps: [CheckoutStep], labelWidth: Int = 10) -> [String] {
    var lines: [String] = []
    let width = min(24, steps.map(\.name.count).max() ?? 0)
    let blank = String(repeating: " ", count: labelWidth)
    for (index, step) in steps.enumerated() {
      let label = index == 0 ? "Steps" + blank.dropFirst(5) : blank
      let name = safe(step.name)
      let padding = String(repeating: " ", count: max(1, width - name.count + 2))
      var line = "\(label)\(index + 1). \(name)\(padding)\(paint(step.status))"
      var detail: [String] = []
      if let code = step.errorCode { detail.append(safe(code)) }
      if let message = step.message { detail.append(safe(message)) }
      var text = detail.joined(separator: ": ")
      if let retryable = step.retryable {
        text += retryable ? " (retryable)" : " (not retryable)"
      }
      if let compensation = step.compensation {
        text += (text.isEmpty ? "" : "; ") + safe(compensation)
      }
      if !text.isEmpty {
        if line.count + 2 + text.count <= 80 {
          line += "  " + text
        } else {
          lines.append(line)
          line = blank + "    " + text
        }
      }
      lines.append(line)
    }
    return lines
  }

  private func paint(_ status: CheckoutStep.Status) -> String {
    let word = status.rawValue
    switch status {
    case .done: return console.paint(word, "32")
    case .failed: return console.paint(word, "31")
    case .compensated: return console.paint(word, "33")
    case .current: return console.paint(word, "1")
    case .pending: return console.paint(word, "2")
    }
  }

  func showRedirect(
    _ redirect: RedirectInstructions, for status: CheckoutStatus, indent: String = ""
  ) {
    for line in redirectLines(redirect, for: status, indent: indent) { console.out(line) }
  }

  func redirectLines(
    _ redirect: RedirectInstructions, for status: CheckoutStatus, indent: String = ""
  ) -> [String] {
    let what =
      APIRegistry.named(status.api)?.capabilities.challenge ?? APICapabilities().challenge
    var lines = ["\(indent)\(console.paint("Action required: \(what)", "1"))"]
    if let url = redirect.url { lines.append("\(indent)  Open      \(safe(url))") }
    if let id = redirect.threeDIdentifier { lines.append("\(indent)  3DS id    \(safe(id))") }
    if let file = redirect.htmlFile {
      lines.append("\(indent)  Page      \(safe(file)) (open it in a browser)")
    }
    return lines
  }

  func json(_ status: CheckoutStatus, poll: Int? = nil, elapsed: Duration? = nil) -> JSONValue {
    var members: [(String, JSONValue)] = [
      ("id", .string(status.id)), ("api", .string(status.api)),
      ("state", .string(status.state.rawValue)), ("serverState", .string(status.serverState)),
      ("terminal", .bool(status.state.isTerminal)),
    ]
    if let message = status.message { members.append(("message", .string(message))) }
    if let redirect = status.redirect {
      var fields: [(String, JSONValue)] = []
      if let url = redirect.url { fields.append(("url", .string(url))) }
      if let id = redirect.threeDIdentifier { fields.append(("threeDIdentifier", .string(id))) }
      if let file = redirect.htmlFile { fields.append(("htmlFile", .string(file))) }
      fields.append(("hasNextSteps", .bool(redirect.hasNextSteps)))
      members.append(("redirect", .object(fields)))
    }
    if !status.steps.isEmpty {
      members.append(("steps", .array(status.steps.map(stepJSON))))
    }
    if !status.references.isEmpty {
      members.append(("references", .object(status.references.map { ($0, .string($1)) })))
    }
    if let since = status.stateSince {
      members.append(("stateSince", .string(ISOTime.format(since))))
    }
    if !status.state.isTerminal {
      let wait = PollPolicy().delay(after: status.hint)
      members.append(("canFollowUp", .bool(status.hint.canFollowUp)))
      members.append(("nextPollSeconds", .number(String(wait.components.seconds))))
    }
    if let poll { members.append(("poll", .number(String(poll)))) }
    if let elapsed { members.append(("elapsedMs", .number(String(elapsed.milliseconds)))) }
    if let raw = status.raw { members.append(("raw", raw)) }
    return .object(members)
  }

  private func stepJSON(_ step: CheckoutStep) -> JSONValue {
    var members: [(String, JSONValue)] = [
      ("name", .string(step.name)), ("status", .string(step.status.rawValue)),
    ]
    if let code = step.errorCode { members.append(("errorCode", .string(code))) }
    if let message = step.message { members.append(("message", .string(message))) }
    if let retryable = step.retryable { members.append(("retryable", .bool(retryable))) }
    if let compensation = step.compensation {
      members.append(("compensation", .string(compensation)))
    }
    return .object(members)
  }

}

/// `14:02:11`, local time.
func clockTime() -> String {
  var now = time(nil)
  var parts = tm()
  localtime_r(&now, &parts)
  func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
  return "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
}
