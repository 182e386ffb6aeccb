/// A JSON value whose object members keep the order they were built in.
///
/// The sandbox writes its answers with this instead of `JSONEncoder`, whose key order changes
/// from run to run: answers read in a terminal or diffed in a test should look alike every
/// time, with `trackingNumber` first as in the vendor's samples.
indirect enum JSONText: Sendable, Equatable {
  case null
  case string(String)
  case integer(Int)
  /// A number kept as its text, so a price read as `50.00` is written back as `50.00`; the
  /// text is always a valid RFC 8259 number.
  case number(String)
  case boolean(Bool)
  case array([JSONText])
  case object([Member])

  struct Member: Sendable, Equatable {
    var key: String
    var value: JSONText
  }

  /// Builds an object, leaving out members whose value is nil, as most of the imitated APIs
  /// leave an optional field out rather than write null.
  static func object(_ members: KeyValuePairs<String, JSONText?>) -> JSONText {
    .object(members.compactMap { key, value in value.map { Member(key: key, value: $0) } })
  }

  /// An object with one member per element, in the elements' order.
  static func object<Element>(
    _ elements: [Element], key: (Element) -> String, value: (Element) -> JSONText
  ) -> JSONText {
    .object(elements.map { Member(key: key($0), value: value($0)) })
  }

  /// The text as a string, or null when there is none.
  static func string(orNull text: String?) -> JSONText {
    text.map(JSONText.string) ?? .null
  }

  var bytes: [UInt8] { Array(serialized.utf8) }

  var serialized: String {
    var output = ""
    write(to: &output)
    return output
  }

  private func write(to output: inout String) {
    switch self {
    case .null:
      output += "null"
    case .string(let text):
      Self.writeString(text, to: &output)
    case .integer(let number):
      output += String(number)
    case .number(let text):
      output += text
    case .boolean(let flag):
      output += flag ? "true" : "false"
    case .array(let elements):
      output += "["
      for (index, element) in elements.enumerated() {
        if index > 0 { output += "," }
        element.write(to: &output)
      }
      output += "]"
    case .object(let members):
      output += "{"
      for (index, member) in members.enumerated() {
        if index > 0 { output += "," }
        Self.writeString(member.key, to: &output)
        output += ":"
        member.value.write(to: &output)
      }
      output += "}"
    }
  }

  /// RFC 8259 §7: quote, backslash and control characters are escaped; everything else,
  /// slashes and non-ASCII included, is written as is.
  private static func writeString(_ text: String, to output: inout String) {
    output += "\""
    for scalar in text.unicodeScalars {
      if let escaped = shortEscapes[scalar] {
        output += escaped
      } else if scalar.value < 0x20 {
        let hex = String(scalar.value, radix: 16, uppercase: false)
        output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      } else {
        output.unicodeScalars.append(scalar)
      }
    }
    output += "\""
  }

  /// The characters a JSON string escapes with a backslash and one letter, as written here.
  private static let shortEscapes: [Unicode.Scalar: String] = [
    "\"": "\\\"", "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t",
  ]
}
