import CCurl
import Glibc

public struct TransportOptions: Sendable {
  public var connectTimeout: Duration = .seconds(10)
  /// The whole exchange of one request, from connect to the last byte.
  public var timeout: Duration = .seconds(30)
  public var maxBodyBytes: Int = 8 * 1_048_576
  public var maxRedirects: Int = 5
  public var caCertificateFile: String?
  public var insecure = false
  public var userAgent = "till/\(Till.version)"
  /// Follow a redirect from http to https on the same host (port 443). Every other redirect
  /// that leaves the request's origin is refused.
  public var allowsHTTPSUpgrade = false
  /// When set (by SIGINT or SIGTERM), a transfer in progress is abandoned at once.
  public var interruption: InterruptionFlag?
  /// When set, every exchange is kept for a HAR log (`--trace FILE`).
  public var recorder: HARRecorder?

  public init() {}
}

/// Where `-v` traces go. Headers that carry secrets arrive here already redacted.
public typealias TraceSink = @Sendable (String) -> Void

/// HTTP over one libcurl easy handle. Reusing the handle keeps its connection cache, so
/// consecutive requests to one host share one kept-alive TCP connection.
public final class CurlTransport: HTTPTransport {
  private let handle: UnsafeMutableRawPointer
  private let options: TransportOptions
  private let exchange: Exchange
  private let errorBuffer: UnsafeMutablePointer<CChar>
  private var headerList: UnsafeMutablePointer<curl_slist>?

  public init(options: TransportOptions = TransportOptions(), trace: TraceSink? = nil)
    throws(TransportError)
  {
    _ = CurlTransport.globalInit
    guard let handle = curl_easy_init() else {
      throw .other(code: -1, reason: "libcurl could not create a handle")
    }
    self.handle = handle
    self.options = options
    self.exchange = Exchange(
      handle: handle, maxBodyBytes: options.maxBodyBytes, trace: trace,
      interruption: options.interruption, allowsHTTPSUpgrade: options.allowsHTTPSUpgrade)
    self.errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
    errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    try configureHandle()
  }

  deinit {
    release()
    curl_easy_cleanup(handle)
    errorBuffer.deallocate()
  }

  private static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

  private func configureHandle() throws(TransportError) {
    let context = Unmanaged.passUnretained(exchange).toOpaque()
    setLong(CURLOPT_NOSIGNAL, 1)
    if options.interruption != nil {
      setLong(CURLOPT_NOPROGRESS, 0)
      _ = till_easy_setopt_xferinfo_function(handle, Exchange.onProgress)
      _ = till_easy_setopt_pointer(handle, CURLOPT_XFERINFODATA, context)
    } else {
      setLong(CURLOPT_NOPROGRESS, 1)
    }
    setLong(CURLOPT_TCP_KEEPALIVE, 1)
    setLong(CURLOPT_CONNECTTIMEOUT_MS, Int(options.connectTimeout.milliseconds))
    setLong(CURLOPT_TIMEOUT_MS, Int(options.timeout.milliseconds))
    setLong(CURLOPT_FOLLOWLOCATION, 1)
    setLong(CURLOPT_MAXREDIRS, options.maxRedirects)
    // Only HTTP and HTTPS, also after a redirect.
    setString(CURLOPT_PROTOCOLS_STR, "http,https")
    setString(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
    setString(CURLOPT_USERAGENT, options.userAgent)
    setString(CURLOPT_ACCEPT_ENCODING, "")
    _ = till_easy_setopt_off(handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(options.maxBodyBytes))
    _ = till_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
    _ = till_easy_setopt_write_function(handle, CURLOPT_WRITEFUNCTION, Exchange.onBody)
    _ = till_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, context)
    _ = till_easy_setopt_write_function(handle, CURLOPT_HEADERFUNCTION, Exchange.onHeader)
    _ = till_easy_setopt_pointer(handle, CURLOPT_HEADERDATA, context)
    if exchange.trace != nil {
      setLong(CURLOPT_VERBOSE, 1)
      _ = till_easy_setopt_debug_function(handle, Exchange.onDebug)
      _ = till_easy_setopt_pointer(handle, CURLOPT_DEBUGDATA, context)
    }
    // Verification stays on unless the user asked otherwise for this run.
    setLong(CURLOPT_SSL_VERIFYPEER, options.insecure ? 0 : 1)
    setLong(CURLOPT_SSL_VERIFYHOST, options.insecure ? 0 : 2)
    if let file = options.caCertificateFile {
      guard access(file, R_OK) == 0 else {
        throw .certificateFile(path: file, reason: String(cString: strerror(errno)).lowercased())
      }
      setString(CURLOPT_CAINFO, file)
    }
  }

