/// The HTML the sandbox shows for its stand-in 3DS challenge.
enum ChallengePages {
  /// What a scenario's `htmlContent` carries: a form posting to the challenge URL, submitted
  /// by script on load, so a headless browser opening the file completes the challenge while
  /// a person sees a button that does the same.
  static func autoSubmittingForm(redirectURL: String, threeDIdentifier: String) -> String {
    let action = escaped(redirectURL)
    let identifier = escaped(threeDIdentifier)
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

  /// The hosted payment page: one button that posts back to it and pays the saga. It does not
  /// submit itself: paying is the customer's act, as on a real hosted page.
  static func paymentForm(action: String, sagaId: String) -> String {
    """
    <!DOCTYPE html>
    <html lang="en">
    <head><meta charset="utf-8"><title>Sandbox payment</title></head>
    <body>
    <p>Pay for checkout \(escaped(sagaId)) (sandbox: no money moves).</p>
    <form method="post" action="\(escaped(action))">
    <button type="submit">Pay</button>
    </form>
    </body>
    </html>
    """
  }

  static let paid = page(
    title: "Payment received", text: "Payment received. You can return to your terminal.")

  static let unknownPaymentSession = page(
    title: "Unknown payment session", text: "The sandbox has no payment session with this id.")

  static let completed = page(
    title: "Authentication complete",
    text: "Authentication complete. You can return to your terminal.")

  static let unknownCheckout = page(
    title: "Unknown checkout", text: "The sandbox has no checkout with this tracking number.")

  private static func page(title: String, text: String) -> String {
    """
    <!DOCTYPE html>
    <html lang="en">
    <head><meta charset="utf-8"><title>\(title)</title></head>
    <body><p>\(text)</p></body>
    </html>
    """
  }

  /// Escapes text for an HTML attribute value in double quotes.
  private static func escaped(_ text: String) -> String {
    var result = ""
    for character in text {
      switch character {
      case "&": result += "&amp;"
      case "\"": result += "&quot;"
      case "<": result += "&lt;"
      case ">": result += "&gt;"
      default: result.append(character)
      }
    }
    return result
  }
}
