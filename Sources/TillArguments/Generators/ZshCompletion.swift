/// A zsh completion script (`#compdef`) for a tree, read as the root: commands and
/// options with their descriptions, option values and positionals with fixed choices,
/// files, values listed by running the program, and `--option=value`.
///
/// Save it as `_<program>` in a directory on `$fpath`; sourcing it after `compinit` also
/// works.
struct ZshCompletion: POSIXCompletionScript {
  let table: CompletionTable

  var header: [String] {
    [
      "#compdef \(program)",
      "# zsh completion for \(program).",
      "# Generated from \(program)'s command tree by '\(program) completion zsh'; do not edit.",
      "# Install: save as _\(program) in a directory on $fpath (before compinit runs).",
    ]
  }

  var registration: [String] {
    [
      "if [[ $funcstack[1] == _\(stem) ]]; then",
      "  _\(stem) \"$@\"",
      "else",
      "  compdef _\(stem) \(shellQuote(program))",
      "fi",
    ]
  }

  func variable(_ name: String) -> String { "\(stem)_\(name)" }
  var lookupResets: [String] { ["\(stem)_words=()", "\(stem)_label="] }
  func unguessableAction(placeholder: String) -> String {
    "\(stem)_kind=none; \(stem)_label=\(shellQuote(placeholder))"
  }

  var optionLookupComment: [String] {
    [
      "# Sets \(stem)_kind to how the value of option $2 of command $1 completes: flag (it",
      "# takes none), choice, file, listed (by running the program with \(stem)_words) or none;",
      "# \(stem)_label names the value.",
    ]
  }

  var argumentLookupComment: [String] {
    [
      "# Sets \(stem)_kind, \(stem)_words and \(stem)_label for positional argument $2 (from 0)",
      "# of command $1.",
    ]
  }

  func subcommandFunction() -> [String] {
    var lines = [
      "# Sets \(stem)_words to the subcommands of command $1, as name:description; fails when",
      "# it has none.",
      "__\(stem)_subcommands() {",
      "  case \"$1\" in",
    ]
    for command in table.parents {
      lines += ["    \(shellQuote(command.key)))", "      \(stem)_words=("]
      for subcommand in command.spec.subcommands {
        let entry = describedName(subcommand.name, firstLine(of: subcommand.abstract))
        lines.append("        " + shellQuote(entry))
      }
      lines.append("      ) ;;")
    }
    return lines + ["    *) return 1 ;;", "  esac", "}"]
  }

  func optionListFunction() -> [String] {
    var lines = [
      "# Sets \(stem)_words to the options command $1 accepts, as name:description.",
      "__\(stem)_options() {",
      "  \(stem)_words=()",
    ]
    for group in table.optionGroups {
      let entries = group.menu.map {
        "    " + shellQuote(describedName($0.spelling, $0.description))
      }
      if group.isEverywhere {
        lines += ["  \(stem)_words+=("] + entries + ["  )"]
      } else {
        let patterns = group.patterns.map(\.posix).joined(separator: " | ")
        lines += ["  case \"$1\" in", "    \(patterns))", "      \(stem)_words+=("]
        lines += entries.map { "    " + $0 } + ["      ) ;;", "  esac"]
      }
    }
    return lines + ["}"]
  }

  /// `name:description` for `_describe`, whose names must have their colons escaped.
  func describedName(_ name: String, _ description: String) -> String {
    name.split(separator: ":", omittingEmptySubsequences: false).joined(separator: "\\:")
      + ":" + description
  }

