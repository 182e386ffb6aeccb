import Foundation
import Testing
import TillKit
import TillSandbox

/// The sandbox the end-to-end tests share: a real HTTP server on 127.0.0.1. Each test uses its
/// own checkouts, so the sandbox's per-checkout counters stay the test's own.
enum SharedSandbox {
  static let instance: Sandbox = {
    let sandbox = Sandbox(
      configuration: SandboxConfiguration(pollsBeforeDone: 2, retryAfterSeconds: 1))
    try! sandbox.start()
    return sandbox
  }()

  static var baseURL: String { instance.baseURL }

  /// The sandbox's record of one checkout, read from `/sandbox/stats/<id>`.
  static func stats(_ id: String) throws -> JSONValue {
    let transport = try CurlTransport()
    let response = try transport.send(HTTPRequest(url: baseURL + "/sandbox/stats/" + id))
    #expect(response.status == 200, "no sandbox stats for \(id)")
    return try JSONValue.parse(response.body)
  }
}

struct RunResult {
  var status: Int32
  var stdout: String
  var stderr: String
  var stdoutLines: [String] { stdout.split(separator: "\n").map(String.init) }
}

/// Runs the built `till` binary as a user would, with a clean environment of the test's own.
final class Till: @unchecked Sendable {
  static let binary: String = {
    if let path = ProcessInfo.processInfo.environment["TILL_BINARY"] { return path }
    // The test bundle sits next to the products of the same build.
    let bundle = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    return bundle.deletingLastPathComponent().appendingPathComponent("till").path
  }()

  let stateHome: String
  var environment: [String: String]

  init(apiKey: String? = "sk_test_e2e_0123456789", baseURL: String? = SharedSandbox.baseURL) {
    stateHome = NSTemporaryDirectory() + "till-e2e-" + UUID().uuidString
    try! FileManager.default.createDirectory(atPath: stateHome, withIntermediateDirectories: true)
    environment = [
      "PATH": "/usr/bin:/bin", "HOME": stateHome, "XDG_STATE_HOME": stateHome + "/state",
      "TILL_TENANT": "tenant-e2e", "LANG": "C.UTF-8",
    ]
    if let apiKey { environment["TILL_API_KEY"] = apiKey }
    if let baseURL { environment["TILL_BASE_URL"] = baseURL }
  }

  deinit { try? FileManager.default.removeItem(atPath: stateHome) }

  /// Runs to the end (killed after `timeout`, which fails the test) and returns what it printed.
  func run(
    _ arguments: [String], stdin: String? = nil, timeout: TimeInterval = 30,
    directory: String? = nil
  ) throws -> RunResult {
    let process = try start(arguments, stdin: stdin, directory: directory)
    return process.finish(timeout: timeout)
  }

  func start(
    _ arguments: [String], stdin: String? = nil, output: StandardOutput = .captured,
    directory: String? = nil
  ) throws -> RunningTill {
    try RunningTill(
      binary: Till.binary, arguments: arguments, environment: environment, stdin: stdin,
      output: output, directory: directory)
  }
}

/// Where a `till` under test writes its standard output.
enum StandardOutput: Sendable {
  /// A pipe read to its end.
  case captured
  /// A file opened for writing, such as /dev/full.
  case file(String)
  /// A pipe whose reader keeps the first line and then closes it, as `| head -1` does.
  case closedAfterFirstLine
}

/// A `till` process in flight, whose output can be read while it runs.
final class RunningTill: @unchecked Sendable {
  let process = Process()
  private let lock = NSLock()
  private var out = Data()
  private var err = Data()
  private let outDone = DispatchSemaphore(value: 0)
  private let errDone = DispatchSemaphore(value: 0)

  init(
    binary: String, arguments: [String], environment: [String: String], stdin: String?,
    output: StandardOutput = .captured, directory: String? = nil
  ) throws {
    process.executableURL = URL(fileURLWithPath: binary)
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    process.arguments = arguments
    process.environment = environment
    let outPipe = Pipe()
    let errPipe = Pipe()
    let inPipe = Pipe()
    if case .file(let path) = output {
      guard let handle = FileHandle(forWritingAtPath: path) else {
        throw CocoaError(.fileNoSuchFile)
      }
      process.standardOutput = handle
    } else {
      process.standardOutput = outPipe
    }
    process.standardError = errPipe
    process.standardInput = inPipe
    try process.run()
    if let stdin { inPipe.fileHandleForWriting.write(Data(stdin.utf8)) }
    try? inPipe.fileHandleForWriting.close()
    switch output {
    case .captured: drain(outPipe.fileHandleForReading, isStandardOutput: true, done: outDone)
    case .file: outDone.signal()
    case .closedAfterFirstLine:
      drain(outPipe.fileHandleForReading, isStandardOutput: true, done: outDone, lines: 1)
    }
    drain(errPipe.fileHandleForReading, isStandardOutput: false, done: errDone)
  }

  /// Reads `handle` to its end, or with `lines`, until that many lines and then closes it.
  private func drain(
    _ handle: FileHandle, isStandardOutput: Bool, done: DispatchSemaphore, lines: Int? = nil
  ) {
    Thread.detachNewThread { [self] in
      while true {
        let chunk = handle.availableData
        if chunk.isEmpty { break }
        lock.lock()
        if isStandardOutput { out.append(chunk) } else { err.append(chunk) }
        let seen = (isStandardOutput ? out : err).filter { $0 == 0x0A }.count
        lock.unlock()
        if let lines, seen >= lines {
          try? handle.close()
          break
        }
      }
      done.signal()
    }
  }

  var stdoutSoFar: String {
    lock.lock()
    defer { lock.unlock() }
    return String(decoding: out, as: UTF8.self)
  }

  /// Waits until standard output contains `text`; false after `timeout`.
  func waitForOutput(containing text: String, timeout: TimeInterval = 20) -> Bool {
    let end = Date().addingTimeInterval(timeout)
    while Date() < end {
      if stdoutSoFar.contains(text) { return true }
      Thread.sleep(forTimeInterval: 0.02)
    }
    return false
  }

  func signal(_ number: Int32) { kill(process.processIdentifier, number) }

  func finish(timeout: TimeInterval = 30) -> RunResult {
    let end = Date().addingTimeInterval(timeout)
    while process.isRunning && Date() < end { Thread.sleep(forTimeInterval: 0.01) }
    if process.isRunning {
      Issue.record("till did not finish within \(timeout) s")
      kill(process.processIdentifier, SIGKILL)
    }
    process.waitUntilExit()
    outDone.wait()
    errDone.wait()
    lock.lock()
    defer { lock.unlock() }
    return RunResult(
      status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
      stderr: String(decoding: err, as: UTF8.self))
  }
}

/// The tracking number in a line of output.
func trackingNumber(in text: String) -> String? {
  guard let range = text.range(of: #"trk_[A-Z0-9]+"#, options: .regularExpression) else {
    return nil
  }
  return String(text[range])
}
