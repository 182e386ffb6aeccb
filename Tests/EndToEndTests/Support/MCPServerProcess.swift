import Foundation
import Glibc
import LoopbackSockets
import Testing

/// The ComOS-shaped MCP server built on the official MCP Python SDK
/// (`Tests/MCPServer/comos_server.py`), run on 127.0.0.1 for a test and stopped after it.
///
/// ```swift
/// @Test(.mcpSDKServer, arguments: MCPServerProcess.Mode.allCases)
/// func aSagaAgainstTheSDKServer(mode: MCPServerProcess.Mode) throws {
///   let server = try MCPServerProcess.start(mode: mode)
///   defer { server.stop() }
///   // till --api comos --base-url \(server.baseURL) …
/// }
/// ```
///
/// Locally, a machine without python3 or the SDK skips such tests: the skip says what is
/// needed, and standard error says what is missing. Under CI (`CI` set) nothing is skipped:
/// CI installs the SDK, so a missing one fails the test instead of hiding it.
final class MCPServerProcess: @unchecked Sendable {
  /// How the server answers requests.
  enum Mode: String, CaseIterable, Sendable {
    /// One JSON body per request (`json_response=True`).
    case json
    /// A `text/event-stream` per request, with a log notification before the response.
    case sse
    /// The legacy HTTP+SSE transport (protocol 2024-11-05, the SDK's `SseServerTransport`):
    /// `baseURL` is `/mcp/sse`, where a GET opens the one stream that carries every answer.
    case legacy

    /// The modes of the Streamable HTTP transport, which the raw-HTTP helpers below speak.
    static let streamable: [Mode] = [.json, .sse]
  }

  struct Failure: Error, CustomStringConvertible {
    let description: String
  }

  static let script: String = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // Support
    .deletingLastPathComponent()  // EndToEndTests
    .deletingLastPathComponent()  // Tests
    .appendingPathComponent("MCPServer/comos_server.py").path

  /// The interpreter: `TILL_MCP_PYTHON` when set, else the first `python3` on PATH, the one
  /// `.ci/run` installs the SDK for.
  static let python: String = ProcessInfo.processInfo.environment["TILL_MCP_PYTHON"] ?? "python3"

  /// A guard against a server that never comes up, not a measure of speed: the SDK takes a
  /// few seconds to import on a busy machine.
  static let startupLimitSeconds: TimeInterval = 120

  static var isCI: Bool { !(ProcessInfo.processInfo.environment["CI"] ?? "").isEmpty }

  /// Why the SDK server cannot run here, or nil when it can. Asked of python3 once.
  static let unavailableReason: String? = {
    guard FileManager.default.fileExists(atPath: script) else {
      return "the server script is missing at \(script)"
    }
    let probe = Process()
    probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    probe.arguments = [python, "-c", "import mcp.server, uvicorn, pydantic"]
    let output = Pipe()
    probe.standardOutput = output
    probe.standardError = output
    probe.standardInput = FileHandle.nullDevice
    do {
      try probe.run()
    } catch {
      return "cannot run \(python): \(error)"
    }
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    probe.waitUntilExit()
    guard probe.terminationStatus != 0 else { return nil }
    if probe.terminationStatus == 127 { return "\(python) is not installed" }
    let lastLine =
      text.split(separator: "\n").last.map(String.init) ?? "exit status "
      + String(probe.terminationStatus)
    return "\(python) lacks the MCP Python SDK (pip install mcp): \(lastLine)"
  }()

  /// Whether a test that needs the server should run: yes when the SDK is there, and always
  /// under CI, where `start` then fails with the reason. A local skip prints the reason once.
  static var isAvailable: Bool {
    guard let reason = unavailableReason else { return true }
    if isCI { return true }
    reportSkipOnce(reason)
    return false
  }

  private static let skipReported = NSLock()
  nonisolated(unsafe) private static var skipWasReported = false

  private static func reportSkipOnce(_ reason: String) {
    skipReported.lock()
    defer { skipReported.unlock() }
    guard !skipWasReported else { return }
    skipWasReported = true
    FileHandle.standardError.write(
      Data("Skipping the MCP SDK interoperability tests: \(reason)\n".utf8))
  }

