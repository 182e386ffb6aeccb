import Glibc
import TillArguments
import TillKit

/// `checkout retry ID`: a failed or compensated saga run again from its first step.
struct CheckoutRetryCommand: FollowingCommand {
  static let spec = CommandSpec(
    name: "retry", abstract: "Run a failed or compensated saga again from its first step.",
    arguments: [ArgumentSpec(name: "id", help: "The saga's id.")],
    options: CommandTree.watchOptions)

  let invocation: Invocation

  /// `checkout retry ID`: only a failed or compensated saga; the server refuses others.
  func run() throws(TillError) -> ExitStatus {
    let id = try parsed.nonEmptyArgument("id")
    let history = try HistoryRecorder(invocation)
    let run = try prepareRun()
    let current = try run.adapter.status(id: id)
    guard current.state == .failed || current.state == .compensated else {
      throw TillError(
        .conflict,
        "saga \(safe(id)) is \(safe(current.serverState)); only a "
          + "failed or compensated saga can be retried")
    }
    let status = try run.adapter.retry(id: id)
    guard run.watch else {
      StatusRenderer(console: console, settings: settings).show(status)
      history.record(status, started: false)
      return .success
    }
    return try follow(run, id: id, initial: status, history: history)
  }
}
