/// Retries what is safe to retry: 429 and 503 answers and dropped connections, for a GET or a
/// request that carries an idempotency key. Waits as the server asks (`Retry-After`), else
/// backs off exponentially, and never past the caller's deadline.
public final class RetryingTransport: HTTPTransport {
  public struct Policy: Sendable {
    public var maxAttempts = 4
    public var initialBackoff: Duration = .milliseconds(500)
    public var maxBackoff: Duration = .seconds(8)
    /// A single retry wait longer than this is not waited out: the error is reported instead.
    public var maxRetryWait: Duration = .seconds(60)
    public init() {}
  }

  private let base: HTTPTransport
  private let clock: PollClock
  private let policy: Policy
  private let trace: TraceSink?
  /// Told each retry's wait, for the HAR log.
  public var recorder: HARRecorder?
  /// Monotonic time (on `clock`) after which no retry starts, e.g. the end of `--max-wait`.
  public var deadline: Duration?

  public init(
    _ base: HTTPTransport, clock: PollClock, policy: Policy = Policy(), trace: TraceSink? = nil
  ) {
    self.base = base
    self.clock = clock
    self.policy = policy
    self.trace = trace
  }

  public func send(_ request: HTTPRequest) throws(TransportError) -> HTTPResponse {
    var attempt = 1
    while true {
      let wait: Duration
      let reason: String
      do {
        var response = try base.send(request)
        response.attempts = attempt
        guard request.isRetryable, response.status == 429 || response.status == 503,
          attempt < policy.maxAttempts
        else { return response }
        let asked = RetryAfter.delay(in: response.headers, now: clock.wallSeconds)
        if let asked, asked > policy.maxRetryWait { return response }
        wait = asked ?? backoff(attempt)
        reason = "HTTP \(response.status)"
        guard fitsDeadline(wait) else { return response }
      } catch {
        guard request.isRetryable, error.isTransient, attempt < policy.maxAttempts else {
          throw error
        }
        wait = backoff(attempt)
        reason = error.description
        guard fitsDeadline(wait) else { throw error }
      }
      trace?(
        "* \(reason); retrying in \(formatDuration(wait)) "
          + "(attempt \(attempt + 1) of \(policy.maxAttempts))")
      recorder?.noteWait(
        "a retry after \(reason), attempt \(attempt + 1) of \(policy.maxAttempts)", delay: wait)
      guard clock.sleep(until: clock.now + wait) else {
        throw .interrupted
      }
      attempt += 1
    }
  }

  private func backoff(_ attempt: Int) -> Duration {
    var delay = policy.initialBackoff
    for _ in 1..<attempt { delay *= 2 }
    return min(delay, policy.maxBackoff)
  }

  private func fitsDeadline(_ wait: Duration) -> Bool {
    guard let deadline else { return true }
    return clock.now + wait <= deadline
  }
}
