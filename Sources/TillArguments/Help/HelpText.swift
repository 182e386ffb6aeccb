extension CommandSpec {
  /// Help for the command at `path` below this root, in fixed sections: OVERVIEW, USAGE,
  /// ARGUMENTS, OPTIONS, GLOBAL OPTIONS, SUBCOMMANDS, EXAMPLES (empty ones left out), wrapped
  /// to `width` columns. Words of `path` past its longest valid prefix are ignored; check
  /// them first with `resolve(_:)`. `programName` defaults to the root's name.
  public func helpText(for path: [String], programName: String? = nil, width: Int = 80)
    -> String
  {
    HelpFormatter(root: self, path: path, programName: programName ?? name, width: width)
      .helpText()
  }

  /// The global options with their help, as `till help options` prints them.
  public func globalOptionsText(width: Int = 80) -> String {
    HelpFormatter(root: self, path: [], programName: name, width: width).globalOptionsText()
  }

  /// The usage line for the command at `path`, e.g. `till checkout status <id>... [options]`,
  /// to print with a usage error. A command with both subcommands and arguments gets a
  /// second line.
  public func usageText(for path: [String], programName: String? = nil) -> String {
    HelpFormatter(root: self, path: path, programName: programName ?? name, width: 80)
      .usageLines().joined(separator: "\n")
  }
}

private struct HelpFormatter {
  let chain: [CommandSpec]
  let programName: String
  let width: Int

  init(root: CommandSpec, path: [String], programName: String, width: Int) {
    chain = root.commandChain(for: path)
    self.programName = programName
    self.width = max(width, 40)
  }

  var command: CommandSpec { chain[chain.count - 1] }
  var isRoot: Bool { chain.count == 1 }
  var fullName: String {
    ([programName] + chain.dropFirst().map(\.name)).joined(separator: " ")
  }

  /// A labelled entry of ARGUMENTS, OPTIONS or SUBCOMMANDS.
  struct Row {
    var label: String
    var text: String
  }

  func helpText() -> String {
    var sections: [[String]] = []
    var overview = wrap(command.abstract, width: width, lead: "OVERVIEW: ", indent: 2)
    if let discussion = command.discussion {
      overview += [""] + wrapParagraphs(discussion, width: width)
    }
    sections.append(overview)
    sections.append(usageSection())

    let argumentRows = command.arguments.map(row(for:))
    let globals = chain.dropLast().flatMap { $0.options.filter(\.isGlobal) }
    let optionRows = command.options.map(row(for:)) + [row(for: .helpFlag)]
    let subcommandRows = command.subcommands.map { Row(label: $0.name, text: $0.abstract) }
    let column = labelColumn(for: argumentRows + optionRows + subcommandRows)

    let rowSections = [
      ("ARGUMENTS", argumentRows), ("OPTIONS", optionRows), ("SUBCOMMANDS", subcommandRows),
    ]
    for (title, rows) in rowSections where !rows.isEmpty {
      sections.append([title + ":"] + rows.flatMap { lines(for: $0, column: column) })
      // A subcommand names the global options and points to their help, as gh and kubectl
      // do, rather than repeating them all.
      if title == "OPTIONS", !globals.isEmpty {
        let names = globals.prefix(3).map { "--" + $0.long }
        let pointer =
          "See '\(programName) help options' for \(names.joined(separator: ", ")) and the rest."
        sections.append(["GLOBAL OPTIONS:"] + wrap(pointer, width: width, lead: "  ", indent: 2))
      }
    }
    if !command.subcommands.isEmpty {
      let hint = "See '\(fullName) <subcommand> --help' for detailed help."
      sections[sections.count - 1] += [""] + wrap(hint, width: width, lead: "  ", indent: 2)
    }
    if !command.examples.isEmpty {
      sections.append(["EXAMPLES:"] + command.examples.flatMap(lines(for:)))
    }
    return sections.map { $0.joined(separator: "\n") }.joined(separator: "\n\n") + "\n"
  }

  func globalOptionsText() -> String {
    let rows = command.options.filter(\.isGlobal).map(row(for:))
    let column = labelColumn(for: rows)
    return (["GLOBAL OPTIONS:"] + rows.flatMap { lines(for: $0, column: column) })
      .joined(separator: "\n")
  }

  // MARK: Usage

  func usageLines() -> [String] {
    var forms: [[String]] = []
    if !command.subcommands.isEmpty { forms.append(["<subcommand>"]) }
    if !command.arguments.isEmpty || command.subcommands.isEmpty {
      forms.append(command.arguments.map(synopsis(of:)))
    }
    return forms.map { ([fullName] + $0 + ["[options]"]).joined(separator: " ") }
  }

  func usageSection() -> [String] {
    let lead = "USAGE: "
    return usageLines().enumerated().flatMap { index, line in
      let prefix = index == 0 ? lead : String(repeating: " ", count: lead.count)
      return wrap(line, width: width, lead: prefix, indent: lead.count + 2)
    }
  }

  func synopsis(of argument: ArgumentSpec) -> String {
    let name = "<\(argument.name)>" + (argument.isRepeatable ? "..." : "")
    return argument.isOptional ? "[\(name)]" : name
  }

  // MARK: Rows

  func row(for argument: ArgumentSpec) -> Row {
    Row(label: "<\(argument.name)>", text: describe(argument.help, kind: argument.kind))
  }

  func row(for option: OptionSpec) -> Row {
    var label = option.short.map { "-\($0), " } ?? "    "
    label += "--" + option.long
    if let value = option.value { label += " <\(value.name)>" }
    var text = describe(option.help, kind: option.value?.kind)
    if let defaultDescription = option.defaultDescription {
      text += " (default: \(defaultDescription))"
    }
    if let environment = option.environment { text += " (env: \(environment))" }
    if option.isRepeatable { text += " (repeatable)" }
    return Row(label: label, text: text)
  }

  func describe(_ help: String, kind: ValueKind?) -> String {
    guard case .choice(let choices) = kind else { return help }
    return help + " (values: \(choices.joined(separator: ", ")))"
  }

  /// Where help text starts: after the longest label, but labels too long to leave half the
  /// width for text go on a line of their own instead.
  func labelColumn(for rows: [Row]) -> Int {
    let longest = rows.map(\.label.count).max() ?? 0
    return 2 + min(longest, min(26, width / 2 - 4)) + 2
  }

  func lines(for row: Row, column: Int) -> [String] {
    let label = "  " + row.label
    let indent = String(repeating: " ", count: column)
    if label.count + 2 > column {
      return [label] + wrap(row.text, width: width, lead: indent, indent: column)
    }
    let lead = label + String(repeating: " ", count: column - label.count)
    return wrap(row.text, width: width, lead: lead, indent: column)
  }

  func lines(for example: Example) -> [String] {
    let commandLine = ([programName] + example.arguments.map(shellQuote)).joined(separator: " ")
    return wrap(commandLine, width: width, lead: "  ", indent: 6)
      + wrap(example.explanation, width: width, lead: "      ", indent: 6)
  }
}
