/// A JSON document as it was sent: object members keep their order and numbers keep their
/// literal text, so `50.00` is never rewritten as `50` or `0.13` as `0.13000000000000001`.
public enum JSONValue: Sendable, Equatable {
  case null
  case bool(Bool)
  case number(String)
  case string(String)
  case array([JSONValue])
  case object([(String, JSONValue)])

  public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
    switch (lhs, rhs) {
    case (.null, .null): return true
    case (.bool(let a), .bool(let b)): return a == b
    case (.number(let a), .number(let b)): return a == b
    case (.string(let a), .string(let b)): return a == b
    case (.array(let a), .array(let b)): return a == b
    case (.object(let a), .object(let b)):
      return a.elementsEqual(b) { $0.0 == $1.0 && $0.1 == $1.1 }
    default: return false
    }
  }

  public subscript(key: String) -> JSONValue? {
    guard case .object(let members) = self else { return nil }
    return members.first { $0.0 == key }?.1
  }

  public subscript(index: Int) -> JSONValue? {
    guard case .array(let items) = self, items.indices.contains(index) else { return nil }
    return items[index]
  }

  public var string: String? {
    if case .string(let value) = self { return value }
    return nil
  }

  /// A string, or a number's literal text: servers send ids and amounts either way.
  public var text: String? {
    switch self {
    case .string(let value), .number(let value): return value
    default: return nil
    }
  }

  public var bool: Bool? {
    if case .bool(let value) = self { return value }
    return nil
  }

  public var int: Int? {
    switch self {
    case .number(let literal): return Int(literal)
    case .string(let literal): return Int(literal)
    default: return nil
    }
  }

  public var array: [JSONValue]? {
    if case .array(let items) = self { return items }
    return nil
  }

  public var isObject: Bool {
    if case .object = self { return true }
    return false
  }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral,
  ExpressibleByIntegerLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral,
  ExpressibleByNilLiteral
{
  public init(stringLiteral value: String) { self = .string(value) }
  public init(booleanLiteral value: Bool) { self = .bool(value) }
  public init(integerLiteral value: Int) { self = .number(String(value)) }
  public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
  public init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(elements) }
  public init(nilLiteral: ()) { self = .null }
}

// MARK: - Writing

extension JSONValue {
  /// Compact JSON on one line. Control characters in strings are escaped, so the output is
  /// safe on a terminal and stays valid JSON.
  public func serialized() -> String {
    var out = ""
    write(to: &out)
    return out
  }

  private func write(to out: inout String) {
    switch self {
    case .null: out += "null"
    case .bool(let value): out += value ? "true" : "false"
    case .number(let literal): out += literal
    case .string(let value): JSONValue.writeString(value, to: &out)
    case .array(let items):
      out += "["
      for (index, item) in items.enumerated() {
        if index > 0 { out += "," }
        item.write(to: &out)
      }
      out += "]"
    case .object(let members):
      out += "{"
      for (index, (key, value)) in members.enumerated() {
        if index > 0 { out += "," }
        JSONValue.writeString(key, to: &out)
        out += ":"
        value.write(to: &out)
      }
      out += "}"
    }
  }

  private static func writeString(_ value: String, to out: inout String) {
    out += "\""
    // Most keys and values are printable ASCII with nothing to escape: written as they are.
    let isPlain = value.utf8.allSatisfy { byte in
      byte >= 0x20 && byte < 0x7F && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\")
    }
    if isPlain {
      out += value
      out += "\""
      return
    }
    for scalar in value.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      // Bidirectional overrides too: like the C1 controls they would reorder what a
      // terminal shows, and the JSON stays valid and equal with them escaped.
      case _
      where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
        || (0x2028...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value):
        let digits = String(scalar.value, radix: 16)
        out += "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
      default: out.unicodeScalars.append(scalar)
      }
    }
    out += "\""
  }
}

// MARK: - Parsing

public struct JSONParseError: Error, Equatable, CustomStringConvertible {
  public var offset: Int
  public var reason: String
  public var description: String { "\(reason) at byte \(offset)" }
}

