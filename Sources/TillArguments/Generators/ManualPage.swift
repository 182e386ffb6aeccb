/// The parts of a manual page that belong to the application rather than to its command
/// tree: where it reads its settings and files, what its exit statuses mean, and related
/// pages.
public struct ManualPageContent: Sendable, Equatable {
  /// The date in the page's header, e.g. `2025-11-22`. Passed in, not read from a clock, so
  /// the page is the same on every run.
  public var date: String
  /// The name and version shown in the page's footer, e.g. `till 0.1.0`.
  public var source: String
  public var environment: [ManualEntry]
  public var files: [ManualEntry]
  /// The exit statuses, each with what it means (the term is the code).
  public var exitStatus: [ManualEntry]
  public var seeAlso: [ManualReference]

  public init(
    date: String,
    source: String,
    environment: [ManualEntry] = [],
    files: [ManualEntry] = [],
    exitStatus: [ManualEntry] = [],
    seeAlso: [ManualReference] = []
  ) {
    self.date = date
    self.source = source
    self.environment = environment
    self.files = files
    self.exitStatus = exitStatus
    self.seeAlso = seeAlso
  }
}

/// A term and its description, e.g. an environment variable and what it does.
public struct ManualEntry: Sendable, Equatable {
  public var term: String
  public var description: String

  public init(_ term: String, _ description: String) {
    self.term = term
    self.description = description
  }
}

/// Another manual page, e.g. `curl(1)`.
public struct ManualReference: Sendable, Equatable {
  public var name: String
  public var section: String

  public init(_ name: String, section: String) {
    self.name = name
    self.section = section
  }
}

extension CommandSpec {
  /// A manual page in roff (man(7)) for this tree, read as the root: NAME, SYNOPSIS,
  /// DESCRIPTION, COMMANDS (every command with its arguments and own options), OPTIONS (the
  /// root's), ENVIRONMENT, FILES, EXIT STATUS, EXAMPLES (every command's) and SEE ALSO.
  /// Sections with nothing to say are left out.
  public func manualPage(_ content: ManualPageContent) -> String {
    ManualPageWriter(root: self, content: content).page()
  }
}

private struct ManualPageWriter {
  let root: CommandSpec
  let content: ManualPageContent

  func page() -> String {
    var lines = [
      ".\\\" Generated from \(root.name)'s command tree; do not edit.",
      ".TH \(macroArgument(roffCode(root.name.uppercased()))) 1 "
        + "\(macroArgument(roffText(content.date))) \(macroArgument(roffText(content.source))) "
        + "\"User Commands\"",
      ".SH NAME",
      roffCode(root.name) + " \\- " + roffText(oneLineSummary(root.abstract)),
      ".SH SYNOPSIS",
    ]
    lines += synopsis(of: [root])
    lines.append(".SH DESCRIPTION")
    // NAME already gives the abstract; the discussion, when there is one, says more.
    lines += root.discussion.map(discussionLines) ?? paragraphLines(root.abstract)

    var commands: [[CommandSpec]] = []
    func collect(_ chain: [CommandSpec]) {
      for subcommand in chain[chain.count - 1].subcommands {
        commands.append(chain + [subcommand])
        collect(chain + [subcommand])
      }
    }
    collect([root])
    if !commands.isEmpty {
      lines.append(".SH COMMANDS")
      for chain in commands { lines += section(for: chain) }
    }

    let options = root.options + [.helpFlag]
    lines.append(".SH OPTIONS")
    lines += paragraphLines(
      "These options are accepted before the command and after it"
        + (root.options.allSatisfy(\.isGlobal)
          ? "." : ", except those marked as accepted before the command only."))
    lines += options.flatMap { entry(for: $0, onlyHere: !$0.isGlobal) }

    lines += entrySection("ENVIRONMENT", content.environment)
    lines += entrySection("FILES", content.files)
    lines += entrySection("EXIT STATUS", content.exitStatus)

    let examples = ([[root]] + commands).flatMap { $0[$0.count - 1].examples }
    if !examples.isEmpty {
      lines.append(".SH EXAMPLES")
      for example in examples { lines += exampleLines(example) }
    }

    if !content.seeAlso.isEmpty {
      lines.append(".SH SEE ALSO")
      for (index, reference) in content.seeAlso.enumerated() {
        let separator = index == content.seeAlso.count - 1 ? "" : ","
        lines.append(".BR \(roffCode(reference.name)) (\(roffCode(reference.section)))\(separator)")
      }
    }
    return withoutRedundantParagraphs(lines).joined(separator: "\n") + "\n"
  }

  /// `lines` without the paragraph breaks that a heading already makes.
  func withoutRedundantParagraphs(_ lines: [String]) -> [String] {
    var kept: [String] = []
    for line in lines {
      if line == ".PP", let previous = kept.last,
        previous.hasPrefix(".SH ") || previous.hasPrefix(".SS ")
      {
        continue
      }
      kept.append(line)
    }
    return kept
  }

