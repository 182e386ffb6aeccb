import Glibc

/// What a request is served with besides itself.
struct RequestContext: Sendable {
  /// The id of the TCP connection that carried the request, counted from 1 per sandbox.
  var connectionID: Int
  /// `http://127.0.0.1:<port>`, for links the sandbox hands out.
  var baseURL: String
}

/// Turns requests, or the reasons they were refused, into responses.
protocol HTTPResponder: Sendable {
  func respond(to request: HTTPRequest, context: RequestContext) -> HTTPResponse
  func respond(toRejected rejection: HTTPRequestRejection, context: RequestContext) -> HTTPResponse
}

/// Writes the body of a streamed answer on its connection.
struct StreamWriter: Sendable {
  let socket: Int32

  /// Sends all of `bytes`; false when the client is gone.
  func send(_ bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBytes { raw in
      guard let base = raw.baseAddress else { return true }
      var offset = 0
      while offset < raw.count {
        let sent = Glibc.send(socket, base + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
        if sent < 0 {
          if errno == EINTR { continue }
          return false
        }
        offset += sent
      }
      return true
    }
  }

  /// Waits up to `milliseconds` for the client to close its side; true when it has (or the
  /// sandbox shut the connection down). Anything the client sends is read and dropped.
  func clientClosed(waiting milliseconds: Int32) -> Bool {
    var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
    let ready = poll(&descriptor, 1, milliseconds)
    guard ready > 0 else { return ready < 0 && errno != EINTR }
    if descriptor.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 { return true }
    var scratch = [UInt8](repeating: 0, count: 512)
    let received = scratch.withUnsafeMutableBytes {
      recv(socket, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT))
    }
    return received == 0 || (received < 0 && errno != EAGAIN && errno != EINTR)
  }
}

/// Serves the requests of one TCP connection in order until either side ends it.
struct HTTPConnection {
  /// How long an idle keep-alive connection is held. Long enough for any `Retry-After` the
  /// sandbox tells, so a well-behaved client keeps its one connection for a whole checkout.
  static let idleTimeoutSeconds = 300
  /// How long a client that stops reading may stall a response before it is dropped.
  static let sendTimeoutSeconds = 30
  /// How long unread input is drained after the last response, so closing does not reset
  /// the connection and destroy that response before the client has read it.
  static let lingerSeconds = 1

  private let socket: Int32
  private let context: RequestContext
  private let responder: any HTTPResponder
  /// Bytes received and not yet consumed start at `consumed`; pipelined requests wait here.
  private var buffer: [UInt8] = []
  private var consumed = 0

  init(socket: Int32, context: RequestContext, responder: any HTTPResponder) {
    self.socket = socket
    self.context = context
    self.responder = responder
  }

