import Foundation
import Testing

/// A real browser completes 3-D Secure: headless Chromium opens the challenge page that `till`
/// saved, its script submits the form to the sandbox, and the `till` still watching sees the
/// checkout complete.
@Suite struct BrowserEndToEndTests {
  static let chromium: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
    FileManager.default.isExecutableFile(atPath: $0)
  }

  @Test(
    .enabled(
      if: chromium != nil,
      """
      chromium is not installed (apt-get install chromium): the real-browser 3-D Secure test \
      is skipped
      """))
  func headlessChromiumCompletesTheChallengeWhileTillWatches() throws {
    let till = Till()
    let watch = try till.start([
      "checkout", "start", "--offer", "3ds-html", "--watch", "--max-wait", "240s",
    ])
    #expect(watch.waitForOutput(containing: "Page      ", timeout: 20), "\(watch.stdoutSoFar)")
    let output = watch.stdoutSoFar
    let id = try #require(trackingNumber(in: output))
    let page = try #require(
      output.firstMatch(of: /Page {6}(\S+)/).map { String($0.1) }, "no Page line: \(output)")
    #expect(page == till.stateHome + "/state/till/3ds/\(id).html")

    // As root Chromium needs --no-sandbox; a profile of its own keeps runs apart.
    let browser = try HelperProcess([
      Self.chromium!, "--headless=new", "--no-sandbox", "--disable-gpu",
      "--disable-dev-shm-usage", "--user-data-dir=\(till.stateHome)/chromium", "--dump-dom",
      "file://" + page,
    ])
    // Generous bounds: on a busy machine Chromium alone can take a minute to start.
    let browserStatus = browser.wait(seconds: 150)
    browser.stop()
    browser.waitForEndOfOutput(seconds: 10)
    #expect(browserStatus == 0, "chromium: \(browser.outputText.suffix(2000))")
    // What --dump-dom prints depends on when it catches the page: the challenge form, the
    // page its submit leads to, or an empty document in between. The proof that the browser
    // ran till's page is the watch below: nothing but that page's form reaches the sandbox's
    // challenge URL (till never visits it), and only that completes the checkout.
    let result = watch.finish(timeout: 150)
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    #expect(result.stdoutLines.last?.contains("completed") == true, "\(result.stdout)")
    #expect(result.stdoutLines.last?.contains("CHECK_OUT_DONE") == true)
    let stats = try SharedSandbox.stats(id)
    #expect(stats["earlyPolls"]?.int == 0, "\(stats.serialized())")
  }
}
