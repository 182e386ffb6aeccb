/// How many terminal columns text takes, by the rules terminals follow (`wcwidth`): combining
/// marks, format characters such as the zero-width joiner, and variation selectors take none;
/// East Asian wide and fullwidth characters and emoji shown as emoji take two; the rest one.
/// A view drawn in place must measure this way, or it moves the cursor by the wrong number of
/// rows and erases what is above it or leaves copies behind.
public func displayWidth(_ scalar: Unicode.Scalar) -> Int {
  let value = scalar.value
  if value < 0x20 || (0x7F..<0xA0).contains(value) { return 0 }
  if value < 0x300 { return 1 }
  switch scalar.properties.generalCategory {
  case .nonspacingMark, .enclosingMark, .format: return 0
  default: break
  }
  if (0x1160...0x11FF).contains(value) || (0xFE00...0xFE0F).contains(value)
    || (0xE0100...0xE01EF).contains(value) || value == 0x200B
  {
    return 0
  }
  if scalar.properties.isEmojiPresentation { return 2 }
  return wideRanges.contains { $0.contains(value) } ? 2 : 1
}

/// East Asian Wide and Fullwidth blocks (Unicode's EastAsianWidth.txt, W and F).
private let wideRanges: [ClosedRange<UInt32>] = [
  0x1100...0x115F, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF,
  0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF,
  0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1B000...0x1B2FF,
  0x1F200...0x1F2FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
]

/// The columns `text` takes on a terminal; colour sequences (`ESC [ … m`) take none.
public func displayWidth(_ text: some StringProtocol) -> Int {
  var width = 0
  var escape = EscapeScanner()
  for scalar in text.unicodeScalars where !escape.consumes(scalar) {
    width += displayWidth(scalar)
  }
  return width
}

/// `text` cut to at most `width` columns, ending in `…` when it was cut. Colour sequences are
/// kept whole, and a cut line ends with a reset so its colour does not run on.
public func fitting(_ text: String, width: Int) -> String {
  guard displayWidth(text) > width else { return text }
  guard width > 0 else { return "" }
  var result = ""
  var used = 0
  var escape = EscapeScanner()
  var coloured = false
  for scalar in text.unicodeScalars {
    if escape.consumes(scalar) {
      result.unicodeScalars.append(scalar)
      coloured = true
      continue
    }
    let columns = displayWidth(scalar)
    if used + columns > width - 1 { break }
    result.unicodeScalars.append(scalar)
    used += columns
  }
  return result + "…" + (coloured ? "\u{1b}[0m" : "")
}

/// Recognises CSI sequences (`ESC [` parameters, then a final byte from `@` to `~`).
private struct EscapeScanner {
  private var state = 0

  /// Whether `scalar` belongs to an escape sequence.
  mutating func consumes(_ scalar: Unicode.Scalar) -> Bool {
    switch state {
    case 0:
      guard scalar == "\u{1b}" else { return false }
      state = 1
    case 1:
      state = scalar == "[" ? 2 : 0
    default:
      if (0x40...0x7E).contains(scalar.value) { state = 0 }
    }
    return true
  }
}