  public func send(_ request: HTTPRequest) throws(TransportError) -> HTTPResponse {
    let endpoint = try prepare(request)
    defer { release() }
    return try response(after: curl_easy_perform(handle), endpoint: endpoint)
  }

  /// The easy handle, for `CurlMulti` to run between `prepare` and `response(after:)`.
  var easyHandle: UnsafeMutableRawPointer { handle }

  /// Sets the handle up for `request`. `send` performs it at once; `CurlMulti` runs many such
  /// handles side by side. `release()` frees what this allocated.
  func prepare(_ request: HTTPRequest) throws(TransportError) -> Endpoint {
    guard let endpoint = Endpoint(url: request.url) else { throw .invalidURL(request.url) }
    // A value from a server (an MCP session id) or a user must not add headers of its own.
    for (name, value) in request.headers {
      if let problem = headerValueProblem(name) ?? headerValueProblem(value) {
        throw .invalidHeader(name: sanitizeForTerminal(name, singleLine: true), problem: problem)
      }
    }
    exchange.reset()
    exchange.origin = endpoint
    if options.recorder != nil {
      exchange.started = (realtimeNow(), monotonicMilliseconds())
      exchange.request = request
    }
    exchange.isAnswerComplete = request.isAnswerComplete
    errorBuffer[0] = 0
    setString(CURLOPT_URL, request.url)
    // On a fresh connection there is nothing for libcurl to retry: a dropped answer is an
    // error, and the request reached the server at most once.
    setLong(CURLOPT_FRESH_CONNECT, request.isRetryable ? 0 : 1)
    switch request.method {
    case .get:
      setLong(CURLOPT_HTTPGET, 1)
      _ = till_easy_setopt_string(handle, CURLOPT_CUSTOMREQUEST, nil)
    case .post where request.body != nil:
      _ = till_easy_setopt_string(handle, CURLOPT_CUSTOMREQUEST, nil)
    default:
      setLong(CURLOPT_HTTPGET, 1)
      setString(CURLOPT_CUSTOMREQUEST, request.method.rawValue)
    }
    if let body = request.body {
      _ = till_easy_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
      body.withUnsafeBufferPointer { buffer in
        _ = till_easy_setopt_pointer(
          handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: buffer.baseAddress))
      }
      if request.method != .post { setString(CURLOPT_CUSTOMREQUEST, request.method.rawValue) }
    }

