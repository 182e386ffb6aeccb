import CCurl
import Glibc

/// A GET whose answer is an event stream that stays open: the legacy MCP HTTP+SSE transport's
/// one stream, on a connection of its own, read as events arrive while other requests go out
/// on the usual transport. No timeout ends the transfer itself; each wait has its own.
public protocol EventStream: AnyObject {
  /// The answer's status and headers, known once `open` returned.
  var status: Int { get }
  var headers: HTTPHeaders { get }
  /// The events that ended since the last call, waiting up to the stream's timeout for one.
  /// Throws when the stream ended, failed, timed out or the run was interrupted.
  func nextEvents() throws(TransportError) -> [ServerSentEvent]
  /// Ends the transfer and closes its connection.
  func close()
}

/// Opens an event stream for a request; see `CurlEventStream`.
public typealias EventStreamOpener = (HTTPRequest) throws(TransportError) -> EventStream

/// An event stream over its own libcurl easy handle, pumped through a multi handle from the
/// caller's thread only when it waits for events.
public final class CurlEventStream: EventStream {
  private let transport: CurlTransport
  private let multi: UnsafeMutableRawPointer
  private let endpoint: Endpoint
  private let wait: Duration
  private let interruption: InterruptionFlag?
  /// Bytes received and not yet parsed into whole events.
  private var pending: [UInt8] = []
  /// Events parsed and not yet handed out.
  private var ready: [ServerSentEvent] = []
  private var ended: Result<HTTPResponse, TransportError>?
  private var closed = false
  public private(set) var status = 0
  public private(set) var headers = HTTPHeaders()

  /// Opens the stream and returns once its first event arrived or the answer ended (an
  /// error status, say): `status` and `headers` are then known.
  public init(_ request: HTTPRequest, options: TransportOptions, trace: TraceSink? = nil)
    throws(TransportError)
  {
    var streaming = options
    // The stream lasts as long as the command; each wait below has the usual limit.
    streaming.timeout = .zero
    streaming.recorder = nil
    wait = options.timeout
    interruption = options.interruption
    transport = try CurlTransport(options: streaming, trace: trace)
    guard let multi = curl_multi_init() else {
      throw .other(code: -1, reason: "libcurl could not create a multi handle")
    }
    self.multi = multi
    endpoint = try transport.prepare(request)
    let added = curl_multi_add_handle(multi, transport.easyHandle)
    guard added == CURLM_OK else {
      transport.release()
      curl_multi_cleanup(multi)
      throw .other(code: Int(added.rawValue), reason: String(cString: curl_multi_strerror(added)))
    }
    do {
      try pump { $0.ready.isEmpty && $0.ended == nil }
    } catch {
      close()
      throw error
    }
    if case .failure(let error)? = ended {
      close()
      throw error
    }
    if case .success(let response)? = ended {
      status = response.status
      headers = response.headers
    }
  }

  deinit { close() }

  public func nextEvents() throws(TransportError) -> [ServerSentEvent] {
    if ready.isEmpty, ended == nil, !closed {
      try pump { $0.ready.isEmpty && $0.ended == nil }
    }
    if !ready.isEmpty {
      defer { ready = [] }
      return ready
    }
    if case .failure(let error)? = ended { throw error }
    throw .connectionLost(endpoint: endpoint.display, reason: "the server ended the event stream")
  }

  public func close() {
    guard !closed else { return }
    closed = true
    curl_multi_remove_handle(multi, transport.easyHandle)
    transport.release()
    curl_multi_cleanup(multi)
  }

  /// Runs the transfer while `waiting` holds, up to the wait's limit.
  private func pump(while waiting: (CurlEventStream) -> Bool) throws(TransportError) {
    let deadline = monotonicNow() + wait
    while waiting(self) {
      var active: Int32 = 0
      _ = curl_multi_perform(multi, &active)
      collect()
      guard waiting(self) else { return }
      if interruption?.isSet == true { throw .interrupted }
      let remaining = deadline - monotonicNow()
      if remaining <= .zero {
        throw .timedOut(endpoint: endpoint.display, after: wait)
      }
      let nap = min(remaining, .milliseconds(50))
      let milliseconds =
        nap.components.seconds * 1000 + nap.components.attoseconds / 1_000_000_000_000_000
      _ = curl_multi_poll(multi, nil, 0, Int32(max(1, milliseconds)), nil)
    }
  }

  /// Moves what arrived into whole events, and notes the end of the transfer.
  private func collect() {
    let exchange = transport.exchange
    if status == 0, exchange.sawStatusLine {
      var code = 0
      _ = till_easy_getinfo_long(transport.easyHandle, CURLINFO_RESPONSE_CODE, &code)
      status = code
    }
    headers = exchange.headers
    if !exchange.body.isEmpty {
      pending.append(contentsOf: exchange.body)
      // Consumed here, so a stream that lasts hours never reaches the body limit.
      exchange.body.removeAll(keepingCapacity: true)
      let reader = EventStreamReader()
      ready += reader.eventsEnded(in: pending)
      pending.removeFirst(reader.consumed)
    }
    var left: Int32 = 0
    while let message = curl_multi_info_read(multi, &left) {
      guard message.pointee.msg == CURLMSG_DONE else { continue }
      let code = till_multi_message_result(message)
      do {
        var response = try transport.response(after: code, endpoint: endpoint)
        response.body = pending
        ended = .success(response)
      } catch {
        ended = .failure(error)
      }
    }
  }
}
