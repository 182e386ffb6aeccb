import Synchronization

/// Every secret of one run (the API key, tokens, passwords, card data) and the one way to keep
/// them out of what till writes: the `-v` trace and the HAR log pass their text through
/// `redact`. A secret is replaced in each form it travels in: as it is, JSON-escaped,
/// percent-encoded (any of its bytes as `%XX` in either case, a space as `+`), and for a
/// user's password, inside the base64 of HTTP Basic authentication.
///
/// A secret of six bytes or more is replaced wherever it appears. A shorter one is replaced
/// where it stands on its own, not inside a longer word: a three-digit CVV must not turn every
/// `737` in a timestamp or an amount into `[redacted]`, and `g1` must not take the `g1` out of
/// `msg1`.
public final class Secrets: Sendable {
  public static let redacted = "[redacted]"
  /// From six bytes on a secret is replaced inside words too.
  static let wholeWordBelow = 6

  struct Form: Sendable {
    var bytes: [UInt8]
    var anywhere: Bool
    /// Each byte may also be written `%XX`, and a space `+`.
    var percentEncoded: Bool
  }

  /// Longest first, so a secret that contains another is replaced whole.
  private let forms = Mutex<[Form]>([])

  public init() {}

  /// A value that must not appear in a trace or a log.
  public func add(_ secret: String) {
    guard !secret.isEmpty else { return }
    var texts = [secret, jsonEscaped(secret)]
    if secret.contains("/") { texts.append(replacingEvery("/", in: texts[1], with: "\\/")) }
    insert(texts, percentEncoded: true)
  }

  /// A user and password for HTTP Basic authentication: the password, and the base64 of
  /// `user:password` that goes in the header.
  public func add(user: String, password: String) {
    guard !password.isEmpty else { return }
    add(password)
    insert([base64(Array((user + ":" + password).utf8))], percentEncoded: false)
  }

  /// The password in a URL's user info (`http://user:secret@host`), as written there and as
  /// libcurl sends it.
  public func addCredentials(in url: String) {
    guard let info = userInfo(in: url) else { return }
    add(info.password)
    add(user: info.decodedUser, password: info.decodedPassword)
  }

  /// Card data: each value of the card object. A value under three characters (a month) says
  /// nothing on its own and is left out.
  public func add(card: JSONValue) {
    switch card {
    case .object(let members): for (_, value) in members { add(card: value) }
    case .array(let items): for item in items { add(card: item) }
    case .string(let text), .number(let text): if text.utf8.count >= 3 { add(text) }
    case .bool, .null: break
    }
  }

  /// `text` with every form of every secret replaced by `[redacted]`.
  public func redact(_ text: String) -> String {
    let forms = self.forms.withLock { $0 }
    guard !forms.isEmpty else { return text }
    let bytes = Array(text.utf8)
    var result: [UInt8] = []
    result.reserveCapacity(bytes.count)
    var index = 0
    var changed = false
    scanning: while index < bytes.count {
      for form in forms {
        if let length = Self.match(form, in: bytes, at: index) {
          result += Self.redacted.utf8
          index += length
          changed = true
          continue scanning
        }
      }
      result.append(bytes[index])
      index += 1
    }
    return changed ? String(decoding: result, as: UTF8.self) : text
  }

  /// `value` with every string in it (member names too) redacted; a number that holds a
  /// secret becomes the string `[redacted]`.
  public func redact(_ value: JSONValue) -> JSONValue {
    switch value {
    case .string(let text): return .string(redact(text))
    case .number(let text): return redact(text) == text ? value : .string(Self.redacted)
    case .array(let items): return .array(items.map(redact))
    case .object(let members): return .object(members.map { (redact($0), redact($1)) })
    case .bool, .null: return value
    }
  }

  private func insert(_ texts: [String], percentEncoded: Bool) {
    let new = Set(texts).map { text in
      Form(
        bytes: Array(text.utf8), anywhere: text.utf8.count >= Self.wholeWordBelow,
        percentEncoded: percentEncoded)
    }
    forms.withLock { forms in
      for form in new where !forms.contains(where: { $0.bytes == form.bytes }) {
        forms.append(form)
      }
      forms.sort { $0.bytes.count > $1.bytes.count }
    }
  }

  /// How many bytes from `index` hold `form`, or nil when they do not.
  private static func match(_ form: Form, in bytes: [UInt8], at index: Int) -> Int? {
    var end = index
    for byte in form.bytes {
      guard end < bytes.count else { return nil }
      if bytes[end] == byte {
        end += 1
      } else if form.percentEncoded, bytes[end] == UInt8(ascii: "%"), end + 2 < bytes.count,
        let high = hexValue(bytes[end + 1]), let low = hexValue(bytes[end + 2]),
        high << 4 | low == byte
      {
        end += 3
      } else if form.percentEncoded, byte == UInt8(ascii: " "), bytes[end] == UInt8(ascii: "+") {
        end += 1
      } else {
        return nil
      }
    }
    guard !form.anywhere else { return end - index }
    if isWordByte(form.bytes[0]), index > 0, isWordByte(bytes[index - 1]) { return nil }
    if isWordByte(form.bytes[form.bytes.count - 1]), end < bytes.count, isWordByte(bytes[end]) {
      return nil
    }
    return end - index
  }

  private static func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
    default: return nil
    }
  }

  private static func isWordByte(_ byte: UInt8) -> Bool {
    (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
      || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
      || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
  }
}

/// The text between the quotes of a JSON string holding `text`.
private func jsonEscaped(_ text: String) -> String {
  String(JSONValue.string(text).serialized().dropFirst().dropLast())
}

/// Standard base64 with padding (RFC 4648 §4), as HTTP Basic authentication uses.
func base64(_ bytes: [UInt8]) -> String {
  let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
  var out: [UInt8] = []
  var index = 0
  while index < bytes.count {
    let count = min(3, bytes.count - index)
    var group = UInt32(bytes[index]) << 16
    if count > 1 { group |= UInt32(bytes[index + 1]) << 8 }
    if count > 2 { group |= UInt32(bytes[index + 2]) }
    for position in 0..<4 {
      if position <= count {
        out.append(alphabet[Int((group >> UInt32(18 - 6 * position)) & 0x3F)])
      } else {
        out.append(UInt8(ascii: "="))
      }
    }
    index += 3
  }
  return String(decoding: out, as: UTF8.self)
}
