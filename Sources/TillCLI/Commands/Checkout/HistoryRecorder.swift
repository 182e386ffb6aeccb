import Glibc
import TillArguments
import TillKit

/// Keeps `history.jsonl` up to date for checkouts this machine started. A failure to write it
/// is a warning: the checkout itself must not fail for it.
struct HistoryRecorder {
  let invocation: Invocation
  let baseURL: String
  let history: CheckoutHistory
  private let known: KnownCheckouts
  /// The user a `checkout start` named, kept with the checkout so a list can be filtered.
  var user: String?

  /// For the run's base URL, the server its checkouts are recorded under.
  init(_ invocation: Invocation) throws(TillError) {
    self.invocation = invocation
    baseURL = try invocation.settings.requireBaseURL()
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
    let now = wallClockSeconds()
    let entry = HistoryEntry(
      id: status.id, api: status.api, baseURL: baseURL,
      profile: invocation.settings.profile?.name, startedAt: now, state: status.state.rawValue,
      serverState: status.serverState, updatedAt: now, user: started ? user : nil)
    write(entry)
  }

  /// Records a submit whose answer never came: `unknown`, under the key that was sent.
  func recordUnknown(id: String, api: String) {
    let now = wallClockSeconds()
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