    release()
    for (name, value) in request.headers {
      headerList = curl_slist_append(headerList, "\(name): \(value)")
    }
    // libcurl would otherwise add `Expect: 100-continue` to large bodies and wait for it.
    headerList = curl_slist_append(headerList, "Expect:")
    _ = till_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList)
    return endpoint
  }

  /// Frees the header list of the last `prepare`.
  func release() {
    guard let list = headerList else { return }
    _ = till_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, nil)
    curl_slist_free_all(list)
    headerList = nil
  }

  /// The response of a transfer that ended with `code`, or the error it ended with; kept for
  /// the HAR log when one is recorded.
  func response(after code: CURLcode, endpoint: Endpoint) throws(TransportError) -> HTTPResponse {
    guard let recorder = options.recorder else {
      return try answer(after: code, endpoint: endpoint)
    }
    do {
      let response = try answer(after: code, endpoint: endpoint)
      record(into: recorder, status: response.status, error: nil)
      return response
    } catch {
      record(into: recorder, status: 0, error: error.description)
      throw error
    }
  }

  private func record(into recorder: HARRecorder, status: Int, error: String?) {
    guard let request = exchange.request, let started = exchange.started else { return }
    func microseconds(_ info: CURLINFO) -> Double {
      var value: curl_off_t = 0
      _ = till_easy_getinfo_off(handle, info, &value)
      return Double(value) / 1000
    }
    let lookup = microseconds(CURLINFO_NAMELOOKUP_TIME_T)
    let connect = microseconds(CURLINFO_CONNECT_TIME_T)
    let secure = microseconds(CURLINFO_APPCONNECT_TIME_T)
    let ready = microseconds(CURLINFO_PRETRANSFER_TIME_T)
    let first = microseconds(CURLINFO_STARTTRANSFER_TIME_T)
    let total = microseconds(CURLINFO_TOTAL_TIME_T)
    var timings = HARRecorder.Timings()
    timings.dns = lookup
    // HAR counts the TLS handshake inside connect as well as on its own.
    timings.connect = max(0, max(secure, connect) - lookup)
    timings.ssl = secure > 0 ? max(0, secure - connect) : -1
    timings.send = max(0, ready - max(secure, connect))
    timings.wait = max(0, first - ready)
    timings.receive = max(0, total - max(first, ready))
    var version = 0
    _ = till_easy_getinfo_long(handle, CURLINFO_HTTP_VERSION, &version)
    var address: UnsafeMutablePointer<CChar>?
    _ = till_easy_getinfo_string(handle, CURLINFO_PRIMARY_IP, &address)
    var localPort = 0
    _ = till_easy_getinfo_long(handle, CURLINFO_LOCAL_PORT, &localPort)
    var headers = request.headers.fields.map { ($0.name, $0.value) }
    headers.append(("User-Agent", options.userAgent))
    recorder.record(
      HARRecorder.Entry(
        started: started.wall, method: request.method.rawValue, url: request.url,
        requestHeaders: headers, requestBody: request.body, status: status,
        httpVersion: [1: "HTTP/1.0", 2: "HTTP/1.1", 3: "HTTP/2", 30: "HTTP/3"][version] ?? "",
        responseHeaders: exchange.headers.fields.map { ($0.name, $0.value) },
        responseBody: exchange.body, error: error, timings: timings,
        serverAddress: address.map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 },
        connection: localPort > 0 ? localPort : nil, sentAt: started.monotonic))
  }

  private func answer(after code: CURLcode, endpoint: Endpoint) throws(TransportError)
    -> HTTPResponse
  {
    let ended = code == CURLE_OK || (code == CURLE_WRITE_ERROR && exchange.answerComplete)
    guard ended else { throw error(for: code, endpoint: endpoint) }
    var status = 0
    _ = till_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
    var connects = 0
    _ = till_easy_getinfo_long(handle, CURLINFO_NUM_CONNECTS, &connects)
    return HTTPResponse(
      status: status, headers: exchange.headers, body: exchange.body, newConnections: connects)
  }

  private func error(for code: CURLcode, endpoint: Endpoint) -> TransportError {
    var osErrno = 0
    _ = till_easy_getinfo_long(handle, CURLINFO_OS_ERRNO, &osErrno)
    let detail = String(cString: errorBuffer)
    let reason: String
    if osErrno != 0 {
      reason = String(cString: strerror(Int32(osErrno))).lowercased()
    } else if !detail.isEmpty {
      reason = detail
    } else {
      reason = String(cString: curl_easy_strerror(code))
    }
    switch code {
    case CURLE_ABORTED_BY_CALLBACK:
      return .interrupted
    case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL, CURLE_OUT_OF_MEMORY:
      // A request that went out means the URL was good: the server's answer was not.
      var sent = 0
      _ = till_easy_getinfo_long(handle, CURLINFO_REQUEST_SIZE, &sent)
      guard sent > 0 else {
        return code == CURLE_OUT_OF_MEMORY
          ? .other(code: Int(code.rawValue), reason: reason) : .invalidURL(endpoint.url)
      }
      // libcurl 7.x ends a header past its 100 KiB limit as "out of memory".
      let words = code == CURLE_OUT_OF_MEMORY ? "header max is" : detail
      return .malformedResponse(endpoint: endpoint.display, reason: CurlTransport.reply(words))
    case CURLE_COULDNT_RESOLVE_HOST:
      return .couldNotResolve(host: endpoint.host)
    case CURLE_COULDNT_CONNECT:
      return .couldNotConnect(endpoint: endpoint.display, reason: reason)
    case CURLE_OPERATION_TIMEDOUT:
      let connected = exchange.sawStatusLine
      return .timedOut(
        endpoint: endpoint.display,
        after: connected ? options.timeout : min(options.timeout, options.connectTimeout))
    case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CERTPROBLEM,
      CURLE_SSL_CIPHER, CURLE_SSL_ISSUER_ERROR:
      return .tls(endpoint: endpoint.display, reason: detail.isEmpty ? reason : detail)
    case CURLE_SSL_CACERT_BADFILE:
      return .certificateFile(path: options.caCertificateFile ?? "", reason: detail)
    case CURLE_TOO_MANY_REDIRECTS:
      return .tooManyRedirects(limit: options.maxRedirects)
    case CURLE_FILESIZE_EXCEEDED:
      return .bodyTooLarge(limit: options.maxBodyBytes)
    case CURLE_WRITE_ERROR where exchange.bodyTooLarge:
      return .bodyTooLarge(limit: options.maxBodyBytes)
    case CURLE_WRITE_ERROR where exchange.refusedRedirect != nil:
      return .redirectRefused(from: endpoint.display, exchange.refusedRedirect!)
    case CURLE_GOT_NOTHING:
      return .connectionLost(
        endpoint: endpoint.display, reason: "the server closed the connection without a response")
    case CURLE_RECV_ERROR, CURLE_SEND_ERROR:
      return .connectionLost(endpoint: endpoint.display, reason: reason)
    case CURLE_PARTIAL_FILE:
      return .connectionLost(
        endpoint: endpoint.display,
        reason: "the response ended early (\(exchange.body.count) bytes received)")
    case CURLE_WEIRD_SERVER_REPLY, CURLE_BAD_CONTENT_ENCODING, CURLE_HTTP2, CURLE_HTTP2_STREAM:
      return .malformedResponse(
        endpoint: endpoint.display, reason: detail.isEmpty ? reason : detail)
    default:
      return .other(code: Int(code.rawValue), reason: detail.isEmpty ? reason : detail)
    }
  }

  /// What libcurl's words for a reply it rejected mean, for someone who did not write it.
  static func reply(_ detail: String) -> String {
    if detail.contains("HTTP/0.9") {
      return "the answer does not start with an HTTP status line (HTTP/0.9, or not HTTP)"
    }
    if detail.contains("Unsupported HTTP version") {
      return "the status line names an HTTP version that is not 1.0, 1.1 or 2"
    }
    if detail.contains("header") && (detail.contains("max is") || detail.contains("giant")) {
      return "a response header is longer than the 100 KiB a header may be"
    }
    return detail.isEmpty ? "the answer is not HTTP" : detail
  }

  private func setLong(_ option: CURLoption, _ value: Int) {
    _ = till_easy_setopt_long(handle, option, value)
  }

  private func setString(_ option: CURLoption, _ value: String) {
    _ = till_easy_setopt_string(handle, option, value)
  }
}

