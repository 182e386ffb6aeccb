import Glibc
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
    case .human:
      console.out("Checkout  \(safe(status.id)) (\(status.api))")
      console.out("State     \(console.paint(status.state)) (\(safe(status.serverState)))")
      if let message = status.message { console.out("Message   \(safe(message))") }
      if let redirect = status.redirect { showRedirect(redirect) }
      if !status.state.isTerminal, status.hint.canFollowUp {
        console.out("Follow    till checkout status \(safe(status.id)) --watch")
      }
    }
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
      let padding = String(repeating: " ", count: max(0, 16 - status.state.rawValue.count))
      var line = "\(clockTime())  \(safe(status.id))  \(state)\(padding)\(safe(status.serverState))"
      if poll > 0 { line += "  (poll \(poll), \(formatDuration(elapsed)))" }
      console.out(line)
      if let message = status.message { console.out("          \(safe(message))") }
      if let redirect = status.redirect, status.state == .actionRequired {
        showRedirect(redirect, indent: "          ")
        if redirect.hasNextSteps {
          console.out("          Waiting while you complete it; polling goes on.")
        }
      }
    }
  }

  func showRedirect(_ redirect: RedirectInstructions, indent: String = "") {
    console.out("\(indent)\(console.paint("Action required: 3-D Secure", "1"))")
    if let url = redirect.url { console.out("\(indent)  Open      \(safe(url))") }
    if let id = redirect.threeDIdentifier { console.out("\(indent)  3DS id    \(safe(id))") }
    if let file = redirect.htmlFile {
      console.out("\(indent)  Page      \(safe(file)) (open it in a browser)")
    }
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

  private func safe(_ text: String) -> String { sanitizeForTerminal(text, singleLine: true) }
}

/// `14:02:11`, local time.
func clockTime() -> String {
  var now = time(nil)
  var parts = tm()
  localtime_r(&now, &parts)
  func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
  return "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
}
