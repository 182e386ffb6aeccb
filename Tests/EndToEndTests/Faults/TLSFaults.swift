import Foundation
import Testing
import TillKit
import TillSandbox

// MARK: - TLS

/// Self-signed certificates made with `openssl` for this test run, and a directory that
/// `openssl s_server -WWW` serves a C2A status from.
enum TLSFixture {
  static let directory: String = {
    let path = NSTemporaryDirectory() + "till-tls-" + UUID().uuidString
    try? FileManager.default.createDirectory(
      atPath: path + "/www/api/v1/c2a/offer/checkout/trk_TLS", withIntermediateDirectories: true)
    try? #"{"trackingNumber":"trk_TLS","status":{"messageCode":"CHECK_OUT_DONE"}}"#.write(
      toFile: path + "/www/api/v1/c2a/offer/checkout/trk_TLS/status", atomically: true,
      encoding: .utf8)
    return path
  }()

  /// Makes `<name>.pem` and `<name>-key.pem` for the subject alternative name `san`.
  static func certificate(_ name: String, san: String) throws -> String {
    let certificate = directory + "/\(name).pem"
    if FileManager.default.fileExists(atPath: certificate) { return certificate }
    let made = try runHelper(
      [
        "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
        "/CN=till-test",
        "-addext", "subjectAltName=\(san)", "-keyout", directory + "/\(name)-key.pem",
        "-out", certificate,
      ])
    guard made.status == 0 else {
      throw FaultSetupError(description: "openssl req failed: \(made.output)")
    }
    return certificate
  }

  static let lock = NSLock()

  /// `openssl s_server -WWW` with the certificate `name`, on a port the kernel picks.
  static func server(_ name: String, san: String) throws -> (HelperProcess, UInt16) {
    let certificate = try lock.withLock { try Self.certificate(name, san: san) }
    let server = try HelperProcess(
      [
        "openssl", "s_server", "-accept", "127.0.0.1:0", "-cert", certificate, "-key",
        directory + "/\(name)-key.pem", "-WWW",
      ], in: directory + "/www")
    // "ACCEPT 127.0.0.1:40123" once it listens.
    _ = server.waitForOutput(containing: "ACCEPT 127.0.0.1:", seconds: 10)
    let line = server.outputText.split(separator: "\n").first { $0.hasPrefix("ACCEPT") }
    guard let port = line?.split(separator: ":").last.flatMap({ UInt16($0) }) else {
      server.stop()
      throw FaultSetupError(description: "openssl s_server did not start: \(server.outputText)")
    }
    return (server, port)
  }

  static func observe(_ name: String, san: String, _ arguments: (String) -> [String]) throws
    -> FaultObservation
  {
    let (server, port) = try server(name, san: san)
    defer { server.stop() }
    let till = Till(baseURL: "https://127.0.0.1:\(port)")
    return try EndToEndTests.observe(
      till, arguments(directory + "/\(name).pem") + ["checkout", "status", "trk_TLS"])
  }
}

extension FaultCase {
  static let tls: [FaultCase] = [
    FaultCase(
      group: .tls, fault: "Self-signed certificate, verified as by default",
      command: "checkout status trk_TLS", expectedStatus: 8,
      expectedMessage: "certificate problem: self-signed certificate", printsID: false,
      run: { try TLSFixture.observe("loopback", san: "IP:127.0.0.1") { _ in [] } }),
    FaultCase(
      group: .tls, fault: "Self-signed certificate, trusted with --cacert",
      command: "--cacert cert.pem checkout status trk_TLS", expectedStatus: 0,
      expectedMessage: nil, printsID: false,
      run: {
        try TLSFixture.observe("loopback", san: "IP:127.0.0.1") { ["--cacert", $0] }
      },
      check: { #expect($0.result.stdout.contains("completed (CHECK_OUT_DONE)")) }),
    FaultCase(
      group: .tls, fault: "Self-signed certificate, accepted with --insecure",
      command: "--insecure checkout status trk_TLS", expectedStatus: 0,
      expectedMessage: "till: warning: --insecure: the server's TLS certificate is not verified",
      printsID: false,
      run: { try TLSFixture.observe("loopback", san: "IP:127.0.0.1") { _ in ["--insecure"] } },
      check: { #expect($0.result.stdout.contains("completed (CHECK_OUT_DONE)")) }),
    FaultCase(
      group: .tls, fault: "Certificate for another host name, trusted with --cacert",
      command: "--cacert other.pem checkout status trk_TLS", expectedStatus: 8,
      expectedMessage: "no alternative certificate subject name matches target host name",
      printsID: false,
      run: {
        try TLSFixture.observe("otherhost", san: "DNS:checkout.example") { ["--cacert", $0] }
      }),
  ]
}
