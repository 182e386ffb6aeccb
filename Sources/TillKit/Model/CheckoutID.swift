/// What a checkout id may be, and how one goes into a URL, a file name and a command line.
/// Ids come from servers and from files, so they are hostile input: one that begins with `-`
/// becomes an option when a script passes it back (`till checkout status "$id"`), `..` folds
/// a URL into another path, and controls or invisible characters hide what an id says.
public enum CheckoutID {
  /// Far longer than any id a checkout API hands out (a UUID is 36 bytes).
  public static let maxBytes = 1024

  /// Why `id` cannot be a checkout id, or nil when it can. An id typed after `--` may begin
  /// with `-` (`fromServer` false); one from a server may not, since it would reach scripts.
  public static func problem(_ id: String, fromServer: Bool) -> String? {
    if id.isEmpty { return "is empty" }
    if id.utf8.count > maxBytes { return "is longer than \(maxBytes) bytes" }
    for scalar in id.unicodeScalars where isHidden(scalar) {
      return "holds a control, blank or invisible character (U+"
        + hex(scalar.value) + ")"
    }
    if fromServer, id.hasPrefix("-") {
      return "begins with '-', so a command line would read it as an option"
    }
    return nil
  }

  /// Characters that do not show as themselves: controls, whitespace, and format characters
  /// (bidirectional overrides, zero-width joiners).
  private static func isHidden(_ scalar: Unicode.Scalar) -> Bool {
    scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
      || scalar.properties.isWhitespace || scalar.properties.generalCategory == .format
      || scalar.properties.generalCategory == .lineSeparator
      || scalar.properties.generalCategory == .paragraphSeparator
  }

  private static func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
  }

  /// The id as one segment of a URL's path: everything but RFC 3986's unreserved characters
  /// escaped, and a segment of dots alone (`.`, `..`) escaped too, which a URL parser would
  /// otherwise fold into the segment above. `%2e%2e` stays text: its `%` is escaped.
  public static func pathSegment(_ id: String) -> String {
    let onlyDots = !id.isEmpty && id.utf8.allSatisfy { $0 == UInt8(ascii: ".") }
    var out = ""
    for byte in id.utf8 {
      switch byte {
      case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"),
        UInt8(ascii: "~"):
        out.unicodeScalars.append(Unicode.Scalar(byte))
      case UInt8(ascii: ".") where !onlyDots:
        out.unicodeScalars.append(Unicode.Scalar(byte))
      default:
        let digits = String(byte, radix: 16, uppercase: true)
        out += "%" + (digits.count == 1 ? "0" : "") + digits
      }
    }
    return out
  }

  /// A file name for something kept about the id (`3ds/NAME.html`): the escaped id, or for one
  /// whose escaped form is too long for a file name, its start and a hash of the whole.
  public static func fileName(_ id: String, suffix: String) -> String {
    let escaped = pathSegment(id)
    guard escaped.utf8.count + suffix.utf8.count > 200 else { return escaped + suffix }
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in id.utf8 {
      hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
    }
    let start = String(decoding: escaped.utf8.prefix(120), as: UTF8.self)
    return start + "-" + String(hash, radix: 16) + suffix
  }

  /// The words for ids and the options that follow them on a command line (`ID --watch`),
  /// or when an id begins with `-`, the options first and the ids after `--` (`--watch -- -ID`),
  /// so that no id is read as an option.
  public static func arguments(_ ids: [String], then options: [String] = []) -> [String] {
    ids.contains { $0.hasPrefix("-") } ? options + ["--"] + ids : ids + options
  }

  /// The ids of an `--ids-from` file: one per line, blank lines and `#` comments skipped, a
  /// byte-order mark at the start and a CR at the end of a line not part of an id. Throws
  /// the line number and the problem of the first line that is not an id.
  public static func list(in bytes: [UInt8]) -> Result<[String], ListProblem> {
    var text = bytes[...]
    if text.starts(with: [0xEF, 0xBB, 0xBF]) { text = text.dropFirst(3) }
    var ids: [String] = []
    for (index, line) in text.split(separator: 0x0A, omittingEmptySubsequences: false)
      .enumerated()
    {
      var word = String(decoding: line, as: UTF8.self)
      while let last = word.unicodeScalars.last, last == " " || last == "\t" || last == "\r" {
        word.unicodeScalars.removeLast()
      }
      while let first = word.unicodeScalars.first, first == " " || first == "\t" {
        word.unicodeScalars.removeFirst()
      }
      if word.isEmpty || word.hasPrefix("#") { continue }
      if let problem = problem(word, fromServer: false) {
        return .failure(ListProblem(line: index + 1, problem: problem))
      }
      ids.append(word)
    }
    return .success(ids)
  }

  public struct ListProblem: Error {
    public var line: Int
    public var problem: String
  }
}
