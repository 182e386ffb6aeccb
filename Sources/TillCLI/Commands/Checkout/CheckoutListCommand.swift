import Glibc
import TillArguments
import TillKit

/// `checkout list`: the checkouts this machine started, and the server's own list where the
/// API has one.
struct CheckoutListCommand: TillCommand {
  static let spec = CommandSpec(
    name: "list", abstract: "List the checkouts this machine started, newest first.",
    discussion: """
      Read from $XDG_STATE_HOME/till/history.jsonl (default ~/.local/state/till/), which \
      records each checkout's id, API, base URL, profile, start time and the last state \
      till saw. No secret is ever written there.
      """,
    options: [
      .value("limit", "N", .integer, help: "Show at most N checkouts.", default: "20")
    ])

  let invocation: Invocation

  /// `checkout list`: the history, newest first.
  func run() throws(TillError) -> ExitStatus {
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
    let now = wallClockSeconds()
    let rows = entries.map { entry in
      [
        entry.id, entry.api, entry.state, ageText(seconds: now - entry.startedAt),
        entry.profile ?? "-", entry.baseURL,
      ].map { safe($0) }
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

  /// The local history with the server's own list of the user's checkouts: the server's state
  /// wins for a checkout both know; the server's other checkouts are added.
  private func merged(_ local: [HistoryEntry], withServerSagasOf user: String) throws(TillError)
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
      let since = saga.stateSince ?? wallClockSeconds()
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
