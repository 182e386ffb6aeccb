import Glibc
import TillArguments
import TillKit

/// `till login --email E`: a token for an API that needs one, saved 0600 for the profile.
struct LoginCommand: TillCommand {
  static let spec = CommandSpec(
    name: "login", abstract: "Obtain a token where the API needs one.",
    discussion: """
      Saves the token, mode 0600, under $XDG_STATE_HOME/till/tokens/ for the profile. \
      TILL_TOKEN overrides a saved token. The password comes from TILL_PASSWORD, \
      --password-file, or standard input (asked for without echo on a terminal); never from \
      the command line. With -q the token is printed instead of saved.
      """,
    options: [
      .value("email", "EMAIL", help: "The account's email."),
      .value("password-file", "FILE", .file, help: "Read the password from FILE (mode 0600)."),
    ])

  let invocation: Invocation

  func run() throws(TillError) -> ExitStatus {
    let settings = invocation.settings
    guard invocation.api.capabilities.needsLogin else {
      let needing = APIRegistry.all.filter(\.capabilities.needsLogin).map { "--api " + $0.name }
      throw TillError(
        .usage,
        "'login' is for " + needing.joined(separator: " or ") + "; --api \(settings.api.value) "
          + "needs none")
    }
    let email = try parsed.requiredValue("email", "EMAIL")
    let password = try readPassword()
    invocation.secrets.add(password)
    let clock = SystemClock(interruption: interruption)
    let token = try invocation.makeAdapter(clock: clock).login(email: email, password: password)
    invocation.secrets.add(token)
    if settings.quiet {
      invocation.console.out(token)
      return .success
    }
    let path = try invocation.stateDirectory.write(
      Array((token + "\n").utf8), to: invocation.savedTokenName, what: "saved token")
    invocation.console.out(
      "Logged in as \(safe(email)); the token is saved in \(path)"
        + " (mode 0600).")
    return .success
  }

  /// TILL_PASSWORD, else --password-file, else standard input: asked for without echo on a
  /// terminal, read as its first line from a pipe.
  private func readPassword() throws(TillError) -> String {
    if let password = invocation.settings.environment["TILL_PASSWORD"] { return password }
    if let file = invocation.parsed.value("password-file") {
      let bytes = try SecretFile.read(
        file, what: "password", standardInput: invocation.readStandardInput)
      return firstLine(bytes)
    }
    if isatty(0) == 1 {
      invocation.installSignalHandlers()
      switch PasswordPrompt(console: invocation.console).ask("Password for the login: ") {
      case .line(let line) where !line.isEmpty:
        return line
      case .interrupted:
        let terminated = interruption.signal == SIGTERM
        throw TillError(
          terminated ? .terminated : .interrupted,
          "\(terminated ? "terminated" : "interrupted") at the password prompt; nothing was sent")
      case .line, .none:
        throw TillError(
          .usage,
          "no password given: type it at the prompt, set TILL_PASSWORD or use --password-file")
      }
    }
    guard let bytes = invocation.readStandardInput(), !bytes.isEmpty else {
      throw TillError(
        .usage, "no password: set TILL_PASSWORD, use --password-file FILE, or pipe it in")
    }
    return firstLine(bytes)
  }

  private func firstLine(_ bytes: [UInt8]) -> String {
    let line = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).first
    return String(decoding: line ?? [], as: UTF8.self).trimmingCharacters()
  }
}
