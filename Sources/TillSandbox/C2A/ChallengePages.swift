/// The HTML the sandbox shows for its stand-in 3DS challenge.
enum ChallengePages {
  /// What a scenario's `htmlContent` carries: a form posting to the challenge URL, submitted
  /// by script on load, so a headless browser opening the file completes the challenge while
  /// a person sees a button that does the same.
  static func autoSubmittingForm(redirectURL: String, threeDIdentifier: String) -> String {
    let action = HTMLPages.escaped(redirectURL)
    let identifier = HTMLPages.escaped(threeDIdentifier)
    return """
      <!DOCTYPE html>
      <html lang="en">
      <head><meta charset="utf-8"><title>3-D Secure check</title></head>
      <body>
      <p>Your bank asks you to confirm this payment.</p>
      <form method="post" action="\(action)">
      <input type="hidden" name="threeDIdentifier" value="\(identifier)">
      <button type="submit">Confirm payment</button>
      </form>
      <script>
      window.addEventListener("load", function () { document.forms[0].submit(); });
      </script>
      </body>
      </html>
      """
  }

  static let completed = HTMLPages.notice(
    title: "Authentication complete",
    text: "Authentication complete. You can return to your terminal.")

  static let unknownCheckout = HTMLPages.notice(
    title: "Unknown checkout", text: "The sandbox has no checkout with this tracking number.")
}
