import Glibc
import TillArguments
import TillKit

/// The whole command line: parse argv against the command tree, run the command, and turn
/// what happened into an exit status.
public enum TillCommandLine {
  public static func main(_ argv: [String]) -> Int32 {
    reopenClosedStandardDescriptors()
    disableCoreDumps()
    signal(SIGPIPE, SIG_IGN)
    let environment = Environment.current()
    let parsed: ParsedCommand
    do {
      parsed = try CommandTree.parse(argv)
    } catch {
      let console = Console(color: "never")
      console.error(error.message)
      console.err(CommandTree.root.usageText(for: error.commandPath))
      console.err("Run 'till \((error.commandPath + ["--help"]).joined(separator: " "))' for more.")
      return ExitStatus.usage.rawValue
    }
    let console = Console(color: parsed.value("color") ?? "auto")
    if parsed.flag("version") && !parsed.helpRequested {
      console.out("till \(Till.version)")
      return ExitStatus.success.rawValue
    }
    if parsed.helpRequested || parsed.isMissingSubcommand {
      console.out(CommandTree.root.helpText(for: parsed.path))
      return ExitStatus.success.rawValue
    }
    do throws(TillError) {
      let standalone = parsed.path == ["help"] || parsed.path == ["completion"]
      let settings = try Settings(
        parsed, environment: environment, readingConfig: !standalone)
      let (resolved, last) = try resolvingLast(parsed, settings, console: console)
      try checkOptionsBelongToAPI(parsed, api: resolved.api.value)
      let invocation = Invocation(
        parsed: parsed, settings: resolved, console: console, lastCheckout: last)
      if settings.insecure {
        console.warning("--insecure: the server's TLS certificate is not verified")
      }
      let status: ExitStatus
      do throws(TillError) {
        status = try invocation.run()
      } catch {
        invocation.writeTrace()
        throw error
      }
      invocation.writeTrace()
      return outputFailureStatus(console) ?? status.rawValue
    } catch {
      if let status = outputFailureStatus(console) { return status }
      console.error(error.message)
      if error.status == .usage {
        console.err("Run 'till \((parsed.path + ["--help"]).joined(separator: " "))' for usage.")
      }
      return error.status.rawValue
    }
  }

  /// With --last: the newest checkout of the history, whose API and base URL the run uses
  /// unless the flags, environment or profile name others. Settled here, before the command
  /// runs, so that nothing changes the settings afterwards.
  static func resolvingLast(_ parsed: ParsedCommand, _ settings: Settings, console: Console)
    throws(TillError) -> (Settings, HistoryEntry?)
  {
    guard parsed.command.options.contains(where: { $0.long == "last" }), parsed.flag("last")
    else { return (settings, nil) }
    guard parsed.argument("id") == nil else {
      throw TillError(.usage, "give a checkout id or --last, not both")
    }
    let environment = settings.environment
    let history = CheckoutHistory(directory: TillDirectories.state { environment[$0] })
    try history.check()
    let (entries, warnings) = history.entries()
    for warning in warnings { console.warning(warning) }
    guard let last = entries.first else {
      throw TillError(
        .notFound, "no checkout in the history yet; start one with 'till checkout start'")
    }
    var settings = settings
    if settings.baseURL == nil {
      settings.baseURL = Sourced(value: last.baseURL, source: "the history")
    }
    if settings.api.source == "default" {
      settings.api = Sourced(value: last.api, source: "the history")
    }
    return (settings, last)
  }

  /// An option of one API's own, given with another API, is a usage error naming whose it is.
  static func checkOptionsBelongToAPI(_ parsed: ParsedCommand, api: String) throws(TillError) {
    for option in parsed.options {
      let owners = APIRegistry.owners(of: option.long, on: parsed.path)
      guard !owners.isEmpty, !owners.contains(api) else { continue }
      throw TillError(
        .usage,
        "--\(option.long) is not an option of --api \(api) (it is for "
          + owners.map { "--api " + $0 }.joined(separator: " and ") + ")")
    }
  }

  /// When standard output failed: quiet, like other tools, when its reader has gone; else an
  /// error naming the failure and the line that was not written, so an id is not lost.
  static func outputFailureStatus(_ console: Console) -> Int32? {
    guard let reason = console.stdoutFailureText else { return nil }
    if console.readerGone { return ExitStatus.outputClosed.rawValue }
    if !console.reportedOutputFailure {
      let line = console.unwritten.map { "; not written: \($0)" } ?? ""
      console.error("cannot write to standard output: \(reason)\(line)")
    }
    return ExitStatus.serverOrNetwork.rawValue
  }
}

/// Set by SIGINT and SIGTERM; waits and transfers check it and end promptly.
let interruption = InterruptionFlag()