extension JSONValue {
  /// Parses RFC 8259 JSON. Nesting is bounded so hostile input cannot exhaust the stack.
  public static func parse(_ bytes: some Collection<UInt8>) throws(JSONParseError) -> JSONValue {
    var parser = JSONParser(bytes: Array(bytes))
    return try parser.parseDocument()
  }

  public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
    try parse(Array(text.utf8))
  }
}

private struct JSONParser {
  let bytes: [UInt8]
  var index = 0
  var depth = 0
  static let maxDepth = 256

  init(bytes: [UInt8]) { self.bytes = bytes }

  mutating func parseDocument() throws(JSONParseError) -> JSONValue {
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
    skipWhitespace()
    guard index < bytes.count else { throw fail("empty document") }
    let value = try parseValue()
    skipWhitespace()
    guard index == bytes.count else { throw fail("unexpected data after the JSON value") }
    return value
  }

  func fail(_ reason: String) -> JSONParseError { JSONParseError(offset: index, reason: reason) }

  mutating func skipWhitespace() {
    while index < bytes.count,
      bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09
    {
      index += 1
    }
  }

  mutating func parseValue() throws(JSONParseError) -> JSONValue {
    guard index < bytes.count else { throw fail("unexpected end of JSON") }
    switch bytes[index] {
    case UInt8(ascii: "{"): return try parseObject()
    case UInt8(ascii: "["): return try parseArray()
    case UInt8(ascii: "\""): return .string(try parseString())
    case UInt8(ascii: "t"): return try parseLiteral("true", .bool(true))
    case UInt8(ascii: "f"): return try parseLiteral("false", .bool(false))
    case UInt8(ascii: "n"): return try parseLiteral("null", .null)
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
    default: throw fail("unexpected character")
    }
  }

  mutating func parseLiteral(_ word: String, _ value: JSONValue) throws(JSONParseError)
    -> JSONValue
  {
    let utf8 = Array(word.utf8)
    guard bytes.count - index >= utf8.count, Array(bytes[index..<index + utf8.count]) == utf8
    else { throw fail("invalid literal") }
    index += utf8.count
    return value
  }

  mutating func enter() throws(JSONParseError) {
    depth += 1
    if depth > JSONParser.maxDepth { throw fail("nesting deeper than \(JSONParser.maxDepth)") }
  }

  /// Steps over an opening bracket and the blanks after it; true when `close` follows (an
  /// empty array or object), which is stepped over too.
  mutating func opensEmpty(_ close: Unicode.Scalar) -> Bool {
    index += 1
    skipWhitespace()
    guard index < bytes.count, bytes[index] == UInt8(ascii: close) else { return false }
    index += 1
    return true
  }

  /// Steps over what follows an element of a `container`: false at a ',' (another element
  /// comes), true at `close` (the container ends).
  mutating func closesAfterElement(_ close: Unicode.Scalar, of container: String)
    throws(JSONParseError) -> Bool
  {
    guard index < bytes.count else { throw fail("unterminated \(container)") }
    switch bytes[index] {
    case UInt8(ascii: ","):
      index += 1
      return false
    case UInt8(ascii: close):
      index += 1
      return true
    default:
      throw fail("expected ',' or '\(close)'")
    }
  }

