import Glibc
import TillArguments
import TillKit

/// `checkout cancel ID`.
struct CheckoutCancelCommand: TillCommand {
  static let spec = CommandSpec(
    name: "cancel", abstract: "Cancel an order, where the API can.",
    arguments: [ArgumentSpec(name: "id", help: "The order's id.")])

  let invocation: Invocation

  /// `checkout cancel ID`.
  func run() throws(TillError) -> ExitStatus {
    let id = try parsed.nonEmptyArgument("id")
    let history = try HistoryRecorder(invocation)
    let clock = SystemClock(interruption: interruption)
    let adapter = try invocation.makeAdapter(clock: clock)
    let status = try adapter.cancel(id: id)
    history.record(status, started: false)
    StatusRenderer(console: console, settings: settings).show(status)
    return .success
  }
}
