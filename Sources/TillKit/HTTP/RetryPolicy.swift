/// Which failed attempts at a request are made again, how many times, and after how long: the
/// one set of rules for a single request (`RetryingTransport`) and for each poll of a fan-out.
///
/// Retried: a 429 or 503 answer (after its `Retry-After`, else backing off exponentially) and a
/// connection that could not be made or was lost (backing off). Not retried: anything else, a
/// wait longer than `maxRetryWait`, or one that would end past the caller's deadline. Whether a
/// request may be sent twice at all (`HTTPRequest.isRetryable`) is the sender's to check.
public struct RetryPolicy: Sendable, Equatable {
  /// Attempts at one request in all, the first included.
  public var maxAttempts = 4
  public var initialBackoff: Duration = .milliseconds(500)
  public var maxBackoff: Duration = .seconds(8)
  /// A single retry wait longer than this is not waited out: the answer is reported instead.
  public var maxRetryWait: Duration = .seconds(60)

  public init() {}

  /// Another attempt: when, and why (for the trace and the HAR log).
  public struct Retry: Sendable, Equatable {
    public var wait: Duration
    /// `HTTP 429`, or the transport error in words.
    public var reason: String
  }

  /// Whether attempt number `attempt` (from 1) should be followed by another after `answer`,
  /// and after how long; nil to hand the answer or the error on.
  /// - Parameters:
  ///   - now: monotonic time when the answer came, on the same clock as `deadline`.
  ///   - wallSeconds: the wall clock, for a `Retry-After` given as an HTTP-date.
  ///   - deadline: no retry starts after it (the end of `--max-wait`).
  public func retry(
    after answer: Result<HTTPResponse, TransportError>, attempt: Int, now: Duration,
    wallSeconds: Int64, deadline: Duration?
  ) -> Retry? {
    guard attempt < maxAttempts else { return nil }
    let retry: Retry
    switch answer {
    case .success(let response):
      guard response.status == 429 || response.status == 503 else { return nil }
      let asked = RetryAfter.delay(in: response.headers, now: wallSeconds)
      if let asked, asked > maxRetryWait { return nil }
      retry = Retry(wait: asked ?? backoff(attempt), reason: "HTTP \(response.status)")
    case .failure(let error):
      guard error.isTransient else { return nil }
      retry = Retry(wait: backoff(attempt), reason: error.description)
    }
    if let deadline, now + retry.wait > deadline { return nil }
    return retry
  }

  /// The wait after attempt `attempt` failed without the server saying how long: doubling from
  /// `initialBackoff`, at most `maxBackoff`.
  public func backoff(_ attempt: Int) -> Duration {
    var delay = initialBackoff
    for _ in 1..<max(1, attempt) { delay *= 2 }
    return min(delay, maxBackoff)
  }
}
