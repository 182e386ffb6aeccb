import Foundation
import Testing

/// A helper program (openssl, chromium) started with posix_spawn and reaped by this type, not
/// by Foundation's `Process`. The helper keeps no descriptor of the test process but its
/// standard output: it must not hold a `till` run's pipes, or the socket through which
/// Foundation learns that a `till` run has ended, while other tests start and wait for theirs.
final class HelperProcess: @unchecked Sendable {
  let pid: pid_t
  private let output: Int32
  private let lock = NSLock()
  private var collected: [UInt8] = []
  private var status: Int32?
  private let collectedDone = DispatchSemaphore(value: 0)

  /// Starts `command` (found on PATH) in `directory`, standard input on /dev/null, standard
  /// output and error into one pipe.
  init(_ command: [String], in directory: String? = nil) throws {
    var ends: [Int32] = [-1, -1]
    guard pipe(&ends) == 0 else { throw POSIXError(.EMFILE) }
    for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_adddup2(&actions, ends[1], 1)
    posix_spawn_file_actions_adddup2(&actions, ends[1], 2)
    // Descriptors opened without close-on-exec by other threads are closed by the shell
    // before it becomes the helper.
    let script =
      (directory.map { "cd '\($0)' || exit 127; " } ?? "")
      + #"for fd in /proc/$$/fd/*; do n=${fd##*/}; [ "$n" -gt 2 ] && eval "exec $n>&-"; done; "#
      + #"exec "$@""#
    let arguments = ["/bin/bash", "-c", script, "bash"] + command
    var argv = arguments.map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, "/bin/bash", &actions, nil, &argv, environ)
    close(ends[1])
    guard spawned == 0 else {
      close(ends[0])
      throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .ENOENT)
    }
    self.pid = pid
    self.output = ends[0]
    Thread.detachNewThread { [self] in collect() }
  }

  deinit {
    stop()
    close(output)
  }

  private func collect() {
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
      let count = chunk.withUnsafeMutableBytes { read(output, $0.baseAddress, $0.count) }
      if count < 0, errno == EINTR { continue }
      guard count > 0 else {
        collectedDone.signal()
        return
      }
      lock.lock()
      collected += chunk[0..<count]
      lock.unlock()
    }
  }

  /// Standard output so far.
  var outputText: String {
    lock.lock()
    defer { lock.unlock() }
    return String(decoding: collected, as: UTF8.self)
  }

  /// Waits up to `seconds` for the helper to end; its exit status, or nil if it still runs.
  @discardableResult
  func wait(seconds: TimeInterval) -> Int32? {
    let end = Date().addingTimeInterval(seconds)
    repeat {
      lock.lock()
      if let status {
        lock.unlock()
        return status
      }
      var raw: Int32 = 0
      if waitpid(pid, &raw, WNOHANG) == pid {
        let result = raw & 0x7F == 0 ? (raw >> 8) & 0xFF : 128 + (raw & 0x7F)
        status = result
        lock.unlock()
        return result
      }
      lock.unlock()
      Thread.sleep(forTimeInterval: 0.02)
    } while Date() < end
    return nil
  }

  /// Ends the helper (SIGTERM, then SIGKILL) and reaps it.
  func stop() {
    guard wait(seconds: 0) == nil else { return }
    kill(pid, SIGTERM)
    if wait(seconds: 3) == nil {
      kill(pid, SIGKILL)
      wait(seconds: 10)
    }
  }

  /// Waits until everything the helper (and any child it left behind) wrote has been read.
  func waitForEndOfOutput(seconds: TimeInterval) {
    if collectedDone.wait(timeout: .now() + seconds) == .success { collectedDone.signal() }
  }

  /// Waits until standard output contains `text`; false after `seconds`.
  func waitForOutput(containing text: String, seconds: TimeInterval) -> Bool {
    let end = Date().addingTimeInterval(seconds)
    while Date() < end {
      if outputText.contains(text) { return true }
      if wait(seconds: 0) != nil { return outputText.contains(text) }
      Thread.sleep(forTimeInterval: 0.02)
    }
    return false
  }
}

/// Runs a helper to its end (killed after `seconds`) and returns its status and output.
func runHelper(_ command: [String], seconds: TimeInterval = 60) throws -> (
  status: Int32, output: String
) {
  let helper = try HelperProcess(command)
  let status = helper.wait(seconds: seconds)
  if status == nil { helper.stop() }
  helper.waitForEndOfOutput(seconds: 5)
  return (status ?? -1, helper.outputText)
}

/// What a reader of its own in Tests/Scripts (`haralyzer`, `junitparser`, …) made of the file
/// at `path`: its one line of JSON, decoded. The test fails when the reader cannot read it.
func readBack<Value: Decodable>(_ type: Value.Type, with script: String, _ path: String) throws
  -> Value
{
  let reader = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Scripts/" + script).path
  let (status, output) = try runHelper(["/usr/bin/env", "python3", reader, path])
  try #require(status == 0, "\(script) could not read \(path): \(output)")
  return try JSONDecoder().decode(type, from: Data(output.utf8))
}