  let mode: Mode
  let stateless: Bool
  /// `http://127.0.0.1:<port>/mcp`, the MCP endpoint itself (`/mcp/sse` in legacy mode).
  let baseURL: String
  let port: UInt16
  private let process: Process
  private let standardInput: Pipe
  private let logPath: String
  private let lock = NSLock()
  private var stopped = false

  private init(
    mode: Mode, stateless: Bool, baseURL: String, port: UInt16, process: Process,
    standardInput: Pipe, logPath: String
  ) {
    self.mode = mode
    self.stateless = stateless
    self.baseURL = baseURL
    self.port = port
    self.process = process
    self.standardInput = standardInput
    self.logPath = logPath
  }

  deinit { stop() }

  /// Starts the server on a free port in `mode` and returns once it answers HTTP.
  /// `stateless` leaves out sessions: no `Mcp-Session-Id` is handed out.
  /// `omitting` leaves tools out, as a gateway without them would.
  static func start(mode: Mode, stateless: Bool = false, omitting: [String] = []) throws
    -> MCPServerProcess
  {
    if let reason = unavailableReason {
      throw Failure(
        description: "cannot start the MCP SDK server: \(reason)"
          + (isCI ? "; .ci/run installs it" : ""))
    }
    let logPath = NSTemporaryDirectory() + "till-mcp-server-\(UUID().uuidString).log"
    guard FileManager.default.createFile(atPath: logPath, contents: nil),
      let log = FileHandle(forWritingAtPath: logPath)
    else { throw Failure(description: "cannot create \(logPath)") }
    defer { try? log.close() }

    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments =
      [python, "-u", script, "--port", "0", "--mode", mode.rawValue, "--exit-on-stdin-eof"]
      + (stateless ? ["--stateless"] : []) + omitting.flatMap { ["--omit-tool", $0] }
    var environment = ProcessInfo.processInfo.environment
    environment["PYTHONUNBUFFERED"] = "1"
    process.environment = environment
    // The server stops when this pipe closes, so a test process that dies leaves none behind.
    let standardInput = Pipe()
    process.standardInput = standardInput
    process.standardOutput = log
    process.standardError = log
    try process.run()

    let started = Date()
    var url: String?
    while url == nil {
      let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
      url = readyURL(in: text)
      if url != nil { break }
      if !process.isRunning || Date().timeIntervalSince(started) > startupLimitSeconds {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        let output = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(atPath: logPath)
        throw Failure(
          description: "the MCP SDK server (\(mode.rawValue)) did not start; it printed:\n"
            + output)
      }
      Thread.sleep(forTimeInterval: 0.05)
    }
    guard let url, let port = port(of: url) else {
      throw Failure(description: "the MCP SDK server announced no usable URL")
    }
    let server = MCPServerProcess(
      mode: mode, stateless: stateless, baseURL: url, port: port, process: process,
      standardInput: standardInput, logPath: logPath)
    // The ready line comes once uvicorn listens; an answer proves the app is serving.
    let probe = try server.send("GET", headers: [("Accept", "text/event-stream")])
    guard probe.status > 0 else {
      server.stop()
      throw Failure(description: "the MCP SDK server does not answer at \(url)")
    }
    return server
  }

