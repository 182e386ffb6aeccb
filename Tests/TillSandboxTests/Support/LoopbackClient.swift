import Glibc
import LoopbackSockets

struct LoopbackFailure: Error, CustomStringConvertible {
  let description: String
}

/// One response as read off the wire.
struct LoopbackResponse {
  var status: Int
  var headers: [(name: String, value: String)]
  var body: [UInt8]

  func header(_ name: String) -> String? {
    headers.first { $0.name.lowercased() == name.lowercased() }?.value
  }

  var text: String { String(decoding: body, as: UTF8.self) }
}

/// A deliberately small HTTP/1.1 client over one loopback TCP connection.
///
/// The tests speak raw bytes so they can also send what no real client library would
/// (broken request lines, half bodies) and see exactly which connection carried what.
final class LoopbackClient {
  /// Long enough for any answer from a local sandbox, short enough that a hang fails a test
  /// instead of stalling the run.
  static let timeoutSeconds = 5

  let port: UInt16
  private let socket: Int32
  private var received: [UInt8] = []

  init(port: UInt16) throws {
    // The descriptor is only stored once connected: a class whose init throws after every
    // property is set still runs deinit, and a second close could hit a descriptor number
    // another test has since been given.
    guard let descriptor = connectLoopback(port: port, timeoutSeconds: Self.timeoutSeconds) else {
      throw LoopbackFailure(description: "connect to 127.0.0.1:\(port) failed, errno \(errno)")
    }
    self.port = port
    self.socket = descriptor
  }

  deinit {
    close(socket)
  }

  func send(_ text: String) throws {
    try send(bytes: Array(text.utf8))
  }

  func send(bytes: [UInt8]) throws {
    try bytes.withUnsafeBytes { raw in
      var offset = 0
      while offset < raw.count {
        let sent = Glibc.send(
          socket, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
        guard sent > 0 else { throw LoopbackFailure(description: "send failed, errno \(errno)") }
        offset += sent
      }
    }
  }

  /// Sends one request with `Host` and, when there is a body, `Content-Length`.
  func request(
    _ method: String, _ path: String, headers: [(String, String)] = [], body: String? = nil
  ) throws -> LoopbackResponse {
    var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n"
    for (name, value) in headers {
      head += "\(name): \(value)\r\n"
    }
    if let body {
      head += "Content-Length: \(body.utf8.count)\r\n"
    }
    try send(head + "\r\n" + (body ?? ""))
    return try readResponse()
  }

  /// Reads one response. Fails when a final answer other than a 204 lacks `Content-Length`,
  /// which the sandbox promises on every one, or when a 204 has one.
  func readResponse() throws -> LoopbackResponse {
    let terminator = Array("\r\n\r\n".utf8)
    var headEnd: Int?
    while headEnd == nil {
      if let found = received.firstRange(of: terminator) {
        headEnd = found.upperBound
      } else {
        try receiveMore()
      }
    }
    let headText = String(decoding: received[..<headEnd!], as: UTF8.self)
    var lines = headText.split(separator: "\r\n").map(String.init)
    let statusLine = lines.removeFirst().split(separator: " ", maxSplits: 2)
    guard statusLine.count >= 2, statusLine[0] == "HTTP/1.1", let status = Int(statusLine[1])
    else {
      throw LoopbackFailure(description: "bad status line in \(headText)")
    }
    let headers = try lines.map { line -> (name: String, value: String) in
      guard let colon = line.firstIndex(of: ":") else {
        throw LoopbackFailure(description: "bad header line \(line)")
      }
      let value = line[line.index(after: colon)...].drop { $0 == " " }
      return (String(line[..<colon]), String(value))
    }
    var response = LoopbackResponse(status: status, headers: headers, body: [])
    if (100..<200).contains(status) || status == 204 {
      // Interim answers and 204s end at their head; RFC 9110 forbids them a body or a length.
      guard response.header("Content-Length") == nil else {
        throw LoopbackFailure(description: "\(status) with Content-Length: \(headText)")
      }
      received.removeFirst(headEnd!)
      return response
    }
    guard let lengthText = response.header("Content-Length"), let length = Int(lengthText) else {
      throw LoopbackFailure(description: "response without Content-Length: \(headText)")
    }
    received.removeFirst(headEnd!)
    while received.count < length {
      try receiveMore()
    }
    response.body = Array(received[..<length])
    received.removeFirst(length)
    return response
  }

  /// Whether the server has closed its side: the next read ends the stream.
  func serverClosed() -> Bool {
    guard received.isEmpty else { return false }
    var byte: UInt8 = 0
    return recv(socket, &byte, 1, 0) == 0
  }

  /// Drops the connection with a TCP reset, the rudest way a client can leave.
  func reset() {
    var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
    setsockopt(socket, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<linger>.size))
    shutdown(socket, Int32(SHUT_RDWR))
  }

  private func receiveMore() throws {
    var chunk = [UInt8](repeating: 0, count: 16 * 1024)
    let count = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
    guard count > 0 else {
      throw LoopbackFailure(description: count == 0 ? "server closed" : "recv errno \(errno)")
    }
    received.append(contentsOf: chunk[..<count])
  }
}
