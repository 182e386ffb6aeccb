import Glibc

/// One checkout this machine started, as last seen. Never holds a secret.
public struct HistoryEntry: Sendable, Equatable {
  public var id: String
  public var api: String
  public var baseURL: String
  public var profile: String?
  /// Seconds since the Unix epoch.
  public var startedAt: Int64
  public var state: String
  public var serverState: String?
  public var updatedAt: Int64
  /// The user (`--user`) the checkout was started for, when one was named.
  public var user: String?
  /// The command that saw this state (`checkout start`, `checkout pay`).
  public var recordedBy: String?

  public init(
    id: String, api: String, baseURL: String, profile: String?, startedAt: Int64, state: String,
    serverState: String? = nil, updatedAt: Int64, user: String? = nil
  ) {
    self.id = id
    self.api = api
    self.baseURL = withoutUserInfo(baseURL)
    self.profile = profile
    self.startedAt = startedAt
    self.state = state
    self.serverState = serverState
    self.updatedAt = updatedAt
    self.user = user
  }

  var json: JSONValue {
    var members: [(String, JSONValue)] = [
      ("id", .string(id)), ("api", .string(api)), ("baseUrl", .string(baseURL)),
    ]
    if let profile { members.append(("profile", .string(profile))) }
    members.append(("startedAt", .string(ISOTime.format(startedAt))))
    members.append(("state", .string(state)))
    if let serverState { members.append(("serverState", .string(serverState))) }
    members.append(("updatedAt", .string(ISOTime.format(updatedAt))))
    if let user { members.append(("user", .string(user))) }
    if let recordedBy { members.append(("recordedBy", .string(recordedBy))) }
    return .object(members)
  }

  init?(json: JSONValue) {
    guard let id = json["id"]?.string, let api = json["api"]?.string,
      let baseURL = json["baseUrl"]?.string, let state = json["state"]?.string,
      let started = json["startedAt"]?.string.flatMap(ISOTime.parse),
      let updated = json["updatedAt"]?.string.flatMap(ISOTime.parse)
    else { return nil }
    self.init(
      id: id, api: api, baseURL: baseURL, profile: json["profile"]?.string, startedAt: started,
      state: state, serverState: json["serverState"]?.string, updatedAt: updated,
      user: json["user"]?.string)
    recordedBy = json["recordedBy"]?.string
  }

  public var publicJSON: JSONValue { json }
}

/// `$XDG_STATE_HOME/till/history.jsonl`: one JSON object per line, each appended whole or not
/// at all, so an interrupted or refused write never leaves half a line; a damaged line is
/// skipped.
public struct CheckoutHistory {
  public let directory: PrivateDirectory
  static let name = "history.jsonl"
  static let what = "history file"
  /// Past this size the file is rewritten with one line per checkout.
  static let compactionBytes = 256 * 1024
  static let keptAfterCompaction = 500

  public init(directory: PrivateDirectory) {
    self.directory = directory
  }

  public init(stateDirectory: String) {
    self.init(directory: PrivateDirectory(stateDirectory, role: "state"))
  }

  public var path: String { directory.path(of: CheckoutHistory.name) }

  /// Refuses a history that another user could have written or that is a link elsewhere,
  /// before a command that records a checkout sends anything.
  public func check() throws(TillError) {
    try directory.check(CheckoutHistory.name, what: CheckoutHistory.what)
  }

  /// Appends the entry's current state. Appends and compactions take the history's lock in
  /// turn, so a compaction (read, then rewrite by rename) drops no line appended before it,
  /// and a cut-short append can be cut off without touching another run's line.
  public func record(_ entry: HistoryEntry) throws(TillError) {
    let line = Array((entry.json.serialized() + "\n").utf8)
    try directory.holdingLock(for: CheckoutHistory.name) { () throws(TillError) in
      let descriptor = try directory.openForAppend(CheckoutHistory.name, what: CheckoutHistory.what)
      defer { close(descriptor) }
      let size = try LocalFile.appendWhole(
        line, to: descriptor, path: path, what: CheckoutHistory.what)
      if size > CheckoutHistory.compactionBytes { try compact() }
    }
  }

  /// The ids of every checkout recorded.
  public func ids() -> Set<String> {
    var ids = Set<String>()
    _ = scanIDs { id in
      ids.insert(String(decoding: id, as: UTF8.self))
      return false
    }
    return ids
  }

  /// Whether a checkout with this id was recorded. A status asks about one checkout: this
  /// compares bytes line by line and builds no set of every id.
  public func contains(_ id: String) -> Bool {
    let wanted = Array(id.utf8)
    return scanIDs { $0.elementsEqual(wanted) }
  }

