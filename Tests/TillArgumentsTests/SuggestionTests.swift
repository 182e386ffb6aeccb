import Testing

@testable import TillArguments

@Suite struct SuggestionTests {
  @Test(arguments: [
    ("", "", 0),
    ("abc", "", 3),
    ("", "abc", 3),
    ("json", "json", 0),
    ("jsn", "json", 1),
    ("jsno", "json", 1),
    ("sjon", "json", 1),
    ("chekcout", "checkout", 1),
    ("kitten", "sitting", 3),
    ("ca", "abc", 3),
  ])
  func editDistanceCountsSwapsAsOneEdit(_ a: String, _ b: String, _ distance: Int) {
    #expect(editDistance(a, b) == distance)
    #expect(editDistance(b, a) == distance)
  }

  @Test(
    arguments: [
      ("chekout", ["cart", "checkout", "sandbox"], "checkout"),
      ("sandbxo", ["cart", "checkout", "sandbox"], "sandbox"),
      ("crat", ["cart", "checkout", "sandbox"], "cart"),
      ("stauts", ["start", "status"], "status"),
      ("base", ["base-url", "json"], "base-url"),
      ("ver", ["verbose", "version"], nil),
      ("xyz", ["add", "show", "clear"], nil),
      ("ad", ["add", "show", "clear"], "add"),
      ("a", ["b", "c"], nil),
      ("", ["add"], nil),
    ] as [(String, [String], String?)])
  func nearestMatchWithinThresholdOrUniquePrefix(
    _ typed: String, _ candidates: [String], _ expected: String?
  ) {
    #expect(nearestMatch(to: typed, among: candidates) == expected)
  }

  @Test func tiesGoToTheFirstDeclared() {
    #expect(nearestMatch(to: "cat", among: ["car", "cap"]) == "car")
    #expect(nearestMatch(to: "cat", among: ["cap", "car"]) == "cap")
  }

  @Test func shortWordsToleratesOnlyOneEdit() {
    #expect(nearestMatch(to: "shw", among: ["show"]) == "show")
    #expect(nearestMatch(to: "sw", among: ["show"]) == nil)
  }
}