/// One run of one command, with what every command needs.
final class Invocation {
  let parsed: ParsedCommand
  let settings: Settings
  let console: Console
  /// With --last, the newest checkout of the history, resolved before the run began.
  let lastCheckout: HistoryEntry?
  /// `~/.local/state/till`: the history, the local cart, saved tokens and challenge pages.
  let stateDirectory: PrivateDirectory

  /// The API `--api` chose.
  var api: any CheckoutAPI { APIRegistry.named(settings.api.value) ?? APIRegistry.defaultAPI }
  /// Every secret of the run, kept out of the `-v` trace and the HAR log.
  let secrets: Secrets

  init(
    parsed: ParsedCommand, settings: Settings, console: Console, lastCheckout: HistoryEntry? = nil
  ) {
    self.parsed = parsed
    self.settings = settings
    self.console = console
    self.lastCheckout = lastCheckout
    secrets = Secrets()
    let environment = settings.environment
    self.stateDirectory = TillDirectories.state { environment[$0] }
    // A password in a URL: the base URL, another service's, and a proxy's, which libcurl
    // reads from the environment itself and names in its verbose trace.
    let urls = [settings.baseURL?.value] + settings.apiSettings.values.map { Optional($0) }
    for url in urls.compactMap({ $0 }) { secrets.addCredentials(in: url) }
    for name in Invocation.proxyVariables {
      if let url = environment[name] { secrets.addCredentials(in: url) }
    }
    if let path = parsed.value("trace") { startTrace(to: path) }
  }

  /// A run of `parsed` with other settings inside this one (the demo's purchase against its
  /// sandbox): the same console and secrets, and its exchanges in this run's HAR log.
  init(inside outer: Invocation, parsed: ParsedCommand, settings: Settings) {
    self.parsed = parsed
    self.settings = settings
    console = outer.console
    lastCheckout = nil
    stateDirectory = TillDirectories.state { settings.environment[$0] }
    secrets = outer.secrets
    recorder = outer.recorder
  }

  /// Ends what the run's adapter holds on the server (an MCP session).
  func finish() { openedAdapter?.finish() }

  /// The variables libcurl takes a proxy from.
  static let proxyVariables = [
    "http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY",
  ]

  /// The adapter this run opened, so what it holds on the server (an MCP session) is ended.
  private var openedAdapter: CheckoutAdapter?

  /// With `--trace FILE` or `checkout trace`: where the HAR log goes, and what it records.
  private(set) var tracePath: String?
  private(set) var recorder: HARRecorder?

  /// Records every exchange from here on, to be written to `path` when the command ends.
  func startTrace(to path: String) {
    tracePath = path
    if recorder == nil { recorder = HARRecorder(secrets: secrets) }
  }

  /// Writes the HAR log, if one is recorded; a log that cannot be written is a warning, and
  /// never changes the command's outcome.
  func writeTrace() {
    guard let recorder, let tracePath else { return }
    do throws(TillError) {
      try recorder.write(to: tracePath)
      if !settings.quiet {
        let count = recorder.entryCount
        console.err(
          "Trace written to \(safe(tracePath)): \(count) "
            + (count == 1 ? "request" : "requests") + " (HAR 1.2, secrets redacted).")
      }
    } catch {
      console.warning("--trace: \(error.message)")
    }
  }

  func run() throws(TillError) -> ExitStatus {
    defer { finish() }
    guard let command = CommandTable.command(at: parsed.path) else {
      console.out(CommandTree.root.helpText(for: parsed.path))
      return .success
    }
    return try command.init(invocation: self).run()
  }

  var trace: TraceSink? {
    guard settings.verbose else { return nil }
    let secrets = self.secrets
    return { line in
      let text = secrets.redact(line) + "\n"
      _ = text.withCString { Glibc.write(2, $0, strlen($0)) }
    }
  }

  func transportOptions() -> TransportOptions {
    var options = TransportOptions()
    options.timeout = settings.timeout
    options.connectTimeout = min(settings.timeout, .seconds(10))
    options.caCertificateFile = settings.caCertificateFile
    options.insecure = settings.insecure
    options.allowsHTTPSUpgrade = parsed.flag("allow-https-upgrade")
    options.interruption = interruption
    options.recorder = recorder
    return options
  }

