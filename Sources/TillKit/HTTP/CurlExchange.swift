import CCurl
import Glibc

/// The state one transfer's callbacks write into.
final class Exchange {
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
      for line in headerLines(bytes) { trace("* " + safe(line)) }
    case CURLINFO_HEADER_OUT:
      for line in headerLines(bytes) {
        trace("> " + safe(redactHeaderLine(line)))
      }
    case CURLINFO_HEADER_IN:
      for line in headerLines(bytes) {
        trace("< " + safe(redactHeaderLine(line)))
      }
    default:
      // Bodies are never traced: a request body may hold card data.
      break
    }
    return 0
  }
}
