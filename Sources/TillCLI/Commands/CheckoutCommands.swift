import Glibc
import TillArguments
import TillKit

/// `checkout start` and `checkout status`.
struct CheckoutCommands {
  let invocation: Invocation
  var settings: Settings { invocation.settings }
  var console: Console { invocation.console }
  var parsed: ParsedCommand { invocation.parsed }

  init(_ invocation: Invocation) { self.invocation = invocation }

  func start() throws(TillError) -> ExitStatus {
    let clock = SystemClock(interruption: interruption)
    let startedAt = clock.now
    var request = CheckoutRequest(correlationId: parsed.value("correlation-id") ?? makeUUID())
    var usedCart = false
    if let body = parsed.value("body") {
      let bytes = try readFile(body, what: "body file")
      guard (try? JSONValue.parse(bytes))?.isObject == true else {
        throw TillError(.usage, "the body file '\(body)' is not a JSON object")
      }
      request.body = bytes
    } else {
      guard let offer = parsed.value("offer"), !offer.isEmpty else {
        throw TillError(.usage, "checkout start needs --offer ID (or a complete --body FILE)")
      }
      request.offer = offer
      request.items = try itemsFromArguments()
      if request.items.isEmpty {
        request.items = try LocalCart.load(from: cartPath).items
        usedCart = !request.items.isEmpty
      }
      request.customer = parsed.value("customer")
      request.paymentChannel = parsed.value("payment-channel")
      request.useStoredMethod = parsed.flag("stored-method")
      if let cardFile = parsed.value("card-file") {
        let bytes = try SecretFile.read(
          cardFile, what: "card", standardInput: invocation.readStandardInput)
        guard let card = try? JSONValue.parse(bytes), card.isObject else {
          throw TillError(.usage, "the card file '\(cardFile)' is not a JSON creditCard object")
        }
        request.creditCard = card
      }
    }
    let watch = parsed.flag("watch")
    let interval = try Settings.duration(parsed, "interval") ?? .seconds(2)
    if watch { invocation.installSignalHandlers() }
    let deadline = settings.maxWait.map { startedAt + $0 }
    let adapter = try invocation.makeAdapter(clock: clock, deadline: watch ? deadline : nil)
    let submitted = try prepare(adapter.start(request))
    if usedCart { try LocalCart().save(to: cartPath) }
    guard watch else {
      StatusRenderer(console: console, settings: settings).show(submitted)
      return .success
    }
    return try follow(
      adapter: adapter, id: submitted.id, initial: submitted, clock: clock, startedAt: startedAt,
      interval: interval)
  }

  func status() throws(TillError) -> ExitStatus {
    let clock = SystemClock(interruption: interruption)
    let startedAt = clock.now
    guard let id = parsed.argument("id"), !id.isEmpty else {
      throw TillError(.usage, "checkout status needs a checkout id")
    }
    let interval = try Settings.duration(parsed, "interval") ?? .seconds(2)
    let watch = parsed.flag("watch")
    if watch { invocation.installSignalHandlers() }
    let deadline = settings.maxWait.map { startedAt + $0 }
    let adapter = try invocation.makeAdapter(clock: clock, deadline: watch ? deadline : nil)
    guard watch else {
      let status = try prepare(adapter.status(id: id))
      StatusRenderer(console: console, settings: settings).show(status)
      return status.state.exitStatus
    }
    return try follow(
      adapter: adapter, id: id, initial: nil, clock: clock, startedAt: startedAt,
      interval: interval)
  }

