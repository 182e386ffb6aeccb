import Glibc
import TillKit

/// A password typed at the terminal without echo. The terminal's modes are put back however the
/// prompt ends: an answer, end of input, an error, or Ctrl-C or SIGTERM, whose handler restores
/// them before anything else (see `Invocation.installSignalHandlers`).
struct PasswordPrompt {
  let console: Console

  enum Answer {
    case line(String)
    /// End of input (Ctrl-D) before a line.
    case none
    /// SIGINT or SIGTERM arrived while waiting.
    case interrupted
  }

  /// Asks on standard error and reads a line from standard input, a terminal.
  func ask(_ prompt: String) -> Answer {
    // Echo goes off before the prompt shows, so nothing typed after it is echoed.
    let saved = terminalModes.save(of: 0)
    if saved {
      var quiet = terminalModes.saved
      quiet.c_lflag &= ~tcflag_t(ECHO)
      tcsetattr(0, TCSANOW, &quiet)
    }
    console.errNoNewline(prompt)
    defer {
      if saved { terminalModes.restoreAndForget() }
      // The Enter the user typed was not echoed either.
      console.err("")
    }
    return readLine()
  }

  /// One line from standard input, read a chunk at a time as the terminal hands it over. The
  /// wait is `poll`, which a signal always interrupts (a `read` would be restarted), so a
  /// Ctrl-C ends it at once.
  private func readLine() -> Answer {
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 256)
    while true {
      if interruption.isSet { return .interrupted }
      var input = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
      let ready = poll(&input, 1, -1)
      if interruption.isSet { return .interrupted }
      if ready < 0 {
        if errno == EINTR { continue }
        return .none
      }
      let count = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
      if count < 0, errno == EINTR || errno == EAGAIN { continue }
      guard count > 0 else {
        return bytes.isEmpty ? .none : .line(String(decoding: bytes, as: UTF8.self))
      }
      bytes += chunk[..<count]
      if let end = bytes.firstIndex(of: UInt8(ascii: "\n")) {
        return .line(String(decoding: bytes[..<end], as: UTF8.self))
      }
    }
  }
}

/// The terminal modes in force before a prompt turned echo off, kept where a signal handler
/// can reach them without allocating or locking: `restore` calls only `tcsetattr`, which is
/// async-signal-safe.
final class TerminalModes: @unchecked Sendable {
  private let storage = UnsafeMutablePointer<termios>.allocate(capacity: 1)
  /// The descriptor the modes belong to, plus one; 0 while nothing is saved.
  private let descriptor = UnsafeMutablePointer<sig_atomic_t>.allocate(capacity: 1)

  init() {
    storage.initialize(to: termios())
    descriptor.initialize(to: 0)
  }

  deinit {
    storage.deallocate()
    descriptor.deallocate()
  }

  /// The modes saved last.
  var saved: termios { storage.pointee }

  /// Saves the modes of terminal `fd`; false when it is not a terminal.
  func save(of fd: Int32) -> Bool {
    guard tcgetattr(fd, storage) == 0 else { return false }
    descriptor.pointee = sig_atomic_t(fd + 1)
    return true
  }

  /// Puts the saved modes back, if any. Safe in a signal handler.
  func restore() {
    let saved = descriptor.pointee
    guard saved > 0 else { return }
    _ = tcsetattr(Int32(saved - 1), TCSANOW, storage)
  }

  func restoreAndForget() {
    restore()
    descriptor.pointee = 0
  }
}

/// The modes a password prompt changed, for the signal handler to restore.
let terminalModes = TerminalModes()
