# bash completion for till                    -*- shell-script -*-
# Generated from till's command tree by 'till completion bash'; do not edit.
# Install: save as 'till' in bash-completion's completions directory
# (e.g. /usr/share/bash-completion/completions), or add to ~/.bashrc:
#   source <(till completion bash)

# Sets __till_kind to how the value of option $2 of command $1 completes: flag (it
# takes none), choice, file, listed (by running the program with __till_words) or
# none (nothing to offer).
__till_option() {
  __till_words=()
  case "$1|$2" in
    'till cart add|--item') __till_kind=none ;;
    'till cart add|--bundle') __till_kind=none ;;
    'till cart add|--cart') __till_kind=none ;;
    'till cart add|--product') __till_kind=none ;;
    'till cart add|--quantity') __till_kind=none ;;
    'till cart add|--event') __till_kind=none ;;
    'till cart add|--seat') __till_kind=none ;;
    'till cart add|--price') __till_kind=none ;;
    'till cart add|--reservation') __till_kind=none ;;
    'till cart add|--user') __till_kind=none ;;
    'till cart add|--guest') __till_kind=none ;;
    'till cart show|--cart') __till_kind=none ;;
    'till cart update|--cart') __till_kind=none ;;
    'till cart update|--product') __till_kind=none ;;
    'till cart update|--quantity') __till_kind=none ;;
    'till cart remove|--cart') __till_kind=none ;;
    'till cart remove|--product') __till_kind=none ;;
    'till cart remove|--item') __till_kind=none ;;
    'till cart clear|--cart') __till_kind=none ;;
    'till checkout start|--offer') __till_kind=none ;;
    'till checkout start|--item') __till_kind=none ;;
    'till checkout start|--bundle') __till_kind=none ;;
    'till checkout start|--customer') __till_kind=none ;;
    'till checkout start|--payment-channel') __till_kind=choice; __till_words=(CreditCard PayPal Klarna SEPA Bank) ;;
    'till checkout start|--card-file') __till_kind=file ;;
    'till checkout start|--correlation-id') __till_kind=none ;;
    'till checkout start|--body') __till_kind=file ;;
    'till checkout start|--cart') __till_kind=none ;;
    'till checkout start|--user') __till_kind=none ;;
    'till checkout start|--email') __till_kind=none ;;
    'till checkout start|--payment-method') __till_kind=none ;;
    'till checkout start|--customer-name') __till_kind=none ;;
    'till checkout start|--shipping-address') __till_kind=file ;;
    'till checkout start|--order') __till_kind=none ;;
    'till checkout start|--guest') __till_kind=none ;;
    'till checkout start|--promotion') __till_kind=none ;;
    'till checkout start|--interval') __till_kind=none ;;
    'till checkout start|--report-junit') __till_kind=file ;;
    'till checkout status|--ids-from') __till_kind=file ;;
    'till checkout status|--parallel') __till_kind=none ;;
    'till checkout status|--interval') __till_kind=none ;;
    'till checkout status|--report-junit') __till_kind=file ;;
    'till checkout trace|-o' | 'till checkout trace|--output') __till_kind=file ;;
    'till checkout trace|--ids-from') __till_kind=file ;;
    'till checkout trace|--parallel') __till_kind=none ;;
    'till checkout trace|--interval') __till_kind=none ;;
    'till checkout trace|--report-junit') __till_kind=file ;;
    'till checkout list|--user') __till_kind=none ;;
    'till checkout list|--status') __till_kind=none ;;
    'till checkout list|--limit') __till_kind=none ;;
    'till checkout pay|--amount') __till_kind=none ;;
    'till checkout pay|--user') __till_kind=none ;;
    'till checkout pay|--guest') __till_kind=none ;;
    'till checkout pay|--interval') __till_kind=none ;;
    'till checkout pay|--report-junit') __till_kind=file ;;
    'till checkout retry|--interval') __till_kind=none ;;
    'till checkout retry|--report-junit') __till_kind=file ;;
    'till checkout shipping|--carrier') __till_kind=none ;;
    'till checkout shipping|--service') __till_kind=none ;;
    'till customer add|--external-id') __till_kind=none ;;
    'till customer add|--email') __till_kind=none ;;
    'till customer add|--country') __till_kind=none ;;
    'till customer add|--language') __till_kind=none ;;
    'till offer resolve|--customer') __till_kind=none ;;
    'till offer resolve|--promotion') __till_kind=none ;;
    'till offer resolve|--storefront') __till_kind=none ;;
    'till offer resolve|--interaction') __till_kind=choice; __till_words=(new replace winback) ;;
    'till offer showcase|--promotion') __till_kind=none ;;
    'till offer showcase|--storefront') __till_kind=none ;;
    'till subscription cancel|--reason') __till_kind=none ;;
    'till catalog search|--category') __till_kind=none ;;
    'till catalog search|--min-price') __till_kind=none ;;
    'till catalog search|--max-price') __till_kind=none ;;
    'till catalog search|--limit') __till_kind=none ;;
    'till order list|--user') __till_kind=none ;;
    'till order list|--status') __till_kind=none ;;
    'till login|--email') __till_kind=none ;;
    'till login|--password-file') __till_kind=file ;;
    'till purchase|--customer') __till_kind=none ;;
    'till purchase|--email') __till_kind=none ;;
    'till purchase|--country') __till_kind=none ;;
    'till purchase|--external-id') __till_kind=none ;;
    'till purchase|--promotion') __till_kind=none ;;
    'till purchase|--item') __till_kind=none ;;
    'till purchase|--card-file') __till_kind=file ;;
    'till purchase|--payment-channel') __till_kind=choice; __till_words=(CreditCard PayPal Klarna SEPA Bank) ;;
    'till purchase|--cart') __till_kind=none ;;
    'till purchase|--product') __till_kind=none ;;
    'till purchase|--quantity') __till_kind=none ;;
    'till purchase|--user') __till_kind=none ;;
    'till purchase|--payment-method') __till_kind=none ;;
    'till purchase|--customer-name') __till_kind=none ;;
    'till purchase|--shipping-address') __till_kind=file ;;
    'till purchase|--event') __till_kind=none ;;
    'till purchase|--seat') __till_kind=none ;;
    'till purchase|--guest') __till_kind=none ;;
    'till purchase|--interval') __till_kind=none ;;
    'till purchase|--report-junit') __till_kind=file ;;
    'till profile add|--api-key-env') __till_kind=none ;;
    'till profile add|--token-env') __till_kind=none ;;
    'till profile add|--token-file') __till_kind=file ;;
    'till sandbox|--port') __till_kind=none ;;
    'till sandbox|--polls') __till_kind=none ;;
    'till sandbox|--retry-after') __till_kind=none ;;
    'till|--profile' | 'till '*'|--profile') __till_kind=listed; __till_words=(profile list --quiet) ;;
    'till|--api' | 'till '*'|--api') __till_kind=choice; __till_words=(c2a comos ticketing acme) ;;
    'till|--base-url' | 'till '*'|--base-url') __till_kind=none ;;
    'till|--tenant' | 'till '*'|--tenant') __till_kind=none ;;
    'till|--api-key-file' | 'till '*'|--api-key-file') __till_kind=file ;;
    'till|--trace' | 'till '*'|--trace') __till_kind=file ;;
    'till|--timeout' | 'till '*'|--timeout') __till_kind=none ;;
    'till|--max-wait' | 'till '*'|--max-wait') __till_kind=none ;;
    'till|--cacert' | 'till '*'|--cacert') __till_kind=file ;;
    'till|--color' | 'till '*'|--color') __till_kind=choice; __till_words=(auto always never) ;;
    'till|--inventory-url' | 'till '*'|--inventory-url') __till_kind=none ;;
    'till|--payment-url' | 'till '*'|--payment-url') __till_kind=none ;;
    'till|--catalog-url' | 'till '*'|--catalog-url') __till_kind=none ;;
    'till|--status-path' | 'till '*'|--status-path') __till_kind=none ;;
    'till|--orchestrator-url' | 'till '*'|--orchestrator-url') __till_kind=none ;;
    'till|--session-lookup' | 'till '*'|--session-lookup') __till_kind=none ;;
    *) __till_kind=flag ;;
  esac
}

