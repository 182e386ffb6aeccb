/// Retries what is safe to retry, by the rules of `RetryPolicy`, for a GET or a request that
/// carries an idempotency key: waits as the server asks (`Retry-After`), else backs off
/// exponentially, and never past the caller's deadline.
public final class RetryingTransport: HTTPTransport {
  public typealias Policy = RetryPolicy

  private let base: HTTPTransport
  private let clock: PollClock
  private let policy: RetryPolicy
  private let trace: TraceSink?
  /// Told each retry's wait, for the HAR log.
  public var recorder: HARRecorder?
  /// Monotonic time (on `clock`) after which no retry starts, e.g. the end of `--max-wait`.
  public var deadline: Duration?

  public init(
    _ base: HTTPTransport, clock: PollClock, policy: RetryPolicy = RetryPolicy(),
    trace: TraceSink? = nil
  ) {
    self.base = base
    self.clock = clock
    self.policy = policy
    self.trace = trace
  }

  public func send(_ request: HTTPRequest) throws(TransportError) -> HTTPResponse {
    var attempt = 1
    while true {
      let answer: Result<HTTPResponse, TransportError>
      do {
        var response = try base.send(request)
        response.attempts = attempt
        answer = .success(response)
      } catch {
        answer = .failure(error)
      }
      guard request.isRetryable,
        let retry = policy.retry(
          after: answer, attempt: attempt, now: clock.now, wallSeconds: clock.wallSeconds,
          deadline: deadline)
      else { return try answer.get() }
      trace?(
        "* \(retry.reason); retrying in \(formatDuration(retry.wait)) "
          + "(attempt \(attempt + 1) of \(policy.maxAttempts))")
      recorder?.noteWait(
        "a retry after \(retry.reason), attempt \(attempt + 1) of \(policy.maxAttempts)",
        delay: retry.wait)
      guard clock.sleep(until: clock.now + retry.wait) else {
        throw .interrupted
      }
      attempt += 1
    }
  }
}
