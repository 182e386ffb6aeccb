import Glibc
import Synchronization

/// Traffic totals shared by the listener, which counts connections, and the routes, which
/// count requests and report both.
final class TrafficCounters: Sendable {
  /// Every connection ever accepted; also the source of connection ids, which start at 1.
  let connectionsAccepted = Atomic<Int>(0)
  let requestsServed = Atomic<Int>(0)
}

/// Accepts loopback TCP connections and serves each on its own thread.
final class HTTPServer: Sendable {
  private struct State {
    var wakeWriter: Int32 = -1
    var acceptThread: pthread_t?
    var port: UInt16 = 0
    /// Open connections by id, so `stop()` can end them.
    var liveConnections: [Int: Int32] = [:]
  }

  private let responder: any HTTPResponder
  private let counters: TrafficCounters
  private let state = Mutex(State())

  init(responder: any HTTPResponder, counters: TrafficCounters) {
    self.responder = responder
    self.counters = counters
  }

  var port: UInt16 { state.withLock { $0.port } }

  var baseURL: String { "http://127.0.0.1:\(port)" }

  /// Binds 127.0.0.1 only: the sandbox takes fake card numbers and must never be reachable
  /// from another machine.
  func start(port requestedPort: UInt16) throws(SandboxError) {
    try state.withLock { (state) throws(SandboxError) in
      guard state.acceptThread == nil else {
        throw SandboxError("the sandbox is already running on port \(state.port)")
      }
      let listener = try Self.openListener(port: requestedPort)
      var wakePipe: [Int32] = [-1, -1]
      guard pipe(&wakePipe) == 0 else {
        let failure = SandboxError(errnoDescription: "cannot create the stop pipe")
        close(listener.socket)
        throw failure
      }
      let wakeReader = wakePipe[0]
      Self.closeOnExec(wakePipe[0])
      Self.closeOnExec(wakePipe[1])
      guard
        let thread = POSIXThread.spawn(
          detached: false,
          { [self] in
            acceptConnections(
              listener: listener.socket, wakeReader: wakeReader, port: listener.port)
          })
      else {
        close(listener.socket)
        close(wakePipe[0])
        close(wakePipe[1])
        throw SandboxError("cannot start the accept thread")
      }
      state.wakeWriter = wakePipe[1]
      state.acceptThread = thread
      state.port = listener.port
    }
  }

  /// Stops accepting, ends every open connection, and returns once they are closed (or after
  /// two seconds, should a response be stuck in a send).
  func stop() {
    let running = state.withLock { state -> (thread: pthread_t, wakeWriter: Int32)? in
      guard let thread = state.acceptThread else { return nil }
      state.acceptThread = nil
      defer { state.wakeWriter = -1 }
      return (thread, state.wakeWriter)
    }
    guard let running else { return }
    var wake: UInt8 = 1
    _ = write(running.wakeWriter, &wake, 1)
    // Joined outside the lock: the accept thread takes it to register connections.
    POSIXThread.join(running.thread)
    close(running.wakeWriter)

    state.withLock { state in
      // Shutdown, not close: the connection's own thread closes its descriptor, so a
      // descriptor number can never be reused under a thread still reading it.
      for socket in state.liveConnections.values {
        shutdown(socket, Int32(SHUT_RDWR))
      }
    }
    let deadline = MonotonicInstant.now().adding(seconds: 2)
    while state.withLock({ !$0.liveConnections.isEmpty }) && MonotonicInstant.now() < deadline {
      usleep(1_000)
    }
  }

  private func acceptConnections(listener: Int32, wakeReader: Int32, port: UInt16) {
    defer {
      close(listener)
      close(wakeReader)
    }
    var watched = [
      pollfd(fd: listener, events: Int16(POLLIN), revents: 0),
      pollfd(fd: wakeReader, events: Int16(POLLIN), revents: 0),
    ]
    while true {
      watched[0].revents = 0
      watched[1].revents = 0
      let ready = poll(&watched, nfds_t(watched.count), -1)
      if ready < 0 {
        if errno == EINTR { continue }
        return
      }
      if watched[1].revents != 0 { return }
      guard watched[0].revents != 0 else { continue }
      let socket = accept(listener, nil, nil)
      if socket < 0 {
        switch errno {
        case EINTR, EAGAIN, ECONNABORTED, EPROTO:
          continue
        case EMFILE, ENFILE, ENOBUFS, ENOMEM:
          // Out of descriptors: back off instead of spinning on a connection that cannot be
          // taken; it is accepted once a connection closes.
          usleep(10_000)
          continue
        default:
          return
        }
      }
      Self.closeOnExec(socket)
      serve(socket, baseURL: "http://127.0.0.1:\(port)")
    }
  }

  private func serve(_ socket: Int32, baseURL: String) {
    let connectionID = counters.connectionsAccepted.add(1, ordering: .relaxed).newValue
    state.withLock { $0.liveConnections[connectionID] = socket }
    let context = RequestContext(connectionID: connectionID, baseURL: baseURL)
    let started = POSIXThread.spawn(detached: true) { [self] in
      var connection = HTTPConnection(socket: socket, context: context, responder: responder)
      connection.serve()
      finish(connectionID: connectionID, socket: socket)
    }
    if started == nil {
      finish(connectionID: connectionID, socket: socket)
    }
  }

  private func finish(connectionID: Int, socket: Int32) {
    state.withLock { _ = $0.liveConnections.removeValue(forKey: connectionID) }
    close(socket)
  }

  /// Keeps sockets out of processes the CLI starts, such as a browser for a 3DS page.
  private static func closeOnExec(_ descriptor: Int32) {
    _ = fcntl(descriptor, F_SETFD, fcntl(descriptor, F_GETFD) | FD_CLOEXEC)
  }

  private static func openListener(
    port: UInt16
  ) throws(SandboxError) -> (socket: Int32, port: UInt16) {
    let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
    guard listener >= 0 else {
      throw SandboxError(errnoDescription: "cannot create a socket")
    }
    var reuse: Int32 = 1
    // Lets a restarted sandbox take its port back from connections still in TIME_WAIT; Linux
    // still refuses a second listener, so "in use" is reported as before.
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))

    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr = in_addr(s_addr: UInt32(INADDR_LOOPBACK).bigEndian)
    let bound = withUnsafePointer(to: &address) { pointer in
      pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
        bind(listener, generic, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard bound == 0 else {
      let code = errno
      close(listener)
      switch code {
      case EADDRINUSE: throw SandboxError("port \(port) is in use")
      case EACCES: throw SandboxError("port \(port) needs privileges this user lacks")
      default: throw SandboxError(errno: code, doing: "cannot bind 127.0.0.1:\(port)")
      }
    }
    guard listen(listener, SOMAXCONN) == 0 else {
      let failure = SandboxError(errnoDescription: "cannot listen on 127.0.0.1:\(port)")
      close(listener)
      throw failure
    }
    // Non-blocking so a connection reset between poll and accept cannot hang the loop.
    _ = fcntl(listener, F_SETFL, fcntl(listener, F_GETFL) | O_NONBLOCK)

    var boundAddress = sockaddr_in()
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let named = withUnsafeMutablePointer(to: &boundAddress) { pointer in
      pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
        getsockname(listener, generic, &length)
      }
    }
    guard named == 0 else {
      let failure = SandboxError(errnoDescription: "cannot read the bound port")
      close(listener)
      throw failure
    }
    return (listener, UInt16(bigEndian: boundAddress.sin_port))
  }
}
