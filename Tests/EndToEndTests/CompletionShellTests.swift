import Foundation
import Testing

/// Asks bash, zsh and fish for the completions of partial command lines, using the checked-in
/// completion files and the built `till` on PATH (completion runs it for profile names). A
/// shell's test is skipped only when that shell is not installed; CI installs all three.
@Suite struct CompletionShellTests {
  @Test(.enabled(if: CompletionShell.bash.isInstalled, "bash is not installed"))
  func bash() throws {
    try checkEveryCase(CompletionSession(.bash))
  }

  @Test(
    .enabled(
      if: CompletionShell.bashWithBashCompletion.isInstalled,
      "bash or bash-completion (/usr/share/bash-completion) is not installed"))
  func bashWithBashCompletion() throws {
    try checkEveryCase(CompletionSession(.bashWithBashCompletion))
  }

  @Test(.enabled(if: CompletionShell.zsh.isInstalled, "zsh is not installed"))
  func zsh() throws {
    try checkEveryCase(CompletionSession(.zsh))
  }

  @Test(.enabled(if: CompletionShell.fish.isInstalled, "fish is not installed"))
  func fish() throws {
    try checkEveryCase(CompletionSession(.fish))
  }

  @Test(.enabled(if: CompletionShell.bash.isInstalled, "bash is not installed"))
  func bashCompletesTheValueOfOptionEqualsValue() throws {
    let session = try CompletionSession(.bash)
    #expect(try session.complete("till --color=a") == ["always", "auto"])
    #expect(try session.complete("till --api=").contains("c2a"))
    #expect(try session.complete("till checkout start --card-file=ca") == ["card.json"])
  }

  /// Bash puts a candidate in place of what follows the word's last ':' only, so a candidate
  /// for a word with a colon leaves out what comes up to it (bash alone: without
  /// bash-completion's _filedir, whose file names take their own route).
  @Test(.enabled(if: CompletionShell.bash.isInstalled, "bash is not installed"))
  func bashCompletesAfterAColon() throws {
    let session = try CompletionSession(.bash)
    try Data().write(to: URL(fileURLWithPath: session.workingDirectory + "/pay:2026.json"))
    #expect(try session.complete("till checkout start --card-file pay:20") == ["2026.json"])
    #expect(try session.complete("till checkout start --card-file=pay:") == ["2026.json"])
    #expect(try session.complete("till checkout start --card-file pa") == ["pay:2026.json"])
  }

  @Test(.enabled(if: CompletionShell.fish.isInstalled, "fish is not installed"))
  func fishCompletesTheValueOfOptionEqualsValue() throws {
    let session = try CompletionSession(.fish)
    #expect(try session.complete("till --color=a") == ["--color=always", "--color=auto"])
    #expect(try session.complete("till checkout start --card-file=ca") == ["--card-file=card.json"])
  }

  @Test(.enabled(if: CompletionShell.bash.isInstalled, "bash is not installed"))
  func profileNamesAreQuietlyAbsentWithoutAConfig() throws {
    let session = try CompletionSession(.bash, config: nil)
    let started = Date()
    let result = try session.run("till --profile ")
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.isEmpty)
    #expect(Date().timeIntervalSince(started) < 10)
  }

  /// The cases every shell must answer alike.
  func checkEveryCase(_ session: CompletionSession) throws {
    let shell = session.shell.rawValue
    #expect(try session.complete("till ch") == ["checkout"], "\(shell)")

    let checkoutCommands = try session.complete("till checkout ")
    #expect(checkoutCommands.isSuperset(of: ["start", "status", "list"]), "\(shell)")
    #expect(!checkoutCommands.contains("cart"), "\(shell): \(checkoutCommands)")
    #expect(!checkoutCommands.contains { $0.hasPrefix("-") }, "\(shell): \(checkoutCommands)")

    #expect(try session.complete("till checkout st") == ["start", "status"], "\(shell)")
    #expect(
      try session.complete("till -q --timeout 5s checkout st") == ["start", "status"],
      "\(shell): a global option and its value before the subcommand")
    #expect(
      try session.complete("till --base-url http://127.0.0.1:8080 checkout st")
        == ["start", "status"],
      "\(shell): a value with colons, which bash splits into words")
    #expect(
      try session.complete("till cart add --item SKU-1:2 --cart C --").contains("--user"),
      "\(shell): options after a value with a colon")

    let apis = try session.complete("till --api ")
    #expect(apis.contains("c2a"), "\(shell): \(apis)")
    #expect(apis.isSubset(of: ["c2a", "comos", "ticketing", "acme"]), "\(shell): \(apis)")

    #expect(try session.complete("till --color ") == ["auto", "always", "never"], "\(shell)")
    #expect(try session.complete("till completion ") == ["bash", "zsh", "fish"], "\(shell)")
    #expect(try session.complete("till --profile ") == ["staging", "prod"], "\(shell)")
    #expect(
      try session.complete("till checkout --profile st") == ["staging"],
      "\(shell): a global option after a subcommand")

    let statusOptions = try session.complete("till checkout status --")
    #expect(
      statusOptions.isSuperset(of: ["--watch", "--last", "--json", "--profile", "--help"]),
      "\(shell): \(statusOptions)")
    #expect(statusOptions.allSatisfy { $0.hasPrefix("--") }, "\(shell): \(statusOptions)")
    #expect(!statusOptions.contains("--offer"), "\(shell): an option of checkout start")

    #expect(
      try session.complete("till checkout start --card-file ") == CompletionSession.files,
      "\(shell)")
    #expect(try session.complete("till --base-url ") == [], "\(shell): a URL has no candidates")
    #expect(try session.complete("till sandbox --port ") == [], "\(shell): nor a number")
  }
}

