import Testing

@testable import TillArguments

/// The string helpers every part of till shares, each tested once here.
@Suite struct UtilitiesTests {
  @Test(arguments: [
    ("trk_01HZ", "trk_01HZ"),
    ("", "''"),
    ("two words", "'two words'"),
    ("it's", #"'it'\''s'"#),
    ("--base-url=http://x/", "--base-url=http://x/"),
    ("café", "'café'"),
    ("trk_\u{1b}]0;x\u{07}", #"$'trk_\x1b]0;x\x07'"#),
    ("a\u{202e}b'c\\", #"$'a\u202eb\'c\\'"#),
  ])
  func shellQuoteKeepsAWordOneWord(word: String, quoted: String) {
    #expect(shellQuote(word) == quoted)
  }

  @Test func replacingAllReplacesEveryCharacter() {
    #expect("a\"b\"".replacingAll("\"", with: "\\(dq") == "a\\(dqb\\(dq")
    #expect("abc".replacingAll("x", with: "y") == "abc")
    #expect("".replacingAll("a", with: "b") == "")
  }

  @Test func wrapBreaksBetweenWordsWithinTheWidth() {
    #expect(
      wrap("one two three four", width: 9) == ["one two", "three", "four"])
    #expect(
      wrap("one two three", width: 12, lead: "  -x  ", indent: 6)
        == ["  -x  one", "      two", "      three"])
    #expect(wrap("averyveryverylongword x", width: 5) == ["averyveryverylongword", "x"])
  }
}
