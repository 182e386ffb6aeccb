import TillKit

/// The C2A checkouts this machine started for a customer: under each tracking number, the
/// customer and the bundles, so that a watch that sees one complete, `checkout start --watch`
/// or a later `checkout status --watch`, can confirm its subscriptions. Newest last, at most
/// `limit` kept.
enum C2AOrderBook {
  static let name = "c2a-orders.json"
  static let limit = 200

  struct Entry: Equatable {
    var trackingNumber: String
    var customerUrn: String
    var bundles: [String]

    var json: JSONValue {
      .object([
        ("trackingNumber", .string(trackingNumber)), ("customerUrn", .string(customerUrn)),
        ("bundles", .array(bundles.map(JSONValue.string))),
      ])
    }
  }

  static func record(_ entry: Entry, in directory: PrivateDirectory) throws(TillError) {
    try directory.holdingLock(for: name) { () throws(TillError) in
      var entries = try load(directory).filter { $0.trackingNumber != entry.trackingNumber }
      entries.append(entry)
      let kept = entries.suffix(limit).map(\.json)
      _ = try directory.write(
        Array(JSONValue.array(Array(kept)).serialized().utf8), to: name, what: "C2A order book")
    }
  }

  static func entry(_ trackingNumber: String, in directory: PrivateDirectory) throws(TillError)
    -> Entry?
  {
    try load(directory).last { $0.trackingNumber == trackingNumber }
  }

  /// The entries, or none when the file is missing or unreadable: it only adds a
  /// confirmation, and a damaged one is rewritten by the next checkout.
  private static func load(_ directory: PrivateDirectory) throws(TillError) -> [Entry] {
    guard let bytes = try directory.read(name, what: "C2A order book"),
      let list = (try? JSONValue.parse(bytes))?.array
    else { return [] }
    return list.compactMap(Entry.init)
  }
}

extension C2AOrderBook.Entry {
  /// An entry as the file keeps it; nil for a line that is not one.
  init?(_ json: JSONValue) {
    guard let id = json["trackingNumber"]?.string, let customer = json["customerUrn"]?.string
    else { return nil }
    self.init(
      trackingNumber: id, customerUrn: customer,
      bundles: (json["bundles"]?.array ?? []).compactMap(\.string))
  }
}