  // MARK: Commands

  func section(for chain: [CommandSpec]) -> [String] {
    let command = chain[chain.count - 1]
    let fullName = chain.map(\.name).joined(separator: " ")
    var lines = [".SS " + roffCode(fullName)] + synopsis(of: chain)
    lines += paragraphLines(command.abstract)
    if let discussion = command.discussion { lines += discussionLines(discussion) }
    if !command.arguments.isEmpty {
      lines += [".PP", "Arguments:"]
      for argument in command.arguments {
        lines += [".TP", "\\fI" + roffCode(argument.name) + "\\fR"]
        lines += textLines(describe(argument.help, kind: argument.kind))
      }
    }
    if !command.options.isEmpty {
      lines += [".PP", "Options:"]
      lines += command.options.flatMap { entry(for: $0, onlyHere: false) }
    }
    if !command.subcommands.isEmpty {
      // One name per input line: roff fills them into a paragraph, and no source line grows
      // past what mandoc accepts however many subcommands there are.
      let names = command.subcommands.map { "\\fB" + roffCode($0.name) + "\\fR" }
      lines += [".PP", "Subcommands:"]
      for (index, name) in names.enumerated() {
        lines.append(name + (index == names.count - 1 ? "." : ","))
      }
    }
    return lines
  }

  /// The usage of the command at the end of `chain`, one line per form, in bold and italics.
  func synopsis(of chain: [CommandSpec]) -> [String] {
    let command = chain[chain.count - 1]
    let name = ".B " + chain.map { roffCode($0.name) }.joined(separator: " ")
    var forms: [[String]] = []
    if !command.subcommands.isEmpty { forms.append([".I subcommand"]) }
    if !command.arguments.isEmpty || command.subcommands.isEmpty {
      forms.append(command.arguments.map(synopsis(of:)))
    }
    return forms.enumerated().flatMap { index, form in
      (index == 0 ? [".PP"] : [".br"]) + [name] + form + [".RI [ options ]"]
    }
  }

  func synopsis(of argument: ArgumentSpec) -> String {
    let name = roffCode(argument.name)
    switch (argument.isOptional, argument.isRepeatable) {
    case (false, false): return ".I " + name
    case (false, true): return ".IR " + name + " ..."
    case (true, false): return ".RI [ " + name + " ]"
    case (true, true): return ".RI [ " + name + " \" ...]\""
    }
  }

  /// A `.TP` entry: the option's names and value, then what it does.
  func entry(for option: OptionSpec, onlyHere: Bool) -> [String] {
    var tag = option.short.map { "\\fB\\-" + roffCode(String($0)) + "\\fR, " } ?? ""
    tag += "\\fB\\-\\-" + roffCode(option.long) + "\\fR"
    if let value = option.value { tag += " \\fI" + roffCode(value.name) + "\\fR" }
    var text = describe(option.help, kind: option.value?.kind)
    if let defaultDescription = option.defaultDescription {
      text += " (default: \(defaultDescription))"
    }
    if let environment = option.environment { text += " (env: \(environment))" }
    if option.isRepeatable { text += " (repeatable)" }
    if onlyHere { text += " (accepted before the command only)" }
    return [".TP", tag] + textLines(text)
  }

  func describe(_ help: String, kind: ValueKind?) -> String {
    guard case .choice(let choices) = kind else { return help }
    return help + " (values: \(choices.joined(separator: ", ")))"
  }

  // MARK: Sections from the content

  func entrySection(_ title: String, _ entries: [ManualEntry]) -> [String] {
    guard !entries.isEmpty else { return [] }
    return [".SH " + roffCode(title)]
      + entries.flatMap { entry in
        [".TP", "\\fB" + roffCode(entry.term) + "\\fR"] + textLines(entry.description)
      }
  }

  func exampleLines(_ example: Example) -> [String] {
    let code = roffCommandLines([root.name] + example.arguments.map(shellQuote))
    return paragraphLines(example.explanation) + [".PP", ".RS 4", ".nf"]
      + code.map(protectingLineStart) + [".fi", ".RE"]
  }

  // MARK: Text

  /// The abstract as NAME wants it: starting in lower case (unless its first word is an
  /// acronym) and without a closing period.
  func oneLineSummary(_ abstract: String) -> String {
    var summary = firstLine(of: abstract)
    while summary.last == "." { summary.removeLast() }
    let firstWord = summary.prefix(while: { $0 != " " })
    if firstWord.dropFirst().allSatisfy(\.isLowercase) {
      summary = summary.prefix(1).lowercased() + summary.dropFirst()
    }
    return summary
  }

  func paragraphLines(_ text: String) -> [String] {
    [".PP"] + textLines(text)
  }

