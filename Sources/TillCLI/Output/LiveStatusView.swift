import Glibc
import TillArguments
import TillKit

/// A watch on a terminal: the checkout's view redrawn in place at each change, with a footer
/// saying how the watch is going. (To a pipe or a file a watch prints one line per change.)
final class LiveStatusView {
  private let renderer: StatusRenderer
  private var rowsShown = 0
  private let width: Int

  init(renderer: StatusRenderer) {
    self.renderer = renderer
    var size = winsize()
    width = ioctl(1, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 ? Int(size.ws_col) : 80
  }

  /// Whether standard output can take cursor movement.
  static func fits(_ console: Console, style: StatusRenderer.Style) -> Bool {
    style == .human && console.drawsInPlace
  }

  func redraw(_ status: CheckoutStatus, poll: Int, elapsed: Duration) {
    let footer =
      status.state.isTerminal
      ? "watched for \(formatDuration(elapsed)), \(poll) polls"
      : "watching for \(formatDuration(elapsed)), \(poll) polls (Ctrl-C stops)"
    // Each line cut to the terminal's width, measured in columns, so each takes one row and
    // the cursor goes back up exactly as far as the last draw came down. (One column spare:
    // a terminal that measures a character differently still does not wrap.)
    let lines = (renderer.block(status) + ["", footer]).map { fitting($0, width: width - 1) }
    // Up to the first line drawn last time, and clear from there down.
    let clear = rowsShown > 0 ? "\u{1b}[\(rowsShown)F\u{1b}[J" : ""
    renderer.console.out(clear + lines.joined(separator: "\n"))
    rowsShown = lines.count
  }
}
