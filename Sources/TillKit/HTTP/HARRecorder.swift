import Glibc
import Synchronization

/// Every HTTP exchange of one run, kept to be written as a HAR 1.2 log (`--trace FILE`,
/// `till checkout trace`): requests and responses with their headers, bodies and libcurl's
/// timings, and for each poll the wait the server asked for and when it was really sent.
///
/// Nothing secret reaches the file: headers that carry keys are replaced, JSON members whose
/// names say they hold a card, a token or a password are replaced wherever they sit, and every
/// secret the run registered in `secrets` is replaced in every form it appears in (see
/// `Secrets`), in URLs, header values, bodies, JSON or not, and error text.
public final class HARRecorder: Sendable {
  /// What libcurl measured of one transfer, in milliseconds; -1 for a phase that did not happen.
  struct Timings: Sendable {
    var dns = -1.0
    var connect = -1.0
    var ssl = -1.0
    var send = 0.0
    var wait = 0.0
    var receive = 0.0
  }

  /// One exchange: the request as it was sent (with libcurl's User-Agent) and the answer,
  /// status 0 and empty when there was none.
  struct Entry: Sendable {
    var request: HTTPRequest
    var response: HTTPResponse
    /// When it was sent: the wall clock's time, and the monotonic clock's in milliseconds.
    var started: (wall: timespec, monotonic: Double)
    var httpVersion: String
    var error: String?
    var timings: Timings
    var serverAddress: String?
    var connection: Int?
    /// Set by the recorder: the wait this exchange came after.
    var poll: PollNote? = nil
    /// Set by the recorder: the size of a response body longer than the log keeps.
    var truncatedFrom: Int? = nil
  }

  /// Why a poll was sent when it was.
  struct PollNote: Sendable {
    var asked: String
    var plannedMilliseconds: Double
    /// When the wait began, on the monotonic clock, in milliseconds.
    var scheduledAt: Double
  }

  private struct State {
    var entries: [Entry] = []
    var pendingPoll: PollNote?
  }

  private let state = Mutex(State())
  /// The run's secrets, kept out of the file.
  public let secrets: Secrets

  public init(secrets: Secrets = Secrets()) {
    self.secrets = secrets
  }

  /// The watcher chose to wait `delay` before its next poll, after the server's `hint`.
  public func notePoll(after hint: PollHint, delay: Duration) {
    var asked: [String] = []
    if let retryAfter = hint.retryAfter {
      asked.append("Retry-After \(retryAfter.milliseconds) ms")
    }
    if let suggested = hint.suggestedDelay {
      asked.append("retryAfterSeconds \(suggested.milliseconds) ms")
    }
    let what = asked.isEmpty ? "no wait (the interval)" : asked.joined(separator: ", ")
    noteWait("the server asked for " + what, delay: delay)
  }

  /// A wait of `delay` begins now, for `why`; the next exchange is what it waited for.
  public func noteWait(_ why: String, delay: Duration) {
    let note = PollNote(
      asked: why, plannedMilliseconds: Double(delay.milliseconds),
      scheduledAt: monotonicMilliseconds())
    state.withLock { $0.pendingPoll = note }
  }

  /// How many exchanges were recorded.
  public var entryCount: Int { state.withLock { $0.entries.count } }

  /// The most of one body the log keeps, so a long watch of a server that answers in
  /// megabytes does not hold them all in memory.
  static let bodyLimit = 256 * 1024

  func record(_ entry: Entry) {
    var entry = entry
    if entry.response.body.count > Self.bodyLimit {
      entry.truncatedFrom = entry.response.body.count
      entry.response.body = Array(entry.response.body.prefix(Self.bodyLimit))
    }
    if let body = entry.request.body, body.count > Self.bodyLimit {
      entry.request.body = Array(body.prefix(Self.bodyLimit))
    }
    state.withLock { state in
      entry.poll = state.pendingPoll
      state.pendingPoll = nil
      state.entries.append(entry)
    }
  }

