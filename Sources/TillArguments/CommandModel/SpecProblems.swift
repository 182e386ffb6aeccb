extension CommandSpec {
  /// Mistakes in the command tree below this root, one sentence each; empty when the tree
  /// is sound. Meant for a unit test of the application's tree: names are well formed and
  /// unique where they meet, `help`/`h` stay reserved, positional arguments can be dealt
  /// unambiguously, choices are not empty, and every example parses.
  public func problems() -> [String] {
    var found: [String] = []
    collectProblems(chain: [self], into: &found)
    return found
  }

  private func collectProblems(chain: [CommandSpec], into found: inout [String]) {
    let command = chain[chain.count - 1]
    let place = "'" + chain.map(\.name).joined(separator: " ") + "'"
    func report(_ problem: String) { found.append("\(place): \(problem)") }

    if !isWellFormedName(command.name) { report("badly formed command name") }
    for name in duplicates(command.subcommands.map(\.name)) {
      report("subcommand '\(name)' declared twice")
    }

    let scope = optionScope(of: chain)
    for option in command.options {
      if !isWellFormedName(option.long) { report("badly formed option name '\(option.long)'") }
      if let short = option.short, !short.isLetter {
        report("short name '-\(short)' of '--\(option.long)' is not a letter")
      }
      if option.long == OptionSpec.helpFlag.long || option.short == OptionSpec.helpFlag.short {
        report("'--\(option.long)' reuses the reserved name of -h, --help")
      }
      if case .choice(let choices)? = option.value?.kind, choices.isEmpty {
        report("'--\(option.long)' has no choices")
      }
    }
    for long in duplicates(scope.map(\.long)) { report("option '--\(long)' declared twice") }
    for short in duplicates(scope.compactMap(\.short)) {
      report("short option '-\(short)' declared twice")
    }

    let arguments = command.arguments
    for name in duplicates(arguments.map(\.name)) { report("argument '<\(name)>' declared twice") }
    for (index, argument) in arguments.enumerated() {
      if argument.isRepeatable, index != arguments.count - 1 {
        report("repeatable argument '<\(argument.name)>' is not the last")
      }
      if !argument.isOptional, arguments[..<index].contains(where: \.isOptional) {
        report("required argument '<\(argument.name)>' follows an optional one")
      }
      if case .choice(let choices) = argument.kind, choices.isEmpty {
        report("argument '<\(argument.name)>' has no choices")
      }
    }

    let root = chain[0]
    for example in command.examples {
      do {
        _ = try root.parse(example.arguments)
      } catch {
        report("example '\(example.arguments.joined(separator: " "))' fails: \(error.message)")
      }
    }
    for subcommand in command.subcommands {
      subcommand.collectProblems(chain: chain + [subcommand], into: &found)
    }
  }
}

/// Lower-case words joined by single hyphens, as in `base-url`.
private func isWellFormedName(_ name: String) -> Bool {
  let parts = name.split(separator: "-", omittingEmptySubsequences: false)
  return !name.isEmpty
    && parts.allSatisfy { part in
      !part.isEmpty && part.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber) }
    }
}

private func duplicates<Name: Hashable>(_ names: [Name]) -> [Name] {
  var seen: Set<Name> = []
  var repeated: [Name] = []
  for name in names where !seen.insert(name).inserted && !repeated.contains(name) {
    repeated.append(name)
  }
  return repeated
}
