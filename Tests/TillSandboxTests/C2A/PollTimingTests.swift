import Glibc
import Testing

@testable import TillSandbox

@Suite struct PollTimingTests {
  @Test func earlyPollIsCountedAndPunctualPollIsNot() async throws {
    let sandbox = try startSandbox(pollsBeforeDone: 5, retryAfterSeconds: 1)
    defer { sandbox.stop() }
    let client = try LoopbackClient(port: sandbox.port)
    let submitted = try client.submit(offer: "success")
    #expect(submitted.header("Retry-After") == "1")
    let tracking = try decode(CheckoutResultShape.self, submitted).trackingNumber

    let early = try client.poll(tracking)
    #expect(early.status == 200)
    #expect(early.header("Retry-After") == "1")
    try await Task.sleep(for: .milliseconds(1_050))
    _ = try client.poll(tracking)

    let checkout = try client.stats(tracking)
    #expect(checkout.polls == 2)
    #expect(checkout.earlyPolls == 1)
    #expect(checkout.lateByMs.count == 2)
    // Signs only: how late a poll lands depends on the machine's load.
    #expect(checkout.lateByMs[0] < 0)
    #expect(checkout.lateByMs[1] >= 0)
    #expect(checkout.connections.count == 1)
  }

  @Test func retryAfterZeroAsksForNoWait() throws {
    let sandbox = try startSandbox(pollsBeforeDone: 3, retryAfterSeconds: 0)
    defer { sandbox.stop() }
    let client = try LoopbackClient(port: sandbox.port)
    let tracking = try decode(CheckoutResultShape.self, client.submit(offer: "success"))
      .trackingNumber
    for _ in 0..<3 { _ = try client.poll(tracking) }
    let checkout = try client.stats(tracking)
    #expect(checkout.earlyPolls == 0)
    #expect(checkout.lateByMs.allSatisfy { $0 >= 0 })
  }

  @Test func httpDateRetryAfterIsAnIMFFixdateOneWholeSecondOn() throws {
    let sandbox = try startSandbox(pollsBeforeDone: 1, retryAfterSeconds: 1)
    defer { sandbox.stop() }
    let client = try LoopbackClient(port: sandbox.port)
    let before = wallClockSeconds()
    let submitted = try client.submit(offer: "http-date")
    let after = wallClockSeconds()
    let header = try #require(submitted.header("Retry-After"))
    let date = try #require(parseIMFFixdate(header), "not an IMF-fixdate: \(header)")
    // The next whole second after now, plus the one second told.
    #expect(Double(date) >= before.rounded(.down) + 2)
    #expect(Double(date) <= after.rounded(.down) + 2)
    #expect(
      try decode(CheckoutResultShape.self, submitted).followUpInstructions
        .retryAfterSeconds == 1)

    let tracking = try decode(CheckoutResultShape.self, submitted).trackingNumber
    let polled = try client.poll(tracking)
    #expect(parseIMFFixdate(try #require(polled.header("Retry-After"))) != nil)
    // Polled at once, well before the date: early, by more than a second.
    let checkout = try client.stats(tracking)
    #expect(checkout.earlyPolls == 1)
    #expect(checkout.lateByMs[0] <= -1_000)
  }

  @Test func imfFixdateMatchesTheRFCExample() {
    #expect(IMFFixdate.string(fromUnixSeconds: 784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
    #expect(IMFFixdate.string(fromUnixSeconds: 0) == "Thu, 01 Jan 1970 00:00:00 GMT")
    #expect(parseIMFFixdate("Sun, 06 Nov 1994 08:49:37 GMT") == 784_111_777)
    #expect(parseIMFFixdate("Mon, 06 Nov 1994 08:49:37 GMT") == nil)
    #expect(parseIMFFixdate("Sunday, 06-Nov-94 08:49:37 GMT") == nil)
  }
}
