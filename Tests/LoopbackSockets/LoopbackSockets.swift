import Foundation
import Glibc

// TCP on 127.0.0.1 for the tests of every target: listening sockets for the fake servers,
// and connections for the clients that speak to them.

/// A listening TCP socket on 127.0.0.1 and the port the kernel gave it. Every socket here is
/// close-on-exec: a `till` started by another test must not hold a connection open after
/// this server has closed or reset it.
public func openLoopbackListener() throws -> (socket: Int32, port: UInt16) {
  let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
  guard socket >= 0 else { throw POSIXError(.EMFILE) }
  var one: Int32 = 1
  setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
  var address = loopbackAddress(port: 0)
  let bound = withUnsafePointer(to: &address) {
    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
      bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
    }
  }
  guard bound == 0, listen(socket, 64) == 0 else {
    Glibc.close(socket)
    throw POSIXError(.EADDRINUSE)
  }
  var length = socklen_t(MemoryLayout<sockaddr_in>.size)
  _ = withUnsafeMutablePointer(to: &address) {
    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
  }
  return (socket, UInt16(bigEndian: address.sin_port))
}

/// A loopback port that nothing listens on: bound, then closed again.
public func closedLoopbackPort() throws -> UInt16 {
  let (socket, port) = try openLoopbackListener()
  Glibc.close(socket)
  return port
}

/// A TCP connection to 127.0.0.1:`port`, close-on-exec, or nil when none could be made.
/// With `timeoutSeconds`, a read or write that waits longer fails instead of hanging a test.
public func connectLoopback(port: UInt16, timeoutSeconds: Int? = nil) -> Int32? {
  let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
  guard socket >= 0 else { return nil }
  if let timeoutSeconds {
    var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
    let size = socklen_t(MemoryLayout<timeval>.size)
    setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, size)
    setsockopt(socket, SOL_SOCKET, SO_SNDTIMEO, &timeout, size)
  }
  var address = loopbackAddress(port: port)
  let connected = withUnsafePointer(to: &address) {
    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
      connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
    }
  }
  guard connected == 0 else {
    Glibc.close(socket)
    return nil
  }
  return socket
}

private func loopbackAddress(port: UInt16) -> sockaddr_in {
  var address = sockaddr_in()
  address.sin_family = sa_family_t(AF_INET)
  address.sin_port = port.bigEndian
  address.sin_addr.s_addr = inet_addr("127.0.0.1")
  return address
}