/// The state one transfer's callbacks write into.
private final class Exchange {
  /// The easy handle whose transfer this is: libcurl's own reading of the status and URL.
  let handle: UnsafeMutableRawPointer
  let maxBodyBytes: Int
  let allowsHTTPSUpgrade: Bool
  let trace: TraceSink?
  let interruption: InterruptionFlag?
  var headers = HTTPHeaders()
  var body: [UInt8] = []
  var bodyTooLarge = false
  /// The request's test for an answer that has said everything; see `HTTPRequest`.
  var isAnswerComplete: (@Sendable (HTTPHeaders, [UInt8]) -> Bool)?
  /// Set when that test ended the transfer before the server did.
  var answerComplete = false
  var sawStatusLine = false
  /// Where the request went, to judge where its redirects lead.
  var origin: Endpoint?
  /// A redirect that leaves the origin, not followed: it would take the API key along.
  var refusedRedirect: RedirectRefusal?
  /// For the HAR log: the request, and when it began (wall clock, monotonic milliseconds).
  var request: HTTPRequest?
  var started: (wall: timespec, monotonic: Double)?

  init(
    handle: UnsafeMutableRawPointer, maxBodyBytes: Int, trace: TraceSink?,
    interruption: InterruptionFlag?, allowsHTTPSUpgrade: Bool
  ) {
    self.handle = handle
    self.maxBodyBytes = maxBodyBytes
    self.allowsHTTPSUpgrade = allowsHTTPSUpgrade
    self.trace = trace
    self.interruption = interruption
  }

