extension CommandSpec {
  /// Parses `argv` (without the program name) against this command tree, read as the root.
  ///
  /// Subcommand words are matched from the root down. An option is accepted while the
  /// command declaring it is the one being parsed (so a root option may come before the
  /// subcommand words) and, when global, by every command below it too.
  ///
  /// With `-h`/`--help` anywhere before `--`, errors are not thrown: the result names the
  /// command reached, with `helpRequested` set.
  public func parse(_ argv: [String]) throws(UsageError) -> ParsedCommand {
    var parser = Parser(root: self, tokens: tokenize(argv))
    parser.run()
    if !parser.helpRequested, let error = parser.firstError {
      throw error
    }
    return ParsedCommand(
      path: parser.path,
      command: parser.chain[parser.chain.count - 1],
      helpRequested: parser.helpRequested,
      options: parser.options,
      parsedArguments: parser.parsedArguments,
      acceptedOptions: parser.chain.flatMap(\.options))
  }
}

/// The second stage: matches tokens against the specs of the command reached so far.
///
/// Parsing goes on after an error (skipping the word at fault) so that a `--help` later on
/// the line is still found and the command path still resolved; only the first error is
/// kept.
private struct Parser {
  let root: CommandSpec
  let tokens: [Token]
  var next = 0

  var chain: [CommandSpec]
  var path: [String] = []
  var scope: [OptionSpec]
  var options: [ParsedOption] = []
  var words: [String] = []
  var parsedArguments: [ParsedArgument] = []
  var helpRequested = false
  var firstError: UsageError?

  init(root: CommandSpec, tokens: [Token]) {
    self.root = root
    self.tokens = tokens
    chain = [root]
    scope = optionScope(of: chain)
  }

  var command: CommandSpec { chain[chain.count - 1] }
  var commandName: String { ([root.name] + path).joined(separator: " ") }

  mutating func run() {
    while next < tokens.count {
      let token = tokens[next]
      next += 1
      switch token {
      case .long(let name, let value):
        matchLong(name, inlineValue: value)
      case .short(let letters):
        matchShort(letters)
      case .word(let word):
        matchWord(word)
      case .literal(let word):
        words.append(word)
      }
    }
    assignArguments()
  }

  mutating func fail(_ error: UsageError) {
    if firstError == nil { firstError = error }
  }

  // MARK: Options

  mutating func matchLong(_ name: String, inlineValue: String?) {
    let written = "--" + name
    if name == OptionSpec.helpFlag.long {
      helpRequested = true
      return
    }
    guard let option = scope.first(where: { $0.long == name }) else {
      let suggestion = nearestMatch(to: name, among: scope.map(\.long) + ["help"])
      fail(unknownOption(written, suggestion: suggestion.map { "--" + $0 }))
      return
    }
    guard let valueSpec = option.value else {
      if let inlineValue {
        fail(
          UsageError(
            kind: .unexpectedValue,
            message: "option '\(written)' takes no value; got '\(written)=\(inlineValue)'",
            commandPath: path, token: written))
      } else {
        options.append(ParsedOption(long: name))
      }
      return
    }
    guard let value = inlineValue ?? takeValue() else {
      fail(missingValue(written, valueSpec))
      return
    }
    record(option, value: value, written: written)
  }

  mutating func matchShort(_ letters: String) {
    var remaining = Substring(letters)
    while let letter = remaining.first {
      remaining = remaining.dropFirst()
      let written = "-" + String(letter)
      if letter == OptionSpec.helpFlag.short {
        helpRequested = true
        continue
      }
      guard let option = scope.first(where: { $0.short == letter }) else {
        fail(unknownShortOption(written, group: letters))
        return
      }
      guard let valueSpec = option.value else {
        options.append(ParsedOption(long: option.long))
        continue
      }
      // The rest of the group is the value (`-t5s`), else the next word is.
      guard let value = remaining.isEmpty ? takeValue() : String(remaining) else {
        fail(missingValue(written, valueSpec))
        return
      }
      record(option, value: value, written: written)
      return
    }
  }

  /// The next token as an option's value, when it is a plain word (including `-` and
  /// negative numbers); an option-shaped token or `--` is left alone.
  mutating func takeValue() -> String? {
    guard next < tokens.count, case .word(let word) = tokens[next] else { return nil }
    next += 1
    return word
  }