/// A shell, and how to ask it for completions.
enum CompletionShell: String, Sendable {
  case bash
  case bashWithBashCompletion = "bash with bash-completion"
  case zsh
  case fish

  static let bashCompletion = "/usr/share/bash-completion/bash_completion"

  var executable: String? {
    tool(self == .bashWithBashCompletion ? "bash" : rawValue)
  }

  var isInstalled: Bool {
    guard executable != nil else { return false }
    return self != .bashWithBashCompletion
      || FileManager.default.fileExists(atPath: Self.bashCompletion)
  }
}

/// A temporary home with a config that has two profiles and a few files to complete, and the
/// shell that completes there.
final class CompletionSession {
  static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
  static let files: Set<String> = ["card.json", "notes.txt", "keys"]
  static let config = """
    default = "staging"

    [profiles.staging]
    api = "c2a"
    base-url = "http://127.0.0.1:8080"

    [profiles.prod]
    api = "c2a"
    base-url = "https://acme.example"

    """

  let shell: CompletionShell
  let home: String
  let workingDirectory: String
  let environment: [String: String]

  init(_ shell: CompletionShell, config: String? = CompletionSession.config) throws {
    self.shell = shell
    home = NSTemporaryDirectory() + "till-completion-" + UUID().uuidString
    workingDirectory = home + "/work"
    let manager = FileManager.default
    try manager.createDirectory(
      atPath: workingDirectory + "/keys", withIntermediateDirectories: true)
    for file in Self.files where file.contains(".") {
      try Data().write(to: URL(fileURLWithPath: workingDirectory + "/" + file))
    }
    if let config {
      try manager.createDirectory(atPath: home + "/config/till", withIntermediateDirectories: true)
      try Data(config.utf8).write(to: URL(fileURLWithPath: home + "/config/till/config.toml"))
    }
    try Data(Self.bashDriver.utf8).write(to: URL(fileURLWithPath: home + "/complete.bash"))
    try Data(Self.zshDriver.utf8).write(to: URL(fileURLWithPath: home + "/complete.zsh"))
    let binaryDirectory = URL(fileURLWithPath: Till.binary).deletingLastPathComponent().path
    environment = [
      "PATH": binaryDirectory + ":/usr/local/bin:/usr/bin:/bin", "HOME": home,
      "XDG_CONFIG_HOME": home + "/config", "XDG_STATE_HOME": home + "/state",
      "XDG_DATA_HOME": home + "/data", "LANG": "C.UTF-8",
    ]
  }

  deinit { try? FileManager.default.removeItem(atPath: home) }

  /// The candidates the shell offers for `line`, the cursor at its end; directories without
  /// their trailing slash, descriptions left out.
  func complete(_ line: String) throws -> Set<String> {
    let result = try run(line)
    #expect(result.status == 0, "\(shell.rawValue) '\(line)': \(result.stderr)")
    let candidates = result.stdout.split(separator: "\n").map { line in
      var candidate = String(line.split(separator: "\t", maxSplits: 1).first ?? "")
      if candidate.hasSuffix("/") { candidate.removeLast() }
      return candidate
    }
    return Set(candidates.filter { !$0.isEmpty })
  }

  func run(_ line: String) throws -> ProcessResult {
    let completions = Self.repositoryRoot.appendingPathComponent("completions").path
    let executable = try #require(shell.executable)
    let arguments: [String]
    switch shell {
    case .bash:
      arguments = [home + "/complete.bash", completions + "/till.bash", "plain", line]
    case .bashWithBashCompletion:
      arguments = [home + "/complete.bash", completions + "/till.bash", "bash-completion", line]
    case .zsh:
      arguments = ["-f", home + "/complete.zsh", completions, line]
    case .fish:
      arguments = [
        "--no-config", "-c", "source $argv[1]; complete -C $argv[2]",
        completions + "/till.fish", line,
      ]
    }
    return try runProcess(
      executable, arguments, environment: environment, directory: workingDirectory)
  }

