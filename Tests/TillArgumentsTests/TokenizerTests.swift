import Testing

@testable import TillArguments

@Suite struct TokenizerTests {
  @Test func classifiesEachShapeOfWord() {
    let tokens = tokenize(["--json", "--base-url=http://x", "-vq", "-t5s", "status", "-", "-1"])
    #expect(
      tokens == [
        .long(name: "json", value: nil),
        .long(name: "base-url", value: "http://x"),
        .short(letters: "vq"),
        .short(letters: "t5s"),
        .word("status"),
        .word("-"),
        .word("-1"),
      ])
  }

  @Test func everythingAfterTheTerminatorIsLiteral() {
    #expect(
      tokenize(["a", "--", "--json", "-v", "--"])
        == [.word("a"), .literal("--json"), .literal("-v"), .literal("--")])
  }

  @Test func longOptionValueMayContainEqualsSignsAndBeEmpty() {
    #expect(tokenize(["--body=a=b"]) == [.long(name: "body", value: "a=b")])
    #expect(tokenize(["--body="]) == [.long(name: "body", value: "")])
  }

  @Test(arguments: ["-1", "-0.5", "-.5", "-42s"])
  func negativeNumbersAreWords(_ argument: String) {
    #expect(tokenize([argument]) == [.word(argument)])
  }

  @Test(arguments: ["-x", "-.", "-.x", "-v1"])
  func dashFollowedByNonNumberIsShortGroup(_ argument: String) {
    #expect(tokenize([argument]) == [.short(letters: String(argument.dropFirst()))])
  }
}
