// libFuzzer entry for till's parsers and decoders; built by Tests/Fuzz/run. The target is
// chosen by TILL_FUZZ_TARGET (one of `FuzzTarget`'s names). Each target feeds the input to
// code that reads what a server, a config file or a command line may hold, and checks the
// properties that must hold whatever the input: no crash, round trips that give back what
// went in, output that is safe on a terminal.
import CCurl
import Glibc
import TillArguments

@testable import TillKit

enum FuzzTarget: String, CaseIterable {
  case json, c2a, acme, ticketing, comos
  case retryAfter = "retry-after"
  case config, arguments, sse, terminal, redirect

  static let current: FuzzTarget = {
    let name = getenv("TILL_FUZZ_TARGET").map { String(cString: $0) } ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
      let names = allCases.map(\.rawValue).joined(separator: ", ")
      report("set TILL_FUZZ_TARGET to one of: \(names)")
      exit(2)
    }
    return target
  }()

  func run(_ bytes: [UInt8]) {
    switch self {
    case .json: fuzzJSON(bytes)
    case .c2a, .acme, .ticketing: fuzzAdapter(self, bytes)
    case .comos: fuzzComOS(bytes)
    case .retryAfter: fuzzRetryAfter(bytes)
    case .config: fuzzConfig(bytes)
    case .arguments: fuzzArguments(bytes)
    case .sse: fuzzServerSentEvents(bytes)
    case .terminal: fuzzTerminal(bytes)
    case .redirect: fuzzRedirect(bytes)
    }
  }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  FuzzTarget.current.run(Array(UnsafeBufferPointer(start: data, count: size)))
  return 0
}

/// A line on standard error.
func report(_ line: String) {
  let text = line + "\n"
  _ = text.withCString { write(2, $0, strlen($0)) }
}

/// Stops the run with a message libFuzzer reports as a crash, with the input that caused it.
func require(_ condition: Bool, _ message: @autoclosure () -> String) {
  if !condition {
    report("property violated: \(message())")
    abort()
  }
}

/// No C0 or C1 control, DEL or bidirectional override, except the newlines and tabs allowed.
func isTerminalSafe(_ text: String, allowingNewlines: Bool) -> Bool {
  text.unicodeScalars.allSatisfy { scalar in
    switch scalar.value {
    case 0x0A, 0x09: return allowingNewlines
    case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: return false
    default: return true
    }
  }
}

// MARK: - Targets

func fuzzJSON(_ bytes: [UInt8]) {
  guard let value = try? JSONValue.parse(bytes) else { return }
  let text = value.serialized()
  require(isTerminalSafe(text, allowingNewlines: false), "serialized JSON holds a control")
  guard let again = try? JSONValue.parse(text) else {
    require(false, "serialized JSON does not parse: \(text)")
    return
  }
  require(again == value, "JSON does not round-trip: \(text)")
}

/// A response made of the input: the first byte picks the status, header lines run up to a
/// blank line, the rest is the body.
func response(from bytes: [UInt8]) -> HTTPResponse {
  let statuses = [200, 201, 202, 204, 302, 400, 401, 402, 403, 404, 409, 422, 429, 500, 503]
  let status = statuses[Int(bytes.first ?? 0) % statuses.count]
  let rest = Array(bytes.dropFirst())
  var headers = HTTPHeaders()
  var body = rest
  if let blank = rest.firstRange(of: [0x0A, 0x0A]) {
    body = Array(rest[blank.upperBound...])
    for line in rest[..<blank.lowerBound].split(separator: 0x0A) {
      let text = String(decoding: line, as: UTF8.self)
      guard let colon = text.firstIndex(of: ":") else { continue }
      headers.append(String(text[..<colon]), String(text[text.index(after: colon)...]))
    }
  }
  return HTTPResponse(status: status, headers: headers, body: body)
}

final class FixedClock: PollClock {
  var now: Duration { .seconds(1000) }
  var wallSeconds: Int64 { 1_795_000_000 }
  func sleep(until deadline: Duration) -> Bool { true }
}

