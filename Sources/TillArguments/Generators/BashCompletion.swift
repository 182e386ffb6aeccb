/// A bash completion script for this tree, read as the root: commands and subcommands,
/// options (global ones at any depth), option values and positionals with fixed choices,
/// files, and values listed by running the program. `--option=value` is completed too.
///
/// It works with bash-completion loaded (then files complete through its `_filedir`) and
/// without it (`source <(till completion bash)`).
struct BashCompletion: POSIXCompletionScript {
  let table: CompletionTable

  var header: [String] {
    [
      "# bash completion for \(program)" + String(repeating: " ", count: 20)
        + "-*- shell-script -*-",
      "# Generated from \(program)'s command tree by '\(program) completion bash'; do not edit.",
      "# Install: save as '\(program)' in bash-completion's completions directory",
      "# (e.g. /usr/share/bash-completion/completions), or add to ~/.bashrc:",
      "#   source <(\(program) completion bash)",
    ]
  }

  var registration: [String] { ["complete -F _\(stem) \(shellQuote(program))"] }

  func variable(_ name: String) -> String { "__\(stem)_\(name)" }
  var lookupResets: [String] { ["\(variable("words"))=()"] }
  func unguessableAction(placeholder: String) -> String { "\(variable("kind"))=none" }

  var optionLookupComment: [String] {
    [
      "# Sets __\(stem)_kind to how the value of option $2 of command $1 completes: flag (it",
      "# takes none), choice, file, listed (by running the program with __\(stem)_words) or",
      "# none (nothing to offer).",
    ]
  }

  var argumentLookupComment: [String] {
    [
      "# Sets __\(stem)_kind and __\(stem)_words for positional argument $2 (from 0) of command",
      "# $1.",
    ]
  }

  func subcommandFunction() -> [String] {
    [
      "# Sets __\(stem)_words to the subcommands of command $1; fails when it has none.",
      "__\(stem)_subcommands() {",
      "  case \"$1\" in",
    ]
      + table.parents.map { command in
        let names = command.spec.subcommands.map { shellQuote($0.name) }
        return
          "    \(shellQuote(command.key))) __\(stem)_words=(\(names.joined(separator: " "))) ;;"
      } + [
        "    *) return 1 ;;",
        "  esac",
        "}",
      ]
  }

  func optionListFunction() -> [String] {
    var lines = [
      "# Sets __\(stem)_words to the options command $1 accepts.",
      "__\(stem)_options() {",
      "  __\(stem)_words=()",
    ]
    for group in table.optionGroups {
      let patterns = group.patterns.map(\.posix).joined(separator: " | ")
      let words = group.options.flatMap(\.spellings).map(shellQuote).joined(separator: " ")
      let append = "__\(stem)_words+=(\(words))"
      lines.append(
        group.isEverywhere ? "  " + append : "  case \"$1\" in \(patterns)) \(append) ;; esac")
    }
    return lines + ["}"]
  }

  func helperFunctions() -> [String] {
    """
    # Adds to COMPREPLY the words of __\(stem)_words that start with $cur, after $prefix and
    # without $trim.
    __\(stem)_filter() {
      local word
      for word in "${__\(stem)_words[@]}"; do
        [[ $word == "$cur"* ]] && COMPREPLY+=("$prefix${word#"$trim"}")
      done
    }

    # Bash replaces only what follows the last ':' of the word (COMP_WORDBREAKS): a candidate
    # for a $cur with a colon goes without what comes up to it.
    __\(stem)_trim() {
      trim=
      if [[ $cur == *:* && $COMP_WORDBREAKS == *:* ]]; then
        trim=${cur%"${cur##*:}"}
        prefix=
      fi
    }

    # Completes $cur as described by __\(stem)_kind and __\(stem)_words.
    __\(stem)_value() {
      case $__\(stem)_kind in
        choice) __\(stem)_filter ;;
        file)
          if declare -F _filedir >/dev/null; then
            _filedir
          else
            compopt -o filenames 2>/dev/null
            local path
            while IFS= read -r path; do
              COMPREPLY+=("${path#"$trim"}")
            done < <(compgen -f -- "$cur")
          fi
          ;;
        listed)
          # Runs the program for its list (e.g. profile names), bounded, silent on failure.
          local line
          local -a lines=() run=("${words[0]/#\\~/$HOME}" "${__\(stem)_words[@]}")
          type timeout &>/dev/null && run=(timeout 2 "${run[@]}")
          while IFS= read -r line; do lines+=("$line"); done < <("${run[@]}" </dev/null 2>/dev/null)
          __\(stem)_words=("${lines[@]}")
          __\(stem)_filter
          ;;
      esac
    }
    """.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
  }

