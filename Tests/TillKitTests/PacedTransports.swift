import Testing

@testable import TillKit

/// Real HTTP on a fake clock, for one request at a time: each exchange goes to the server and
/// takes `latency` on `clock`, and the clock's time of each request is recorded.
final class PacedTransport: HTTPTransport {
  private let base: HTTPTransport
  private let clock: FakeClock
  private let latency: Duration
  private(set) var times: [Duration] = []

  init(_ base: HTTPTransport, clock: FakeClock, latency: Duration) {
    self.base = base
    self.clock = clock
    self.latency = latency
  }

  func send(_ request: HTTPRequest) throws(TransportError) -> HTTPResponse {
    times.append(clock.now)
    defer { clock.now += latency }
    return try base.send(request)
  }
}

/// Real HTTP on a fake clock, for many requests at once: each exchange goes to the server
/// through libcurl's multi interface and is answered `latency` after it began on `clock`, which
/// otherwise moves only when the watcher waits. The clock's time of each request is recorded by
/// tag.
final class PacedMulti: ConcurrentHTTPTransport {
  private let base: CurlMulti
  private let clock: FakeClock
  private let latency: Duration
  private(set) var times: [Int: [Duration]] = [:]
  private var pending: [(tag: Int, due: Duration)] = []
  private var arrived: [Int: TaggedResponse] = [:]

  init(_ base: CurlMulti, clock: FakeClock, latency: Duration) {
    self.base = base
    self.clock = clock
    self.latency = latency
  }

  func begin(_ request: HTTPRequest, tag: Int) {
    times[tag, default: []].append(clock.now)
    pending.append((tag, clock.now + latency))
    base.begin(request, tag: tag)
  }

  func wait(until deadline: Duration?) -> [TaggedResponse] {
    let nextAnswer = pending.map(\.due).min()
    guard let target = [nextAnswer, deadline].compactMap({ $0 }).min() else {
      Issue.record("the watcher waited with nothing in flight and nothing to wake for")
      return []
    }
    clock.now = max(clock.now, target)
    let due = pending.filter { $0.due <= clock.now }.map(\.tag)
    pending.removeAll { $0.due <= clock.now }
    // The answers due by now, in the order their requests began, once the server has sent them.
    let giveUp = monotonicNow() + .seconds(10)
    while !due.allSatisfy({ arrived[$0] != nil }), monotonicNow() < giveUp {
      for answer in base.wait(until: giveUp) { arrived[answer.tag] = answer }
    }
    return due.compactMap { tag in
      guard let answer = arrived.removeValue(forKey: tag) else {
        Issue.record("no answer from the server for request \(tag)")
        return nil
      }
      return answer
    }
  }
}

/// A ComOS saga read with one plain GET of `/sagas/{id}` and mapped by the ComOS adapter's own
/// reading of a saga: the only mapping whose failures a compensation may follow, here where the
/// fan-out can read it.
final class SagaOverHTTPAdapter: CheckoutAdapter {
  let api = "comos"
  let isServerPaced = false
  private let transport: HTTPTransport
  private let baseURL: String

  init(transport: HTTPTransport, baseURL: String) {
    self.transport = transport
    self.baseURL = baseURL
  }

  func start(_ request: CheckoutRequest) throws(TillError) -> CheckoutStatus {
    throw unsupported("checkout start")
  }

  func status(id: String) throws(TillError) -> CheckoutStatus {
    try status(id: id, from: exchange(transport, request(forStatusOf: id)))
  }

  func statusRequest(id: String) -> HTTPRequest? { request(forStatusOf: id) }

  private func request(forStatusOf id: String) -> HTTPRequest {
    HTTPRequest(url: baseURL + "/sagas/" + CheckoutID.pathSegment(id))
  }

  func status(id: String, from response: HTTPResponse) throws(TillError) -> CheckoutStatus {
    guard (200...299).contains(response.status) else {
      throw errorForStatus(response, doing: "reading saga \(id)")
    }
    return try ComOSAdapter.status(from: parseJSONBody(response, doing: "reading saga"), id: id)
  }
}
