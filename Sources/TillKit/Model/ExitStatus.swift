/// One meaning per code; scripts branch on these.
public enum ExitStatus: Int32, Sendable, CaseIterable {
  case success = 0
  case checkoutFailed = 1
  case usage = 2
  case actionRequired = 3
  case notFound = 4
  case timedOut = 5
  case authentication = 6
  case conflict = 7
  case serverOrNetwork = 8
  case interrupted = 130
  case outputClosed = 141
  case terminated = 143

  public var meaning: String {
    switch self {
    case .success:
      return "success: the command did what it says; for a watch, the checkout completed"
    case .checkoutFailed:
      return "the checkout failed or was refused (failed, compensated, cancelled; 400, 402, 422)"
    case .usage: return "usage error: unknown command or option, bad value"
    case .actionRequired:
      return "action required: a human must complete a redirect (3-D Secure, hosted payment)"
    case .notFound:
      return "not found: unknown checkout, order, cart, customer, offer or subscription"
    case .timedOut:
      return "no terminal state reached: --max-wait elapsed, or the server stopped follow-up"
    case .authentication: return "authentication or permission refused (401/403)"
    case .conflict:
      return "conflict (409): state conflict, already checked out, another tenant's id, an id "
        + "or email already taken"
    case .serverOrNetwork:
      return "the server or the network failed (5xx after retries, connection, TLS, bad "
        + "response), or standard output could not be written"
    case .interrupted: return "interrupted (SIGINT); the id and the command to resume are printed"
    case .outputClosed:
      return "standard output was closed by its reader (a pipe to head); stopped quietly"
    case .terminated: return "terminated (SIGTERM); the id and the command to resume are printed"
    }
  }
}

/// What went wrong, in one line a human can act on, and the one exit status it maps to.
public struct TillError: Error, Sendable, CustomStringConvertible {
  public var status: ExitStatus
  public var message: String

  public init(_ status: ExitStatus, _ message: String) {
    self.status = status
    self.message = message
  }

  public var description: String { message }

  public static func transport(_ error: TransportError) -> TillError {
    TillError(.serverOrNetwork, error.description)
  }
}