  mutating func serve() {
    setTimeout(SO_RCVTIMEO, seconds: Self.idleTimeoutSeconds)
    setTimeout(SO_SNDTIMEO, seconds: Self.sendTimeoutSeconds)
    var noDelay: Int32 = 1
    // Answers are small and written whole; Nagle would only add latency to each poll.
    setsockopt(
      socket, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
    while serveNextRequest() {}
  }

  /// Reads, answers and consumes one request. False when the connection is done.
  private mutating func serveNextRequest() -> Bool {
    var scannedUpTo = consumed
    var headEnd: Int?
    while headEnd == nil {
      skipBlankLines()
      scannedUpTo = max(scannedUpTo, consumed)
      headEnd = HTTPRequestParser.headEnd(in: buffer, from: consumed, resumeAt: &scannedUpTo)
      if headEnd == nil {
        if buffer.count - consumed > HTTPRequestParser.maximumHeadBytes {
          return refuse(HTTPRequestRejection(status: 431, reason: "request head over 64 KiB"))
        }
        // A client gone between or inside requests needs no answer; nobody would read it.
        guard receiveMore() else { return false }
      }
    }
    guard let headEnd else { return false }
    if headEnd - consumed > HTTPRequestParser.maximumHeadBytes {
      return refuse(HTTPRequestRejection(status: 431, reason: "request head over 64 KiB"))
    }
    let head: HTTPRequestHead
    do {
      head = try HTTPRequestParser.parseHead(buffer[consumed..<headEnd])
    } catch {
      return refuse(error)
    }
    consumed = headEnd

    if head.expectsContinue && buffer.count - consumed < head.contentLength {
      guard sendAll(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)) else { return false }
    }
    while buffer.count - consumed < head.contentLength {
      guard receiveMore() else { return false }
    }
    var request = head.request
    request.body = Array(buffer[consumed..<(consumed + head.contentLength)])
    consumed += head.contentLength
    buffer.removeFirst(consumed)
    consumed = 0

    let response = responder.respond(to: request, context: context)
    if let stream = response.stream {
      let head = response.serialized(
        keepAlive: false, announceKeepAlive: false, date: Self.currentDate())
      guard sendAll(head) else { return false }
      stream(StreamWriter(socket: socket))
      lingerBeforeClose()
      return false
    }
    let keepAlive = request.wantsPersistentConnection && !response.closesConnection
    let bytes = response.serialized(
      keepAlive: keepAlive, announceKeepAlive: keepAlive && request.minorVersion == 0,
      date: Self.currentDate())
    guard sendAll(bytes) else { return false }
    if !keepAlive {
      lingerBeforeClose()
    }
    return keepAlive
  }

  /// Answers a request that cannot be served and ends the connection. Always false.
  private mutating func refuse(_ rejection: HTTPRequestRejection) -> Bool {
    let response = responder.respond(toRejected: rejection, context: context)
    let bytes = response.serialized(
      keepAlive: false, announceKeepAlive: false, date: Self.currentDate())
    if sendAll(bytes) {
      lingerBeforeClose()
    }
    return false
  }

  /// RFC 9112 §2.2: a server should ignore blank lines before a request line, which some
  /// clients send after a body.
  private mutating func skipBlankLines() {
    while consumed < buffer.count
      && (buffer[consumed] == UInt8(ascii: "\r") || buffer[consumed] == UInt8(ascii: "\n"))
    {
      consumed += 1
    }
  }

  /// Appends what the socket has. False on end of stream, reset, timeout or shutdown.
  private mutating func receiveMore() -> Bool {
    var chunk = [UInt8](repeating: 0, count: 16 * 1024)
    while true {
      let received = chunk.withUnsafeMutableBytes { raw in
        recv(socket, raw.baseAddress, raw.count, 0)
      }
      if received > 0 {
        buffer.append(contentsOf: chunk[0..<received])
        return true
      }
      if received < 0 && errno == EINTR {
        continue
      }
      return false
    }
  }

  private func sendAll(_ bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBytes { raw in
      guard let base = raw.baseAddress else { return true }
      var offset = 0
      while offset < raw.count {
        // MSG_NOSIGNAL: a client that reset must cost an error code, not the process.
        let sent = send(socket, base + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
        if sent < 0 {
          if errno == EINTR { continue }
          return false
        }
        offset += sent
      }
      return true
    }
  }

  private func lingerBeforeClose() {
    shutdown(socket, Int32(SHUT_WR))
    setTimeout(SO_RCVTIMEO, seconds: Self.lingerSeconds)
    var discard = [UInt8](repeating: 0, count: 16 * 1024)
    var drained = 0
    while drained < HTTPRequestParser.maximumBodyBytes {
      let received = discard.withUnsafeMutableBytes { raw in
        recv(socket, raw.baseAddress, raw.count, 0)
      }
      if received < 0 && errno == EINTR { continue }
      guard received > 0 else { return }
      drained += received
    }
  }

  private func setTimeout(_ option: Int32, seconds: Int) {
    var interval = timeval(tv_sec: seconds, tv_usec: 0)
    setsockopt(socket, SOL_SOCKET, option, &interval, socklen_t(MemoryLayout<timeval>.size))
  }

  private static func currentDate() -> String {
    IMFFixdate.string(fromUnixSeconds: WallClock.nowSeconds())
  }
}
