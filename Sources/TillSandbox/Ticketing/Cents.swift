/// An amount of money as a whole number of cents, read from and written as decimal text.
///
/// Amounts never pass through a binary double, where 0.13 + 50.00 can come out as
/// 50.129999…: they are summed as integers and written with exactly two decimals.
struct Cents: Comparable, Sendable {
  /// A trillion units: more than any sandbox price, and far from `Int` overflow when prices
  /// are summed.
  static let limit = 100_000_000_000_000

  var value: Int

  init(_ value: Int) {
    self.value = value
  }

  /// Reads RFC 8259 number text: `50`, `50.00`, `0.13`, `1.5e1`, `-2.50`. Nil when the text
  /// is not a JSON number, names a fraction of a cent, or is beyond `limit`.
  init?(decimalText text: String) {
    guard case .number(let number) = JSONText.parse(Array(text.utf8)), number == text else {
      return nil
    }
    var rest = Substring(number)
    let negative = rest.first == "-"
    if negative { rest = rest.dropFirst() }
    var exponent = 0
    if let marker = rest.firstIndex(where: { $0 == "e" || $0 == "E" }) {
      var exponentText = rest[rest.index(after: marker)...]
      if exponentText.first == "+" { exponentText = exponentText.dropFirst() }
      // Beyond ±40 no non-zero mantissa fits the limit or stays whole in cents.
      exponent = Int(exponentText).map { min(max($0, -40), 40) } ?? 40
      rest = rest[..<marker]
    }
    var digits = Array(rest.filter { $0 != "." })
    if let point = rest.firstIndex(of: ".") {
      exponent -= rest.distance(from: point, to: rest.endIndex) - 1
    }
    // digits × 10^exponent is the amount in units; two more places make it cents.
    exponent += 2
    if exponent < 0 {
      let dropped = digits.suffix(-exponent)
      guard dropped.allSatisfy({ $0 == "0" }) else { return nil }
      digits.removeLast(dropped.count)
    } else {
      digits += Array(repeating: "0", count: exponent)
    }
    let significant = String(digits.drop { $0 == "0" })
    guard significant.count <= 15, let magnitude = Int(significant.isEmpty ? "0" : significant),
      magnitude <= Self.limit
    else { return nil }
    self.value = negative ? -magnitude : magnitude
  }

  /// Always two decimals: `50.13`, `0.05`, `-2.50`.
  var decimalText: String {
    let magnitude = value.magnitude
    let fraction = magnitude % 100
    return (value < 0 ? "-" : "") + "\(magnitude / 100)." + (fraction < 10 ? "0" : "")
      + "\(fraction)"
  }

  static func + (lhs: Cents, rhs: Cents) -> Cents {
    Cents(lhs.value + rhs.value)
  }

  static func < (lhs: Cents, rhs: Cents) -> Bool {
    lhs.value < rhs.value
  }
}

/// A decimal amount as the client wrote it, and the same amount in cents.
struct DecimalAmount: Sendable {
  /// JSON number text to write back: what was received, or two decimals when it came with
  /// an exponent, which .NET would not write either.
  var text: String
  var cents: Cents

  /// Nil when `numberText` is not a JSON number or is not a whole number of cents.
  init?(numberText: String) {
    guard let cents = Cents(decimalText: numberText) else { return nil }
    self.cents = cents
    let hasExponent = numberText.contains { $0 == "e" || $0 == "E" }
    self.text = hasExponent ? cents.decimalText : numberText
  }
}
