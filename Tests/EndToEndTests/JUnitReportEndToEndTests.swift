import Foundation
import Testing

/// `--report-junit FILE`: the report CI test reporters read, validated against the JUnit
/// schema by a real validator (xmllint), read back by a JUnit reader of its own
/// (junitparser), and the GitHub Actions annotation.
@Suite struct JUnitReportEndToEndTests {
  static let schema = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Schemas/junit.xsd").path

  /// `xmllint --schema`'s exit status and what it said.
  func validate(_ path: String) throws -> (Int32, String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/xmllint")
    process.arguments = ["--noout", "--schema", Self.schema, path]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
  }

  struct Read: Decodable {
    struct Case: Decodable {
      var name: String
      var classname: String
      var time: Double
      var failures: [String]
    }
    var tests: Int
    var failures: Int
    var cases: [Case]
  }

  /// The report as junitparser reads it; fails the test when it cannot.
  func read(_ path: String) throws -> Read { try readBack(Read.self, with: "junit-read.py", path) }

  @Test func aFailedCheckoutIsAFailedTestCase() throws {
    let till = Till()
    till.environment["GITHUB_ACTIONS"] = "true"
    let report = till.stateHome + "/report.xml"
    let result = try till.run([
      "checkout", "start", "--offer", "fail", "--watch", "--interval", "100ms",
      "--report-junit", report,
    ])
    #expect(result.status == 1, "\(result.stderr)")
    let id = try #require(result.stdoutLines.first?.split(separator: " ").dropFirst().first)
    let (valid, said) = try validate(report)
    #expect(valid == 0, "not valid JUnit XML: \(said)")
    let xml = try String(contentsOfFile: report, encoding: .utf8)
    #expect(xml.contains(#"<testsuites name="till" tests="1" failures="1""#), "\(xml)")
    #expect(xml.contains(#"<testcase name="\#(id)" classname="till.c2a""#), "\(xml)")
    #expect(xml.contains(#"<failure message="checkout \#(id) ended failed ("#), "\(xml)")
    #expect(result.stderr.contains("::error title=till checkout \(id)::checkout \(id) ended"))
    let parsed = try read(report)
    #expect(parsed.tests == 1 && parsed.failures == 1)
    #expect(parsed.cases.map(\.name) == [String(id)])
    #expect(parsed.cases.first?.classname == "till.c2a")
    #expect(parsed.cases.first?.failures.first?.hasPrefix("checkout \(id) ended failed (") == true)
    #expect((parsed.cases.first?.time ?? -1) > 0)
  }

  @Test func aCompletedCheckoutPasses() throws {
    let till = Till()
    let report = till.stateHome + "/report.xml"
    let result = try till.run([
      "checkout", "start", "--offer", "success", "--watch", "--interval", "100ms",
      "--report-junit", report,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let (valid, said) = try validate(report)
    #expect(valid == 0, "not valid JUnit XML: \(said)")
    let xml = try String(contentsOfFile: report, encoding: .utf8)
    #expect(xml.contains(#"tests="1" failures="0""#), "\(xml)")
    #expect(!xml.contains("<failure"))
    #expect(!result.stderr.contains("::error"), "an annotation outside GitHub Actions")
  }

  /// A watch of a checkout that fails with the server saying `message`, reported to a JUnit
  /// file that xmllint must find valid; the file's path, with the run whose folder holds it.
  func reportOfFailure(saying message: String) throws -> (till: Till, path: String) {
    let server = try FakeC2A.server { _, _ in
      .respond(FakeC2A.status("CHECK_OUT_FAILED", message: message))
    }
    defer { server.stop() }
    let till = Till(baseURL: server.baseURL)
    let report = till.stateHome + "/report.xml"
    let result = try till.run([
      "checkout", "start", "--offer", "o", "--watch", "--report-junit", report,
    ])
    #expect(result.status == 1, "\(result.stderr)")
    let (valid, said) = try validate(report)
    #expect(valid == 0, "not valid JUnit XML: \(said)")
    return (till, report)
  }

  @Test func aServerMessageWithMarkupStaysValidXML() throws {
    let (till, report) = try reportOfFailure(
      saying: #"<b>declined</b> & \"refused\" \u001b[31m"#)
    defer { withExtendedLifetime(till) {} }
    let xml = try String(contentsOfFile: report, encoding: .utf8)
    #expect(
      xml.contains("&lt;b&gt;declined&lt;/b&gt; &amp; &quot;refused&quot; \\x1b[31m"), "\(xml)")
  }

  /// Characters XML 1.0 cannot hold, even as a character reference: U+FFFE, U+FFFF and the C0
  /// controls but tab, LF and CR (which the report shows escaped too, to keep one line).
  @Test func aServerMessageWithCharactersXMLCannotHoldStaysWellFormed() throws {
    let (till, report) = try reportOfFailure(
      saying: #"not\ufffe here\uffff \u0000\u0001\u000b\u001f\t\r\n end"#)
    defer { withExtendedLifetime(till) {} }
    let parsed = try read(report)
    let failure = try #require(parsed.cases.first?.failures.first)
    #expect(
      failure.hasSuffix(#"not\u{fffe} here\u{ffff} \x00\x01\x0b\x1f\t\r\n end"#), "\(failure)")
  }

  @Test func manyCheckoutsAreATestCaseEach() throws {
    let till = Till()
    var ids: [String] = []
    for offer in ["success", "fail", "success"] {
      let started = try till.run(["-q", "checkout", "start", "--offer", offer])
      ids.append(started.stdout.trimmingCharacters(in: .newlines))
    }
    let report = till.stateHome + "/report.xml"
    let result = try till.run(
      ["checkout", "status"] + ids + ["--watch", "--interval", "100ms", "--report-junit", report])
    #expect(result.status == 1, "\(result.stderr)")
    let (valid, said) = try validate(report)
    #expect(valid == 0, "not valid JUnit XML: \(said)")
    let xml = try String(contentsOfFile: report, encoding: .utf8)
    #expect(xml.contains(#"tests="3" failures="1""#), "\(xml)")
    for id in ids { #expect(xml.contains(#"<testcase name="\#(id)""#)) }
    let parsed = try read(report)
    #expect(parsed.tests == 3 && parsed.failures == 1)
    #expect(Set(parsed.cases.map(\.name)) == Set(ids))
    #expect(parsed.cases.filter { !$0.failures.isEmpty }.map(\.name) == [ids[1]])
  }
}
