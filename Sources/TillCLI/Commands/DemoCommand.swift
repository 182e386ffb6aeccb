import Glibc
import TillArguments
import TillKit
import TillSandbox

/// `till demo`: a whole purchase against a sandbox in this process, narrated step by step by
/// the API chosen with --api. It runs the same cart, adapter, watcher and renderer as the real
/// commands.
struct DemoCommand: TillCommand {
  static let spec = CommandSpec(
    name: "demo",
    abstract: "Run a whole purchase against an in-process sandbox, narrating each step.",
    discussion: "Narrates a purchase with the API chosen with --api.",
    examples: [])

  let invocation: Invocation

  func run() throws(TillError) -> ExitStatus {
    let sandbox = Sandbox(
      configuration: SandboxConfiguration(pollsBeforeDone: 2, retryAfterSeconds: 1))
    do {
      try sandbox.start()
    } catch {
      throw TillError(.serverOrNetwork, "cannot start the sandbox: \(error.description)")
    }
    defer { sandbox.stop() }
    invocation.installSignalHandlers()
    let workspace = try temporaryDirectory()
    defer { removeTree(workspace) }
    return try invocation.api.demo(
      Demo(invocation: invocation, baseURL: sandbox.baseURL, workspace: workspace))
  }

  private func temporaryDirectory() throws(TillError) -> String {
    var template = Array("/tmp/till-demo-XXXXXX".utf8CString)
    guard let path = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
      throw TillError(.serverOrNetwork, "cannot create a temporary directory: \(errnoText())")
    }
    return String(cString: path)
  }

  private func removeTree(_ path: String) {
    unlink(path + "/cart.json")
    rmdir(path)
  }
}

/// What an API's demo narrates with: the sandbox, numbered steps, adapters on the run's own
/// transport settings, and a watch shown as `checkout status --watch` shows it.
struct Demo {
  let invocation: Invocation
  /// The sandbox's root.
  let baseURL: String
  /// A private directory for the demo's files, removed afterwards.
  let workspace: String

  var console: Console { invocation.console }
  var renderer: StatusRenderer { StatusRenderer(console: console, settings: invocation.settings) }

  /// A step's title and the command it stands for; what the step prints sits under it.
  func step(_ number: Int, of total: Int = 4, _ title: String, _ command: String) {
    console.outputIndent = ""
    console.out("")
    console.out(console.paint("Step \(number) of \(total): \(title)", "1"))
    console.outputIndent = "  "
    console.out(console.paint("$ \(command)", "2"))
  }

  /// An adapter made by `make`, with safe retries, and its clock.
  func adapter(_ make: (RetryingTransport, SystemClock) -> CheckoutAdapter)
    throws(TillError) -> (CheckoutAdapter, SystemClock)
  {
    let clock = SystemClock(interruption: interruption)
    do {
      let transport = try CurlTransport(
        options: invocation.transportOptions(), trace: invocation.trace)
      return (
        make(RetryingTransport(transport, clock: clock, trace: invocation.trace), clock), clock
      )
    } catch {
      throw TillError(.serverOrNetwork, error.description)
    }
  }

  /// Follows the checkout to a final state, showing each change; `onChange` sees each status
  /// after it is shown.
  func watch(
    _ adapter: CheckoutAdapter, initial: CheckoutStatus, clock: SystemClock, startedAt: Duration,
    onChange: (CheckoutStatus) -> Void = { _ in }
  ) throws(TillError) -> WatchOutcome {
    let renderer = self.renderer
    return try CheckoutWatcher(
      clock: clock, policy: PollPolicy(interval: .seconds(1), maxWait: .seconds(60))
    ).watch(
      initial: initial, startedAt: startedAt,
      fetch: { () throws(TillError) -> CheckoutStatus in try adapter.status(id: initial.id) },
      onChange: { status, poll in
        renderer.change(status, poll: poll, elapsed: clock.now - startedAt)
        onChange(status)
      })
  }

  /// What a browser does when the human finishes a challenge: load the page.
  func visit(_ url: String, doing action: String) throws(TillError) -> String {
    do {
      return "HTTP \(try get(url).status)"
    } catch {
      throw TillError(.serverOrNetwork, "\(action): \(error)")
    }
  }

  /// A plain GET, as a browser or a look at the sandbox's stats would make.
  func get(_ url: String) throws(TransportError) -> HTTPResponse {
    try CurlTransport(options: invocation.transportOptions()).send(HTTPRequest(url: url))
  }
}

func errnoText() -> String { String(cString: strerror(errno)).lowercased() }
