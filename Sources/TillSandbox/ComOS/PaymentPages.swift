/// The hosted payment page of a saga waiting in payment_pending: GET shows it, POST (its Pay
/// button) pays it.
struct PaymentPages: Sendable {
  /// Where the pages are, below the sandbox's base URL, by payment session id.
  static let path = "/sandbox/pay/"

  static let paid = HTMLPages.notice(
    title: "Payment received", text: "Payment received. You can return to your terminal.")

  static let unknownSession = HTMLPages.notice(
    title: "Unknown payment session", text: "The sandbox has no payment session with this id.")

  let sagas: ComOSSagas

  func respond(to request: HTTPRequest, sessionId: String) -> HTTPResponse {
    let page: (status: Int, html: String)
    if request.method == "GET" {
      page =
        switch sagas.paymentSession(sessionId) {
        case .unpaid(let sagaId): (200, Self.form(action: request.path, sagaId: sagaId))
        case .paid: (200, Self.paid)
        case .unknown: (404, Self.unknownSession)
        }
    } else {
      page =
        switch sagas.pay(sessionId) {
        case .unpaid, .paid: (200, Self.paid)
        case .unknown: (404, Self.unknownSession)
        }
    }
    return HTMLPages.response(status: page.status, page.html)
  }

  /// One button that posts back to the page and pays the saga. It does not submit itself:
  /// paying is the customer's act, as on a real hosted page.
  static func form(action: String, sagaId: String) -> String {
    """
    <!DOCTYPE html>
    <html lang="en">
    <head><meta charset="utf-8"><title>Sandbox payment</title></head>
    <body>
    <p>Pay for checkout \(HTMLPages.escaped(sagaId)) (sandbox: no money moves).</p>
    <form method="post" action="\(HTMLPages.escaped(action))">
    <button type="submit">Pay</button>
    </form>
    </body>
    </html>
    """
  }
}
