import Glibc
import TillArguments
import TillKit

/// `checkout pay ID`: an amount paid, or a hosted payment page opened and, with --watch,
/// followed.
struct CheckoutPayCommand: FollowingCommand {
  static let spec = CommandSpec(
    name: "pay", abstract: "Pay a pending order, or open its hosted payment page.",
    arguments: [ArgumentSpec(name: "id", help: "The order's or saga's id.")],
    options: CommandTree.watchOptions)

  let invocation: Invocation

  /// `checkout pay ID --amount A`, or a hosted payment page where the API has one.
  func run() throws(TillError) -> ExitStatus {
    let id = try parsed.nonEmptyArgument("id")
    if invocation.api.capabilities.hasHostedPaymentPage { return try paymentSession(id: id) }
    guard let amount = parsed.value("amount") else {
      throw TillError(.usage, "checkout pay needs --amount AMOUNT (e.g. 50.00)")
    }
    let owner = try invocation.owner()
    let history = try HistoryRecorder(invocation)
    let clock = SystemClock(interruption: interruption)
    let adapter = try invocation.makeAdapter(clock: clock)
    let payment = try adapter.pay(id: id, amount: amount, owner: owner)
    var paid = CheckoutStatus(
      id: id, api: adapter.api, state: .completed, serverState: "paid",
      hint: PollHint(canFollowUp: false))
    paid.references = [("paymentId", payment.id ?? "-"), ("paymentStatus", payment.status)]
    history.record(paid, started: false)
    if settings.json {
      console.out(payment.raw.serialized())
    } else if settings.quiet {
      console.out(safe(payment.id ?? id))
    } else {
      let reference =
        payment.id.map { " (payment \(safe($0)))" } ?? ""
      console.out(
        "Paid \(amount) for order \(safe(id))\(reference): "
          + safe(payment.status))
    }
    return .success
  }

  /// Polls a saga, as any watch does, until it is `payment_pending`; nil when interrupted. A
  /// saga that ends first, or `--max-wait` passing, is an error naming the state it is in.
  private func awaitPaymentPending(id: String, run: WatchableRun) throws(TillError)
    -> CheckoutStatus?
  {
    let watcher = CheckoutWatcher(
      clock: run.clock,
      policy: PollPolicy(
        interval: run.interval, maxWait: settings.maxWait,
        backsOffWhileUnchanged: !run.adapter.isServerPaced),
      recorder: invocation.recorder)
    let outcome = try watcher.watch(
      initial: nil, startedAt: run.startedAt,
      fetch: { () throws(TillError) -> CheckoutStatus in try run.adapter.status(id: id) },
      onChange: { _, _ in }, until: { $0.serverState == "payment_pending" })
    switch outcome {
    case .reached(let status):
      return status
    case .interrupted:
      return nil
    case .timedOut(let status, _):
      throw TillError(
        .timedOut,
        "gave up after --max-wait \(formatDuration(settings.maxWait ?? .zero)): saga "
          + "\(safe(id)) is still \(safe(status?.serverState ?? "unanswered")), not "
          + "payment_pending")
    case .terminal(let status):
      throw TillError(
        .conflict,
        "saga \(safe(id)) ended \(safe(status.serverState)) before it asked for payment")
    case .actionRequired(let status), .followUpStopped(let status):
      throw TillError(
        .conflict,
        "saga \(safe(id)) stopped at \(safe(status.serverState)) before it asked for payment, "
          + "and the gateway says nothing more will happen until then")
    }
  }

  /// A hosted payment page. Without --watch a human must act: exit 3. With --watch, the
  /// saga is followed through payment_pending to its end.
  private func paymentSession(id: String) throws(TillError) -> ExitStatus {
    let history = try HistoryRecorder(invocation)
    let run = try prepareRun()
    if run.watch {
      // Straight after `checkout start` the saga is still reserving: wait, as a watch does,
      // until it asks for payment.
      guard try awaitPaymentPending(id: id, run: run) != nil else {
        return interrupted(id: id, last: nil)
      }
    }
    let status: CheckoutStatus
    do throws(TillError) {
      status = try run.adapter.createPaymentSession(id: id)
    } catch {
      guard error.status == .conflict, !run.watch else { throw error }
      throw TillError(
        .conflict,
        error.message + "; to wait for it, run: till checkout pay "
          + CheckoutID.arguments([id], then: ["--watch"]).map(shellQuote).joined(separator: " "))
    }
    guard run.watch else {
      StatusRenderer(console: console, settings: settings).show(status)
      history.record(status, started: false)
      return status.state.isTerminal ? status.state.exitStatus : .actionRequired
    }
    return try follow(run, id: id, initial: status, history: history)
  }
}
