import Glibc
import TillArguments
import TillKit

/// `checkout start`: submit, print the id at once, and with --watch follow it.
struct CheckoutStartCommand: FollowingCommand {
  static let spec = CommandSpec(
    name: "start", abstract: "Submit a checkout and print its id at once.",
    discussion: """
      Each API takes its own options, below; its server checks them before anything is \
      charged. The id is printed as soon as the server has accepted the checkout, and kept \
      in the history (checkout list, --last).
      """,
    options: CommandTree.watchOptions)

  let invocation: Invocation

  func run() throws(TillError) -> ExitStatus {
    // Each API reads its own options and checks them before anything is sent.
    let prepared = try invocation.api.checkoutRequest(invocation)
    let request = prepared.request
    // Ctrl-C or SIGTERM during the submit ends it cleanly, so the key that was sent is told.
    invocation.installSignalHandlers()
    var history = try HistoryRecorder(invocation)
    let run = try prepareRun()
    let adapter = run.adapter
    if case .user(let user)? = request.owner { history.user = user }
    let accepted: CheckoutStatus
    do throws(TillError) {
      accepted = try adapter.start(request)
    } catch {
      if error.status == .serverOrNetwork, !request.retriesSubmit {
        let why =
          "the body has no order object to hold a correlationId, so the server could not "
          + "tell a retry from a second order"
        let said =
          error.message.hasSuffix(notSentAgain)
          ? String(error.message.dropLast(notSentAgain.count)) : error.message
        throw TillError(error.status, said + "; not sent again: " + why)
      }
      guard error.status == .interrupted else { throw error }
      return interruptedSubmit(request, adapter: adapter, history: history)
    }
    if let problem = CheckoutID.problem(accepted.id, fromServer: true) {
      // Kept, so that `--last` finds it; never printed where a script would pass it on.
      history.record(accepted, started: true)
      throw TillError(
        .serverOrNetwork,
        "the server accepted the checkout, but its id '\(safe(accepted.id))' \(problem); "
          + "till does not pass it on. It is in the history: till checkout status --last")
    }
    do throws(TillError) {
      try invocation.api.remember(request, acceptedAs: accepted.id, invocation)
    } catch {
      console.warning(error.message)
    }
    // The id is printed and recorded first, whatever happens to a 3-D Secure page or the
    // local cart after.
    let (submitted, pageProblem) = ChallengePage.saving(
      accepted, in: invocation.stateDirectory)
    let afterAccepted = {
      do throws(TillError) { try prepared.afterAccepted?() } catch {
        console.warning(error.message)
      }
    }
    if run.watch, !adapter.isAsynchronous {
      console.err(
        "till: note: --api \(adapter.api) checks out within the request; nothing to watch")
    }
    guard run.watch, adapter.isAsynchronous else {
      history.record(submitted, started: true)
      StatusRenderer(console: console, settings: settings).show(submitted)
      if let pageProblem { console.warning(pageProblem.message) }
      afterAccepted()
      return .success
    }
    afterAccepted()
    let outcome = try follow(
      run, id: submitted.id, initial: submitted, history: history, pageProblem: pageProblem)
    if outcome == .success { confirm(submitted.id, adapter: adapter) }
    return outcome
  }

  /// Interrupted while the submit was in flight: the server may or may not have taken it.
  /// An API that dedupes by correlation id takes the same command with that id again safely; the
  /// attempt goes into the history as `unknown` under that id.
  private func interruptedSubmit(
    _ request: CheckoutRequest, adapter: CheckoutAdapter, history: HistoryRecorder
  ) -> ExitStatus {
    let signalled = interruption.signal == SIGTERM ? ExitStatus.terminated : .interrupted
    if console.readerGone { return .outputClosed }
    guard invocation.api.capabilities.dedupesByCorrelationID else {
      console.err(
        "till: interrupted while submitting; the server may have started the checkout. "
          + "Look with: till checkout list --user ID")
      return signalled
    }
    let key = safe(request.correlationId)
    console.err(
      "till: interrupted while submitting; the server may or may not have the checkout "
        + "(correlation id \(key)).")
    console.err("Re-submit safely (the server dedupes by this id) with: \(resubmitCommand(key))")
    history.recordUnknown(id: request.correlationId, api: adapter.api)
    return signalled
  }

  /// This `checkout start` again, with `--correlation-id` set to the key already sent.
  private func resubmitCommand(_ key: String) -> String {
    var words = globalResumeWords(parsed, settings) + ["checkout", "start"]
    let own = Set(parsed.command.options.map(\.long)).subtracting(["correlation-id"])
    for option in parsed.options where own.contains(option.long) {
      words.append("--" + option.long)
      if let value = option.value { words.append(value) }
    }
    words += ["--correlation-id", key]
    return words.map(shellQuote).joined(separator: " ")
  }
}
