/// Random identifiers in the shapes the imitated services hand out, and the one shape the
/// sandbox checks on the way in.
enum Identifiers {
  static let upperAlphanumerics = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
  private static let hexDigits = "0123456789abcdef"

  static func randomCharacters(_ count: Int, from alphabet: String) -> String {
    let symbols = Array(alphabet)
    var generator = SystemRandomNumberGenerator()
    return String(
      (0..<count).map { _ in symbols[Int.random(in: 0..<symbols.count, using: &generator)] })
  }

  /// `prefix` and then `count` random characters from `alphabet`, as in `ord_7QK2…`.
  static func prefixed(
    _ prefix: String, _ count: Int, from alphabet: String = upperAlphanumerics
  ) -> String {
    prefix + randomCharacters(count, from: alphabet)
  }

  /// A version 4 UUID in lower case, the way .NET writes a `Guid`.
  static func uuid() -> String {
    let hex = Array(randomCharacters(32, from: hexDigits))
    let version = "4"
    let variant = Array("89ab")[Int.random(in: 0..<4)]
    return String(hex[0..<8]) + "-" + String(hex[8..<12]) + "-" + version
      + String(hex[13..<16]) + "-" + String(variant) + String(hex[17..<20]) + "-"
      + String(hex[20..<32])
  }

  /// `00-<trace id>-<span id>-00`, the W3C `traceparent` ASP.NET Core reports as `traceId`.
  static func traceParent() -> String {
    "00-" + randomCharacters(32, from: hexDigits) + "-" + randomCharacters(16, from: hexDigits)
      + "-00"
  }

  /// The lower-case form of `text` when it is a UUID written 8-4-4-4-12 in hex, any case.
  static func canonicalUUID(_ text: String) -> String? {
    let groups = text.split(separator: "-", omittingEmptySubsequences: false)
    guard groups.map(\.count) == [8, 4, 4, 4, 12],
      groups.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isHexDigit } })
    else { return nil }
    return text.lowercased()
  }
}