  /// Watches until a final state and reports how the watch ended.
  private func follow(
    adapter: CheckoutAdapter, id: String, initial: CheckoutStatus?, clock: SystemClock,
    startedAt: Duration, interval: Duration
  ) throws(TillError) -> ExitStatus {
    let renderer = StatusRenderer(console: console, settings: settings)
    let watcher = CheckoutWatcher(
      clock: clock, policy: PollPolicy(interval: interval, maxWait: settings.maxWait))
    var last = initial
    var writeError: TillError?
    let outcome: WatchOutcome
    do throws(TillError) {
      outcome = try watcher.watch(
        initial: initial, startedAt: startedAt,
        fetch: { () throws(TillError) -> CheckoutStatus in try adapter.status(id: id) },
        onChange: { status, poll in
          var shown = status
          do throws(TillError) { shown = try prepare(status) } catch { writeError = error }
          last = shown
          renderer.change(shown, poll: poll, elapsed: clock.now - startedAt)
        })
    } catch {
      guard error.status == .interrupted else { throw error }
      return interrupted(id: id, last: last)
    }
    if let writeError { console.warning(writeError.message) }
    let shownID = sanitizeForTerminal(id, singleLine: true)
    switch outcome {
    case .terminal(let status):
      if status.state != .completed, settings.quiet || settings.json {
        console.error("checkout \(shownID) ended \(status.state.rawValue) (\(status.serverState))")
      }
      if renderer.style == .quiet, status.state == .completed { return .success }
      return outcome.exitStatus
    case .actionRequired:
      console.error(
        "checkout \(shownID) needs a human to complete 3-D Secure, and the server said no "
          + "further steps follow")
    case .timedOut(let status, let polls):
      let state = status.map { " is still \($0.state.rawValue)" } ?? " has no answer yet"
      console.error(
        "gave up after --max-wait \(formatDuration(settings.maxWait ?? .zero)): checkout "
          + "\(shownID)\(state) (\(polls) polls)")
      console.err("Resume with: \(resumeCommand(id: id))")
    case .followUpStopped(let status):
      console.error(
        "the server said not to follow up (canFollowUp: false) while checkout \(shownID) "
          + "is \(status.state.rawValue)")
    case .interrupted(let status):
      return interrupted(id: id, last: status ?? last)
    }
    return outcome.exitStatus
  }

  private func interrupted(id: String, last: CheckoutStatus?) -> ExitStatus {
    let state = last.map { " (last seen \($0.state.rawValue))" } ?? ""
    console.err(
      "till: interrupted; checkout \(sanitizeForTerminal(id, singleLine: true))\(state) goes on "
        + "without till.")
    console.err("Resume with: \(resumeCommand(id: id))")
    return interruption.signal == SIGTERM ? .terminated : .interrupted
  }

  /// The command that picks the watch up again, with the same non-secret settings.
  func resumeCommand(id: String) -> String {
    var words = ["till"]
    for name in ["api", "base-url", "tenant", "api-key-file", "cacert"] {
      if let value = parsed.value(name) { words += ["--\(name)", value] }
    }
    if settings.insecure { words.append("--insecure") }
    words += ["checkout", "status", id, "--watch"]
    if let interval = parsed.value("interval") { words += ["--interval", interval] }
    return words.map(shellQuote).joined(separator: " ")
  }

  /// Saves inline 3-D Secure HTML to a private file and records its path, so raw HTML never
  /// reaches the terminal.
  private func prepare(_ status: CheckoutStatus) throws(TillError) -> CheckoutStatus {
    guard let html = status.redirect?.htmlContent, !html.isEmpty else { return status }
    var status = status
    let path = invocation.stateDirectory + "/3ds/" + percentEncodePathSegment(status.id) + ".html"
    try LocalFile.writeAtomically(Array(html.utf8), to: path, mode: 0o600)
    status.redirect?.htmlFile = path
    return status
  }

  private var cartPath: String { invocation.stateDirectory + "/cart.json" }

  private func itemsFromArguments() throws(TillError) -> [CartItem] {
    var items: [CartItem] = []
    for argument in parsed.values("item") {
      guard let item = CartItem(argument: argument) else {
        throw TillError(
          .usage,
          "invalid value '\(argument)' for '--item': expected ID or ID:QTY with QTY at least 1")
      }
      items.append(item)
    }
    return items
  }

  private func readFile(_ path: String, what: String) throws(TillError) -> [UInt8] {
    if path == "-" {
      guard let bytes = invocation.readStandardInput() else {
        throw TillError(.usage, "could not read the \(what) from standard input")
      }
      return bytes
    }
    return try LocalFile.read(path, what: what)
  }
}

/// Quotes a word for a POSIX shell when it needs it.
func shellQuote(_ word: String) -> String {
  let safe = word.unicodeScalars.allSatisfy {
    ($0.value < 128 && ($0.properties.isAlphabetic || ("0"..."9").contains($0)))
      || "-_./:=@%+,".unicodeScalars.contains($0)
  }
  if safe && !word.isEmpty { return word }
  return "'" + word.replacingAll("'", with: "'\\''") + "'"
}

extension String {
  func replacingAll(_ target: Character, with replacement: String) -> String {
    var out = ""
    for character in self {
      if character == target { out += replacement } else { out.append(character) }
    }
    return out
  }
}
