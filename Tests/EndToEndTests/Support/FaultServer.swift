import Foundation
import LoopbackSockets

/// One HTTP request as the fault server read it off the wire.
struct ReceivedRequest: Sendable {
  var method: String
  var path: String
  var headers: [(String, String)]
  var body: [UInt8]
  /// The request exactly as it arrived, for forwarding.
  var raw: [UInt8]
  /// Monotonic seconds when the request had fully arrived.
  var arrivedAt: Double

  func header(_ name: String) -> String? {
    headers.first { $0.0.lowercased() == name.lowercased() }?.1
  }

  var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// What the fault server does with one request.
enum FaultAction: Sendable {
  /// Sends these bytes and waits for the next request on the same connection.
  case respond([UInt8])
  /// Sends these bytes and closes the connection (FIN).
  case respondAndClose([UInt8])
  /// Sends these bytes, then resets the connection (RST).
  case reset(after: [UInt8])
  /// Sends nothing and holds the connection open until the client gives up.
  case stall
  /// Sends the bytes one at a time, pausing between them; then closes.
  case drip([UInt8], every: TimeInterval)
  /// Sends a head, then `count` copies of `chunk`, then closes: for bodies larger than memory
  /// should hold.
  case stream(head: [UInt8], chunk: [UInt8], count: Int)
  /// Closes the connection without a response.
  case close
  /// Sends the request to the upstream server and relays its answer.
  case forward
  /// Sends the request upstream, waits for the upstream's answer (so the upstream has acted
  /// on it), then closes the client's connection without a response.
  case forwardThenDrop
  /// Relays the upstream's answer; an event stream goes without its Content-Length and stays
  /// open after its last event, as a server may keep an MCP stream open, until the client
  /// closes it.
  case forwardHoldingEventStreams
}

/// A misbehaving HTTP server on 127.0.0.1 for fault tests: `respond` decides, per request,
/// how to (mis)behave. Requests are numbered from 1 across connections and recorded.
final class FaultServer: @unchecked Sendable {
  typealias Responder = @Sendable (_ request: ReceivedRequest, _ number: Int) -> FaultAction

  let port: UInt16
  private let listener: Int32
  private let respond: Responder
  private let upstream: UInt16?
  private let lock = NSLock()
  private var received: [ReceivedRequest] = []
  private var connectionCount = 0
  private var stopped = false

  /// - Parameter upstream: a loopback port that `forward` sends requests to.
  init(upstream: UInt16? = nil, respond: @escaping Responder) throws {
    let (socket, port) = try openLoopbackListener()
    self.listener = socket
    self.port = port
    self.respond = respond
    self.upstream = upstream
    Thread.detachNewThread { [self] in acceptLoop() }
  }

  deinit { stop() }

  var baseURL: String { "http://127.0.0.1:\(port)" }

  /// Every request received so far, in order of arrival.
  var requests: [ReceivedRequest] {
    lock.lock()
    defer { lock.unlock() }
    return received
  }

  var connections: Int {
    lock.lock()
    defer { lock.unlock() }
    return connectionCount
  }

  func stop() {
    lock.lock()
    let wasStopped = stopped
    stopped = true
    lock.unlock()
    // Wakes the accept loop, which then closes the listener.
    if !wasStopped { shutdown(listener, Int32(SHUT_RDWR)) }
  }

  private func acceptLoop() {
    defer { Glibc.close(listener) }
    while true {
      let client = accept(listener, nil, nil)
      if client < 0 {
        if errno == EINTR { continue }
        return
      }
      _ = fcntl(client, F_SETFD, FD_CLOEXEC)
      lock.lock()
      connectionCount += 1
      let isStopped = stopped
      lock.unlock()
      if isStopped {
        Glibc.close(client)
        return
      }
      Thread.detachNewThread { [self] in serve(client) }
    }
  }

  private func serve(_ client: Int32) {
    var connection = Connection(socket: client)
    var upstreamConnection: Connection?
    defer {
      connection.close()
      upstreamConnection?.close()
    }
    while let request = connection.readRequest() {
      let number: Int = {
        lock.lock()
        defer { lock.unlock() }
        received.append(request)
        return received.count
      }()
      let action = respond(request, number)
      switch action {
      case .respond(let bytes):
        guard connection.send(bytes) else { return }
      case .respondAndClose(let bytes):
        _ = connection.send(bytes)
        return
      case .reset(let bytes):
        _ = connection.send(bytes)
        // Let the bytes leave before the reset discards what is still queued.
        Thread.sleep(forTimeInterval: 0.1)
        connection.reset()
        return
      case .stall:
        connection.waitUntilPeerCloses(atMost: 120)
        return
      case .drip(let bytes, let pause):
        for byte in bytes {
          guard connection.send([byte]) else { return }
          Thread.sleep(forTimeInterval: pause)
        }
        return
      case .stream(let head, let chunk, let count):
        guard connection.send(head) else { return }
        for _ in 0..<count { guard connection.send(chunk) else { return } }
        return
      case .close:
        return
      case .forward, .forwardThenDrop, .forwardHoldingEventStreams:
        guard let port = upstream else { return }
        if upstreamConnection == nil {
          guard let socket = connectLoopback(port: port) else { return }
          upstreamConnection = Connection(socket: socket)
        }
        guard upstreamConnection!.send(request.raw),
          let answer = upstreamConnection!.readResponse()
        else { return }
        if case .forwardThenDrop = action { return }
        if case .forwardHoldingEventStreams = action, let held = heldOpen(answer) {
          guard connection.send(held) else { return }
          connection.waitUntilPeerCloses(atMost: 120)
          return
        }
        guard connection.send(answer) else { return }
      }
    }
  }
}

/// An event-stream answer rewritten to last until the connection closes (no Content-Length),
/// with a comment after its events as a server keeping the stream alive sends; nil for any
/// other answer.
private func heldOpen(_ answer: [UInt8]) -> [UInt8]? {
  let separator = Array("\r\n\r\n".utf8)
  guard let end = answer.firstRange(of: separator) else { return nil }
  let lines = String(decoding: answer[..<end.lowerBound], as: UTF8.self)
    .components(separatedBy: "\r\n")
  guard lines.contains(where: { $0.lowercased().hasPrefix("content-type: text/event-stream") })
  else { return nil }
  let head = lines.filter { !$0.lowercased().hasPrefix("content-length:") }
    .joined(separator: "\r\n")
  return Array((head + "\r\n\r\n").utf8) + answer[end.upperBound...]
    + Array(": still open\r\n\r\n".utf8)
}

/// A connected socket with a read buffer, speaking just enough HTTP/1.1 (Content-Length
/// framing) for the fault tests.
private struct Connection {
  let socket: Int32
  var buffer: [UInt8] = []

