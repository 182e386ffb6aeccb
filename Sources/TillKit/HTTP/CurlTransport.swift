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
  let handle: UnsafeMutableRawPointer
  let options: TransportOptions
  let exchange: Exchange
  let errorBuffer: UnsafeMutablePointer<CChar>
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
        throw .invalidHeader(name: safe(name), problem: problem)
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
    var sent = request
    sent.headers.append("User-Agent", options.userAgent)
    recorder.record(
      HARRecorder.Entry(
        request: sent,
        response: HTTPResponse(status: status, headers: exchange.headers, body: exchange.body),
        started: started,
        httpVersion: [1: "HTTP/1.0", 2: "HTTP/1.1", 3: "HTTP/2", 30: "HTTP/3"][version] ?? "",
        error: error, timings: timings,
        serverAddress: address.map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 },
        connection: localPort > 0 ? localPort : nil))
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

  private func setLong(_ option: CURLoption, _ value: Int) {
    _ = till_easy_setopt_long(handle, option, value)
  }

  private func setString(_ option: CURLoption, _ value: String) {
    _ = till_easy_setopt_string(handle, option, value)
  }
}