  mutating func parseObject() throws(JSONParseError) -> JSONValue {
    try enter()
    defer { depth -= 1 }
    var members: [(String, JSONValue)] = []
    if opensEmpty("}") { return .object(members) }
    while true {
      skipWhitespace()
      guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
        throw fail("expected a member name")
      }
      let key = try parseString()
      skipWhitespace()
      guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
        throw fail("expected ':'")
      }
      index += 1
      skipWhitespace()
      members.append((key, try parseValue()))
      skipWhitespace()
      if try closesAfterElement("}", of: "object") { return .object(members) }
    }
  }

  mutating func parseArray() throws(JSONParseError) -> JSONValue {
    try enter()
    defer { depth -= 1 }
    var items: [JSONValue] = []
    if opensEmpty("]") { return .array(items) }
    while true {
      skipWhitespace()
      items.append(try parseValue())
      skipWhitespace()
      if try closesAfterElement("]", of: "array") { return .array(items) }
    }
  }

  mutating func parseNumber() throws(JSONParseError) -> JSONValue {
    let start = index
    if bytes[index] == UInt8(ascii: "-") { index += 1 }
    guard index < bytes.count, isDigit(bytes[index]) else { throw fail("invalid number") }
    if bytes[index] == UInt8(ascii: "0") {
      index += 1
    } else {
      while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }
    if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
      index += 1
      guard index < bytes.count, isDigit(bytes[index]) else { throw fail("invalid number") }
      while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }
    if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
      index += 1
      if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")
      {
        index += 1
      }
      guard index < bytes.count, isDigit(bytes[index]) else { throw fail("invalid number") }
      while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }
    return .number(String(decoding: bytes[start..<index], as: UTF8.self))
  }

  func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

  mutating func parseString() throws(JSONParseError) -> String {
    index += 1
    // Most strings have no escape: they are their bytes, validated once.
    var end = index
    while end < bytes.count, bytes[end] != UInt8(ascii: "\""), bytes[end] != UInt8(ascii: "\\"),
      bytes[end] >= 0x20
    {
      end += 1
    }
    if end < bytes.count, bytes[end] == UInt8(ascii: "\"") {
      guard let text = String(validating: bytes[index..<end], as: UTF8.self) else {
        throw JSONParseError(offset: index, reason: "invalid UTF-8 in a string")
      }
      index = end + 1
      return text
    }
    var scalars = String.UnicodeScalarView()
    var runStart = index
    func flushRun(_ parser: JSONParser, upTo end: Int) throws(JSONParseError) {
      guard runStart < end else { return }
      guard let text = String(validating: parser.bytes[runStart..<end], as: UTF8.self) else {
        throw JSONParseError(offset: runStart, reason: "invalid UTF-8 in a string")
      }
      scalars.append(contentsOf: text.unicodeScalars)
    }
    while index < bytes.count {
      let byte = bytes[index]
      if byte == UInt8(ascii: "\"") {
        try flushRun(self, upTo: index)
        index += 1
        return String(scalars)
      }
      if byte < 0x20 { throw fail("control character in a string") }
      if byte == UInt8(ascii: "\\") {
        try flushRun(self, upTo: index)
        index += 1
        guard index < bytes.count else { break }
        let escape = bytes[index]
        index += 1
        if escape == UInt8(ascii: "u") {
          scalars.append(try parseUnicodeEscape())
        } else if let decoded = singleCharacterEscape(Unicode.Scalar(escape)) {
          scalars.append(decoded)
        } else {
          throw fail("invalid escape")
        }
        runStart = index
        continue
      }
      index += 1
    }
    throw fail("unterminated string")
  }

  mutating func parseHex4() throws(JSONParseError) -> UInt32 {
    guard bytes.count - index >= 4 else { throw fail("truncated \\u escape") }
    var value: UInt32 = 0
    for _ in 0..<4 {
      let byte = bytes[index]
      let digit: UInt32
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
      default: throw fail("invalid \\u escape")
      }
      value = value * 16 + digit
      index += 1
    }
    return value
  }

  mutating func parseUnicodeEscape() throws(JSONParseError) -> Unicode.Scalar {
    let first = try parseHex4()
    if (0xD800...0xDBFF).contains(first) {
      // A high surrogate must be followed by an escaped low surrogate.
      if bytes.count - index >= 6, bytes[index] == UInt8(ascii: "\\"),
        bytes[index + 1] == UInt8(ascii: "u")
      {
        index += 2
        let second = try parseHex4()
        if (0xDC00...0xDFFF).contains(second) {
          let combined = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
          return Unicode.Scalar(combined) ?? "\u{FFFD}"
        }
      }
      return "\u{FFFD}"
    }
    return Unicode.Scalar(first) ?? "\u{FFFD}"
  }
}

/// What a backslash and `character` stand for in a JSON string, which a TOML basic string
/// shares but for `\/` (JSON only): nil for any other character.
func singleCharacterEscape(_ character: Unicode.Scalar, allowingSolidus: Bool = true)
  -> Unicode.Scalar?
{
  switch character {
  case "\"", "\\": character
  case "/": allowingSolidus ? "/" : nil
  case "b": "\u{08}"
  case "f": "\u{0C}"
  case "n": "\n"
  case "r": "\r"
  case "t": "\t"
  default: nil
  }
}
