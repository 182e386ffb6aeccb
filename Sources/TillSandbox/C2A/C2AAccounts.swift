import Synchronization

/// A C2A answer that is not `SUCCESS`: its HTTP status, message code and message.
struct AzotteRefusal: Error, Equatable, Sendable {
  var status: Int
  var code: String
  var message: String
}

/// One bundle of the sandbox's catalog, priced in milpieces (1499 is 14.99).
struct CatalogBundle: Equatable, Sendable {
  var urn: String
  var name: String
  var sku: String
  var amountMilpieces: Int
  var currency = "EUR"
  var periodDays: Int

  static let all = [
    CatalogBundle(
      urn: "bn.00.1", name: "Pro Monthly", sku: "PRO-M", amountMilpieces: 1499, periodDays: 30),
    CatalogBundle(
      urn: "bn.00.2", name: "Pro Yearly", sku: "PRO-Y", amountMilpieces: 14990, periodDays: 365),
  ]
}

/// What an offer's request asks for, read from its `context`.
struct OfferContext: Sendable {
  var customerUrn: String?
  var promotionCode: String?
  var storefrontUrn: String?
  var interactionType: String?
}

/// The customers, offers and subscriptions of the C2A sandbox, and the request values that
/// steer them off the happy path (`C2ASandboxAPI.faultValues`).
final class C2AAccounts: Sendable {
  /// An external id that is never available, as if another system had claimed it.
  static let takenExternalID = "taken"
  /// An email another customer already has.
  static let takenEmail = "taken@example.com"
  /// The one storefront; an offer asked for another is `STOREFRONT_NOT_FOUND`.
  static let storefront = "sf.00.1"
  /// A promotion code that takes 10% off every bundle.
  static let welcomeCode = "WELCOME10"
  /// A promotion code whose offer has expired by the time it is checked out.
  static let expiringCode = "EXPIRING"
  /// Cards that steer a checkout of a resolved offer: declined, and a provider that is down.
  static let declinedCard = "4000000000000002"
  static let pspDownCard = "4000000000000119"
  /// A card whose issuer asks for 3-D Secure before the checkout completes.
  static let challengeCard = "4000000000003220"

  /// What a request to store a customer gives: its `customer` and its `claimedRegion`.
  struct NewCustomer: Sendable {
    var externalID: String
    var email: String
    var countryCode: String
    var languageCode: String
  }

  /// A stored customer: what it was stored with, and what the server gave it.
  struct Customer: Sendable {
    var urn: String
    var tenant: String
    var given: NewCustomer
    var createdAt: Int64
  }

  struct Offer: Sendable {
    var identifier: String
    var tenant: String
    var customerUrn: String?
    var storefrontUrn: String
    var bundles: [CatalogBundle]
    var campaign: String?
    var expiresAt: Int64
    var isPurchasable: Bool
  }

  struct Subscription: Sendable {
    var orderIdentifier: String
    var bundle: CatalogBundle
    var state: String
    var startDate: Int64
    var endDate: Int64
  }

  private struct Order: Sendable {
    var customerUrn: String
    var bundles: [CatalogBundle]
  }

  private struct State {
    var customers: [String: Customer] = [:]
    var offers: [String: Offer] = [:]
    var orders: [String: Order] = [:]
    var subscriptions: [String: [Subscription]] = [:]
    var serial = 0

    mutating func next(_ prefix: String) -> String {
      serial += 1
      return "\(prefix).00.\(400 + serial)"
    }
  }

  private let state = Mutex(State())

  /// Whether `externalID` may still be stored for `tenant`.
  func isAvailable(externalID: String, tenant: String) -> Bool {
    guard externalID != Self.takenExternalID else { return false }
    return state.withLock { state in
      !state.customers.values.contains {
        $0.tenant == tenant && $0.given.externalID == externalID
      }
    }
  }

