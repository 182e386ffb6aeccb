import Foundation
import Testing
import TillKit
import TillSandbox

/// One fault or hostile input, run end to end with the built binary: how to provoke it, what
/// `till` must answer, and what else must hold afterwards.
struct FaultCase: Sendable, CustomTestStringConvertible {
  enum Group: String, Sendable, CaseIterable {
    case network = "Network and HTTP faults"
    case retryAfter = "Absurd Retry-After values"
    case idempotency = "Idempotency"
    case signals = "Signals"
    case hostile = "Hostile server text"
    case tls = "TLS"
    case mcp = "MCP transport"
    case redirects = "Redirects and secrets"
    case injection = "Injection"
    case overflow = "Numbers that overflow"
    case concurrent = "Concurrent runs"
    case output = "Standard output that fails"
    case words = "Replies and files, named for what they are"
    case ids = "Ids from servers"
    case state = "State files and who may write them"
    case seen = "What the terminal and the connection see"
    case c2aAccounts = "C2A customers, offers and subscriptions"
  }

  var group: Group
  /// What goes wrong, as the report names it.
  var fault: String
  /// The command, as the report shows it.
  var command: String
  var expectedStatus: Int32
  /// Part of the first line on standard error; nil when nothing may be written there.
  var expectedMessage: String?
  /// The fake server's tracking number was printed before the fault and must stay printed.
  var printsID = true
  /// Whether `till: error: …` must be the first line on standard error: by default for the
  /// statuses 1 to 8, but a checkout that ended failed is shown on standard output instead.
  var reportsError: Bool?
  var run: @Sendable () throws -> FaultObservation
  /// Further expectations on what was observed.
  var check: @Sendable (FaultObservation) -> Void = { _ in }
  /// The line the report shows, when the first one says less than another.
  var reportedLine: (@Sendable (FaultObservation) -> String)?

  var testDescription: String { fault }
}

extension FaultCase {
  static let watchCommand = "--timeout 1s checkout start --offer o --watch"

  /// A fault the fake C2A server injects into the status polls of a watch.
  static func poll(
    _ fault: String, group: Group = .network, status: Int32, message: String?,
    command: String = watchCommand, arguments: [String] = watchArguments,
    _ poll: @escaping @Sendable (ReceivedRequest, Int) -> FaultAction,
    check: @escaping @Sendable (FaultObservation) -> Void = { _ in }
  ) -> FaultCase {
    FaultCase(
      group: group, fault: fault, command: command, expectedStatus: status,
      expectedMessage: message,
      run: { try observeFake(FakeC2A.server(poll: poll), arguments) }, check: check)
  }

  static let all: [FaultCase] =
    network + retryAfter + idempotency + signals + hostile + tls + mcp + redirects
    + [coreDumps, passwordInBaseURL] + injection + [retryState] + overflow + output
    + [interruptedSubmit(SIGINT, status: 130), interruptedSubmit(SIGTERM, status: 143)]
    + bodies + words + state + seen + concurrent + sentOnce + ids + accounts

  /// The cases a run observes: all of them, or with `TILL_FAULTS=TEXT` in the environment only
  /// those whose fault names hold TEXT, to work on a few (the report then stays as it was).
  static let selected: [FaultCase] = {
    guard let text = ProcessInfo.processInfo.environment["TILL_FAULTS"], !text.isEmpty else {
      return all
    }
    return all.filter { $0.fault.contains(text) }
  }()
}