  mutating func record(_ option: OptionSpec, value: String, written: String) {
    if let kind = option.value?.kind, let problem = check(value, against: kind) {
      fail(invalidValue(value, for: "'\(written)'", expected: problem))
      return
    }
    options.append(ParsedOption(long: option.long, value: value))
  }

  // MARK: Words

  mutating func matchWord(_ word: String) {
    if words.isEmpty, !command.subcommands.isEmpty {
      if let subcommand = command.subcommands.first(where: { $0.name == word }) {
        chain.append(subcommand)
        path.append(word)
        scope = optionScope(of: chain)
        return
      }
      if command.arguments.isEmpty {
        fail(UsageError.unknownCommand(word, in: path, root: root))
        return
      }
    }
    words.append(word)
  }

  /// Deals the positional words to the declared arguments in order: each optional or
  /// repeatable argument takes what is left once the required arguments after it have one.
  mutating func assignArguments() {
    let declared = command.arguments
    if words.isEmpty, !command.subcommands.isEmpty { return }
    var start = 0
    for (index, argument) in declared.enumerated() {
      let requiredAfter = declared[(index + 1)...].filter { !$0.isOptional }.count
      let available = max(0, words.count - start - requiredAfter)
      let taken = argument.isRepeatable ? available : min(1, available)
      if taken == 0, !argument.isOptional {
        fail(
          UsageError(
            kind: .missingArgument,
            message: "missing argument '<\(argument.name)>' for '\(commandName)'",
            commandPath: path, token: "<\(argument.name)>"))
      }
      for word in words[start..<(start + taken)] {
        if let problem = check(word, against: argument.kind) {
          fail(invalidValue(word, for: "'<\(argument.name)>'", expected: problem))
        }
        parsedArguments.append(ParsedArgument(name: argument.name, value: word))
      }
      start += taken
    }
    if start < words.count {
      let extra = words[start]
      fail(
        UsageError(
          kind: .unexpectedArgument,
          message: "unexpected argument '\(extra)' for '\(commandName)'",
          commandPath: path, token: extra))
    }
  }

  // MARK: Errors

  func unknownOption(_ written: String, suggestion: String?) -> UsageError {
    var message = "unknown option '\(written)' for '\(commandName)'"
    if let suggestion { message += "; did you mean '\(suggestion)'?" }
    return UsageError(
      kind: .unknownOption, message: message, commandPath: path, token: written,
      suggestion: suggestion)
  }

  /// A letter of `-abc` that names no option. When the whole group looks like a long name
  /// written with one dash (`-json`), the group is named and `--json` suggested.
  func unknownShortOption(_ written: String, group: String) -> UsageError {
    if group.count > 1,
      let long = nearestMatch(to: group, among: scope.map(\.long) + ["help"])
    {
      return unknownOption("-" + group, suggestion: "--" + long)
    }
    guard group.count > 1 else { return unknownOption(written, suggestion: nil) }
    let message = "unknown option '\(written)' in '-\(group)' for '\(commandName)'"
    return UsageError(kind: .unknownOption, message: message, commandPath: path, token: written)
  }

  func missingValue(_ written: String, _ value: ValueSpec) -> UsageError {
    UsageError(
      kind: .missingValue, message: "option '\(written)' needs a value (\(value.name))",
      commandPath: path, token: written)
  }

  func invalidValue(_ value: String, for subject: String, expected: String) -> UsageError {
    UsageError(
      kind: .invalidValue, message: "invalid value '\(value)' for \(subject): \(expected)",
      commandPath: path, token: value)
  }
}

/// What `value` should have been, or `nil` when `kind` accepts it.
func check(_ value: String, against kind: ValueKind) -> String? {
  switch kind {
  case .string, .file, .url, .listed:
    return nil
  case .integer:
    return Int(value) == nil ? "expected an integer" : nil
  case .duration:
    return parseDuration(value) == nil
      ? "expected a duration such as 90s, 500ms, 5m or 1h30m" : nil
  case .choice(let choices):
    return choices.contains(value)
      ? nil : "expected one of \(choices.joined(separator: ", "))"
  }
}