  /// Calls `body` with each line's id until it returns true, and says whether it did. A line
  /// is read only as far as its id, which `record` writes first, with `memchr` rather than a
  /// decoder; a line of another shape, or whose id has an escape, is decoded whole.
  private func scanIDs(_ body: (UnsafeBufferPointer<UInt8>) -> Bool) -> Bool {
    guard let bytes = try? read() else { return false }
    let prefix = Array(#"{"id":""#.utf8)
    return bytes.withUnsafeBufferPointer { buffer in
      guard let base = buffer.baseAddress else { return false }
      func find(_ byte: UInt8, from start: Int, to end: Int) -> Int? {
        guard start < end, let found = memchr(base + start, Int32(byte), end - start) else {
          return nil
        }
        return UnsafeRawPointer(found) - UnsafeRawPointer(base)
      }
      var start = 0
      while start < buffer.count {
        let end = find(UInt8(ascii: "\n"), from: start, to: buffer.count) ?? buffer.count
        let idStart = start + prefix.count
        if idStart <= end, memcmp(base + start, prefix, prefix.count) == 0,
          let idEnd = find(UInt8(ascii: "\""), from: idStart, to: end),
          find(UInt8(ascii: "\\"), from: idStart, to: idEnd) == nil
        {
          if body(UnsafeBufferPointer(rebasing: buffer[idStart..<idEnd])) { return true }
        } else if start < end,
          var id = (try? JSONValue.parse(buffer[start..<end]))?["id"]?.string
        {
          if id.withUTF8(body) { return true }
        }
        start = end + 1
      }
      return false
    }
  }

  /// Every checkout, newest first, with the last state recorded; and a warning per damaged
  /// line.
  public func entries() -> (entries: [HistoryEntry], warnings: [String]) {
    do throws(TillError) {
      guard let bytes = try read() else { return ([], []) }
      return entries(in: bytes)
    } catch {
      return ([], [error.message])
    }
  }

  private func entries(in bytes: [UInt8]) -> (entries: [HistoryEntry], warnings: [String]) {
    var latest: [String: HistoryEntry] = [:]
    var order: [String] = []
    var warnings: [String] = []
    for (number, line) in bytes.split(separator: UInt8(ascii: "\n")).enumerated() {
      guard let json = try? JSONValue.parse(line), let entry = HistoryEntry(json: json) else {
        warnings.append("skipped damaged line \(number + 1) of \(path)")
        continue
      }
      if let known = latest[entry.id] {
        var updated = entry
        updated.startedAt = known.startedAt
        updated.user = entry.user ?? known.user
        latest[entry.id] = updated
      } else {
        order.append(entry.id)
        latest[entry.id] = entry
      }
    }
    // The file is append-only, so the order of first appearance is the order of starting,
    // even within one second or across a change of the clock.
    return (order.reversed().compactMap { latest[$0] }, warnings)
  }

  private func read() throws(TillError) -> [UInt8]? {
    try directory.read(CheckoutHistory.name, what: CheckoutHistory.what, limit: 16 * 1_048_576)
  }

  /// Rewrites the file with one line per checkout; the caller holds the lock.
  func compact() throws(TillError) {
    // A history that cannot be read is left as it is, never rewritten empty.
    guard let bytes = try read() else { return }
    let kept = entries(in: bytes).entries.prefix(CheckoutHistory.keptAfterCompaction).reversed()
    let text = kept.map { $0.json.serialized() + "\n" }.joined()
    try directory.write(Array(text.utf8), to: CheckoutHistory.name, what: CheckoutHistory.what)
  }
}

/// A URL without `user:password@`, so credentials in a base URL never reach a file.
public func withoutUserInfo(_ url: String) -> String {
  guard let schemeEnd = url.firstIndex(of: ":"), url[schemeEnd...].hasPrefix("://") else {
    return url
  }
  let authorityStart = url.index(schemeEnd, offsetBy: 3)
  let rest = url[authorityStart...]
  let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
  guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return url }
  return String(url[..<authorityStart]) + String(rest[rest.index(after: at)...])
}

/// `2026-11-22T15:04:05Z`.
public enum ISOTime {
  public static func format(_ seconds: Int64) -> String {
    let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    let second = seconds - days * 86_400
    let (year, month, day) = HTTPDate.civilDate(fromDays: days)
    func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
    return "\(year)-\(two(month))-\(two(day))T\(two(second / 3600)):\(two(second % 3600 / 60)):"
      + "\(two(second % 60))Z"
  }

  public static func parse(_ text: String) -> Int64? {
    let utf8 = Array(text.utf8)
    guard utf8.count == 20, utf8[4] == UInt8(ascii: "-"), utf8[7] == UInt8(ascii: "-"),
      utf8[10] == UInt8(ascii: "T"), utf8[13] == UInt8(ascii: ":"),
      utf8[16] == UInt8(ascii: ":"), utf8[19] == UInt8(ascii: "Z")
    else { return nil }
    func number(_ range: Range<Int>) -> Int64? {
      Int64(String(decoding: utf8[range], as: UTF8.self))
    }
    guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
      let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
      (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
    else { return nil }
    return HTTPDate.daysFromCivil(year: year, month: month, day: day) * 86_400 + hour * 3600
      + minute * 60 + second
  }
}

/// `5s ago`, `3m ago`, `2h ago`, `4d ago`.
public func ageText(seconds: Int64) -> String {
  switch seconds {
  case ..<60: return "\(max(0, seconds))s ago"
  case ..<3600: return "\(seconds / 60)m ago"
  case ..<86_400: return "\(seconds / 3600)h ago"
  default: return "\(seconds / 86_400)d ago"
  }
}
