import Foundation
import Testing
import TillKit
import TillSandbox

// MARK: - Hostile server text

/// Every kind of terminal control a server might slip into a string, as JSON escapes: erase
/// the screen, set the window title (OSC ending in BEL), a hyperlink (OSC ending in ST),
/// colour, an 8-bit CSI (U+009B), NEL and RI (C1 controls), DEL and a bidi override.
let hostileJSONText =
  #"\u001b[2J\u001b]0;owned\u0007 \u001b]8;;http://evil\u001b\\link\u001b]8;;\u001b\\ "#
  + #"\u001b[31mred\u001b[0m \u009b6n \u0085\u008d\u007f \u202eevil"#

/// The same text as `till` receives it.
let hostileText =
  "\u{1b}[2J\u{1b}]0;owned\u{07} \u{1b}]8;;http://evil\u{1b}\\link\u{1b}]8;;\u{1b}\\ "
  + "\u{1b}[31mred\u{1b}[0m \u{9b}6n \u{85}\u{8d}\u{7f} \u{202e}evil"

/// No raw control character reached standard output or error: only escaped forms.
func expectNoRawControls(_ observation: FaultObservation) {
  for (name, text) in [
    ("stdout", observation.result.stdout), ("stderr", observation.result.stderr),
  ] {
    let raw = text.unicodeScalars.filter { scalar in
      (scalar.value < 0x20 && scalar != "\n" && scalar != "\t")
        || (0x7F...0x9F).contains(scalar.value) || (0x202A...0x202E).contains(scalar.value)
        || (0x2066...0x2069).contains(scalar.value)
    }
    #expect(raw.isEmpty, "raw controls on \(name): \(raw.map { String($0.value, radix: 16) })")
  }
}

