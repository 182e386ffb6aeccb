/// A fish completion script for this tree, read as the root: commands and options with
/// their descriptions, option values and positionals with fixed choices, files, values
/// listed by running the program, and `--option=value`.
///
/// One function walks the command line as the parser does, so global options are
/// completed before and after subcommands; fish's own file completion takes over where a
/// file is expected.
struct FishCompletion: CompletionScript {
  let table: CompletionTable

  var header: [String] {
    [
      "# fish completion for \(program).",
      "# Generated from \(program)'s command tree by '\(program) completion fish'; do not edit.",
      "# Install: save as \(program).fish in ~/.config/fish/completions/.",
    ]
  }

  var registration: [String] {
    let name = fishWord(program)
    return [
      "complete -c \(name) -e",
      "complete -c \(name) -f -a '(__\(stem)_complete)'",
      "complete -c \(name) -n '__\(stem)_complete --files' -F",
    ]
  }

  var optionLookupComment: [String] {
    [
      "# How the value of option $argv[2] of command $argv[1] completes. The first line is",
      "# flag (it takes none), choice, file, listed (by running the program with the arguments",
      "# on the following lines) or none; then come the choices or the arguments.",
    ]
  }

  var argumentLookupComment: [String] {
    [
      "# How positional argument $argv[2] (from 0) of command $argv[1] completes, as",
      "# __\(stem)_option prints it.",
    ]
  }

  /// Prints how the value completes by the first of `rules` matching `$argv[1]|$argv[2]`.
  func lookupFunction(
    _ name: String, comment: [String], rules: [CompletionTable.Rule], fallback: String
  ) -> [String] {
    comment + ["function __\(stem)_\(name)", "    switch \"$argv[1]|$argv[2]\""]
      + rules.flatMap(caseLines) + [
        "        case '*'",
        "            echo \(fallback)",
        "    end",
        "end",
      ]
  }

  func subcommandFunction() -> [String] {
    [
      "# The subcommands of command $argv[1], with their descriptions; fails when it has none.",
      "function __\(stem)_subcommands",
      "    switch $argv[1]",
    ]
      + table.parents.flatMap { command in
        ["        case \(fishWord(command.key))"]
          + command.spec.subcommands.map {
            "            printf '%s\\t%s\\n' \(fishWord($0.name)) "
              + fishQuoted(firstLine(of: $0.abstract))
          }
      } + [
        "        case '*'",
        "            return 1",
        "    end",
        "end",
      ]
  }

  func optionListFunction() -> [String] {
    var lines = [
      "# The options command $argv[1] accepts, with their descriptions.",
      "function __\(stem)_options",
    ]
    for group in table.optionGroups {
      let entries = group.menu.map {
        "    printf '%s\\t%s\\n' \(fishWord($0.spelling)) " + fishQuoted($0.description)
      }
      if group.isEverywhere {
        lines += entries
      } else {
        let patterns = group.patterns.map(fishPattern).joined(separator: " ")
        lines += ["    switch $argv[1]", "        case \(patterns)"]
        lines += entries.map { "        " + $0 } + ["    end"]
      }
    }
    return lines + ["end"]
  }

  /// A pattern for fish's `switch`, where quoted wildcards still match.
  func fishPattern(_ pattern: CompletionTable.Pattern) -> String {
    fishQuoted(
      pattern.parts.map { part in
        switch part {
        case .literal(let text): return text
        case .anything: return "*"
        }
      }.joined())
  }

  func caseLines(_ rule: CompletionTable.Rule) -> [String] {
    let patterns = rule.patterns.map(fishPattern)
    let output: [String]
    switch rule.completion {
    case .flag: output = ["flag"]
    case .choices(let choices): output = ["choice"] + choices
    case .files: output = ["file"]
    case .listed(let arguments): output = ["listed"] + arguments
    case .anything: output = ["none"]
    }
    return [
      "        case \(patterns.joined(separator: " "))",
      "            printf '%s\\n' \(output.map(fishWord).joined(separator: " "))",
    ]
  }

