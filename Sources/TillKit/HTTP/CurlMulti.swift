import CCurl
import Glibc

/// Many HTTP exchanges at once from one thread, through libcurl's multi interface.
///
/// Each exchange runs on a pooled `CurlTransport` whose easy handle is added to one multi
/// handle; a finished handle goes back to the pool for the next request. While in the multi,
/// every easy handle shares the multi's connection cache, so polls of one host go over the
/// connections already open: no more of them than `connections`, each kept alive.
public final class CurlMulti: ConcurrentHTTPTransport {
  private struct Running {
    let transport: CurlTransport
    let tag: Int
    let endpoint: Endpoint
  }

  /// How long one wait lasts at most, so that a Ctrl-C ends a watch promptly.
  static let slice: Duration = .milliseconds(50)

  private let multi: UnsafeMutableRawPointer
  private let options: TransportOptions
  private let trace: TraceSink?
  private var idle: [CurlTransport] = []
  private var running: [UnsafeMutableRawPointer: Running] = [:]
  /// Requests that failed before reaching libcurl, reported by the next `wait`.
  private var failedEarly: [TaggedResponse] = []

  /// - Parameter connections: the most connections open at once, to all hosts together.
  public init(options: TransportOptions, connections: Int, trace: TraceSink? = nil)
    throws(TransportError)
  {
    // The first transport also runs libcurl's global initialisation, which must come first.
    idle = [try CurlTransport(options: options, trace: trace)]
    guard let multi = curl_multi_init() else {
      throw .other(code: -1, reason: "libcurl could not create a multi handle")
    }
    self.multi = multi
    self.options = options
    self.trace = trace
    let limit = max(1, connections)
    _ = till_multi_setopt_long(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, limit)
    _ = till_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, limit)
    // Idle connections kept for reuse: as many as may be open at once.
    _ = till_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, limit)
  }

  deinit {
    for (handle, entry) in running {
      curl_multi_remove_handle(multi, handle)
      entry.transport.release()
    }
    curl_multi_cleanup(multi)
  }

  /// Exchanges started and not yet handed back.
  public var inFlight: Int { running.count + failedEarly.count }

  public func begin(_ request: HTTPRequest, tag: Int) {
    let transport: CurlTransport
    if let reused = idle.popLast() {
      transport = reused
    } else {
      do {
        transport = try CurlTransport(options: options, trace: trace)
      } catch {
        failedEarly.append(TaggedResponse(tag: tag, result: .failure(error)))
        return
      }
    }
    let endpoint: Endpoint
    do {
      endpoint = try transport.prepare(request)
    } catch {
      idle.append(transport)
      failedEarly.append(TaggedResponse(tag: tag, result: .failure(error)))
      return
    }
    let added = curl_multi_add_handle(multi, transport.easyHandle)
    guard added == CURLM_OK else {
      transport.release()
      idle.append(transport)
      let error = TransportError.other(
        code: Int(added.rawValue), reason: String(cString: curl_multi_strerror(added)))
      failedEarly.append(TaggedResponse(tag: tag, result: .failure(error)))
      return
    }
    running[transport.easyHandle] = Running(transport: transport, tag: tag, endpoint: endpoint)
  }

  public func wait(until deadline: Duration?) -> [TaggedResponse] {
    var finished = failedEarly
    failedEarly = []
    while true {
      var active: Int32 = 0
      _ = curl_multi_perform(multi, &active)
      collectFinished(into: &finished)
      if !finished.isEmpty || options.interruption?.isSet == true { return finished }
      var nap = CurlMulti.slice
      if let deadline {
        let remaining = deadline - monotonicNow()
        if remaining <= .zero { return finished }
        nap = min(nap, remaining)
      }
      // Whole milliseconds, rounded up: waking a little late is fine, early is not.
      let nanoseconds =
        nap.components.seconds * 1_000_000_000
        + nap.components.attoseconds / 1_000_000_000
      _ = curl_multi_poll(multi, nil, 0, Int32((nanoseconds + 999_999) / 1_000_000), nil)
    }
  }

  private func collectFinished(into finished: inout [TaggedResponse]) {
    var left: Int32 = 0
    while let message = curl_multi_info_read(multi, &left) {
      guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle,
        let entry = running.removeValue(forKey: handle)
      else { continue }
      // Read before removing the handle, which frees the message.
      let code = till_multi_message_result(message)
      curl_multi_remove_handle(multi, handle)
      let result: Result<HTTPResponse, TransportError>
      do {
        result = .success(try entry.transport.response(after: code, endpoint: entry.endpoint))
      } catch {
        result = .failure(error)
      }
      entry.transport.release()
      idle.append(entry.transport)
      finished.append(TaggedResponse(tag: entry.tag, result: result))
    }
  }
}
