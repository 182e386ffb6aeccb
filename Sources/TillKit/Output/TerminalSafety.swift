/// Makes text that came from a server safe to print: C0 and C1 control characters (ESC, CSI,
/// BEL, …), DEL and bidirectional overrides are shown escaped (`\x1b`, `\u{9b}`) so no server
/// can move the cursor, retitle the window or hide text. Tab and newline are kept unless the
/// text must stay on one line.
public func sanitizeForTerminal(_ text: some StringProtocol, singleLine: Bool = false) -> String {
  var result = ""
  result.reserveCapacity(text.utf8.count)
  for scalar in text.unicodeScalars {
    switch scalar.value {
    case 0x09 where !singleLine, 0x0A where !singleLine:
      result.unicodeScalars.append(scalar)
    case 0x09: result += "\\t"
    case 0x0A: result += "\\n"
    case 0x0D: result += "\\r"
    case 0x00...0x1F, 0x7F:
      result += "\\x" + hex(scalar.value, width: 2)
    case 0x80...0x9F, 0x202A...0x202E, 0x2066...0x2069:
      result += "\\u{" + hex(scalar.value, width: 2) + "}"
    default:
      result.unicodeScalars.append(scalar)
    }
  }
  return result
}

private func hex(_ value: UInt32, width: Int) -> String {
  let digits = String(value, radix: 16)
  return String(repeating: "0", count: max(0, width - digits.count)) + digits
}

/// The start of a body for an error message: one line, sanitised, at most `limit` characters.
public func quoteBody(_ body: [UInt8], limit: Int = 120) -> String {
  let text = String(decoding: body.prefix(limit * 4), as: UTF8.self)
  let cut = text.count > limit
  let shown = sanitizeForTerminal(String(text.prefix(limit)), singleLine: true)
  return "'" + shown + (cut ? "…" : "") + "'"
}

/// Text from elsewhere as one line that is safe to show: `sanitizeForTerminal`, single-line.
public func safe(_ text: some StringProtocol) -> String {
  sanitizeForTerminal(text, singleLine: true)
}
