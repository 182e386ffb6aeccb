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
    switch invocation.settings.api.value {
    case "ticketing": return try ticketing(base: base)
    case "acme": return try acme(base: base + "/acme")
    default: break
    }
    console.out("A sandbox is serving the C2A API on \(base) (in this process).")
    console.out("Environment: TILL_BASE_URL=\(base) TILL_TENANT=demo-tenant TILL_API_KEY=…")

    step(1, "put two items in the cart", "till cart add --item sku-coffee:2 --item sku-mug")
    var cart = LocalCart()
    try cart.add(CartItem(id: "sku-coffee", quantity: 2))
    try cart.add(CartItem(id: "sku-mug"))
    try cart.save(to: PrivateDirectory(workspace, role: "state"))
    for item in cart.items { console.out("\(item.id) × \(item.quantity)") }

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
    console.out("Submitted: tracking number \(submitted.id).")
    console.out(
      "The server answered 202 and asks to poll again in "
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
        console.out("You would open that page in a browser; the demo visits it for you:")
        do throws(TillError) {
          let page = try completeChallenge(url)
          console.out("GET \(sanitizeForTerminal(url, singleLine: true)) → \(page)")
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
    console.outputIndent = ""
    console.out("")
    console.out(
      "Done in \(formatDuration(clock.now - startedAt)). "
        + serverSideSummary(base: base, id: submitted.id))
    console.out("Next: 'till sandbox' serves these scenarios for your own scripts; 'till help'.")
    return .success
  }

  private func step(_ number: Int, of total: Int, _ title: String, _ command: String) {
    let console = invocation.console
    console.outputIndent = ""
    console.out("")
    console.out(console.paint("Step \(number) of \(total): \(title)", "1"))
    // Everything the step prints, its command's own output too, sits under its title.
    console.outputIndent = "  "
    console.out(console.paint("$ \(command)", "2"))
  }

  private func step(_ number: Int, _ title: String, _ command: String) {
    step(number, of: 4, title, command)
  }

  private func adapter(_ make: (RetryingTransport, SystemClock) -> CheckoutAdapter)
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

  /// Ticketing: reserve a seat, add it to a draft order, check out, pay.
  private func ticketing(base: String) throws(TillError) -> ExitStatus {
    let console = invocation.console
    let renderer = StatusRenderer(console: console, settings: invocation.settings)
    let (adapter, _) = try adapter { transport, clock in
      TicketingAdapter(transport: transport, endpoint: APIEndpoint(baseURL: base), clock: clock)
    }
    let seat = "550e8400-e29b-41d4-a716-446655440002"
    let user = "user-123"
    console.out("A sandbox is serving the ticketing services on \(base) (in this process).")
    step(
      1, "reserve a seat and put it in the cart",
      "till --api ticketing cart add --seat \(seat) --price 50.00 --reserve --user \(user)")
    var addition = CartAddition()
    addition.seat = seat
    addition.price = "50.00"
    addition.reserve = true
    addition.owner = .user(user)
    let cart = try adapter.addToCart(addition)
    for note in cart.notes { console.out(note) }
    console.out("Draft order \(cart.id): \(cart.itemCount) item, total \(cart.total ?? "?").")
    console.out(
      "(Instead of the document's blind 'sleep 3', till retried until the ordering service "
        + "had seen the reservation.)")

    step(
      2, "check out the draft order",
      "till --api ticketing checkout start --order \(cart.id) --user \(user)")
    var request = CheckoutRequest(correlationId: makeUUID())
    request.order = cart.id
    request.owner = .user(user)
    renderer.show(try adapter.start(request))

    step(
      3, "pay for it", "till --api ticketing checkout pay \(cart.id) --amount 50.00 --user \(user)")
    let payment = try adapter.pay(id: cart.id, amount: "50.00", owner: .user(user))
    console.out("Payment \(payment.id ?? "?"): \(payment.status).")

    step(4, "a declined card, for contrast", "till --api ticketing checkout pay … --amount 13.13 …")
    do throws(TillError) {
      var other = CartAddition()
      other.seat = "550e8400-e29b-41d4-a716-446655440003"
      other.price = "13.13"
      other.owner = .user("user-456")
      other.reserve = true
      let second = try adapter.addToCart(other)
      var checkout = CheckoutRequest(correlationId: makeUUID())
      checkout.order = second.id
      checkout.owner = .user("user-456")
      _ = try adapter.start(checkout)
      _ = try adapter.pay(id: second.id, amount: "13.13", owner: .user("user-456"))
      console.out("The sandbox accepted a card it should have declined.")
      return .checkoutFailed
    } catch  where error.status == .checkoutFailed {
      console.out("till: error: \(sanitizeForTerminal(error.message))   (exit status 1)")
    }
    console.outputIndent = ""
    console.out("")
    console.out(
      "Done. 'till --api ticketing --base-url URL …' does the same against a real service.")
    return .success
  }

  /// Acme: fill a cart, check it out, watch the saga; then a saga that compensates.
  private func acme(base: String) throws(TillError) -> ExitStatus {
    let console = invocation.console
    let renderer = StatusRenderer(console: console, settings: invocation.settings)
    let (adapter, clock) = try adapter { transport, clock in
      AcmeAdapter(transport: transport, endpoint: APIEndpoint(baseURL: base), clock: clock)
    }
    console.out("A sandbox is serving the Acme checkout API on \(base) (in this process).")
    step(
      1, of: 3, "fill a cart",
      "till --api acme cart add --cart demo-cart --product sku-coffee --quantity 2")
    var addition = CartAddition()
    addition.cart = "demo-cart"
    addition.product = "sku-coffee"
    addition.quantity = 2
    let cart = try adapter.addToCart(addition)
    console.out("Cart \(cart.id): \(cart.itemCount) items, total \(cart.total ?? "?").")

    let customer = "3f2b8c1e-6d4a-4f7e-9b2c-1a2b3c4d5e6f"
    step(
      2, of: 3, "check it out and watch the saga",
      "till --api acme checkout start --cart demo-cart --customer \(customer) --watch")
    let final = try watchSaga(
      adapter, clock: clock, renderer: renderer, cart: "demo-cart", customer: customer)
    renderer.show(final)

    step(
      3, of: 3, "a declined authorization: the saga compensates",
      "till --api acme checkout start --cart declined-cart --customer 00000000-…-000000000402 --watch"
    )
    addition.cart = "declined-cart"
    _ = try adapter.addToCart(addition)
    let compensated = try watchSaga(
      adapter, clock: clock, renderer: renderer, cart: "declined-cart",
      customer: "00000000-0000-0000-0000-000000000402")
    renderer.show(compensated)
    console.outputIndent = ""
    console.out("")
    console.out("Done: one saga completed, one compensated (exit status 1 for that one).")
    return final.state == .completed && compensated.state == .compensated
      ? .success : .checkoutFailed
  }

  private func watchSaga(
    _ adapter: CheckoutAdapter, clock: SystemClock, renderer: StatusRenderer, cart: String,
    customer: String
  ) throws(TillError) -> CheckoutStatus {
    var request = CheckoutRequest(correlationId: makeUUID())
    request.cart = cart
    request.customer = customer
    let started = clock.now
    let session = try adapter.start(request)
    let outcome = try CheckoutWatcher(
      clock: clock, policy: PollPolicy(interval: .seconds(1), maxWait: .seconds(60))
    ).watch(
      initial: session, startedAt: started,
      fetch: { () throws(TillError) -> CheckoutStatus in try adapter.status(id: session.id) },
      onChange: { status, poll in renderer.change(status, poll: poll, elapsed: clock.now - started)
      })
    guard case .terminal(let final) = outcome else {
      throw TillError(outcome.exitStatus, "the demo saga did not finish: \(outcome)")
    }
    console.out("")
    return final
  }

  private var console: Console { invocation.console }

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