  /// A discussion: paragraphs, `- ` list items as bullets, indented paragraphs as written.
  func discussionLines(_ discussion: String) -> [String] {
    var lines: [String] = []
    for paragraph in paragraphs(of: discussion) {
      if paragraph.contains(where: { $0.first == " " }) {
        let indent = paragraph.map { $0.prefix(while: { $0 == " " }).count }.min() ?? 0
        lines += [".PP", ".RS 4", ".nf"]
        lines += paragraph.map { protectingLineStart(roffCode(String($0.dropFirst(indent)))) }
        lines += [".fi", ".RE"]
        continue
      }
      for item in listItems(of: paragraph) {
        if item.hasPrefix("- ") {
          lines += [".IP \\(bu 2"] + textLines(String(item.dropFirst(2)))
        } else {
          lines += paragraphLines(item)
        }
      }
    }
    return lines
  }

  /// Filled text: one sentence per line (so roff sees where sentences end), long sentences
  /// broken at spaces but never after a word ending in a period that does not end a sentence,
  /// escaped for roff.
  func textLines(_ text: String) -> [String] {
    let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
    var lines: [String] = []
    var line = ""
    for (index, word) in words.enumerated() {
      line += (line.isEmpty ? "" : " ") + roffText(word)
      guard index + 1 < words.count else { break }
      let next = words[index + 1]
      let endsSentence = word.last.map { ".?!".contains($0) } ?? false
      let tooLong = line.utf8.count + 1 + roffText(next).utf8.count > maximumLineLength
      // A sentence may begin with an option (`--json prints …`); a line that is too long
      // may also break before a parenthesis (`(default: …)`) that follows one.
      let startsSentence = next.first.map({ $0.isUppercase || $0 == "-" }) == true
      if endsSentence ? startsSentence || (next.first == "(" && tooLong) : tooLong {
        lines.append(line)
        line = ""
      }
    }
    if !line.isEmpty { lines.append(line) }
    return lines.map(protectingLineStart)
  }
}

/// The longest text line written, in bytes; mandoc's style check asks for at most 80.
private let maximumLineLength = 78

/// A command line for a no-fill block, broken before an option where it is too long, with a
/// shell line continuation at the end of each broken line.
func roffCommandLines(_ words: [String]) -> [String] {
  var lines: [[String]] = [[]]
  for word in words.map(roffCode) {
    var line = lines[lines.count - 1]
    let length = line.reduce(0) { $0 + $1.utf8.count + 1 } + word.utf8.count + " \\e".utf8.count
    if !line.isEmpty, length > maximumLineLength {
      // Keep an option with its value: move the words from the last option on.
      let split = line.lastIndex(where: { $0.hasPrefix("\\-") }).flatMap { $0 > 0 ? $0 : nil }
      let moved = split.map { Array(line[$0...]) } ?? []
      line.removeLast(moved.count)
      lines[lines.count - 1] = line
      lines.append(moved)
    }
    lines[lines.count - 1].append(word)
  }
  return lines.enumerated().map { index, line in
    (index == 0 ? "" : "    ") + line.joined(separator: " ")
      + (index == lines.count - 1 ? "" : " \\e")
  }
}

// MARK: Escaping

/// `text` for a roff text line in running prose: backslashes and characters outside ASCII
/// escaped, and a hyphen that starts a word (an option such as `--watch`, or a lone `-`)
/// written as a minus sign together with the hyphens of the rest of that word, so it can be
/// searched for and pasted; hyphens inside words (`3-D`) stay hyphens.
func roffText(_ text: String) -> String {
  var output = ""
  var inOption = false
  var previous: Character?
  for character in text {
    if character == "-" {
      let startsWord = previous.map { " (['\"".contains($0) } ?? true
      if startsWord || inOption {
        inOption = true
        output += "\\-"
      } else {
        output.append("-")
      }
    } else {
      if !(character.isLetter || character.isNumber) { inOption = false }
      output += roffCharacter(character)
    }
    previous = character
  }
  return output
}

/// `text` as code: every hyphen a minus sign, backslashes and characters outside ASCII
/// escaped. For names, options and command lines.
func roffCode(_ text: String) -> String {
  text.map { $0 == "-" ? "\\-" : roffCharacter($0) }.joined()
}

private func roffCharacter(_ character: Character) -> String {
  if character == "\\" { return "\\e" }
  if character.isASCII { return String(character) }
  return character.unicodeScalars.map { scalar in
    let hex = String(scalar.value, radix: 16, uppercase: true)
    return "\\[u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + "]"
  }.joined()
}

/// A text line that roff would read as a request (starting with `.` or `'`) made literal.
func protectingLineStart(_ line: String) -> String {
  line.first == "." || line.first == "'" ? "\\&" + line : line
}

/// Escaped roff text as one macro argument: quoted when it has a space (or nothing), with
/// `"` written as roff's named character.
private func macroArgument(_ escaped: String) -> String {
  let escaped = escaped.replacingAll("\"", with: "\\(dq")
  return escaped.isEmpty || escaped.contains(" ") ? "\"" + escaped + "\"" : escaped
}
