import Glibc
import TillKit

/// Standard output and error, written unbuffered line by line so an id printed before a
/// failure is already out, and nothing is lost when the process is interrupted.
final class Console {
  let useColor: Bool
  let stdoutIsTerminal: Bool

  init(color: String) {
    stdoutIsTerminal = isatty(1) == 1
    switch color {
    case "always": useColor = true
    case "never": useColor = false
    default:
      let noColor = getenv("NO_COLOR").map { String(cString: $0) } ?? ""
      let term = getenv("TERM").map { String(cString: $0) } ?? ""
      useColor = stdoutIsTerminal && noColor.isEmpty && term != "dumb"
    }
  }

  func out(_ text: String) { write(text + "\n", to: 1) }
  func err(_ text: String) { write(text + "\n", to: 2) }
  func errNoNewline(_ text: String) { write(text, to: 2) }

  /// `till: error: …` on standard error.
  func error(_ message: String) { err("till: error: \(message)") }
  func warning(_ message: String) { err("till: warning: \(message)") }

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
    var bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
      let written = bytes.withUnsafeMutableBytes { buffer in
        Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
      }
      if written < 0 {
        if errno == EINTR { continue }
        return
      }
      offset += written
    }
    bytes.removeAll()
  }
}
