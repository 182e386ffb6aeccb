import Testing
import TillKit

/// Columns as a terminal counts them: the live views move the cursor by these.
@Suite struct DisplayWidthTests {
  @Test(arguments: [
    ("plain", 5),
    ("漢字", 4),  // CJK ideographs: two columns each
    ("ｶﾀｶﾅ", 4),  // halfwidth katakana: one each
    ("ＡＢ", 4),  // fullwidth Latin: two each
    ("e\u{301}", 1),  // e and a combining acute accent
    ("a\u{200B}b\u{200D}c", 3),  // zero-width space and joiner
    ("👍", 2), ("👍🏽", 4), ("❤\u{FE0F}", 1),  // the variation selector adds nothing
    ("한국어", 6),  // Hangul syllables
    ("\u{1b}[32m✓ ok\u{1b}[0m", 4),  // colour takes no columns
  ])
  func measures(_ text: String, _ columns: Int) {
    #expect(displayWidth(text) == columns, "\(text.unicodeScalars.map { $0.value })")
  }

  @Test func cutsToTheWidthWithoutSplittingAWideCharacter() {
    #expect(fitting("漢字漢字漢字", width: 6) == "漢字…")
    #expect(displayWidth(fitting("漢字漢字漢字", width: 6)) == 5)
    #expect(fitting("short", width: 10) == "short")
    #expect(fitting("abcdefghij", width: 5) == "abcd…")
  }

  @Test func keepsColourSequencesWholeAndResetsACutLine() {
    let cut = fitting("\u{1b}[31m✗ failed: a long message\u{1b}[0m", width: 10)
    #expect(cut == "\u{1b}[31m✗ failed:…\u{1b}[0m")
    #expect(displayWidth(cut) == 10)
  }
}
