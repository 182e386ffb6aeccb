/// The C2A message codes of customers, offers, payment and subscriptions, each with the exit
/// status of its meaning and what the user can do next. The pages publish the codes, not the
/// HTTP status of each: an answer is judged by its `status.messageCode` first.
public enum C2AMessageCode {
  /// The exit status and the advice for a known code; nil for a code this table does not know.
  public static func meaning(of code: String) -> (status: ExitStatus, advice: String)? {
    switch code {
    case "CUSTOMER_NOT_FOUND":
      (.notFound, "check the URN, or store the customer with 'till customer add'")
    case "CUSTOMER_ALREADY_STORED":
      (.conflict, "the external id is taken; look the customer up with 'till customer show'")
    case "USER_WITH_SAME_EMAIL_EXISTS", "USER_WITH_SAME_PHONE_NUMBER_EXISTS":
      (.conflict, "use that customer, or store this one with another address")
    case "NO_OFFER_FOUND":
      (.notFound, "no offer fits this customer and interaction; try --interaction new")
    case "OFFER_EXPIRED":
      (
        .checkoutFailed,
        "resolve the offer again with 'till offer resolve' and check out the new one"
      )
    case "OFFER_NOT_PURCHASABLE":
      (
        .checkoutFailed,
        "a showcase offer is for display; resolve a purchasable one with 'till offer resolve'"
      )
    case "INVALID_PROMOTION_CODE":
      (.checkoutFailed, "check the code, or resolve the offer without --promotion")
    case "STOREFRONT_NOT_FOUND":
      (.notFound, "check the --storefront URN, or leave it out for the default storefront")
    case "CARD_DECLINED", "INVALID_CARD":
      (.checkoutFailed, "use another card or payment method")
    case "PSP_UNAVAILABLE":
      (.serverOrNetwork, "nothing was charged; try the checkout again later")
    case "SUBSCRIPTION_NOT_FOUND":
      (.notFound, "list the customer's subscriptions with 'till subscription list URN'")
    case "SUBSCRIPTION_NOT_CANCELABLE":
      (.conflict, "only an active subscription can be cancelled")
    case "SUBSCRIPTION_NOT_REACTIVATABLE":
      (.conflict, "only a subscription cancelled before its end date can be reactivated")
    default:
      nil
    }
  }

  /// The error for a C2A answer that is not a success: by its message code when it has a known
  /// one, else by its HTTP status.
  public static func error(in response: HTTPResponse, doing action: String) -> TillError? {
    let json = try? JSONValue.parse(response.body)
    guard let code = json?["status"]?["messageCode"]?.string, code != "SUCCESS" else {
      return (200...299).contains(response.status)
        ? nil : errorForStatus(response, doing: action)
    }
    let safeCode = safe(code)
    let said = json?["status"]?["message"]?.string.map {
      ": " + safe($0)
    }
    guard let (status, advice) = meaning(of: code) else {
      if (200...299).contains(response.status) {
        return TillError(.checkoutFailed, "\(action) was refused: \(safeCode)\(said ?? "")")
      }
      return errorForStatus(response, doing: action)
    }
    return TillError(status, "\(action) was refused: \(safeCode)\(said ?? ""); \(advice)")
  }
}