  func helperFunctions() -> [String] {
    """
    # Completes the current word as described by \(stem)_kind, \(stem)_words and \(stem)_label.
    __\(stem)_value() {
      local -a expl \(stem)_lines \(stem)_run
      case $\(stem)_kind in
        choice) _wanted values expl "${\(stem)_label:-value}" compadd -a \(stem)_words ;;
        file) _files ;;
        listed)
          # Runs the program for its list (e.g. profile names), bounded, silent on failure.
          \(stem)_run=(${words[1]/#\\~/$HOME} $\(stem)_words)
          (( $+commands[timeout] )) && \(stem)_run=(timeout 2 $\(stem)_run)
          \(stem)_lines=(${(f)"$($\(stem)_run </dev/null 2>/dev/null)"})
          _wanted values expl "${\(stem)_label:-value}" compadd -a \(stem)_lines
          ;;
        none) [[ -n $\(stem)_label ]] && _message -e values $\(stem)_label ;;
      esac
    }
    """.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
  }

  func mainFunction() -> [String] {
    """
    _\(stem)() {
      local \(stem)_command=\(shellQuote(program)) \(stem)_word \(stem)_letters \(stem)_expecting=
      local \(stem)_kind \(stem)_label
      local -a \(stem)_words \(stem)_names
      local -i i \(stem)_positionals=0 \(stem)_ended=0

      # Walk the words before the cursor as the parser does.
      for (( i = 2; i < CURRENT; i++ )); do
        \(stem)_word=${words[i]}
        if [[ -n $\(stem)_expecting ]]; then
          \(stem)_expecting=
          [[ $\(stem)_word != -?* || $\(stem)_word == -[0-9]* || $\(stem)_word == -.[0-9]* ]] &&
            continue
        fi
        if (( \(stem)_ended )); then
          \(stem)_positionals+=1
          continue
        fi
        case $\(stem)_word in
          --) \(stem)_ended=1 ;;
          --*=*) ;;
          --?*)
            __\(stem)_option $\(stem)_command $\(stem)_word
            [[ $\(stem)_kind != flag ]] && \(stem)_expecting=$\(stem)_word
            ;;
          -[0-9]* | -.[0-9]* | -) \(stem)_positionals+=1 ;;
          -?*)
            # Combined flags (-vq); the first letter that takes a value takes the rest of
            # the word, or else the next word.
            \(stem)_letters=${\(stem)_word#-}
            while [[ -n $\(stem)_letters ]]; do
              __\(stem)_option $\(stem)_command -${\(stem)_letters[1]}
              \(stem)_letters=${\(stem)_letters[2,-1]}
              if [[ $\(stem)_kind != flag ]]; then
                [[ -z $\(stem)_letters ]] && \(stem)_expecting=-${\(stem)_word[-1]}
                break
              fi
            done
            ;;
          *)
            if (( \(stem)_positionals == 0 )) && __\(stem)_subcommands $\(stem)_command &&
              \(stem)_names=(${\(stem)_words%%:*}) && (( ${\(stem)_names[(Ie)$\(stem)_word]} ))
            then
              \(stem)_command+=" $\(stem)_word"
            else
              \(stem)_positionals+=1
            fi
            ;;
        esac
      done

      if [[ -n $\(stem)_expecting ]]; then
        __\(stem)_option $\(stem)_command $\(stem)_expecting
        __\(stem)_value
        return
      fi
      if (( ! \(stem)_ended )); then
        case $PREFIX in
          --*=*)
            __\(stem)_option $\(stem)_command ${PREFIX%%=*}
            compset -P '*='
            __\(stem)_value
            return
            ;;
          -*)
            __\(stem)_options $\(stem)_command
            _describe -t options option \(stem)_words
            return
            ;;
        esac
      fi
      if (( \(stem)_positionals == 0 && ! \(stem)_ended )) &&
        __\(stem)_subcommands $\(stem)_command; then
        _describe -t commands command \(stem)_words
      fi
      __\(stem)_argument $\(stem)_command $\(stem)_positionals
      __\(stem)_value
      # Nothing else to offer at an empty word: show the options.
      if (( compstate[nmatches] == 0 && ! \(stem)_ended )) && [[ -z $PREFIX ]] &&
        [[ $\(stem)_kind == none ]] && ! __\(stem)_subcommands $\(stem)_command; then
        __\(stem)_options $\(stem)_command
        _describe -t options option \(stem)_words
      fi
    }
    """.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
  }
}