  static let onProgress: till_curl_xferinfo_callback = { context, _, _, _, _ in
    let exchange = Unmanaged<Exchange>.fromOpaque(context!).takeUnretainedValue()
    return exchange.interruption?.isSet == true ? 1 : 0
  }

  func reset() {
    headers = HTTPHeaders()
    body = []
    bodyTooLarge = false
    isAnswerComplete = nil
    answerComplete = false
    sawStatusLine = false
    origin = nil
    refusedRedirect = nil
    request = nil
    started = nil
  }

  static let onBody: till_curl_write_callback = { data, size, count, context in
    let exchange = Unmanaged<Exchange>.fromOpaque(context!).takeUnretainedValue()
    let length = size * count
    guard exchange.body.count + length <= exchange.maxBodyBytes else {
      exchange.bodyTooLarge = true
      return 0
    }
    guard let data else { return length }
    let chunk = UnsafeRawBufferPointer(start: data, count: length)
    exchange.body.append(contentsOf: chunk)
    if let isComplete = exchange.isAnswerComplete,
      chunk.contains(where: { $0 == 0x0A || $0 == 0x0D }),
      isComplete(exchange.headers, exchange.body)
    {
      // Everything the request waits for has arrived; what the server still holds open is
      // not waited for. libcurl ends the transfer with a write error, read as success.
      exchange.answerComplete = true
      return 0
    }
    return length
  }

  static let onHeader: till_curl_write_callback = { data, size, count, context in
    let exchange = Unmanaged<Exchange>.fromOpaque(context!).takeUnretainedValue()
    let length = size * count
    guard let data else { return length }
    switch HeaderLine(UnsafeRawBufferPointer(start: data, count: length)) {
    case .statusLine:
      // A new response begins (after a redirect or a 100 Continue): keep only the last one's.
      exchange.headers = HTTPHeaders()
      exchange.sawStatusLine = true
    case .field(let name, let value):
      exchange.headers.append(name, value)
      // libcurl sends every request header, and a POST's body, again to wherever a redirect
      // points: stop before following one that leaves the origin. The status and the URL the
      // Location is resolved against are libcurl's own, as it will follow.
      if name.lowercased() == "location", let refusal = exchange.redirectRefusal(value) {
        exchange.refusedRedirect = refusal
        return 0
      }
    case .other:
      break
    }
    return length
  }

  /// Why libcurl must not follow this Location, or nil when it may (or will not follow it).
  func redirectRefusal(_ location: String) -> RedirectRefusal? {
    var status = 0
    _ = till_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
    guard (300...399).contains(status) else { return nil }
    var current: UnsafeMutablePointer<CChar>?
    _ = till_easy_getinfo_string(handle, CURLINFO_EFFECTIVE_URL, &current)
    guard let base = current.flatMap({ Endpoint(url: String(cString: $0)) }) ?? origin else {
      return .invalid(location: "", "the request's own URL could not be read")
    }
    return base.refusal(ofRedirectTo: location, allowingHTTPSUpgrade: allowsHTTPSUpgrade)
  }