  /// The HAR document, every secret replaced.
  public func har(creator: String = "till", version: String = Till.version) -> String {
    let entries = state.withLock { $0.entries }
    let log = JSONValue.object([
      (
        "log",
        .object([
          ("version", .string("1.2")),
          ("creator", .object([("name", .string(creator)), ("version", .string(version))])),
          ("pages", .array([])),
          ("entries", .array(entries.map { Self.json($0, secrets: secrets) })),
        ])
      )
    ])
    return log.serialized() + "\n"
  }

  /// Writes the log to `path`, readable by the user alone.
  public func write(to path: String) throws(TillError) {
    try LocalFile.writeAtomically(
      Array(har().utf8), to: path, mode: 0o600)
  }

  static let redacted = Secrets.redacted

  /// Whether a JSON member of this name holds something secret, or personal data (an email,
  /// a phone number, an address, a person's name) that a log passed on must not carry.
  static func isSecretMember(_ name: String) -> Bool {
    let key = name.lowercased()
    return [
      "token", "password", "secret", "card", "cvv", "cvc", "iban", "apikey", "api_key", "email",
      "phone", "address", "firstname", "lastname",
    ].contains { key.contains($0) }
  }

  /// A body as it may be shown: JSON with its secret members replaced, and the run's secrets
  /// replaced in its values (numbers too) and then in its text, JSON or not.
  static func shownBody(_ bytes: [UInt8], secrets: Secrets) -> String {
    guard let json = try? JSONValue.parse(bytes) else {
      return secrets.redact(String(decoding: bytes, as: UTF8.self))
    }
    return secrets.redact(secrets.redact(redactingMembers(json)).serialized())
  }

  static func redactingMembers(_ value: JSONValue) -> JSONValue {
    switch value {
    case .object(let members):
      return .object(
        members.map { name, member in
          (name, isSecretMember(name) ? .string(redacted) : redactingMembers(member))
        })
    case .array(let items):
      return .array(items.map(redactingMembers))
    default:
      return value
    }
  }

  static func shownHeaders(_ headers: HTTPHeaders, secrets: Secrets) -> JSONValue {
    .array(
      headers.map { name, value in
        let shown =
          redactedHeaderNames.contains(name.lowercased()) ? redacted : secrets.redact(value)
        return .object([("name", .string(name)), ("value", .string(shown))])
      })
  }

