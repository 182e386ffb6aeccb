/// Header fields in the order they arrived, looked up without regard to case (RFC 9110 §5.1).
public struct HTTPHeaders: Sendable, Equatable, Sequence {
  public private(set) var fields: [(name: String, value: String)] = []

  public init(_ fields: [(String, String)] = []) {
    for (name, value) in fields { append(name, value) }
  }

  public mutating func append(_ name: String, _ value: String) {
    fields.append((name, value))
  }

  /// Replaces every field of this name with one field.
  public mutating func set(_ name: String, _ value: String) {
    remove(name)
    append(name, value)
  }

  public mutating func remove(_ name: String) {
    fields.removeAll { $0.name.lowercased() == name.lowercased() }
  }

  /// The first value of the named field.
  public subscript(name: String) -> String? {
    let key = name.lowercased()
    return fields.first { $0.name.lowercased() == key }?.value
  }

  /// Every value of the named field, in order.
  public func values(_ name: String) -> [String] {
    let key = name.lowercased()
    return fields.filter { $0.name.lowercased() == key }.map(\.value)
  }

  public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> {
    fields.makeIterator()
  }

  public static func == (lhs: HTTPHeaders, rhs: HTTPHeaders) -> Bool {
    lhs.fields.elementsEqual(rhs.fields) { $0.name == $1.name && $0.value == $1.value }
  }
}

/// What in `value` cannot go into an HTTP header field as it is, or nil when nothing: a CR or
/// LF would end the field and start one of the sender's choosing, and a control byte or a
/// non-ASCII character is read differently by different servers. Keys, tokens and tenants
/// are visible ASCII.
public func headerValueProblem(_ value: String) -> String? {
  for scalar in value.unicodeScalars {
    switch scalar.value {
    case 0x0A, 0x0D: return "a line break (CR or LF), which would start a header of its own"
    case 0x00...0x1F, 0x7F:
      let hex = String(scalar.value, radix: 16)
      return "a control character (\\x" + (hex.count < 2 ? "0" : "") + hex + ")"
    case 0x80...: return "a non-ASCII character"
    default: continue
    }
  }
  return nil
}
