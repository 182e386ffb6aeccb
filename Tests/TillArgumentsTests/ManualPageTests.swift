import Testing

@testable import TillArguments

@Suite struct ManualPageTests {
  static let content = ManualPageContent(
    date: "2025-01-02", source: "till 1.0",
    environment: [ManualEntry("TILL_API", "The API, as --api.")],
    files: [ManualEntry("~/.config/till/config.toml", "Profiles.")],
    exitStatus: [ManualEntry("0", "success"), ManualEntry("2", "usage error")],
    seeAlso: [ManualReference("curl", section: "1"), ManualReference("jq", section: "1")])

  let page = ExampleTree.till.manualPage(ManualPageTests.content)
  var lines: [String] {
    page.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
  }

  @Test func headerCarriesTheDateAndSourceGiven() {
    #expect(lines[0].hasPrefix(".\\\" "))
    #expect(lines[1] == ".TH TILL 1 2025-01-02 \"till 1.0\" \"User Commands\"")
    #expect(lines[2...3] == [".SH NAME", "till \\- drive checkouts against remote checkout APIs"])
  }

  @Test func sectionsComeInOrder() {
    let headings = lines.filter { $0.hasPrefix(".SH ") }
    #expect(
      headings == [
        ".SH NAME", ".SH SYNOPSIS", ".SH DESCRIPTION", ".SH COMMANDS", ".SH OPTIONS",
        ".SH ENVIRONMENT", ".SH FILES", ".SH EXIT STATUS", ".SH EXAMPLES", ".SH SEE ALSO",
      ])
  }

  @Test func sectionsWithoutContentAreLeftOut() {
    let page = ExampleTree.till.manualPage(ManualPageContent(date: "2025-01-02", source: "t"))
    for heading in ["ENVIRONMENT", "FILES", "EXIT STATUS", "SEE ALSO"] {
      #expect(!page.contains(".SH \(heading)"), "\(heading)")
    }
  }

  @Test func everyCommandHasASubsection() {
    let subsections = lines.filter { $0.hasPrefix(".SS ") }
    #expect(
      subsections == [
        ".SS till checkout", ".SS till checkout start", ".SS till checkout status",
        ".SS till cart", ".SS till cart add", ".SS till cart show", ".SS till cart clear",
        ".SS till sandbox",
      ])
  }

  @Test func commandSectionShowsUsageArgumentsAndOptions() throws {
    let start = try #require(lines.firstIndex(of: ".SS till checkout status"))
    let end = try #require(lines[(start + 1)...].firstIndex { $0.hasPrefix(".SS ") })
    #expect(
      Array(lines[start..<end]) == [
        ".SS till checkout status",
        ".B till checkout status",
        ".IR id ...",
        ".RI [ options ]",
        ".PP",
        "Show the state of one or more checkouts.",
        ".PP",
        "Prints the state, the saga steps done, current, failed or compensated, and",
        "what the server asked for.",
        ".PP",
        "With \\-\\-watch, polls as the server instructs until every checkout reaches a",
        "terminal state.",
        ".PP",
        "Arguments:",
        ".TP",
        "\\fIid\\fR",
        "A checkout id (tracking number or saga id).",
        ".PP",
        "Options:",
        ".TP",
        "\\fB\\-\\-watch\\fR",
        "Follow the checkout until it ends.",
      ])
  }

  @Test func optionsListNamesValuesChoicesDefaultsAndEnvironment() {
    #expect(
      page.contains(
        ".TP\n\\fB\\-t\\fR, \\fB\\-\\-timeout\\fR \\fIDURATION\\fR\n"
          + "Give up on one request after this long. (default: 30s) (env: TILL_TIMEOUT)\n"))
    #expect(
      page.contains(
        ".TP\n\\fB\\-\\-api\\fR \\fIAPI\\fR\n"
          + "The checkout API to speak. (values: c2a, comos, ticketing, acme) (env:\nTILL_API)\n"
      ))
    #expect(page.contains("\\fB\\-h\\fR, \\fB\\-\\-help\\fR\nShow help information.\n"))
    #expect(
      page.contains(
        "A root-only option, to show that only globals travel. "
          + "(accepted before the\ncommand only)\n"))
  }

  @Test func entriesOfTheContentAreTerms() {
    #expect(page.contains(".SH ENVIRONMENT\n.TP\n\\fBTILL_API\\fR\nThe API, as \\-\\-api.\n"))
    #expect(page.contains(".TP\n\\fB2\\fR\nusage error\n"))
    #expect(page.hasSuffix(".SH SEE ALSO\n.BR curl (1),\n.BR jq (1)\n"))
  }

  @Test func examplesShowTheCommandLineUnderItsExplanation() {
    #expect(
      page.contains(
        "Buy one item and follow it.\n.PP\n.RS 4\n.nf\n"
          + "till checkout start \\-\\-item sku\\-1 \\-\\-watch\n.fi\n.RE\n"))
  }

  @Test func longExampleBreaksBeforeAnOptionWithAContinuation() {
    let tree = CommandSpec(
      name: "till", abstract: "T.",
      examples: [
        Example(
          [
            "--base-url", "https://a-rather-long-host-name.example.com/api/v1", "--tenant",
            "tenant-0123456789", "checkout",
          ], "Long.")
      ])
    #expect(
      tree.manualPage(Self.content).contains(
        ".nf\ntill \\e\n"
          + "    \\-\\-base\\-url https://a\\-rather\\-long\\-host\\-name.example.com/api/v1 \\e\n"
          + "    \\-\\-tenant tenant\\-0123456789 checkout\n.fi\n"))
  }

  @Test func noParagraphMacroFollowsAHeading() {
    for (index, line) in lines.enumerated() where line == ".PP" {
      let previous = lines[index - 1]
      #expect(!previous.hasPrefix(".SH") && !previous.hasPrefix(".SS"), "line \(index + 1)")
    }
  }

  @Test func textLinesStayWithinEightyBytes() {
    for line in lines { #expect(line.utf8.count <= 80, "\(line)") }
  }

  @Test func discussionListsAndIndentedBlocksKeepTheirShape() {
    let tree = CommandSpec(
      name: "t", abstract: "T.",
      discussion: """
        Steps:
        - first, with --watch
        - second

          t run --fast
        """)
    let page = tree.manualPage(Self.content)
    #expect(
      page.contains(
        "Steps:\n.IP \\(bu 2\nfirst, with \\-\\-watch\n.IP \\(bu 2\nsecond\n"
          + ".PP\n.RS 4\n.nf\nt run \\-\\-fast\n.fi\n.RE\n"))
  }

  // MARK: Escaping

  @Test func proseKeepsHyphensInWordsAndMakesOptionsMinusSigns() {
    #expect(
      roffText("3-D Secure, --max-wait and '-' or -v")
        == "3-D Secure, \\-\\-max\\-wait and '\\-' or \\-v")
    #expect(roffText("(--json)") == "(\\-\\-json)")
    #expect(roffText("sku-1:2") == "sku-1:2")
  }

  @Test func backslashesAndCharactersOutsideASCIIAreEscaped() {
    #expect(roffText("a\\b") == "a\\eb")
    #expect(roffText("wait…") == "wait\\[u2026]")
    #expect(roffText("2 × 😀") == "2 \\[u00D7] \\[u1F600]")
  }

  @Test func codeMakesEveryHyphenAMinusSign() {
    #expect(roffCode("sku-1 --item") == "sku\\-1 \\-\\-item")
  }

  @Test func linesThatWouldBeRequestsAreProtected() {
    #expect(protectingLineStart(".hidden") == "\\&.hidden")
    #expect(protectingLineStart("'quoted'") == "\\&'quoted'")
    #expect(protectingLineStart("plain .text") == "plain .text")
    let tree = CommandSpec(name: "t", abstract: ".profile is read.")
    #expect(tree.manualPage(Self.content).contains("\n\\&.profile is read.\n"))
  }

  @Test func quotesInMacroArgumentsAreEscaped() {
    let page = CommandSpec(name: "t", abstract: "T.")
      .manualPage(ManualPageContent(date: "2025-01-02", source: "t \"beta\""))
    #expect(page.contains(".TH T 1 2025-01-02 \"t \\(dqbeta\\(dq\" \"User Commands\"\n"))
  }
}