  init(socket: Int32) { self.socket = socket }

  mutating func readRequest() -> ReceivedRequest? {
    guard let (head, body) = readMessage() else { return nil }
    let lines = String(decoding: head, as: UTF8.self).components(separatedBy: "\r\n")
    let requestLine = lines[0].split(separator: " ")
    guard requestLine.count >= 2 else { return nil }
    return ReceivedRequest(
      method: String(requestLine[0]), path: String(requestLine[1]), headers: headerFields(lines),
      body: body, raw: head + body, arrivedAt: monotonicSeconds())
  }

  mutating func readResponse() -> [UInt8]? {
    guard let (head, body) = readMessage() else { return nil }
    return head + body
  }

  /// A head (through the blank line) and its Content-Length body.
  private mutating func readMessage() -> (head: [UInt8], body: [UInt8])? {
    let separator: [UInt8] = Array("\r\n\r\n".utf8)
    var end: Int?
    while end == nil {
      end = buffer.firstRange(of: separator)?.upperBound
      if end == nil { guard fill() else { return nil } }
    }
    let head = Array(buffer[..<end!])
    buffer.removeFirst(end!)
    let lines = String(decoding: head, as: UTF8.self).components(separatedBy: "\r\n")
    let length =
      headerFields(lines).first { $0.0.lowercased() == "content-length" }
      .flatMap { Int($0.1) } ?? 0
    while buffer.count < length { guard fill() else { return nil } }
    let body = Array(buffer[..<length])
    buffer.removeFirst(length)
    return (head, body)
  }

  private func headerFields(_ lines: [String]) -> [(String, String)] {
    lines.dropFirst().compactMap { line in
      guard let colon = line.firstIndex(of: ":") else { return nil }
      return (
        String(line[..<colon]),
        line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
      )
    }
  }

  private mutating func fill() -> Bool {
    var chunk = [UInt8](repeating: 0, count: 65_536)
    while true {
      let count = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
      if count < 0, errno == EINTR { continue }
      guard count > 0 else { return false }
      buffer += chunk[0..<count]
      return true
    }
  }

  /// False once the peer has gone away. Never raises SIGPIPE.
  func send(_ bytes: [UInt8]) -> Bool {
    var offset = 0
    while offset < bytes.count {
      let sent = bytes.withUnsafeBytes {
        Glibc.send(socket, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL))
      }
      if sent < 0, errno == EINTR { continue }
      guard sent > 0 else { return false }
      offset += sent
    }
    return true
  }

  func waitUntilPeerCloses(atMost seconds: TimeInterval) {
    let end = Date().addingTimeInterval(seconds)
    var byte: UInt8 = 0
    var watched = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
    while Date() < end {
      watched.revents = 0
      guard poll(&watched, 1, 100) >= 0 || errno == EINTR else { return }
      if watched.revents != 0, recv(socket, &byte, 1, Int32(MSG_PEEK)) <= 0 { return }
    }
  }

  /// Closes with SO_LINGER 0, which sends RST instead of FIN.
  func reset() {
    var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
    setsockopt(socket, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<linger>.size))
  }

  func close() { Glibc.close(socket) }
}

func monotonicSeconds() -> Double {
  var spec = timespec()
  clock_gettime(CLOCK_MONOTONIC, &spec)
  return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

/// An HTTP/1.1 response with a Content-Length (unless `length` says otherwise).
func httpResponse(
  _ status: Int, _ reason: String = "", headers: [(String, String)] = [], body: [UInt8] = [],
  length: Int? = nil, contentType: String? = "application/json"
) -> [UInt8] {
  var head = "HTTP/1.1 \(status) \(reason.isEmpty ? "Status" : reason)\r\n"
  if let contentType { head += "Content-Type: \(contentType)\r\n" }
  if let length {
    if length >= 0 { head += "Content-Length: \(length)\r\n" }
  } else {
    head += "Content-Length: \(body.count)\r\n"
  }
  for (name, value) in headers { head += "\(name): \(value)\r\n" }
  return Array((head + "\r\n").utf8) + body
}

func httpResponse(
  _ status: Int, _ reason: String = "", headers: [(String, String)] = [], json: String
) -> [UInt8] {
  httpResponse(status, reason, headers: headers, body: Array(json.utf8))
}
