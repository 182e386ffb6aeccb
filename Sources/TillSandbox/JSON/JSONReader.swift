extension JSONText {
  /// Reads one RFC 8259 document; nil for anything that is not exactly one JSON value with
  /// optional whitespace around it.
  ///
  /// The sandbox reads request bodies with this rather than `JSONDecoder` because a decoder
  /// turns `50.00` into a binary double: numbers are kept as their text here, so prices can
  /// be summed in cents and echoed exactly as the client sent them.
  static func parse(_ bytes: [UInt8]) -> JSONText? {
    var reader = JSONReader(bytes: bytes)
    reader.skipWhitespace()
    guard let value = reader.readValue(depth: 0) else { return nil }
    reader.skipWhitespace()
    return reader.isAtEnd ? value : nil
  }

  /// The value of the first member named exactly `key`; nil when this is not an object or
  /// has no such member.
  subscript(key: String) -> JSONText? {
    guard case .object(let members) = self else { return nil }
    return members.first { $0.key == key }?.value
  }

  /// The value of the first member whose name matches `key` ignoring ASCII case, the way
  /// ASP.NET Core's JSON options bind properties.
  func member(ignoringCase key: String) -> JSONText? {
    guard case .object(let members) = self else { return nil }
    let wanted = key.lowercased()
    return members.first { $0.key.lowercased() == wanted }?.value
  }

  var isObject: Bool {
    if case .object = self { return true }
    return false
  }
}

/// A cursor over the bytes of one JSON document.
private struct JSONReader {
  /// Deep enough for any request body, shallow enough that a hostile one cannot exhaust the
  /// connection thread's stack.
  static let maximumDepth = 64

  let bytes: [UInt8]
  var index = 0

  init(bytes: [UInt8]) {
    self.bytes = bytes
  }

  var isAtEnd: Bool { index == bytes.count }

  private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

  mutating func skipWhitespace() {
    while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
      index += 1
    }
  }

  mutating func readValue(depth: Int) -> JSONText? {
    guard depth < Self.maximumDepth, let byte = current else { return nil }
    switch byte {
    case UInt8(ascii: "{"): return readObject(depth: depth)
    case UInt8(ascii: "["): return readArray(depth: depth)
    case UInt8(ascii: "\""): return readString().map(JSONText.string)
    case UInt8(ascii: "t"): return readLiteral("true", as: .boolean(true))
    case UInt8(ascii: "f"): return readLiteral("false", as: .boolean(false))
    case UInt8(ascii: "n"): return readLiteral("null", as: .null)
    default: return readNumber().map(JSONText.number)
    }
  }

  private mutating func readLiteral(_ word: String, as value: JSONText) -> JSONText? {
    for expected in word.utf8 {
      guard current == expected else { return nil }
      index += 1
    }
    return value
  }

  /// Steps over an opening bracket and the blanks after it; true when `close` follows (an
  /// empty array or object), which is stepped over too.
  private mutating func opensEmpty(_ close: Unicode.Scalar) -> Bool {
    index += 1
    skipWhitespace()
    guard current == UInt8(ascii: close) else { return false }
    index += 1
    return true
  }

  /// Steps over what follows an element: false at a ',' (another element comes), true at
  /// `close` (the array or object ends), nil at anything else.
  private mutating func closesAfterElement(_ close: Unicode.Scalar) -> Bool? {
    switch current {
    case UInt8(ascii: ","):
      index += 1
      return false
    case UInt8(ascii: close):
      index += 1
      return true
    default:
      return nil
    }
  }

  private mutating func readObject(depth: Int) -> JSONText? {
    var members: [JSONText.Member] = []
    if opensEmpty("}") { return .object(members) }
    while true {
      skipWhitespace()
      guard current == UInt8(ascii: "\""), let key = readString() else { return nil }
      skipWhitespace()
      guard current == UInt8(ascii: ":") else { return nil }
      index += 1
      skipWhitespace()
      guard let value = readValue(depth: depth + 1) else { return nil }
      members.append(JSONText.Member(key: key, value: value))
      skipWhitespace()
      guard let closed = closesAfterElement("}") else { return nil }
      if closed { return .object(members) }
    }
  }

  private mutating func readArray(depth: Int) -> JSONText? {
    var elements: [JSONText] = []
    if opensEmpty("]") { return .array(elements) }
    while true {
      skipWhitespace()
      guard let element = readValue(depth: depth + 1) else { return nil }
      elements.append(element)
      skipWhitespace()
      guard let closed = closesAfterElement("]") else { return nil }
      if closed { return .array(elements) }
    }
  }

  /// Reads a string starting at its opening quote. Escapes are decoded, surrogate pairs
  /// joined, and the result must be valid UTF-8.
  private mutating func readString() -> String? {
    index += 1
    var utf8: [UInt8] = []
    while let byte = current {
      index += 1
      switch byte {
      case UInt8(ascii: "\""):
        return String(validating: utf8, as: UTF8.self)
      case UInt8(ascii: "\\"):
        guard let scalar = readEscape() else { return nil }
        utf8.append(contentsOf: String(Character(scalar)).utf8)
      case 0..<0x20:
        return nil
      default:
        utf8.append(byte)
      }
    }
    return nil
  }

  /// Reads what follows a backslash.
  private mutating func readEscape() -> Unicode.Scalar? {
    guard let byte = current else { return nil }
    index += 1
    switch byte {
    case UInt8(ascii: "\""): return "\""
    case UInt8(ascii: "\\"): return "\\"
    case UInt8(ascii: "/"): return "/"
    case UInt8(ascii: "b"): return "\u{08}"
    case UInt8(ascii: "f"): return "\u{0C}"
    case UInt8(ascii: "n"): return "\n"
    case UInt8(ascii: "r"): return "\r"
    case UInt8(ascii: "t"): return "\t"
    case UInt8(ascii: "u"):
      guard let unit = readHexUnit() else { return nil }
      guard (0xD800..<0xDC00).contains(unit) else { return Unicode.Scalar(unit) }
      guard current == UInt8(ascii: "\\") else { return nil }
      index += 1
      guard current == UInt8(ascii: "u") else { return nil }
      index += 1
      guard let low = readHexUnit(), (0xDC00..<0xE000).contains(low) else { return nil }
      return Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
    default:
      return nil
    }
  }

  private mutating func readHexUnit() -> UInt32? {
    var value: UInt32 = 0
    for _ in 0..<4 {
      guard let byte = current, let digit = Self.hexValue(byte) else { return nil }
      value = value << 4 | digit
      index += 1
    }
    return value
  }

  private static func hexValue(_ byte: UInt8) -> UInt32? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
    default: nil
    }
  }

  /// Reads `-? int frac? exp?` exactly as RFC 8259 §6 spells it, and returns its text.
  private mutating func readNumber() -> String? {
    let start = index
    if current == UInt8(ascii: "-") { index += 1 }
    if current == UInt8(ascii: "0") {
      index += 1
    } else {
      guard skipDigits() else { return nil }
    }
    if current == UInt8(ascii: ".") {
      index += 1
      guard skipDigits() else { return nil }
    }
    if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
      index += 1
      if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
      guard skipDigits() else { return nil }
    }
    return String(decoding: bytes[start..<index], as: UTF8.self)
  }

  /// Skips one or more decimal digits; false when there is none.
  private mutating func skipDigits() -> Bool {
    let start = index
    while let byte = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
      index += 1
    }
    return index > start
  }
}
