import TillArguments
import TillKit

/// A C2A customer, offer or subscription command: with another --api it is a usage error.
protocol C2ACommand: TillCommand {}

extension C2ACommand {
  /// The C2A account calls over the adapter's connection.
  func account() throws(TillError) -> C2AAccount {
    try ownAdapter(C2AAdapter.self, of: C2AAPI()).account
  }
}

/// What the C2A customer, offer and subscription commands share: the offer last resolved, and
/// personal data kept out of the output.
enum C2AAccountCommand {
  /// `a***@example.com`: enough to recognise an address, not enough to reveal it.
  static func masked(email: String) -> String {
    guard let at = email.firstIndex(of: "@"), at > email.startIndex else { return "***" }
    return String(email[email.startIndex]) + "***" + email[at...]
  }

  /// The object as the server sent it, with personal data (email, phone, addresses) masked
  /// or left out: output and logs never carry it.
  static func withoutPersonalData(_ json: JSONValue) -> JSONValue {
    switch json {
    case .object(let members):
      return .object(
        members.compactMap { key, value -> (String, JSONValue)? in
          switch key {
          case "email": return (key, value.string.map { .string(masked(email: $0)) } ?? value)
          case "phoneNumber", "primaryBillingAddress", "firstName", "lastName", "ipAddress":
            return nil
          default: return (key, withoutPersonalData(value))
          }
        })
    case .array(let items): return .array(items.map(withoutPersonalData))
    default: return json
    }
  }

  /// Rows in columns two spaces apart, every cell made safe for one line.
  static func table(_ rows: [[String]]) -> [String] {
    ListOutput.columns(rows.map { $0.map(safe) })
  }
}

/// The offer `offer resolve` last resolved, kept in the state directory so that `cart add
/// --bundle` and `checkout start` can take it without copying ids by hand.
struct ResolvedOffer: Equatable {
  static let name = "c2a-offer.json"

  var identifier: String
  var customerUrn: String?
  var bundles: [C2ABundle]

  var json: JSONValue {
    .object([
      ("offerIdentifier", .string(identifier)),
      ("customerUrn", customerUrn.map(JSONValue.string) ?? .null),
      (
        "bundles",
        .array(
          bundles.map {
            .object([
              ("bundleUrn", .string($0.urn)), ("name", .string($0.name)),
              ("price", $0.price.map(JSONValue.string) ?? .null),
            ])
          })
      ),
    ])
  }

  func save(to directory: PrivateDirectory) throws(TillError) {
    _ = try directory.write(Array(json.serialized().utf8), to: Self.name, what: "resolved offer")
  }

  static func load(from directory: PrivateDirectory) throws(TillError) -> ResolvedOffer? {
    guard let bytes = try directory.read(name, what: "resolved offer", secret: false) else {
      return nil
    }
    guard let json = try? JSONValue.parse(bytes), let id = json["offerIdentifier"]?.string else {
      throw TillError(
        .usage,
        "the resolved offer '\(directory.path(of: name))' is not readable; run 'till offer "
          + "resolve' again")
    }
    return ResolvedOffer(
      identifier: id, customerUrn: json["customerUrn"]?.string,
      bundles: (json["bundles"]?.array ?? []).map {
        C2ABundle(
          urn: $0["bundleUrn"]?.string ?? "", name: $0["name"]?.string ?? "",
          price: $0["price"]?.string)
      })
  }
}
