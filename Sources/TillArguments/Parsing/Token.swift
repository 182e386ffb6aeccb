/// One command-line word, classified by its shape alone. The first stage of parsing;
/// the parser then gives each token its meaning from the declared specs.
enum Token: Equatable, Sendable {
  /// `--name` or `--name=value`.
  case long(name: String, value: String?)
  /// `-abc`: short option letters, the last of which may be followed by an attached value
  /// (`-t5s`); only the specs can tell which.
  case short(letters: String)
  /// A word that is not an option: a subcommand, a positional, or an option's value. A lone
  /// `-` (standard input) and negative numbers (`-1`, `-0.5`) are words.
  case word(String)
  /// A word after `--`: always positional.
  case literal(String)
}

func tokenize(_ argv: [String]) -> [Token] {
  var tokens: [Token] = []
  var optionsEnded = false
  for argument in argv {
    if optionsEnded {
      tokens.append(.literal(argument))
    } else if argument == "--" {
      optionsEnded = true
    } else if argument.hasPrefix("--") {
      let body = argument.dropFirst(2)
      if let equals = body.firstIndex(of: "=") {
        let value = String(body[body.index(after: equals)...])
        tokens.append(.long(name: String(body[..<equals]), value: value))
      } else {
        tokens.append(.long(name: String(body), value: nil))
      }
    } else if argument.hasPrefix("-"), argument.count > 1, !looksNumeric(argument.dropFirst()) {
      tokens.append(.short(letters: String(argument.dropFirst())))
    } else {
      tokens.append(.word(argument))
    }
  }
  return tokens
}

/// Whether the text after a leading `-` starts like a number (`1`, `0.5`, `.5`), so that
/// `-1` is a negative value rather than an option named `1`.
private func looksNumeric(_ text: Substring) -> Bool {
  let digits: ClosedRange<Character> = "0"..."9"
  guard let first = text.first else { return false }
  if digits.contains(first) { return true }
  let rest = text.dropFirst()
  return first == "." && rest.first.map(digits.contains) == true
}