extension FaultCase {
  static let hostileChallenge = httpResponse(
    200, "OK",
    json: #"{"trackingNumber":"trk_FAULT","status":{"messageCode":"CHECK_OUT_3DS_REQUIRED","#
      + #""message":"\#(hostileJSONText)"},"redirectInstructions":{"#
      + #""redirectUrl":"http://127.0.0.1/3ds?\#(hostileJSONText)","#
      + #""threeDIdentifier":"3ds-\#(hostileJSONText)","htmlContent":"<p>\#(hostileJSONText)</p>","#
      + #""isRedirectRequired":true,"hasNextSteps":true,"showHtmlContent":true},"#
      + #""followUpInstructions":{"retryAfterSeconds":1,"canFollowUp":true}}"#)

  static let hostileSaga = httpResponse(
    200, "OK",
    json: #"{"checkoutSessionId":"cs_1","status":"COMPENSATED","steps":["#
      + #"{"name":"reserve \#(hostileJSONText)","status":"compensated"},"#
      + #"{"name":"authorize_payment","status":"failed","error":{"code":"E\#(hostileJSONText)","#
      + #""message":"declined \#(hostileJSONText)","retryable":false}}],"compensation":["#
      + #"{"step":"reserve \#(hostileJSONText)","action":"released","#
      + #""reason":"\#(hostileJSONText)"}],"error":{"code":"PAYMENT_DECLINED","#
      + #""message":"\#(hostileJSONText)"}}"#)

  static let hostile: [FaultCase] = [
    poll(
      "Controls in the message, 3DS URL, 3DS id and HTML of a watch", group: .hostile, status: 5,
      message: "gave up after --max-wait 3s",
      command: "checkout start --offer o --watch --max-wait 3s",
      arguments: ["checkout", "start", "--offer", "o", "--watch", "--max-wait", "3s"],
      { _, _ in .respond(hostileChallenge) },
      check: { observation in
        expectNoRawControls(observation)
        #expect(observation.result.stdout.contains(#"\x1b[2J\x1b]0;owned\x07"#))
        #expect(observation.result.stdout.contains(#"\u{9b}6n \u{85}\u{8d}\x7f \u{202e}evil"#))
      }),
    poll(
      "Controls in every string, with --json", group: .hostile, status: 5,
      message: "gave up after --max-wait 3s",
      command: "--json checkout start --offer o --watch --max-wait 3s",
      arguments: ["--json", "checkout", "start", "--offer", "o", "--watch", "--max-wait", "3s"],
      { _, _ in .respond(hostileChallenge) },
      check: { observation in
        expectNoRawControls(observation)
        let lines = observation.result.stdoutLines.compactMap { try? JSONValue.parse($0) }
        #expect(lines.count == observation.result.stdoutLines.count, "every line is JSON")
        #expect(lines.last?["message"]?.string == hostileText, "kept, escaped, in the JSON")
        #expect(lines.last?["redirect"]?["threeDIdentifier"]?.string == "3ds-" + hostileText)
        #expect(observation.result.stdout.contains(#"\u001b]0;owned\u0007"#))
        #expect(observation.result.stdout.contains(#"\u009b6n"#))
      }),
    FaultCase(
      group: .hostile, fault: "Controls in the tracking number itself",
      command: "checkout start --offer o --watch --max-wait 2s", expectedStatus: 8,
      expectedMessage: #"its id 'trk_\x1b]0;owned\x07X' holds a control"#, printsID: false,
      run: {
        let id = #"trk_\u001b]0;owned\u0007X"#
        let body =
          #"{"trackingNumber":"\#(id)","status":{"messageCode":"CHECK_OUT_PROCESSING"},"#
          + #""followUpInstructions":{"retryAfterSeconds":1,"canFollowUp":true}}"#
        let server = try FakeC2A.server(submit: .respond(httpResponse(202, json: body))) { _, _ in
          .respond(httpResponse(200, json: body))
        }
        return try observeFake(
          server, ["checkout", "start", "--offer", "o", "--watch", "--max-wait", "2s"])
      },
      check: { observation in
        // Shown escaped, never passed on; the history keeps it for `--last`.
        #expect(observation.result.stdout.isEmpty)
        #expect(observation.result.stderr.contains("till checkout status --last"))
        expectNoRawControls(observation)
      }),
    FaultCase(
      group: .hostile, fault: "Controls in an error answer's problem title (409)",
      command: "checkout status trk_FAULT", expectedStatus: 7,
      expectedMessage: #"conflict (HTTP 409): \x1b[2J\x1b]0;owned\x07"#, printsID: false,
      run: {
        let server = try FaultServer { _, _ in
          .respond(
            httpResponse(
              409, "Conflict", body: Array(#"{"title":"\#(hostileJSONText)"}"#.utf8),
              contentType: "application/problem+json"))
        }
        return try observeFake(server, ["checkout", "status", FakeC2A.trackingNumber])
      },
      check: expectNoRawControls),
    FaultCase(
      group: .hostile, fault: "Raw controls and invalid UTF-8 in a plain-text 500",
      command: "checkout status trk_FAULT", expectedStatus: 8,
      expectedMessage: #"server error (HTTP 500): \x1b]0;owned\x07 "#, printsID: false,
      run: {
        let server = try FaultServer { _, _ in
          .respond(
            httpResponse(
              500, "Internal Server Error",
              body: Array("\u{1b}]0;owned\u{07} \u{9b}2J boom ".utf8) + [0xFF, 0x1B, 0x5B, 0x33],
              contentType: "text/plain"))
        }
        return try observeFake(server, ["checkout", "status", FakeC2A.trackingNumber])
      },
      check: expectNoRawControls),
    FaultCase(
      group: .hostile, fault: "Controls in a response header, traced with -v",
      command: "-v checkout status trk_FAULT", expectedStatus: 0,
      expectedMessage: "* ", printsID: false,
      run: {
        let server = try FaultServer { _, _ in
          .respond(
            httpResponse(
              200, "OK", headers: [("X-Note", "\u{1b}]0;owned\u{07}\u{1b}[2J")],
              body: Array(FakeC2A.statusJSON("CHECK_OUT_DONE").utf8)))
        }
        return try observeFake(server, ["-v", "checkout", "status", FakeC2A.trackingNumber])
      },
      check: { observation in
        expectNoRawControls(observation)
        #expect(observation.result.stderr.contains(#"< X-Note: \x1b]0;owned\x07\x1b[2J"#))
      },
      reportedLine: { observation in
        observation.stderrLines.first { $0.hasPrefix("< X-Note") } ?? observation.firstLine
      }),
    FaultCase(
      group: .hostile, fault: "Controls in an Acme saga's step names, errors and compensation",
      command: "--api acme checkout status cs_1", expectedStatus: 1, expectedMessage: nil,
      printsID: false, reportsError: false,
      run: {
        let server = try FaultServer { _, _ in .respond(hostileSaga) }
        defer { server.stop() }
        let till = Till(baseURL: server.baseURL)
        till.environment["TILL_API"] = "acme"
        return try observe(till, ["checkout", "status", "cs_1"])
      },
      check: { observation in
        expectNoRawControls(observation)
        #expect(observation.result.stdout.contains(#"reserve \x1b[2J"#))
        #expect(observation.result.stdout.contains(#"declined \x1b[2J"#))
      }),
  ]
}