# Sets __till_kind and __till_words for positional argument $2 (from 0) of command
# $1.
__till_argument() {
  __till_words=()
  case "$1|$2" in
    'till checkout status|'*) __till_kind=none ;;
    'till checkout trace|'*) __till_kind=none ;;
    'till checkout cancel|0') __till_kind=none ;;
    'till checkout pay|0') __till_kind=none ;;
    'till checkout retry|0') __till_kind=none ;;
    'till checkout shipping|0') __till_kind=none ;;
    'till customer validate|0') __till_kind=none ;;
    'till customer show|0') __till_kind=none ;;
    'till subscription list|0') __till_kind=none ;;
    'till subscription cancel|0') __till_kind=none ;;
    'till subscription reactivate|0') __till_kind=none ;;
    'till tenant show|0') __till_kind=none ;;
    'till catalog search|'*) __till_kind=none ;;
    'till catalog show|'*) __till_kind=none ;;
    'till order show|0') __till_kind=none ;;
    'till order track|0') __till_kind=none ;;
    'till event seats|0') __till_kind=none ;;
    'till profile add|0') __till_kind=listed; __till_words=(profile list --quiet) ;;
    'till profile show|0') __till_kind=listed; __till_words=(profile list --quiet) ;;
    'till profile use|0') __till_kind=listed; __till_words=(profile list --quiet) ;;
    'till profile remove|0') __till_kind=listed; __till_words=(profile list --quiet) ;;
    'till completion|0') __till_kind=choice; __till_words=(bash zsh fish) ;;
    'till help|'*) __till_kind=none ;;
    *) __till_kind=none ;;
  esac
}

