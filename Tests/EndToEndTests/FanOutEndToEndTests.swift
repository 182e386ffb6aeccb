import Foundation
import Testing
import TillKit

/// The built `till` watching several checkouts of the sandbox at once: what it prints, how it
/// exits, and what the sandbox saw of its polls and connections.
@Suite struct FanOutEndToEndTests {
  /// Starts one checkout per offer and returns their ids once the Retry-After of each submit
  /// has passed, so that a first poll is not early.
  func start(_ offers: [String], with till: Till) throws -> [String] {
    let ids = try offers.map { offer in
      let result = try till.run(["-q", "checkout", "start", "--offer", offer])
      #expect(result.status == 0, "\(offer): \(result.stderr)")
      return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
    Thread.sleep(forTimeInterval: 1.05)
    return ids
  }

  /// The connections that carried a checkout's polls: its list without the submit's, which
  /// came first from another process.
  func pollConnections(_ id: String) throws -> [Int] {
    let stats = try SharedSandbox.stats(id)
    #expect(stats["earlyPolls"]?.int == 0, "early polls: \(stats.serialized())")
    return (stats["connections"]?.array ?? []).dropFirst().compactMap(\.int)
  }

  @Test func mixedOutcomesExitWithTheMostSevereAndPrintOneLinePerChange() throws {
    let till = Till()
    let ids = try start(["success", "fail", "success"], with: till)
    let result = try till.run(["checkout", "status"] + ids + ["--watch"])
    #expect(result.status == 1, "\(result.stderr)")
    let lines = result.stdoutLines
    // Three first looks, then each final state: one line each, and the summary.
    let changes = lines.filter { $0.contains("trk_") }
    #expect(changes.count == 6, "\(result.stdout)")
    for id in ids {
      #expect(changes.first { $0.contains(id) }?.contains("processing") == true)
    }
    #expect(changes.filter { $0.contains("completed") }.count == 2)
    #expect(changes.filter { $0.contains("failed") }.count == 1)
    #expect(
      lines.last?.hasPrefix("Summary: 3 checkouts: 2 completed, 1 failed; 9 polls in") == true)
    for id in ids { #expect(try SharedSandbox.stats(id)["polls"]?.int == 3) }
  }

  @Test func oneConnectionCarriesEveryPollWhenOneRequestIsInFlight() throws {
    let till = Till()
    let ids = try start(["success", "success", "success", "success"], with: till)
    let result = try till.run(["checkout", "status"] + ids + ["--watch", "--parallel", "1"])
    #expect(result.status == 0, "\(result.stderr)")
    var used = Set<Int>()
    for id in ids {
      let connections = try pollConnections(id)
      #expect(!connections.isEmpty)
      used.formUnion(connections)
    }
    // Twelve polls of four checkouts, all over one kept-alive connection.
    #expect(used.count == 1, "poll connections: \(used.sorted())")
  }

  @Test func idsFromStandardInputWithJSONLinesAndASummaryObject() throws {
    let till = Till()
    let ids = try start(["success", "success"], with: till)
    let input = "# checkouts to follow\n" + ids.joined(separator: "\n") + "\n\n"
    let result = try till.run(
      ["checkout", "status", "--ids-from", "-", "--watch", "--json"], stdin: input)
    #expect(result.status == 0, "\(result.stderr)")
    let objects = try result.stdoutLines.map { try JSONValue.parse($0) }
    let changes = objects.dropLast()
    #expect(changes.count == 4)
    #expect(Set(changes.compactMap { $0["id"]?.string }) == Set(ids))
    #expect(changes.filter { $0["state"]?.string == "completed" }.count == 2)
    let summary = try #require(objects.last?["summary"])
    #expect(summary["checkouts"]?.int == 2)
    #expect(summary["outcomes"]?["completed"]?.int == 2)
    #expect(summary["polls"]?.int == 6)
    #expect(summary["exitStatus"]?.int == 0)
  }

  @Test func oneLookAtEachWithAnUnknownIdExitsNotFound() throws {
    let till = Till()
    let ids = try start(["never", "fail"], with: till)
    let result = try till.run(["checkout", "status"] + ids + ["trk_UNKNOWN0000000000000000000"])
    #expect(result.status == 4, "\(result.stderr)")
    #expect(result.stderr.contains("trk_UNKNOWN0000000000000000000 not found"))
    let changes = result.stdoutLines.filter { $0.contains("trk_") }
    #expect(changes.count == 2)
    #expect(changes.allSatisfy { $0.contains("processing") })
    #expect(result.stdoutLines.last?.contains("2 processing, 1 not found; 2 polls") == true)
    for id in ids { #expect(try SharedSandbox.stats(id)["polls"]?.int == 1) }
  }

  @Test func aThrottledCheckoutIsRetriedPolitelyAmongOthers() throws {
    let till = Till()
    let ids = try start(["throttle", "success", "unavailable"], with: till)
    let result = try till.run(["checkout", "status"] + ids + ["--watch", "--json"])
    #expect(result.status == 0, "\(result.stderr)")
    for id in ids { _ = try pollConnections(id) }
  }

  @Test func ctrlCPrintsTheCommandThatResumesTheUnfinishedOnes() throws {
    let till = Till()
    let ids = try start(["never", "never"], with: till)
    let running = try till.start(["checkout", "status"] + ids + ["--watch", "--interval", "1s"])
    #expect(running.waitForOutput(containing: ids[1]), "\(running.stdoutSoFar)")
    running.signal(SIGINT)
    let result = running.finish(timeout: 5)
    #expect(result.status == 130, "\(result.stderr)")
    #expect(result.stderr.contains("interrupted; 2 checkouts go on without till"))
    let resume = try #require(
      result.stderr.split(separator: "\n").first { $0.hasPrefix("Resume with: ") })
    #expect(resume.hasSuffix("checkout status \(ids[0]) \(ids[1]) --watch --interval 1s"))
  }

  @Test func aBadParallelValueIsAUsageError() throws {
    let result = try Till().run(["checkout", "status", "a", "b", "--parallel", "0"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("'--parallel'"))
  }
}