  static func json(_ entry: Entry, secrets: Secrets) -> JSONValue {
    let url = secrets.redact(redactingPassword(in: entry.request.url))
    let timings = entry.timings
    let total = [timings.dns, timings.connect, timings.send, timings.wait, timings.receive]
      .filter { $0 >= 0 }.reduce(0, +)
    var request: [(String, JSONValue)] = [
      ("method", .string(entry.request.method.rawValue)), ("url", .string(url)),
      ("httpVersion", .string(entry.httpVersion)), ("cookies", .array([])),
      ("headers", shownHeaders(entry.request.headers, secrets: secrets)),
      ("queryString", queryString(of: url)), ("headersSize", .number("-1")),
      ("bodySize", .number(String(entry.request.body?.count ?? 0))),
    ]
    if let body = entry.request.body {
      let type = entry.request.headers["content-type"]
      request.append(
        (
          "postData",
          .object([
            ("mimeType", .string(type ?? "application/octet-stream")),
            ("text", .string(shownBody(body, secrets: secrets))),
          ])
        ))
    }
    let responseType = entry.response.headers["content-type"]
    let location = entry.response.headers["location"]
    let response: [(String, JSONValue)] = [
      ("status", .number(String(entry.response.status))), ("statusText", .string("")),
      ("httpVersion", .string(entry.httpVersion)), ("cookies", .array([])),
      ("headers", shownHeaders(entry.response.headers, secrets: secrets)),
      (
        "content",
        .object([
          ("size", .number(String(entry.truncatedFrom ?? entry.response.body.count))),
          ("mimeType", .string(responseType ?? "")),
          ("text", .string(shownBody(entry.response.body, secrets: secrets))),
        ])
      ),
      ("redirectURL", .string(location.map { secrets.redact(redactingPassword(in: $0)) } ?? "")),
      ("headersSize", .number("-1")),
      ("bodySize", .number(String(entry.truncatedFrom ?? entry.response.body.count))),
    ]
    var members: [(String, JSONValue)] = [
      ("startedDateTime", .string(isoTimestamp(entry.started.wall))),
      ("time", .number(threeDecimals(total))),
      ("request", .object(request)),
      ("response", .object(response)),
      ("cache", .object([])),
      (
        "timings",
        .object([
          ("blocked", .number("-1")), ("dns", .number(threeDecimals(timings.dns))),
          ("connect", .number(threeDecimals(timings.connect))),
          ("ssl", .number(threeDecimals(timings.ssl))),
          ("send", .number(threeDecimals(timings.send))),
          ("wait", .number(threeDecimals(timings.wait))),
          ("receive", .number(threeDecimals(timings.receive))),
        ])
      ),
    ]
    if let address = entry.serverAddress { members.append(("serverIPAddress", .string(address))) }
    if let connection = entry.connection {
      members.append(("connection", .string(String(connection))))
    }
    var comments: [String] = []
    if let size = entry.truncatedFrom {
      comments.append("the response body had \(size) bytes; the first \(bodyLimit) are kept")
    }
    if let error = entry.error.map({ secrets.redact($0) }) {
      members.append(("_error", .string(error)))
      comments.append("no answer: " + error)
    }
    if let poll = entry.poll {
      let waited = entry.started.monotonic - poll.scheduledAt
      members.append(
        (
          "_wait",
          .object([
            ("why", .string(poll.asked)),
            ("plannedWaitMs", .number(threeDecimals(poll.plannedMilliseconds))),
            ("actualWaitMs", .number(threeDecimals(waited))),
          ])
        ))
      comments.append(
        "sent after a wait of \(threeDecimals(waited)) ms (planned \(threeDecimals(poll.plannedMilliseconds)) "
          + "ms): \(poll.asked)")
    }
    if !comments.isEmpty { members.append(("comment", .string(comments.joined(separator: "; ")))) }
    return .object(members)
  }

  static func queryString(of url: String) -> JSONValue {
    guard let mark = url.firstIndex(of: "?") else { return .array([]) }
    let query = url[url.index(after: mark)...].prefix { $0 != "#" }
    return .array(
      query.split(separator: "&").map { pair in
        let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        return .object([
          ("name", .string(String(parts[0]))),
          ("value", .string(parts.count > 1 ? String(parts[1]) : "")),
        ])
      })
  }
}

/// A figure with three decimals (`12.345`), as HAR timings and JUnit times are written;
/// "-1" for one that is not finite or is past any time a run could take.
public func threeDecimals(_ value: Double) -> String {
  guard value.isFinite else { return "-1" }
  let thousandths = (value * 1000).rounded()
  guard abs(thousandths) < 1e15 else { return "-1" }
  let whole = Int64(thousandths)
  let sign = whole < 0 ? "-" : ""
  let magnitude = whole.magnitude
  let fraction = magnitude % 1000
  let digits = String(fraction)
  let padded = String(repeating: "0", count: 3 - digits.count) + digits
  return "\(sign)\(magnitude / 1000).\(padded)"
}

func monotonicMilliseconds() -> Double {
  var now = timespec()
  clock_gettime(CLOCK_MONOTONIC, &now)
  return Double(now.tv_sec) * 1000 + Double(now.tv_nsec) / 1_000_000
}

func realtimeNow() -> timespec {
  var now = timespec()
  clock_gettime(CLOCK_REALTIME, &now)
  return now
}

/// `2026-12-06T03:04:05.678Z`.
func isoTimestamp(_ time: timespec) -> String {
  var seconds = time.tv_sec
  var parts = tm()
  gmtime_r(&seconds, &parts)
  func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
  let millis = Int(time.tv_nsec / 1_000_000)
  let fraction = millis < 10 ? "00\(millis)" : millis < 100 ? "0\(millis)" : "\(millis)"
  return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
    + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)).\(fraction)Z"
}