  /// Sources the script (and bash-completion, when asked), splits the line as readline does
  /// with the default COMP_WORDBREAKS (at blanks; a run of `=` and `:` is a word of its own),
  /// calls the function registered for `till`, and prints COMPREPLY.
  static let bashDriver = #"""
    script=$1 mode=$2 line=$3
    if [[ $mode == bash-completion ]]; then
      source /usr/share/bash-completion/bash_completion
    fi
    source "$script"
    COMP_WORDS=()
    read -ra parts <<<"$line"
    [[ $line == *' ' || -z $line ]] && parts+=('')
    for part in "${parts[@]}"; do
      [[ -z $part ]] && COMP_WORDS+=('')
      while [[ -n $part ]]; do
        if [[ $part =~ ^[=:]+ || $part =~ ^[^=:]+ ]]; then
          COMP_WORDS+=("${BASH_REMATCH[0]}")
          part=${part:${#BASH_REMATCH[0]}}
        fi
      done
    done
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMP_LINE=$line
    COMP_POINT=${#line}
    spec=$(complete -p "${COMP_WORDS[0]}") || exit 3
    function=${spec##*-F }
    function=${function%% *}
    "$function" "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
    ((${#COMPREPLY[@]})) && printf '%s\n' "${COMPREPLY[@]}"
    exit 0
    """#

  /// Completion widgets run only in an interactive zsh on a terminal, so one runs in a
  /// pseudo-terminal (zpty) with compinit and the completions directory on fpath. compadd is
  /// wrapped to print each match it adds; the line is typed with a TAB, and the shell exits
  /// once completion is done.
  static let zshDriver = #"""
    zmodload zsh/zpty || exit 3
    setopt extended_glob
    setup=$(mktemp) || exit 3
    print -r -- "fpath=(${(q)1} \$fpath)" >$setup
    cat >>$setup <<'SETUP'
    PS1= PROMPT= RPROMPT=
    autoload -U compinit
    compinit -u -D
    zstyle ':completion:*' menu no
    zstyle ':completion:*' list-prompt ''
    compadd() {
      # Calls that only compute matches (-O, -A, -D) go through untouched.
      if (( ${@[(I)-[OAD]*]} )); then
        builtin compadd "$@"
        return
      fi
      local -a captured
      builtin compadd -O captured "$@"
      local match
      for match in $captured; do print -r -- "<match>$match"; done
      builtin compadd "$@"
    }
    completion-begins() { print -r -- '<begin>'; }
    completion-ends() { print -r -- '<end>'; exit; }
    compprefuncs=(completion-begins)
    comppostfuncs=(completion-ends)
    bindkey '^I' complete-word
    print -r -- '<ready>'
    SETUP
    zpty capture zsh -f -i
    zpty -w capture "source ${(q)setup}"
    local output inside=0
    while zpty -r capture output; do
      [[ $output == *'<ready>'* ]] && break
    done
    zpty -w -n capture "$2"$'\t'
    while zpty -r capture output; do
      output=${output%%$'\r'#$'\n'}
      case $output in
        *'<begin>'*) inside=1 ;;
        *'<end>'*) break ;;
        *'<match>'*) (( inside )) && print -r -- ${output#*<match>} ;;
      esac
    done
    zpty -d capture
    rm -f $setup
    exit 0
    """#
}

struct ProcessResult {
  var status: Int32
  var stdout: String
  var stderr: String
}

/// Runs a program to its end, killed after `timeout` (which fails the test); its output goes
/// to files, so a chatty program cannot block on a full pipe.
func runProcess(
  _ executable: String, _ arguments: [String], environment: [String: String], directory: String,
  timeout: TimeInterval = 30
) throws -> ProcessResult {
  let outputs = NSTemporaryDirectory() + "till-process-" + UUID().uuidString
  try FileManager.default.createDirectory(atPath: outputs, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(atPath: outputs) }
  let outPath = outputs + "/stdout"
  let errPath = outputs + "/stderr"
  try Data().write(to: URL(fileURLWithPath: outPath))
  try Data().write(to: URL(fileURLWithPath: errPath))
  let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
  let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
  defer {
    try? out.close()
    try? err.close()
  }

  let process = Process()
  process.executableURL = URL(fileURLWithPath: executable)
  process.arguments = arguments
  process.environment = environment
  process.currentDirectoryURL = URL(fileURLWithPath: directory)
  process.standardInput = FileHandle.nullDevice
  process.standardOutput = out
  process.standardError = err
  try process.run()
  let end = Date().addingTimeInterval(timeout)
  while process.isRunning && Date() < end { Thread.sleep(forTimeInterval: 0.01) }
  if process.isRunning {
    Issue.record("\(executable) \(arguments) did not finish within \(timeout) s")
    kill(process.processIdentifier, SIGKILL)
  }
  process.waitUntilExit()
  let stdout = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
  let stderr = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
  return ProcessResult(status: process.terminationStatus, stdout: stdout, stderr: stderr)
}
