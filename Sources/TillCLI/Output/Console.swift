import Glibc
import TillKit

/// Standard output and error, written unbuffered line by line so an id printed before a
/// failure is already out, and nothing is lost when the process is interrupted.
///
/// A write to standard output that fails ends the command: the reader has gone (EPIPE: a
/// pipe to `head`) or the output cannot be kept (ENOSPC, EIO). The failure is kept, later
/// writes to standard output are dropped, and the interruption flag is raised so a watch stops
/// polling for nobody; `TillCommandLine` turns it into the exit status.
final class Console {
  let useColor: Bool
  let stdoutIsTerminal: Bool
  /// Standard output is a terminal that takes cursor movement, so a view can be redrawn in
  /// place: not one whose TERM is `dumb`, or unset (as git reads it), which a line-by-line
  /// log such as an editor's shell buffer or a CI console shows.
  let drawsInPlace: Bool
  /// The errno of the first failed write to standard output; EPIPE too when a wait found the
  /// reader gone before anything was written.
  var stdoutFailure: Int32? {
    failedWrite ?? (interruption.signal == SIGPIPE ? EPIPE : nil)
  }
  private var failedWrite: Int32?
  /// The first line that could not be written, so an id is never lost.
  private(set) var unwritten: String?
  /// Set once a command has told of the failed output itself (with its resume line).
  var reportedOutputFailure = false

  init(color: String) {
    stdoutIsTerminal = isatty(1) == 1
    var info = stat()
    if fstat(1, &info) == 0, info.st_mode & S_IFMT == S_IFIFO || info.st_mode & S_IFMT == S_IFSOCK {
      interruption.watchesStandardOutput = true
    }
    let term = getenv("TERM").map { String(cString: $0) } ?? ""
    drawsInPlace = stdoutIsTerminal && !term.isEmpty && term != "dumb"
    switch color {
    case "always": useColor = true
    case "never": useColor = false
    default:
      let noColor = getenv("NO_COLOR").map { String(cString: $0) } ?? ""
      useColor = stdoutIsTerminal && noColor.isEmpty && term != "dumb"
    }
  }

  /// Put before every non-empty line `out` writes: the demo indents what each step prints.
  var outputIndent = ""

  func out(_ text: String) {
    guard !outputIndent.isEmpty else { return write(text + "\n", to: 1) }
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    write(lines.map { $0.isEmpty ? "" : outputIndent + $0 }.joined(separator: "\n") + "\n", to: 1)
  }
  func err(_ text: String) { write(text + "\n", to: 2) }
  func errNoNewline(_ text: String) { write(text, to: 2) }

  /// `till: error: …` on standard error. Messages quote servers and files, so they pass
  /// through the terminal sanitiser here too: whatever path built one, no escape sequence
  /// reaches the terminal (the sanitiser leaves text it has already made safe as it is).
  func error(_ message: String) { err("till: error: \(sanitizeForTerminal(message))") }
  func warning(_ message: String) { err("till: warning: \(sanitizeForTerminal(message))") }

  /// The reader of standard output has gone away (a closed pipe).
  var readerGone: Bool { stdoutFailure == EPIPE }

  /// Why standard output could not be written, for the one error line.
  var stdoutFailureText: String? {
    stdoutFailure.map { String(cString: strerror($0)).lowercased() }
  }

  func paint(_ text: String, _ code: String) -> String {
    useColor ? "\u{1b}[\(code)m\(text)\u{1b}[0m" : text
  }

  /// A state as a word, with a symbol and a colour on a terminal; plain in a pipe or a file,
  /// so scripts and logs see stable text.
  func paint(_ state: CheckoutState) -> String {
    guard useColor else { return state.rawValue }
    switch state {
    case .completed: return paint("✓ " + state.rawValue, "32")
    case .failed, .cancelled, .compensated: return paint("✗ " + state.rawValue, "31")
    case .actionRequired: return paint("! " + state.rawValue, "33")
    default: return "… " + state.rawValue
    }
  }

  private func write(_ text: String, to descriptor: Int32) {
    if descriptor == 1, stdoutFailure != nil { return }
    var bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
      let written = bytes.withUnsafeMutableBytes { buffer in
        Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
      }
      if written < 0 {
        if errno == EINTR { continue }
        if descriptor == 1 {
          failedWrite = errno
          unwritten = String(text.prefix { $0 != "\n" }.prefix(200))
          interruption.set(SIGPIPE)
        }
        return
      }
      offset += written
    }
    bytes.removeAll()
  }
}
