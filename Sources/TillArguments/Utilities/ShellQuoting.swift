/// Quotes a word for a POSIX shell when it needs it, so that pasting it passes it unchanged.
/// A word with control characters (an id a server chose) gets ANSI-C quoting, `$'…\x1b…'`:
/// still one paste into bash or zsh, and no raw control byte ever reaches the terminal.
public func shellQuote(_ word: String) -> String {
  let plain = word.unicodeScalars.allSatisfy {
    ($0.value < 128 && ($0.properties.isAlphabetic || ("0"..."9").contains($0)))
      || "-_./:=@%+,".unicodeScalars.contains($0)
  }
  if plain && !word.isEmpty { return word }
  let hidden = { (scalar: Unicode.Scalar) in
    scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
      || (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
  }
  guard word.unicodeScalars.contains(where: hidden) else {
    return "'" + word.replacingAll("'", with: "'\\''") + "'"
  }
  var quoted = "$'"
  for scalar in word.unicodeScalars {
    let digits = String(scalar.value, radix: 16)
    switch scalar {
    case "\\": quoted += "\\\\"
    case "'": quoted += "\\'"
    case _ where scalar.value < 0x20 || scalar.value == 0x7F:
      quoted += "\\x" + (scalar.value < 16 ? "0" : "") + digits
    case _ where hidden(scalar):
      quoted += "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
    default: quoted.unicodeScalars.append(scalar)
    }
  }
  return quoted + "'"
}
