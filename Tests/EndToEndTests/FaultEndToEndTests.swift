import Foundation
import Testing
import TillKit

/// Every case of the fault catalogue, observed once per test run: all at once, each against its
/// own misbehaving server, since most of them spend their time waiting. The runs happen on
/// threads of their own and the tests await them, so no test thread blocks meanwhile.
enum FaultObservations {
  typealias Outcome = Result<FaultObservation, FaultSetupError>

  static let all = Task<[String: Outcome], Never> {
    await withCheckedContinuation { continuation in
      Thread.detachNewThread { continuation.resume(returning: observeEveryCase()) }
    }
  }

  /// The cases that start many processes of their own run after the rest, one at a time, so
  /// their load does not stretch the timings the others measure.
  private static func observeEveryCase() -> [String: Outcome] {
    let (many, single) = (
      FaultCase.selected.filter { $0.group == .concurrent },
      FaultCase.selected.filter { $0.group != .concurrent }
    )
    let results = runConcurrently(single.map(observer)) + many.map { observer(for: $0)() }
    return Dictionary(uniqueKeysWithValues: zip((single + many).map(\.fault), results))
  }

  private static func observer(for fault: FaultCase) -> @Sendable () -> Outcome {
    {
      do {
        return .success(try fault.run())
      } catch let error as FaultSetupError {
        return .failure(error)
      } catch {
        return .failure(FaultSetupError(description: "\(error)"))
      }
    }
  }

  static func of(_ fault: FaultCase) async throws -> FaultObservation {
    try #require(await all.value[fault.fault]).get()
  }
}

/// Faults and hostile input against the built binary: each ends with its documented exit
/// status and one clear line, within a bounded time, without a crash, and with any checkout id
/// already printed still on standard output.
@Suite struct FaultEndToEndTests {
  @Test(arguments: FaultCase.selected)
  func endsCleanly(_ fault: FaultCase) async throws {
    let observed = try await FaultObservations.of(fault)
    let result = observed.result
    let context = "stdout: \(result.stdout)\nstderr: \(result.stderr)"
    #expect(!observed.killed, "still running after \(Int(faultKillSeconds)) s and killed")
    #expect(!observed.crashed, "ended by a signal: \(context)")
    #expect(result.status == fault.expectedStatus, "\(context)")
    let errors = observed.stderrLines.filter { $0.hasPrefix("till: error: ") }
    if fault.reportsError ?? (1...8).contains(fault.expectedStatus) {
      #expect(errors.count == 1, "one error line: \(context)")
      #expect(observed.stderrLines.first?.hasPrefix("till: error: ") == true, "\(context)")
    } else {
      #expect(errors.isEmpty, "\(context)")
    }
    if let message = fault.expectedMessage {
      #expect(observed.stderrLines.first?.contains(message) == true, "\(context)")
    } else {
      #expect(result.stderr.isEmpty, "\(context)")
    }
    if fault.printsID {
      #expect(result.stdout.contains(FakeC2A.trackingNumber), "the id stays printed: \(context)")
    }
    fault.check(observed)
    // Times are measured, never asserted; TILL_SHOW_TIMINGS=1 prints them.
    if ProcessInfo.processInfo.environment["TILL_SHOW_TIMINGS"] == "1" {
      let signal = observed.figures["signalToExitMs"].map { ", signal to exit \($0) ms" } ?? ""
      print("timing: \(fault.fault): \(Int(observed.seconds * 1000)) ms in all\(signal)")
    }
  }
}