/// A transport that never sends: the targets only read answers.
final class NoTransport: HTTPTransport {
  func send(_ request: HTTPRequest) throws(TransportError) -> HTTPResponse {
    throw .interrupted
  }
}

let endpoint = APIEndpoint(baseURL: "http://127.0.0.1:9", tenant: "t", apiKey: "k")

func checkSafe(_ status: CheckoutStatus) {
  require(PollPolicy().delay(after: status.hint) <= RetryAfter.cap, "a poll delay over the cap")
  for text in [status.message ?? "", status.serverState, status.id] + status.steps.map(\.name) {
    require(
      isTerminalSafe(sanitizeForTerminal(text, singleLine: true), allowingNewlines: false),
      "sanitised text holds a control")
  }
  _ = status.raw?.serialized()
}

func checkSafe(_ error: TillError) {
  require(isTerminalSafe(error.message, allowingNewlines: false), "an error message: \(error)")
}

func fuzzAdapter(_ target: FuzzTarget, _ bytes: [UInt8]) {
  let answer = response(from: bytes)
  let clock = FixedClock()
  let adapter: CheckoutAdapter
  switch target {
  case .acme: adapter = AcmeAdapter(transport: NoTransport(), endpoint: endpoint, clock: clock)
  case .ticketing:
    adapter = TicketingAdapter(transport: NoTransport(), endpoint: endpoint, clock: clock)
  default: adapter = C2AAdapter(transport: NoTransport(), endpoint: endpoint, clock: clock)
  }
  do {
    checkSafe(try adapter.status(id: "trk_FUZZ", from: answer))
  } catch {
    checkSafe(error)
  }
  checkSafe(errorForStatus(answer, doing: "fuzzing"))
  if let said = serverMessage(in: answer) {
    require(isTerminalSafe(said, allowingNewlines: false), "a server message holds a control")
  }
  if target == .ticketing {
    _ = TicketingAdapter.state(for: String(decoding: bytes, as: UTF8.self))
  }
}

func fuzzComOS(_ bytes: [UInt8]) {
  guard let saga = try? JSONValue.parse(bytes) else { return }
  do {
    checkSafe(try ComOSAdapter.status(from: saga, id: "saga-fuzz"))
  } catch {
    _ = error.message
  }
}

func fuzzRetryAfter(_ bytes: [UInt8]) {
  let text = String(decoding: bytes, as: UTF8.self)
  let now: Int64 = 1_795_000_000
  if let delay = RetryAfter.delay(text, now: now) {
    require(delay >= .zero && delay <= RetryAfter.cap, "delay out of range: \(delay)")
  }
  var headers = HTTPHeaders()
  headers.append("Retry-After", text)
  _ = RetryAfter.delay(in: headers, now: now)
  if let seconds = HTTPDate.parse(text, now: now) {
    _ = RetryAfter.delay(text, now: seconds)
  }
  _ = ISOTime.parse(text)
  // Any instant from 1970 to 9999 formats as an IMF-fixdate that parses back to itself.
  if bytes.count >= 8 {
    let raw = bytes.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    let instant = Int64(raw % 253_402_300_800)
    let formatted = HTTPDate.format(instant)
    require(HTTPDate.parse(formatted) == instant, "HTTP-date round trip: \(formatted)")
    require(ISOTime.parse(ISOTime.format(instant)) == instant, "ISO time round trip")
  }
}

func fuzzConfig(_ bytes: [UInt8]) {
  guard let text = String(validating: bytes, as: UTF8.self),
    let config = try? TillConfig.parse(text)
  else { return }
  let written = config.serialized()
  guard let again = try? TillConfig.parse(written) else {
    require(false, "a written config does not parse:\n\(written)")
    return
  }
  require(again == config, "config does not round-trip:\n\(written)")
}

