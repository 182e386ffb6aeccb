import Foundation
import Testing
import TillKit

// MARK: - Concurrent runs

extension FaultCase {
  static let writers = 50

  /// A history whose every rewrite still passes the compaction size: long ids, so each of
  /// the writers below compacts it while the others append.
  static func writeLargeHistory(_ till: Till) throws {
    let directory = till.stateHome + "/state/till"
    try FileManager.default.createDirectory(
      atPath: directory, withIntermediateDirectories: true)
    let padding = String(repeating: "x", count: 600)
    let lines = (0..<600).map { number in
      #"{"id":"old-\#(number)-\#(padding)","api":"c2a","baseUrl":"http://127.0.0.1:1","#
        + #""startedAt":"2026-01-01T00:00:00Z","state":"completed","#
        + #""updatedAt":"2026-01-01T00:00:00Z"}"#
    }
    try (lines.joined(separator: "\n") + "\n").write(
      toFile: directory + "/history.jsonl", atomically: true, encoding: .utf8)
  }

  static let concurrent: [FaultCase] = [
    FaultCase(
      group: .concurrent,
      fault: "\(writers) `checkout start` at once, each compacting a large history",
      command: "checkout list -q (after \(writers) × -q checkout start --offer success)",
      expectedStatus: 0, expectedMessage: nil, printsID: false,
      run: {
        let till = Till()
        try writeLargeHistory(till)
        let starts = runConcurrently(
          (0..<writers).map { _ in
            { @Sendable in try? till.run(["-q", "checkout", "start", "--offer", "success"]) }
          })
        let printed = Set(
          starts.compactMap { $0?.stdout.trimmingCharacters(in: .whitespacesAndNewlines) }
        )
        .subtracting([""])
        var observation = try observe(till, ["-q", "checkout", "list", "--limit", "100"])
        let listed = Set(observation.result.stdoutLines)
        observation.figures["printed"] = printed.count
        observation.figures["lost"] = printed.subtracting(listed).count
        observation.figures["failed"] = starts.filter { $0?.status != 0 }.count
        return observation
      },
      check: { observation in
        #expect(observation.figures["failed"] == 0, "a start failed")
        #expect(observation.figures["printed"] == writers, "\(observation.figures)")
        #expect(observation.figures["lost"] == 0, "the history lost ids it printed")
      },
      reportedLine: { observation in
        "\(observation.figures["printed"] ?? 0) ids printed, "
          + "\(observation.figures["lost"] ?? -1) missing from the history"
      }),
    FaultCase(
      group: .concurrent, fault: "\(writers) `profile add` at once",
      command: "profile list -q (after \(writers) × profile add pN --base-url URL)",
      expectedStatus: 0, expectedMessage: nil, printsID: false,
      run: {
        let till = Till()
        let adds = runConcurrently(
          (0..<writers).map { number in
            { @Sendable in
              try? till.run(["profile", "add", "p\(number)", "--base-url", "http://127.0.0.1:1"])
            }
          })
        var observation = try observe(till, ["-q", "profile", "list"])
        let listed = Set(observation.result.stdoutLines)
        observation.figures["added"] = adds.filter { $0?.stdout.hasPrefix("Added") == true }.count
        observation.figures["kept"] = (0..<writers).filter { listed.contains("p\($0)") }.count
        return observation
      },
      check: { observation in
        #expect(observation.figures["added"] == writers, "\(observation.figures)")
        #expect(observation.figures["kept"] == writers, "profiles said Added were lost")
      },
      reportedLine: { observation in
        "\(observation.figures["added"] ?? 0) said Added, "
          + "\(observation.figures["kept"] ?? 0) in the config"
      }),
  ]
}
