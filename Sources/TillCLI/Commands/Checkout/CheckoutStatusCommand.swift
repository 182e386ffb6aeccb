import Glibc
import TillArguments
import TillKit

/// `checkout status`: one look, or with --watch a watch to the end; many ids at once are a
/// fan-out.
struct CheckoutStatusCommand: FollowingCommand {
  static let spec = CommandSpec(
    name: "status", abstract: "Show a checkout's state, or follow it with --watch.",
    discussion: """
      Without --watch, one look: exit 0 while it is processing or when it completed, 1 when \
      it failed, 3 when a human must act (3-D Secure). With --watch, polls as the server asks \
      (Retry-After, else its retryAfterSeconds, else --interval) until a final state.

      When 3-D Secure is required, till prints the redirect URL and, when the server sends \
      an inline HTML form, saves it to a file (mode 0600) and prints the path; open it in a \
      browser. With --watch, polling goes on while you complete the challenge.

      Several ids, or --ids-from, are read at once by one process: each checkout on its own \
      schedule, at most --parallel requests in flight over kept-alive connections, and \
      --max-wait for the whole watch. On a terminal a table (id, state, polls, age) is \
      redrawn in place; in a pipe each change is one line, then a summary line; with --json \
      each change is one JSON object, then a {"summary": ...} object. The exit status is the \
      most severe of the checkouts' own, in this order: \(ExitStatus.severityText). \
      Ctrl-C prints the command that resumes the watch.

      An id that begins with '-' goes after '--' (till checkout status --watch -- -ID). till \
      never prints such an id from a server, nor one with controls or invisible characters: \
      it names it on standard error and keeps it in the history for --last.
      """,
    arguments: [
      ArgumentSpec(
        name: "id",
        help: "The checkout's id; give several to read them at once.",
        isOptional: true, isRepeatable: true)
    ],
    options: [
      .flag(
        "last", help: "Follow the checkout this machine started most recently (see checkout list)."),
      .value(
        "ids-from", "FILE", .file,
        help: "Also read checkout ids from FILE, one a line ('-' for standard input)."),
      .value(
        "parallel", "N", .integer, help: "With several checkouts, send at most N requests at once.",
        default: "16"),
    ] + CommandTree.watchOptions,
    examples: [
      Example(
        ["checkout", "status", "trk_01HZ9XPZ3K2A8E0VBVQH7N9XGB", "--watch", "--max-wait", "5m"],
        "Follow a checkout for at most five minutes."),
      Example(
        ["checkout", "status", "--ids-from", "ids.txt", "--watch", "--json"],
        "Follow every checkout listed in ids.txt, one JSON line per change."),
    ])

  let invocation: Invocation

  func run() throws(TillError) -> ExitStatus {
    if parsed.arguments("id").count > 1 || parsed.has("ids-from") {
      return try FanOutWatch(invocation: invocation).run()
    }
    let id = try checkoutID()
    let history = try HistoryRecorder(invocation)
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
    let outcome = try follow(run, id: id, initial: nil, history: history)
    if outcome == .success { confirm(id, adapter: run.adapter) }
    return outcome
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
}
