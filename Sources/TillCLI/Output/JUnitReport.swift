import Glibc
import TillKit

/// How one watched checkout ended, for a CI report.
struct WatchReport {
  var id: String
  var api: String
  /// `completed`, or the word for how it did not: `failed`, `timed_out`, `interrupted`, ….
  var outcome: String
  /// The final state and the server's message, for a failure's text.
  var message: String
  var seconds: Double

  var passed: Bool { outcome == "completed" || outcome == "passed" }
  /// Not run, because an earlier step of a purchase failed.
  var skipped: Bool { outcome == "skipped" }
}

extension WatchReport {
  /// How a watch of checkout `id` ended.
  init(id: String, api: String, outcome: WatchOutcome, seconds: Double) {
    self.init(
      id: id, api: api, outcome: outcome.word, message: outcome.summary(id: id),
      seconds: seconds)
  }
}

/// The JUnit XML that Jenkins, GitLab and GitHub test reporters read: `<testsuites>` holding
/// one `<testsuite>` with a `<testcase>` per checkout (or per step of a purchase), a
/// `<failure>` for each that did not complete and `<skipped/>` for a step not run.
enum JUnitReport {
  static let purchaseSuite = "till purchase"

  static func xml(
    _ reports: [WatchReport], timestamp: Int64, hostname: String, suite: String = "till checkout"
  ) -> String {
    let failures = reports.filter { !$0.passed && !$0.skipped }.count
    let skipped = reports.filter(\.skipped).count
    // Checkouts are watched side by side; a purchase's steps run one after another.
    let times = reports.map(\.seconds)
    let time = seconds(suite == purchaseSuite ? times.reduce(0, +) : times.max() ?? 0)
    // ISO 8601 without a zone, as the Ant format has it.
    let stamp = String(ISOTime.format(timestamp).dropLast())
    var lines = [
      #"<?xml version="1.0" encoding="UTF-8"?>"#,
      #"<testsuites name="till" tests="\#(reports.count)" failures="\#(failures)" "#
        + #"errors="0" time="\#(time)">"#,
      #"  <testsuite name="\#(escape(suite))" tests="\#(reports.count)" "#
        + #"failures="\#(failures)" errors="0" skipped="\#(skipped)" time="\#(time)" "#
        + #"timestamp="\#(stamp)" "#
        + #"hostname="\#(escape(hostname))">"#,
      "    <properties/>",
    ]
    for report in reports {
      let head =
        #"    <testcase name="\#(escape(report.id))" classname="till.\#(escape(report.api))" "#
        + #"time="\#(seconds(report.seconds))""#
      if report.passed {
        lines.append(head + "/>")
      } else if report.skipped {
        lines.append(head + ">")
        lines.append(#"      <skipped message="\#(escape(report.message))"/>"#)
        lines.append("    </testcase>")
      } else {
        lines.append(head + ">")
        lines.append(
          #"      <failure message="\#(escape(report.message))" type="\#(report.outcome)">"#
            + escape(report.message) + "</failure>")
        lines.append("    </testcase>")
      }
    }
    lines += ["    <system-out/>", "    <system-err/>", "  </testsuite>", "</testsuites>"]
    return lines.joined(separator: "\n") + "\n"
  }

  /// Writes the report, or warns: a report that cannot be written never changes the outcome.
  static func write(
    _ reports: [WatchReport], to path: String, console: Console, suite: String = "till checkout"
  ) {
    var name = [UInt8](repeating: 0, count: 256)
    let named = name.withUnsafeMutableBufferPointer { buffer in
      buffer.withMemoryRebound(to: CChar.self) { chars in
        chars.baseAddress.map { gethostname($0, chars.count - 1) } ?? -1
      }
    }
    let hostname =
      named == 0
      ? String(decoding: name.prefix { $0 != 0 }, as: UTF8.self) : "localhost"
    let text = xml(reports, timestamp: wallClockSeconds(), hostname: hostname, suite: suite)
    do throws(TillError) {
      try LocalFile.writeAtomically(
        Array(text.utf8), to: path, mode: 0o644)
    } catch {
      console.warning("--report-junit: \(error.message)")
    }
  }

  /// Under GitHub Actions, a failed checkout is also an `::error::` annotation on the run.
  static func annotate(
    _ reports: [WatchReport], environment: Environment, console: Console,
    title: String = "till checkout"
  ) {
    guard environment["GITHUB_ACTIONS"] == "true" else { return }
    for report in reports where !report.passed && !report.skipped {
      console.err("::error title=\(title) \(command(report.id))::\(command(report.message))")
    }
  }

  /// Text for a workflow command: `%`, CR and LF escaped as GitHub documents, and
  /// `:` and `,` too where they would end a property.
  private static func command(_ text: String) -> String {
    safe(text).replacingAll("%", with: "%25")
      .replacingAll("\r", with: "%0D").replacingAll("\n", with: "%0A")
      .replacingAll(":", with: "%3A").replacingAll(",", with: "%2C")
  }

  private static func seconds(_ value: Double) -> String { threeDecimals(max(0, value)) }

  /// Text safe in XML 1.0 content and attributes: markup escaped; characters XML cannot hold
  /// at all, even as a reference, shown escaped as the terminal sanitiser shows controls:
  /// the C0 controls (by the sanitiser first) and U+FFFE and U+FFFF. (A Swift string holds
  /// no lone surrogate.)
  static func escape(_ text: String) -> String {
    var out = ""
    for scalar in safe(text).unicodeScalars {
      if let entity = entities[scalar] {
        out += entity
      } else if scalar == "\u{FFFE}" || scalar == "\u{FFFF}" {
        out += "\\u{" + String(scalar.value, radix: 16) + "}"
      } else {
        out.unicodeScalars.append(scalar)
      }
    }
    return out
  }

  /// XML's five predefined entities.
  private static let entities: [Unicode.Scalar: String] = [
    "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&apos;",
  ]
}