func fuzzArguments(_ bytes: [UInt8]) {
  let argv = bytes.split(separator: 0, omittingEmptySubsequences: false).map {
    String(decoding: $0, as: UTF8.self)
  }
  do {
    let parsed = try CommandTree.root.parse(["till"] + argv)
    _ = CommandTree.root.helpText(for: parsed.path)
  } catch {
    _ = error.message
    _ = CommandTree.root.usageText(for: error.commandPath)
  }
  for word in argv { _ = parseDuration(word) }
}

func fuzzServerSentEvents(_ bytes: [UInt8]) {
  let whole = parseServerSentEvents(bytes)
  for event in whole {
    require(!event.event.contains("\n"), "an event name with a newline")
  }
  // Read as it arrives, in two parts or at once, a stream gives the same ended events, and
  // they begin the events of the whole stream.
  let split = bytes.isEmpty ? 0 : Int(bytes[0]) % (bytes.count + 1)
  let inParts = EventStreamReader()
  let parts = inParts.eventsEnded(in: Array(bytes[..<split])) + inParts.eventsEnded(in: bytes)
  let atOnce = EventStreamReader().eventsEnded(in: bytes)
  let shape = { (events: [ServerSentEvent]) in events.map { [$0.event, $0.data] } }
  require(shape(parts) == shape(atOnce), "a stream read in parts differs from one read at once")
  require(
    shape(whole).starts(with: shape(atOnce)), "the ended events do not begin the whole stream's")
}

func fuzzTerminal(_ bytes: [UInt8]) {
  let text = String(decoding: bytes, as: UTF8.self)
  require(
    isTerminalSafe(sanitizeForTerminal(text, singleLine: true), allowingNewlines: false),
    "single-line sanitising left a control")
  require(
    isTerminalSafe(sanitizeForTerminal(text), allowingNewlines: true),
    "sanitising left a control")
  require(isTerminalSafe(quoteBody(bytes), allowingNewlines: false), "a quoted body")
  // A live view's line: cut to any width, it never takes more columns than that.
  let line = sanitizeForTerminal(text, singleLine: true)
  for width in [0, 1, 2, 5, 79] {
    require(displayWidth(fitting(line, width: width)) <= width, "a line cut past its width")
  }
}

func fuzzRedirect(_ bytes: [UInt8]) {
  let text = String(decoding: bytes, as: UTF8.self)
  guard let origin = Endpoint(url: "http://127.0.0.1:8080/api") else { return }
  for upgrade in [false, true]
  where origin.refusal(ofRedirectTo: text, allowingHTTPSUpgrade: upgrade) == nil {
    // Followed: libcurl must resolve it to this host, on this port (or 443 when upgraded).
    let handle = curl_url()
    defer { curl_url_cleanup(handle) }
    _ = curl_url_set(handle, CURLUPART_URL, origin.url, UInt32(CURLU_NON_SUPPORT_SCHEME))
    let trimmed = text.trimmingHeaderSpace()
    guard !trimmed.isEmpty,
      curl_url_set(handle, CURLUPART_URL, trimmed, UInt32(CURLU_URLENCODE | CURLU_ALLOW_SPACE))
        == CURLUE_OK
    else { continue }
    var host: UnsafeMutablePointer<CChar>?
    var port: UnsafeMutablePointer<CChar>?
    _ = curl_url_get(handle, CURLUPART_HOST, &host, 0)
    _ = curl_url_get(handle, CURLUPART_PORT, &port, UInt32(CURLU_DEFAULT_PORT))
    let hostText = host.map { String(cString: $0) } ?? ""
    let portText = port.map { String(cString: $0) } ?? ""
    curl_free(host)
    curl_free(port)
    require(hostText == "127.0.0.1", "a redirect to \(hostText) allowed")
    require(portText == "8080" || (upgrade && portText == "443"), "a redirect to port \(portText)")
  }
  _ = redactHeaderLine(text)
  bytes.withUnsafeBytes { _ = headerLines($0) }
  bytes.withUnsafeBytes { raw in
    if case .statusLine(let code) = HeaderLine(raw) {
      require(code >= 0 && code <= 999, "a status line read as \(code)")
    }
  }
}