# Sets __till_words to the subcommands of command $1; fails when it has none.
__till_subcommands() {
  case "$1" in
    till) __till_words=(cart checkout customer offer subscription tenant catalog order event login purchase profile sandbox demo completion help) ;;
    'till cart') __till_words=(add show update remove clear) ;;
    'till checkout') __till_words=(start status trace list cancel pay retry shipping) ;;
    'till customer') __till_words=(validate add show) ;;
    'till offer') __till_words=(resolve showcase) ;;
    'till subscription') __till_words=(list cancel reactivate) ;;
    'till tenant') __till_words=(list show) ;;
    'till catalog') __till_words=(search show) ;;
    'till order') __till_words=(list show track) ;;
    'till event') __till_words=(list seats) ;;
    'till profile') __till_words=(add list show use remove) ;;
    *) return 1 ;;
  esac
}

# Sets __till_words to the options command $1 accepts.
__till_options() {
  __till_words=()
  case "$1" in 'till cart add') __till_words+=(--item --bundle --cart --product --quantity --event --seat --price --reservation --reserve --user --guest) ;; esac
  case "$1" in 'till cart show') __till_words+=(--cart) ;; esac
  case "$1" in 'till cart update') __till_words+=(--cart --product --quantity) ;; esac
  case "$1" in 'till cart remove') __till_words+=(--cart --product --item) ;; esac
  case "$1" in 'till cart clear') __till_words+=(--cart) ;; esac
  case "$1" in 'till checkout start') __till_words+=(--offer --item --bundle --customer --payment-channel --stored-method --card-file --correlation-id --body --cart --user --email --payment-method --customer-name --shipping-address --order --guest --promotion -w --watch --interval --report-junit) ;; esac
  case "$1" in 'till checkout status') __till_words+=(--last --ids-from --parallel -w --watch --interval --report-junit) ;; esac
  case "$1" in 'till checkout trace') __till_words+=(-o --output --last --ids-from --parallel -w --watch --interval --report-junit) ;; esac
  case "$1" in 'till checkout list') __till_words+=(--user --status --limit) ;; esac
  case "$1" in 'till checkout pay') __till_words+=(--amount --user --guest -w --watch --interval --report-junit) ;; esac
  case "$1" in 'till checkout retry') __till_words+=(-w --watch --interval --report-junit) ;; esac
  case "$1" in 'till checkout shipping') __till_words+=(--carrier --service) ;; esac
  case "$1" in 'till customer add') __till_words+=(--external-id --email --country --language) ;; esac
  case "$1" in 'till offer resolve') __till_words+=(--customer --promotion --storefront --interaction) ;; esac
  case "$1" in 'till offer showcase') __till_words+=(--promotion --storefront) ;; esac
  case "$1" in 'till subscription cancel') __till_words+=(--reason) ;; esac
  case "$1" in 'till catalog search') __till_words+=(--category --min-price --max-price --limit) ;; esac
  case "$1" in 'till order list') __till_words+=(--user --status) ;; esac
  case "$1" in 'till login') __till_words+=(--email --password-file) ;; esac
  case "$1" in 'till purchase') __till_words+=(--customer --email --country --external-id --promotion --item --card-file --payment-channel --cart --product --quantity --user --payment-method --customer-name --shipping-address --event --seat --guest --interval --report-junit) ;; esac
  case "$1" in 'till profile add') __till_words+=(--api-key-env --token-env --token-file --default) ;; esac
  case "$1" in 'till sandbox') __till_words+=(--port --polls --retry-after) ;; esac
  case "$1" in till | 'till '*) __till_words+=(--profile --api --base-url --tenant --api-key-file --json -q --quiet -v --verbose --trace --timeout --max-wait --cacert --insecure --allow-https-upgrade --color --version --inventory-url --payment-url --catalog-url --status-path --orchestrator-url --session-lookup) ;; esac
  __till_words+=(-h --help)
}