  func mainFunction() -> [String] {
    """
    # Prints the candidates for the token at the cursor, walking the tokens before it as the
    # parser does. With --files, prints nothing and succeeds when a file is expected there.
    function __\(stem)_complete
        set -l tokens (commandline -opc)
        set -l current (commandline -ct)
        set -l command \(fishWord(program))
        set -l expecting
        set -l positionals 0
        set -l ended 0
        for word in $tokens[2..-1]
            if test -n "$expecting"
                set expecting
                if not string match -q -- '-?*' $word; or string match -qr -- '^-\\.?[0-9]' $word
                    continue
                end
            end
            if test $ended -eq 1
                set positionals (math $positionals + 1)
            else if test "$word" = --
                set ended 1
            else if string match -q -- '--*=*' $word
                continue
            else if string match -q -- '--?*' $word
                set -l rule (__\(stem)_option $command $word)
                test "$rule[1]" != flag; and set expecting $word
            else if test "$word" = -; or string match -qr -- '^-\\.?[0-9]' $word
                set positionals (math $positionals + 1)
            else if string match -q -- '-?*' $word
                # Combined flags (-vq); the first letter that takes a value takes the rest of
                # the word, or else the next word.
                set -l letters (string sub -s 2 -- $word)
                while test -n "$letters"
                    set -l letter (string sub -l 1 -- $letters)
                    set letters (string sub -s 2 -- $letters)
                    set -l rule (__\(stem)_option $command -$letter)
                    if test "$rule[1]" != flag
                        test -z "$letters"; and set expecting -$letter
                        break
                    end
                end
            else
                set -l names (__\(stem)_subcommands $command | string replace -r -- '\\t.*' '')
                if test $positionals -eq 0; and contains -- $word $names
                    set command "$command $word"
                else
                    set positionals (math $positionals + 1)
                end
            end
        end

        set -l files (contains -- --files $argv; and echo 1)
        set -l prefix ''
        set -l rule
        if test -n "$expecting"
            set rule (__\(stem)_option $command $expecting)
        else if test $ended -eq 0; and string match -q -- '--*=*' $current
            set prefix (string replace -r -- '=.*' '=' $current)
            set rule (__\(stem)_option $command (string replace -r -- '=.*' '' $current))
        else if test $ended -eq 0; and string match -q -- '-*' $current
            test -n "$files"; and return 1
            __\(stem)_options $command
            return 0
        else
            set rule (__\(stem)_argument $command $positionals)
            if test -z "$files"
                set -l offered 0
                if test $positionals -eq 0 -a $ended -eq 0
                    __\(stem)_subcommands $command; and set offered 1
                end
                # Nothing else to offer at an empty token: show the options.
                if test $offered -eq 0 -a $ended -eq 0 -a "$rule[1]" = none -a -z "$current"
                    __\(stem)_options $command
                end
            end
        end
        if test -n "$files"
            test "$rule[1]" = file
            return
        end
        switch $rule[1]
            case choice
                set -q rule[2]; and printf '%s\\n' $prefix$rule[2..-1]
            case listed
                # Runs the program for its list (e.g. profile names), bounded, silent on failure.
                set -l run (string replace -r -- '^~' $HOME $tokens[1]) $rule[2..-1]
                command -q timeout; and set run timeout 2 $run
                set -l lines ($run </dev/null 2>/dev/null)
                set -q lines[1]; and printf '%s\\n' $prefix$lines
        end
        return 0
    end
    """.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
  }
}

/// `text` as one fish word: as it is when that is safe, else quoted.
func fishWord(_ text: String) -> String {
  let plain = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:@+,"
  return !text.isEmpty && text.allSatisfy(plain.contains) ? text : fishQuoted(text)
}

/// `text` as one single-quoted fish word.
func fishQuoted(_ text: String) -> String {
  var quoted = "'"
  for character in text {
    if character == "\\" || character == "'" { quoted.append("\\") }
    quoted.append(character)
  }
  return quoted + "'"
}
