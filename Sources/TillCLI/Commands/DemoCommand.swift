import Glibc
import TillKit
import TillSandbox

/// `till demo`: a whole purchase against a sandbox in this process, narrated step by step.
/// It runs the same cart, adapter, watcher and renderer as the real commands.
struct DemoCommand {
  let invocation: Invocation

  init(_ invocation: Invocation) { self.invocation = invocation }

  func run() throws(TillError) -> ExitStatus {
    let console = invocation.console
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

    let base = sandbox.baseURL
    func step(_ number: Int, _ title: String, _ command: String) {
      console.out("")
      console.out(console.paint("Step \(number) of 4: \(title)", "1"))
      console.out(console.paint("  $ \(command)", "2"))
    }
    console.out("A sandbox is serving the C2A API on \(base) (in this process).")
    console.out("Environment: TILL_BASE_URL=\(base) TILL_TENANT=demo-tenant TILL_API_KEY=…")

    step(1, "put two items in the cart", "till cart add --item sku-coffee:2 --item sku-mug")
    var cart = LocalCart()
    cart.add(CartItem(id: "sku-coffee", quantity: 2))
    cart.add(CartItem(id: "sku-mug"))
    try cart.save(to: workspace + "/cart.json")
    for item in cart.items { console.out("  \(item.id) × \(item.quantity)") }

    step(2, "submit the checkout", "till checkout start --offer 3ds")
    let clock = SystemClock(interruption: interruption)
    let startedAt = clock.now
    let transport: CurlTransport
    do {
      transport = try CurlTransport(options: invocation.transportOptions(), trace: invocation.trace)
    } catch {
      throw TillError(.serverOrNetwork, error.description)
    }
    let adapter = C2AAdapter(
      transport: RetryingTransport(transport, clock: clock, trace: invocation.trace),
      endpoint: APIEndpoint(baseURL: base, tenant: "demo-tenant", apiKey: "demo-key"),
      clock: clock)
    var request = CheckoutRequest(correlationId: makeUUID())
    request.offer = "3ds"
    request.items = cart.items
    request.paymentChannel = "CreditCard"
    let submitted = try adapter.start(request)
    console.out("  Submitted: tracking number \(submitted.id).")
    console.out(
      "  The server answered 202 and asks to poll again in "
        + "\(formatDuration(PollPolicy().delay(after: submitted.hint))) (Retry-After).")

    step(3, "follow it to the end", "till checkout status \(submitted.id) --watch")
    let renderer = StatusRenderer(console: console, settings: invocation.settings)
    var challengeDone = false
    var browserError: TillError?
    let watcher = CheckoutWatcher(
      clock: clock, policy: PollPolicy(interval: .seconds(1), maxWait: .seconds(60)))
    let outcome = try watcher.watch(
      initial: submitted, startedAt: startedAt,
      fetch: { () throws(TillError) -> CheckoutStatus in try adapter.status(id: submitted.id) },
      onChange: { status, poll in
        renderer.change(status, poll: poll, elapsed: clock.now - startedAt)
        guard status.state == .actionRequired, !challengeDone, let url = status.redirect?.url
        else { return }
        challengeDone = true
        console.out("  You would open that page in a browser; the demo visits it for you:")
        do throws(TillError) {
          let page = try completeChallenge(url)
          console.out("  GET \(sanitizeForTerminal(url, singleLine: true)) → \(page)")
        } catch {
          browserError = error
        }
      })
    if let browserError { throw browserError }

    step(4, "check what happened", "till checkout status \(submitted.id)")
    guard case .terminal(let final) = outcome, final.state == CheckoutState.completed else {
      console.error("the demo checkout did not complete: \(outcome)")
      return outcome.exitStatus
    }
    renderer.show(try adapter.status(id: final.id))
    console.out("")
    console.out(
      "Done in \(formatDuration(clock.now - startedAt)). "
        + serverSideSummary(base: base, id: submitted.id))
    console.out("Next: 'till sandbox' serves these scenarios for your own scripts; 'till help'.")
    return .success
  }

  /// What a browser does when the human finishes the challenge: load the page.
  private func completeChallenge(_ url: String) throws(TillError) -> String {
    do {
      let browser = try CurlTransport(options: invocation.transportOptions())
      let response = try browser.send(HTTPRequest(url: url))
      return "HTTP \(response.status)"
    } catch {
      throw TillError(.serverOrNetwork, "completing the 3-D Secure step: \(error)")
    }
  }

  /// The sandbox's own count of connections and early polls for the checkout.
  private func serverSideSummary(base: String, id: String) -> String {
    guard let transport = try? CurlTransport(options: invocation.transportOptions()),
      let response = try? transport.send(HTTPRequest(url: base + "/sandbox/stats/" + id)),
      let stats = try? JSONValue.parse(response.body),
      let connections = stats["connections"]?.array?.count, let polls = stats["polls"]?.int,
      let early = stats["earlyPolls"]?.int
    else { return "" }
    let plural = connections == 1 ? "connection" : "connections"
    return "The sandbox saw \(polls) polls over \(connections) TCP \(plural), \(early) of them "
      + "before the Retry-After it asked for."
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

func errnoText() -> String { String(cString: strerror(errno)).lowercased() }