  func mainFunction() -> [String] {
    """
    _\(stem)() {
      local cur prefix= command=\(shellQuote(program)) word last letters expecting= i cword=0
      local positionals=0 ended=0 __\(stem)_kind line=$COMP_LINE adjacent trim=
      local -a words=() __\(stem)_words=()
      COMPREPLY=()

      # Bash splits words at '=' and ':' (COMP_WORDBREAKS): --option=value, and a URL's or an
      # ID:QTY's colons. Join the pieces written with no blank between them again.
      for ((i = 0; i <= COMP_CWORD; i++)); do
        word=${COMP_WORDS[i]}
        adjacent=1
        [[ $line == [[:blank:]]* ]] && adjacent=0
        line=${line#"${line%%[![:blank:]]*}"}
        line=${line#"$word"}
        last=
        ((${#words[@]})) && last=${words[${#words[@]} - 1]}
        if ((i > 1 && adjacent)) && [[ $word == [=:]* || $last == *[=:] ]]; then
          words[${#words[@]} - 1]+=$word
        else
          words+=("$word")
        fi
      done
      cword=$((${#words[@]} - 1))

      # Walk the words before the cursor as the parser does.
      for ((i = 1; i < cword; i++)); do
        word=${words[i]}
        if [[ -n $expecting ]]; then
          expecting=
          [[ $word != -?* || $word == -[0-9]* || $word == -.[0-9]* ]] && continue
        fi
        if ((ended)); then
          positionals=$((positionals + 1))
          continue
        fi
        case $word in
          --) ended=1 ;;
          --*=*) ;;
          --?*)
            __\(stem)_option "$command" "$word"
            [[ $__\(stem)_kind != flag ]] && expecting=$word
            ;;
          -[0-9]* | -.[0-9]* | -) positionals=$((positionals + 1)) ;;
          -?*)
            # Combined flags (-vq); the first letter that takes a value takes the rest of
            # the word, or else the next word.
            letters=${word#-}
            while [[ -n $letters ]]; do
              __\(stem)_option "$command" "-${letters:0:1}"
              letters=${letters:1}
              if [[ $__\(stem)_kind != flag ]]; then
                [[ -z $letters ]] && expecting=-${word: -1}
                break
              fi
            done
            ;;
          *)
            if ((positionals == 0)) && __\(stem)_subcommands "$command" &&
              [[ " ${__\(stem)_words[*]} " == *" $word "* ]]; then
              command+=" $word"
            else
              positionals=$((positionals + 1))
            fi
            ;;
        esac
      done

      cur=${words[cword]}
      __\(stem)_trim
      if [[ -n $expecting ]]; then
        __\(stem)_option "$command" "$expecting"
        __\(stem)_value
        return 0
      fi
      if ((!ended)); then
        case $cur in
          --*=*)
            __\(stem)_option "$command" "${cur%%=*}"
            [[ $COMP_WORDBREAKS != *=* ]] && prefix=${cur%%=*}=
            cur=${cur#*=}
            __\(stem)_trim
            __\(stem)_value
            return 0
            ;;
          -?* | -)
            __\(stem)_options "$command"
            __\(stem)_filter
            return 0
            ;;
        esac
      fi
      if ((positionals == 0 && !ended)) && __\(stem)_subcommands "$command"; then
        __\(stem)_filter
      fi
      __\(stem)_argument "$command" "$positionals"
      __\(stem)_value
      # Nothing else to offer at an empty word: show the options.
      if ((${#COMPREPLY[@]} == 0 && !ended)) && [[ -z $cur && $__\(stem)_kind == none ]] &&
        ! __\(stem)_subcommands "$command"; then
        __\(stem)_options "$command"
        __\(stem)_filter
      fi
      return 0
    }
    """.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
  }
}