# Adds to COMPREPLY the words of __till_words that start with $cur, after $prefix and
# without $trim.
__till_filter() {
  local word
  for word in "${__till_words[@]}"; do
    [[ $word == "$cur"* ]] && COMPREPLY+=("$prefix${word#"$trim"}")
  done
}

# Bash replaces only what follows the last ':' of the word (COMP_WORDBREAKS): a candidate
# for a $cur with a colon goes without what comes up to it.
__till_trim() {
  trim=
  if [[ $cur == *:* && $COMP_WORDBREAKS == *:* ]]; then
    trim=${cur%"${cur##*:}"}
    prefix=
  fi
}

# Completes $cur as described by __till_kind and __till_words.
__till_value() {
  case $__till_kind in
    choice) __till_filter ;;
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
      local -a lines=() run=("${words[0]/#\~/$HOME}" "${__till_words[@]}")
      type timeout &>/dev/null && run=(timeout 2 "${run[@]}")
      while IFS= read -r line; do lines+=("$line"); done < <("${run[@]}" </dev/null 2>/dev/null)
      __till_words=("${lines[@]}")
      __till_filter
      ;;
  esac
}

_till() {
  local cur prefix= command=till word last letters expecting= i cword=0
  local positionals=0 ended=0 __till_kind line=$COMP_LINE adjacent trim=
  local -a words=() __till_words=()
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
        __till_option "$command" "$word"
        [[ $__till_kind != flag ]] && expecting=$word
        ;;
      -[0-9]* | -.[0-9]* | -) positionals=$((positionals + 1)) ;;
      -?*)
        # Combined flags (-vq); the first letter that takes a value takes the rest of
        # the word, or else the next word.
        letters=${word#-}
        while [[ -n $letters ]]; do
          __till_option "$command" "-${letters:0:1}"
          letters=${letters:1}
          if [[ $__till_kind != flag ]]; then
            [[ -z $letters ]] && expecting=-${word: -1}
            break
          fi
        done
        ;;
      *)
        if ((positionals == 0)) && __till_subcommands "$command" &&
          [[ " ${__till_words[*]} " == *" $word "* ]]; then
          command+=" $word"
        else
          positionals=$((positionals + 1))
        fi
        ;;
    esac
  done

  cur=${words[cword]}
  __till_trim
  if [[ -n $expecting ]]; then
    __till_option "$command" "$expecting"
    __till_value
    return 0
  fi
  if ((!ended)); then
    case $cur in
      --*=*)
        __till_option "$command" "${cur%%=*}"
        [[ $COMP_WORDBREAKS != *=* ]] && prefix=${cur%%=*}=
        cur=${cur#*=}
        __till_trim
        __till_value
        return 0
        ;;
      -?* | -)
        __till_options "$command"
        __till_filter
        return 0
        ;;
    esac
  fi
  if ((positionals == 0 && !ended)) && __till_subcommands "$command"; then
    __till_filter
  fi
  __till_argument "$command" "$positionals"
  __till_value
  # Nothing else to offer at an empty word: show the options.
  if ((${#COMPREPLY[@]} == 0 && !ended)) && [[ -z $cur && $__till_kind == none ]] &&
    ! __till_subcommands "$command"; then
    __till_options "$command"
    __till_filter
  fi
  return 0
}

complete -F _till till