  func store(_ new: NewCustomer, tenant: String) -> Result<Customer, AzotteRefusal> {
    let (externalID, email) = (new.externalID, new.email)
    guard !externalID.isEmpty, email.contains("@"), new.countryCode.count == 2 else {
      return .failure(
        AzotteRefusal(
          status: 400, code: "VALIDATION_ERROR",
          message: "externalIdentifier, an email and a two-letter countryCode are required"))
    }
    if !isAvailable(externalID: externalID, tenant: tenant) {
      return .failure(
        AzotteRefusal(
          status: 409, code: "CUSTOMER_ALREADY_STORED",
          message: "A customer with externalIdentifier '\(externalID)' is already stored"))
    }
    return state.withLock { state in
      let sameEmail = state.customers.values.contains {
        $0.tenant == tenant && $0.given.email.lowercased() == email.lowercased()
      }
      if sameEmail || email.lowercased() == Self.takenEmail {
        return .failure(
          AzotteRefusal(
            status: 409, code: "USER_WITH_SAME_EMAIL_EXISTS",
            message: "Another customer has this email"))
      }
      let customer = Customer(
        urn: state.next("cu"), tenant: tenant, given: new, createdAt: WallClock.nowSeconds())
      state.customers[customer.urn] = customer
      return .success(customer)
    }
  }

  func customer(urn: String?, externalID: String?, tenant: String) -> Customer? {
    state.withLock { state in
      state.customers.values.first {
        $0.tenant == tenant && ($0.urn == urn || (urn == nil && $0.given.externalID == externalID))
      }
    }
  }

  /// Resolves an offer for a customer (`bundles`), or one to show anyone (`showcase`).
  func resolveOffer(_ context: OfferContext, tenant: String, showcase: Bool)
    -> Result<Offer, AzotteRefusal>
  {
    let storefront = context.storefrontUrn ?? Self.storefront
    guard storefront == Self.storefront else {
      return .failure(
        AzotteRefusal(
          status: 404, code: "STOREFRONT_NOT_FOUND",
          message: "No storefront '\(storefront)'"))
    }
    var prices = CatalogBundle.all
    var campaign: String?
    var lifetime: Int64 = 15 * 60
    switch context.promotionCode {
    case nil: break
    case Self.welcomeCode?:
      campaign = "Welcome: 10% off"
      for index in prices.indices {
        prices[index].amountMilpieces = prices[index].amountMilpieces * 9 / 10
      }
    case Self.expiringCode?:
      campaign = "Last call"
      lifetime = 0
    case let code?:
      return .failure(
        AzotteRefusal(
          status: 400, code: "INVALID_PROMOTION_CODE",
          message: "Promotion code '\(code)' is not valid"))
    }
    return state.withLock { state in
      if !showcase {
        guard let urn = context.customerUrn,
          state.customers[urn]?.tenant == tenant
        else {
          return .failure(
            AzotteRefusal(
              status: 404, code: "CUSTOMER_NOT_FOUND",
              message: "No customer '\(context.customerUrn ?? "")'"))
        }
        let owned = state.subscriptions[urn] ?? []
        let wanted: Set<String> =
          switch context.interactionType {
          case "Replace": ["Active"]
          case "RetentionWinback": ["Cancelled", "PendingCancel"]
          default: []
          }
        if !wanted.isEmpty && !owned.contains(where: { wanted.contains($0.state) }) {
          return .failure(
            AzotteRefusal(
              status: 404, code: "NO_OFFER_FOUND",
              message: "No \(context.interactionType ?? "") offer for this customer"))
        }
      }
      let offer = Offer(
        identifier: state.next(showcase ? "sc" : "of"), tenant: tenant,
        customerUrn: showcase ? nil : context.customerUrn, storefrontUrn: storefront,
        bundles: prices, campaign: campaign, expiresAt: WallClock.nowSeconds() + lifetime,
        isPurchasable: !showcase)
      state.offers[offer.identifier] = offer
      return .success(offer)
    }
  }

  /// Whether `identifier` is an offer this sandbox resolved, rather than a scenario's name.
  func knowsOffer(_ identifier: String) -> Bool {
    state.withLock { $0.offers[identifier] != nil }
  }