  /// The adapter for `--api`, over one kept-alive connection with safe retries.
  func makeAdapter(clock: SystemClock, deadline: Duration? = nil) throws(TillError)
    -> CheckoutAdapter
  {
    let baseURL = try settings.requireBaseURL()
    let apiKey = try settings.apiKey(standardInput: readStandardInput)
    if let key = apiKey?.value { secrets.add(key) }
    let transport: CurlTransport
    do {
      transport = try CurlTransport(options: transportOptions(), trace: trace)
    } catch {
      throw TillError(.serverOrNetwork, error.description)
    }
    let retrying = RetryingTransport(transport, clock: clock, trace: trace)
    retrying.recorder = recorder
    retrying.deadline = deadline
    var endpoint = APIEndpoint(
      baseURL: baseURL, tenant: settings.tenant?.value, apiKey: apiKey?.value)
    if api.capabilities.needsLogin {
      endpoint.token = try token()
      if let token = endpoint.token { secrets.add(token) }
    }
    let streamOptions = transportOptions()
    let streamTrace = trace
    let adapter = try api.makeAdapter(
      AdapterContext(
        transport: retrying, clock: clock, endpoint: endpoint, settings: settings.apiSettings,
        maxWait: settings.maxWait,
        openStream: { (request: HTTPRequest) throws(TransportError) -> EventStream in
          try CurlEventStream(request, options: streamOptions, trace: streamTrace)
        }))
    openedAdapter = adapter
    return adapter
  }

  /// Where `till login` keeps the token of the profile in use, in the state directory.
  var savedTokenName: String { "tokens/" + (settings.profile?.name ?? "default") + ".token" }

  /// The history, once its folder and file are known to be the user's alone.
  func history() throws(TillError) -> CheckoutHistory {
    let history = CheckoutHistory(directory: stateDirectory)
    try history.check()
    return history
  }

  /// The run's adapter as the concrete `A` of `owner`, for a command only that API has: with
  /// another --api, a usage error naming the command and the API it belongs to, before any
  /// set-up.
  func adapter<A: CheckoutAdapter>(
    _ type: A.Type, of owner: some CheckoutAPI, for command: String
  ) throws(TillError) -> A {
    guard api.name == owner.name else {
      throw TillError(
        .usage,
        "'\(command)' is for --api \(owner.name); --api \(api.name) has no such command")
    }
    installSignalHandlers()
    guard let own = try makeAdapter(clock: SystemClock(interruption: interruption)) as? A else {
      throw TillError(.serverOrNetwork, "--api \(owner.name) made no adapter of its own kind")
    }
    return own
  }

  /// The bearer token: TILL_TOKEN, else the profile's token-env or token-file, else the one
  /// `till login` saved.
  func token() throws(TillError) -> String? {
    if let token = try settings.token(standardInput: readStandardInput) { return token.value }
    guard
      let bytes = try stateDirectory.read(savedTokenName, what: "saved token", secret: true)
    else { return nil }
    let token = String(decoding: bytes, as: UTF8.self).trimmingCharacters()
    if let problem = headerValueProblem(token) {
      throw TillError(
        .usage,
        "the saved token '\(stateDirectory.path(of: savedTokenName))' holds \(problem); run "
          + "'till login' again")
    }
    return token.isEmpty ? nil : token
  }

  /// `--user ID` or `--guest TOKEN` (or TILL_GUEST_TOKEN); both at once is a usage error.
  func owner() throws(TillError) -> Owner? {
    let user = parsed.value("user")
    let guest = parsed.value("guest") ?? settings.environment["TILL_GUEST_TOKEN"]
    switch (user, guest) {
    case (let user?, nil): return .user(user)
    case (nil, let guest?):
      secrets.add(guest)
      return .guest(guest)
    case (.some, .some): throw TillError(.usage, "give --user or --guest, not both")
    case (nil, nil): return nil
    }
  }

  /// A file the user named, or standard input for `-`.
  func readFile(_ path: String, what: String) throws(TillError) -> [UInt8] {
    if path == "-" {
      guard let bytes = readStandardInput() else {
        throw TillError(.usage, "could not read the \(what) from standard input")
      }
      return bytes
    }
    return try LocalFile.read(path, what: what)
  }

  /// Standard input, read once, for whichever of the key, card or body asked for `-` first.
  private var standardInputConsumed = false
  func readStandardInput() -> [UInt8]? {
    guard !standardInputConsumed else { return nil }
    standardInputConsumed = true
    return LocalFile.readAll(0)
  }

  /// Ctrl-C and SIGTERM end a wait, a transfer or a password prompt promptly; a prompt's
  /// terminal gets its echo back in the handler itself, first. The signals are also
  /// unblocked: a parent (a CI runner, a test harness) may have passed on a mask that blocks
  /// them.
  func installSignalHandlers() {
    let handler: @convention(c) (Int32) -> Void = { signal in
      terminalModes.restore()
      interruption.set(signal)
    }
    signal(SIGINT, handler)
    signal(SIGTERM, handler)
    var signals = sigset_t()
    sigemptyset(&signals)
    sigaddset(&signals, SIGINT)
    sigaddset(&signals, SIGTERM)
    sigprocmask(SIG_UNBLOCK, &signals, nil)
  }
}