  /// Everything the server printed so far, for a failing test's message.
  var output: String {
    (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
  }

  /// Stops the server: its input closes, then SIGTERM, then SIGKILL if it lingers.
  func stop() {
    lock.lock()
    let first = !stopped
    stopped = true
    lock.unlock()
    guard first else { return }
    try? standardInput.fileHandleForWriting.close()
    if process.isRunning { process.terminate() }
    let deadline = Date().addingTimeInterval(10)
    while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
    try? FileManager.default.removeItem(atPath: logPath)
  }

  /// `comos-mcp-server ready http://127.0.0.1:<port>/mcp mode=…` → the URL.
  static func readyURL(in text: String) -> String? {
    for line in text.split(separator: "\n") where line.hasPrefix("comos-mcp-server ready ") {
      let words = line.split(separator: " ")
      if words.count >= 3, words[2].hasPrefix("http://127.0.0.1:") { return String(words[2]) }
    }
    return nil
  }

  private static func port(of url: String) -> UInt16? {
    let afterHost = url.dropFirst("http://127.0.0.1:".count)
    return UInt16(afterHost.prefix { $0.isNumber })
  }

  // MARK: Raw HTTP, for tests that look at the server's own wire forms

  /// One HTTP answer, head and body as sent.
  struct Reply {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: String

    func header(_ name: String) -> String? {
      headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The JSON-RPC messages in the body: the body itself, or each event's data lines
    /// joined by "\n" as the SSE standard says.
    var messages: [String] {
      guard header("Content-Type")?.hasPrefix("text/event-stream") == true else {
        return body.isEmpty ? [] : [body]
      }
      var messages: [String] = []
      var data: [String] = []
      let lines = body.replacing("\r\n", with: "\n").split(
        separator: "\n", omittingEmptySubsequences: false)
      for line in lines {
        if line.isEmpty {
          if !data.isEmpty { messages.append(data.joined(separator: "\n")) }
          data = []
        } else if line.hasPrefix("data:") {
          var value = line.dropFirst(5)
          if value.hasPrefix(" ") { value = value.dropFirst() }
          data.append(String(value))
        }
      }
      if !data.isEmpty { messages.append(data.joined(separator: "\n")) }
      return messages
    }
  }

  /// Sends one request over a new connection as HTTP/1.0, so the answer ends when the server
  /// closes, without chunked framing to undo.
  func send(_ method: String, headers: [(String, String)] = [], body: String? = nil) throws
    -> Reply
  {
    guard let descriptor = connectLoopback(port: port, timeoutSeconds: 30) else {
      throw Failure(description: "connect to \(baseURL) failed, errno \(errno)")
    }
    defer { close(descriptor) }
    var head = "\(method) /mcp HTTP/1.0\r\nHost: 127.0.0.1:\(port)\r\n"
    for (name, value) in headers { head += "\(name): \(value)\r\n" }
    if let body { head += "Content-Length: \(body.utf8.count)\r\n" }
    let request = Array((head + "\r\n" + (body ?? "")).utf8)
    var offset = 0
    while offset < request.count {
      let sent = request[offset...].withUnsafeBytes {
        Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
      }
      guard sent > 0 else { throw Failure(description: "send failed, errno \(errno)") }
      offset += sent
    }
    var received: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 16 * 1024)
    while true {
      let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
      if count < 0 && errno == EINTR { continue }
      guard count > 0 else { break }
      received += chunk[..<count]
    }
    let text = String(decoding: received, as: UTF8.self)
    guard let split = text.range(of: "\r\n\r\n") else {
      throw Failure(description: "no HTTP answer from \(baseURL): \(text)")
    }
    var lines = text[..<split.lowerBound].components(separatedBy: "\r\n")
    let statusWords = lines.removeFirst().split(separator: " ")
    let fields = lines.compactMap { line -> (name: String, value: String)? in
      guard let colon = line.firstIndex(of: ":") else { return nil }
      let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
      return (String(line[..<colon]), value)
    }
    return Reply(
      status: statusWords.count > 1 ? Int(statusWords[1]) ?? 0 : 0, headers: fields,
      body: String(text[split.upperBound...]))
  }

  /// POSTs a JSON-RPC message with the headers an MCP client sends; `session` adds the
  /// session id and protocol version.
  func post(_ json: String, session: String?) throws -> Reply {
    var headers = [
      ("Content-Type", "application/json"), ("Accept", "application/json, text/event-stream"),
    ]
    if let session { headers += [("Mcp-Session-Id", session)] }
    if session != nil || stateless { headers += [("MCP-Protocol-Version", "2025-06-18")] }
    return try send("POST", headers: headers, body: json)
  }
}

extension Trait where Self == ConditionTrait {
  /// Runs the test only where the MCP SDK server can start; see `MCPServerProcess`.
  static var mcpSDKServer: Self {
    .enabled("needs python3 with the MCP Python SDK (pip install mcp); .ci/run installs it") {
      MCPServerProcess.isAvailable
    }
  }
}

/// The SDK server itself, checked without till: it starts in each mode, speaks the
/// transport as the client expects, and runs a saga.
@Suite struct MCPServerProcessTests {
  private func object(_ json: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
  }

