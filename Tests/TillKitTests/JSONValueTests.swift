import Testing

@testable import TillKit

@Suite struct JSONValueTests {
  @Test func keepsMemberOrderAndNumberLiterals() throws {
    let text = #"{"b":1,"a":[0.13,50.00,-1e3],"c":{"d":null,"e":true}}"#
    #expect(try JSONValue.parse(text).serialized() == text)
  }

  @Test func escapesControlCharactersWhenWriting() throws {
    let value = try JSONValue.parse(#"{"m":"a\u001b[2Jb\u009bc\u0007\n"}"#)
    #expect(value["m"]?.string == "a\u{1b}[2Jb\u{9b}c\u{07}\n")
    #expect(value.serialized() == #"{"m":"a\u001b[2Jb\u009bc\u0007\n"}"#)
  }

  /// Plain ASCII is written as it is; a quote, a backslash, DEL or anything beyond ASCII
  /// takes the escaping path.
  @Test(arguments: [
    ("trk_01 ok", #""trk_01 ok""#), (#"say "hi""#, #""say \"hi\"""#), (#"a\b"#, #""a\\b""#),
    ("a\u{7f}b", #""a\u007fb""#), ("café", #""café""#), ("", #""""#),
  ])
  func writesStrings(text: String, written: String) {
    #expect(JSONValue.string(text).serialized() == written)
  }

  @Test func decodesSurrogatePairs() throws {
    #expect(try JSONValue.parse(#""\ud83d\ude00""#).string == "😀")
    #expect(try JSONValue.parse(#""\ud83d""#).string == "\u{FFFD}")
  }

  @Test(arguments: [
    "", "{", "[1,]", "{\"a\" 1}", "01", "1.", "-", "\"abc", "tru", "{\"a\":1}x", "[\"\u{01}\"]",
    "\"\\x\"", "\"\\u12\"", String(repeating: "[", count: 300) + String(repeating: "]", count: 300),
  ])
  func rejectsMalformedDocuments(text: String) {
    #expect(throws: JSONParseError.self) { try JSONValue.parse(text) }
  }

  @Test func rejectsInvalidUTF8() {
    #expect(throws: JSONParseError.self) { try JSONValue.parse([0x22, 0xFF, 0xFE, 0x22]) }
  }
}

@Suite struct TerminalSafetyTests {
  @Test(arguments: [
    ("plain text", "plain text"),
    ("tab\tand\nnewline", "tab\tand\nnewline"),
    ("\u{1b}]0;pwned\u{07}title", "\\x1b]0;pwned\\x07title"),
    ("\u{1b}[2J", "\\x1b[2J"),
    ("csi\u{9b}31m", "csi\\u{9b}31m"),
    ("st\u{1b}\\", "st\\x1b\\"),
    ("cr\roverwrite", "cr\\roverwrite"),
    ("del\u{7f}", "del\\x7f"),
    ("rtl\u{202e}txt", "rtl\\u{202e}txt"),
    ("naïve ✓", "naïve ✓"),
  ])
  func escapesControls(input: String, expected: String) {
    #expect(sanitizeForTerminal(input) == expected)
  }

  @Test func singleLineEscapesNewlines() {
    #expect(sanitizeForTerminal("a\nb\tc", singleLine: true) == "a\\nb\\tc")
  }

  @Test(arguments: [
    (
      #"{"type":"t","title":"Conflict","status":409,"detail":"belongs to another tenant"}"#,
      "Conflict: belongs to another tenant"
    ),
    (#"{"error":"Order not found"}"#, "Order not found"),
    (#""Order not found""#, "Order not found"),
    (#"{"code":"CART_EMPTY","message":"Cart is empty"}"#, "CART_EMPTY: Cart is empty"),
    (
      #"{"status":{"messageCode":"CHECK_OUT_FAILED","message":"Declined"}}"#,
      "Declined (CHECK_OUT_FAILED)"
    ),
    (
      "Either UserId or GuestToken must be provided", "Either UserId or GuestToken must be provided"
    ),
    ("bad\u{1b}[31m news", "bad\\x1b[31m news"),
  ])
  func serverMessages(body: String, expected: String) {
    #expect(serverMessage(in: HTTPResponse(status: 400, body: Array(body.utf8))) == expected)
  }
}
