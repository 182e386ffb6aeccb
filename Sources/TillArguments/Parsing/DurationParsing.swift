/// The longest duration `parseDuration` accepts: 365 days. Anything longer on a command line
/// is a mistake, and the bound keeps every sum far from overflowing.
public let durationLimit: Duration = .seconds(365 * 86_400)

/// Reads a duration as written on a command line: a bare number of seconds (`90`, `1.5`),
/// or numbers with units from largest to smallest, each unit at most once (`500ms`, `90s`,
/// `5m`, `1h30m`, `1.5s`, `2d`). Units: `d`, `h`, `m`, `s`, `ms`. Returns `nil` for
/// anything else, for negative values, and for durations beyond `durationLimit`.
public func parseDuration(_ text: String) -> Duration? {
  var reader = DurationReader(bytes: Array(text.utf8))
  guard let nanoseconds = reader.read() else { return nil }
  return .nanoseconds(nanoseconds)
}

private struct DurationReader {
  let bytes: [UInt8]
  var position = 0

  static let limit = durationLimit.components.seconds * 1_000_000_000
  /// Nanoseconds per unit; a unit's index is its rank, smallest first.
  static let units: [(name: [UInt8], nanoseconds: Int64)] = [
    (Array("ms".utf8), 1_000_000),
    (Array("s".utf8), 1_000_000_000),
    (Array("m".utf8), 60_000_000_000),
    (Array("h".utf8), 3_600_000_000_000),
    (Array("d".utf8), 86_400_000_000_000),
  ]

  mutating func read() -> Int64? {
    guard !bytes.isEmpty else { return nil }
    var total: Int64 = 0
    var previousRank = Self.units.count
    var components = 0
    while position < bytes.count {
      let whole = readDigits()
      guard !whole.isEmpty else { return nil }
      var fraction: ArraySlice<UInt8> = []
      if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
        position += 1
        fraction = readDigits()
        guard !fraction.isEmpty else { return nil }
      }
      let unitName = readLetters()
      let rank: Int
      if unitName.isEmpty {
        // A bare number means seconds, and only on its own.
        guard components == 0, position == bytes.count else { return nil }
        rank = 1
      } else {
        guard let found = Self.units.firstIndex(where: { $0.name[...] == unitName }) else {
          return nil
        }
        rank = found
      }
      guard rank < previousRank else { return nil }
      previousRank = rank
      guard
        let amount = Self.nanoseconds(
          whole: whole, fraction: fraction, unit: Self.units[rank].nanoseconds)
      else { return nil }
      total += amount
      guard total <= Self.limit else { return nil }
      components += 1
    }
    return total
  }

  mutating func readDigits() -> ArraySlice<UInt8> {
    let start = position
    while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position])
    {
      position += 1
    }
    return bytes[start..<position]
  }

  mutating func readLetters() -> ArraySlice<UInt8> {
    let start = position
    while position < bytes.count, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(bytes[position])
    {
      position += 1
    }
    return bytes[start..<position]
  }

  /// `whole.fraction` units in nanoseconds, or `nil` past the limit. Fraction digits finer
  /// than a nanosecond are dropped.
  static func nanoseconds(whole: ArraySlice<UInt8>, fraction: ArraySlice<UInt8>, unit: Int64)
    -> Int64?
  {
    var count: Int64 = 0
    for digit in whole {
      count = count * 10 + Int64(digit - UInt8(ascii: "0"))
      // Checked per digit, so neither the count nor the product below can overflow.
      guard count <= limit else { return nil }
    }
    let (product, overflow) = count.multipliedReportingOverflow(by: unit)
    guard !overflow, product <= limit else { return nil }
    var result = product
    var scale: Int64 = 1
    for digit in fraction.prefix(18) {
      scale *= 10
      result += Int64(digit - UInt8(ascii: "0")) * unit / scale
    }
    return result
  }
}