  /// The `result` of the JSON-RPC response a reply carries last.
  private func result(_ reply: MCPServerProcess.Reply) throws -> [String: Any] {
    let message = try object(try #require(reply.messages.last, "\(reply.body)"))
    return try #require(message["result"] as? [String: Any], "\(reply.body)")
  }

  /// The structured content of a tools/call answer, which must not be an error.
  private func structured(_ reply: MCPServerProcess.Reply) throws -> [String: Any] {
    let result = try result(reply)
    #expect(result["isError"] as? Bool == false, "\(reply.body)")
    let content = try #require(result["content"] as? [[String: Any]])
    let text = try #require(content.first?["text"] as? String)
    let fromText = try object(text)
    let fromStructure = try #require(result["structuredContent"] as? [String: Any])
    #expect(NSDictionary(dictionary: fromText).isEqual(to: fromStructure))
    return fromStructure
  }

  @Test(.mcpSDKServer, arguments: MCPServerProcess.Mode.streamable)
  func theSDKServerSpeaksTheTransportAndRunsASaga(mode: MCPServerProcess.Mode) throws {
    let server = try MCPServerProcess.start(mode: mode)
    defer { server.stop() }
    #expect(server.baseURL == "http://127.0.0.1:\(server.port)/mcp")
    let streamType = mode == .json ? "application/json" : "text/event-stream"

    let initialize = try server.post(
      #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","#
        + #""capabilities":{},"clientInfo":{"name":"till-e2e","version":"0"}}}"#,
      session: nil)
    #expect(initialize.status == 200, "\(server.output)")
    #expect(initialize.header("Content-Type")?.hasPrefix(streamType) == true)
    let session = try #require(initialize.header("Mcp-Session-Id"))
    #expect(try result(initialize)["protocolVersion"] as? String == "2025-06-18")

    let initialized = try server.post(
      #"{"jsonrpc":"2.0","method":"notifications/initialized"}"#, session: session)
    #expect(initialized.status == 202)

    func call(_ id: Int, _ tool: String, _ arguments: String) throws -> MCPServerProcess.Reply {
      let reply = try server.post(
        #"{"jsonrpc":"2.0","id":\#(id),"method":"tools/call","#
          + #""params":{"name":"\#(tool)","arguments":\#(arguments)}}"#,
        session: session)
      #expect(reply.status == 200)
      #expect(reply.header("Content-Type")?.hasPrefix(streamType) == true)
      return reply
    }
    _ = try structured(
      call(2, "cart_add_item", #"{"tenant_id":"tenant-e2e","cartId":"c1","productId":"p1"}"#))
    let started = try structured(
      call(
        3, "checkout_start",
        #"{"tenant_id":"tenant-e2e","userId":"u1","cartId":"c1","paymentMethodId":"pm_card_visa"}"#
      ))
    #expect(started["status"] as? String == "pending")
    let sagaId = try #require(started["sagaId"] as? String)
    var statuses: [String] = []
    for poll in 0..<7 {
      let reply = try call(
        10 + poll, "checkout_status", #"{"tenant_id":"tenant-e2e","sagaId":"\#(sagaId)"}"#)
      if mode == .sse {
        // The SDK streams the tool's log notification before the response.
        #expect(reply.messages.count == 2)
        #expect(reply.messages.first?.contains("notifications/message") == true)
      }
      statuses.append(try structured(reply)["status"] as? String ?? "")
    }
    #expect(statuses == Array(repeating: "in_progress", count: 6) + ["completed"])

    let unknownTenant = try call(30, "checkout_status", #"{"tenant_id":"acme","sagaId":"x"}"#)
    let failure = try result(unknownTenant)
    #expect(failure["isError"] as? Bool == true)
    let text = (failure["content"] as? [[String: Any]])?.first?["text"] as? String
    #expect(text?.contains("Unknown tenant 'acme'") == true)

    let deleted = try server.send(
      "DELETE", headers: [("Mcp-Session-Id", session), ("MCP-Protocol-Version", "2025-06-18")])
    #expect((200..<300).contains(deleted.status))
    let afterDelete = try server.post(
      #"{"jsonrpc":"2.0","id":40,"method":"ping"}"#, session: session)
    #expect(afterDelete.status == 404)
  }
}