  /// Checks a submitted order of a resolved offer; nil when it may be checked out.
  func check(
    offer identifier: String, tenant: String, items: [String], customerUrn: String?,
    cardNumber: String?
  ) -> AzotteRefusal? {
    let now = WallClock.nowSeconds()
    return state.withLock { state -> AzotteRefusal? in
      guard let offer = state.offers[identifier], offer.tenant == tenant else {
        return AzotteRefusal(
          status: 404, code: "NO_OFFER_FOUND", message: "No offer '\(identifier)'")
      }
      guard offer.isPurchasable else {
        return AzotteRefusal(
          status: 422, code: "OFFER_NOT_PURCHASABLE",
          message: "Offer '\(identifier)' is a showcase: it can be shown, not bought")
      }
      guard now < offer.expiresAt else {
        return AzotteRefusal(
          status: 410, code: "OFFER_EXPIRED", message: "Offer '\(identifier)' has expired")
      }
      guard !items.isEmpty,
        items.allSatisfy({ item in offer.bundles.contains { $0.urn == item } })
      else {
        let known = offer.bundles.map(\.urn).joined(separator: ", ")
        return AzotteRefusal(
          status: 400, code: "INVALID_ITEMS",
          message: "Items must be bundles of offer '\(identifier)': \(known)")
      }
      if let customerUrn, customerUrn != offer.customerUrn {
        return AzotteRefusal(
          status: 400, code: "CUSTOMER_MISMATCH",
          message: "Offer '\(identifier)' was resolved for another customer")
      }
      switch cardNumber {
      case Self.declinedCard?:
        return AzotteRefusal(
          status: 402, code: "CARD_DECLINED", message: "The card was declined by its issuer")
      case Self.pspDownCard?:
        return AzotteRefusal(
          status: 502, code: "PSP_UNAVAILABLE",
          message: "The payment provider is unavailable; retry later")
      default:
        return nil
      }
    }
  }

  /// Remembers what a checkout of a resolved offer buys, until it is done.
  func recordOrder(trackingNumber: String, offer identifier: String, items: [String]) {
    state.withLock { state in
      guard let offer = state.offers[identifier], let customer = offer.customerUrn else { return }
      let bundles = items.compactMap { item in offer.bundles.first { $0.urn == item } }
      state.orders[trackingNumber] = Order(customerUrn: customer, bundles: bundles)
    }
  }

  /// A done checkout's bundles become the customer's subscriptions, once.
  func fulfil(trackingNumber: String) {
    let now = WallClock.nowSeconds()
    state.withLock { state in
      guard let order = state.orders.removeValue(forKey: trackingNumber) else { return }
      for bundle in order.bundles {
        let subscription = Subscription(
          orderIdentifier: state.next("or"), bundle: bundle, state: "Active", startDate: now,
          endDate: now + Int64(bundle.periodDays) * 86_400)
        state.subscriptions[order.customerUrn, default: []].append(subscription)
      }
    }
  }

  func subscriptions(customerUrn: String, tenant: String) -> [Subscription]? {
    state.withLock { state in
      guard state.customers[customerUrn]?.tenant == tenant else { return nil }
      return state.subscriptions[customerUrn] ?? []
    }
  }

  /// Moves a subscription from one state to another, or says why it cannot.
  func transition(
    orderIdentifier: String, tenant: String, from: String, to: String, refusal: String
  ) -> Result<Subscription, AzotteRefusal> {
    state.withLock { state in
      for (urn, list) in state.subscriptions where state.customers[urn]?.tenant == tenant {
        guard let index = list.firstIndex(where: { $0.orderIdentifier == orderIdentifier })
        else { continue }
        guard list[index].state == from else {
          return .failure(
            AzotteRefusal(
              status: 409, code: refusal,
              message: "Subscription '\(orderIdentifier)' is \(list[index].state)"))
        }
        if to != from { state.subscriptions[urn]?[index].state = to }
        return .success(state.subscriptions[urn]![index])
      }
      return .failure(
        AzotteRefusal(
          status: 404, code: "SUBSCRIPTION_NOT_FOUND",
          message: "No subscription '\(orderIdentifier)'"))
    }
  }
}