  static let onDebug: till_curl_debug_callback = { _, kind, data, size, context in
    let exchange = Unmanaged<Exchange>.fromOpaque(context!).takeUnretainedValue()
    guard let trace = exchange.trace, let data else { return 0 }
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    switch kind {
    case CURLINFO_TEXT:
      for line in headerLines(bytes) { trace("* " + sanitizeForTerminal(line, singleLine: true)) }
    case CURLINFO_HEADER_OUT:
      for line in headerLines(bytes) {
        trace("> " + sanitizeForTerminal(redactHeaderLine(line), singleLine: true))
      }
    case CURLINFO_HEADER_IN:
      for line in headerLines(bytes) {
        trace("< " + sanitizeForTerminal(redactHeaderLine(line), singleLine: true))
      }
    default:
      // Bodies are never traced: a request body may hold card data.
      break
    }
    return 0
  }
}

/// One line of a response's header block, read from its bytes: libcurl hands over a line at a
/// time, with its CRLF.
enum HeaderLine: Equatable {
  /// `HTTP/1.1 200 OK`: a response begins. The code is 0 when the line has none.
  case statusLine(code: Int)
  /// `Name: value`; the value without the spaces and tabs around it.
  case field(name: String, value: String)
  /// The blank line that ends the block, or a line without a colon.
  case other

  init(_ bytes: UnsafeRawBufferPointer) {
    let carriageReturn: UInt8 = 0x0D
    let lineFeed: UInt8 = 0x0A
    var start = 0
    while start < bytes.count, bytes[start] == carriageReturn || bytes[start] == lineFeed {
      start += 1
    }
    var end = start
    while end < bytes.count, bytes[end] != carriageReturn, bytes[end] != lineFeed { end += 1 }
    let line = UnsafeRawBufferPointer(rebasing: bytes[start..<end])
    if line.starts(with: "HTTP/".utf8) {
      self = .statusLine(code: Self.statusCode(line))
      return
    }
    guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
      self = .other
      return
    }
    let isBlank: (UInt8) -> Bool = { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
    var valueStart = colon + 1
    var valueEnd = line.count
    while valueStart < valueEnd, isBlank(line[valueStart]) { valueStart += 1 }
    while valueEnd > valueStart, isBlank(line[valueEnd - 1]) { valueEnd -= 1 }
    self = .field(
      name: String(decoding: UnsafeRawBufferPointer(rebasing: line[..<colon]), as: UTF8.self),
      value: String(
        decoding: UnsafeRawBufferPointer(rebasing: line[valueStart..<valueEnd]), as: UTF8.self))
  }

  /// The second space-separated word as a number of at most three digits, else 0.
  private static func statusCode(_ line: UnsafeRawBufferPointer) -> Int {
    let space = UInt8(ascii: " ")
    var index = 0
    while index < line.count, line[index] != space { index += 1 }
    while index < line.count, line[index] == space { index += 1 }
    var code = 0
    var digits = 0
    while index < line.count, line[index] != space {
      let byte = line[index]
      guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), digits < 3 else { return 0 }
      code = code * 10 + Int(byte - UInt8(ascii: "0"))
      digits += 1
      index += 1
    }
    return code
  }
}

/// The non-empty lines of a header block, split at CR and LF bytes. (In Swift "\r\n" is one
/// Character, so this works on bytes, not Characters.)
func headerLines(_ bytes: UnsafeRawBufferPointer) -> [String] {
  bytes.split(whereSeparator: { $0 == 0x0D || $0 == 0x0A }).map {
    String(decoding: $0, as: UTF8.self)
  }
}

let redactedHeaderNames: Set<String> = [
  "x-api-key", "authorization", "proxy-authorization", "cookie", "set-cookie",
]

/// `x-api-key: sk_live_…` becomes `x-api-key: [redacted]`.
func redactHeaderLine(_ line: String) -> String {
  guard let colon = line.firstIndex(of: ":") else { return line }
  let name = line[..<colon].trimmingWhitespace().lowercased()
  guard redactedHeaderNames.contains(name) else { return line }
  return "\(line[..<colon]): [redacted]"
}
