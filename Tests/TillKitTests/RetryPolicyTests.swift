import Testing

@testable import TillKit

/// `RetryPolicy`, the one set of rules for retrying a request, single or fanned out.
@Suite struct RetryPolicyTests {
  typealias Answer = Result<HTTPResponse, TransportError>

  static func answer(_ status: Int, retryAfter: String? = nil) -> Answer {
    var headers = HTTPHeaders()
    if let retryAfter { headers.append("Retry-After", retryAfter) }
    return .success(HTTPResponse(status: status, headers: headers))
  }

  static let reset: Answer = .failure(
    .connectionLost(endpoint: "127.0.0.1:9", reason: "reset by peer"))

  @Test(arguments: [
    (answer(429, retryAfter: "3"), 1, nil, Duration?.some(.seconds(3))),
    (answer(503), 1, nil, .milliseconds(500)),
    (answer(503), 3, nil, .seconds(2)),
    (reset, 2, nil, .seconds(1)),
    (answer(429, retryAfter: "61"), 1, nil, nil),
    (answer(429), 4, nil, nil),
    (answer(500), 1, nil, nil),
    (answer(200), 1, nil, nil),
    (.failure(.couldNotResolve(host: "example.invalid")), 1, nil, nil),
    (answer(429, retryAfter: "5"), 1, Duration.seconds(4), nil),
    (answer(429, retryAfter: "5"), 1, Duration.seconds(5), .seconds(5)),
  ])
  func retries(
    answer: Answer, attempt: Int, deadline: Duration?, wait: Duration?
  ) {
    let retry = RetryPolicy().retry(
      after: answer, attempt: attempt, now: .zero, wallSeconds: 1_795_000_000,
      deadline: deadline)
    #expect(retry?.wait == wait)
  }

  @Test func backoffDoublesUpToItsCap() {
    #expect(
      (1...7).map { RetryPolicy().backoff($0) }
        == [0.5, 1, 2, 4, 8, 8, 8].map { Duration.milliseconds(Int($0 * 1000)) })
  }
}
