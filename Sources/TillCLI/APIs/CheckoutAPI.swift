import TillArguments
import TillKit

/// What till knows of one checkout API, declared in the API's own folder: its name, its own
/// options and help, what it can do, and how its adapter, requests and demo are made.
/// `APIRegistry` lists them; nothing else in the client names an API.
protocol CheckoutAPI: Sendable {
  /// The value of `--api`.
  var name: String { get }
  var capabilities: APICapabilities { get }
  /// Options of its own, each on the command it belongs to; an API's options may share a
  /// name with another's, and help then shows both meanings.
  var options: [APIOption] { get }
  /// What each command's help says of this API.
  var help: [APIHelp] { get }
  func makeAdapter(_ context: AdapterContext) throws(TillError) -> CheckoutAdapter
  /// `checkout start`'s request, from this API's options.
  func checkoutRequest(_ invocation: Invocation) throws(TillError) -> PreparedCheckout
  /// `cart add`'s addition, for an API whose cart is on its server.
  func cartAddition(_ invocation: Invocation) throws(TillError) -> CartAddition
  /// `till purchase`: the API's flow from its first step to the confirmed result, each step
  /// run through `purchase`.
  func purchase(_ purchase: Purchase) throws(TillError) -> PurchaseOutcome
  /// `till demo`: the purchase it runs against the built-in sandbox at `sandbox`; files it
  /// names go into `workspace`.
  func demo(sandbox: String, workspace: String) -> DemoPurchase
  /// The items `cart add` puts into a cart kept on this machine, from this API's options.
  func localCartItems(_ invocation: Invocation) throws(TillError) -> [CartItem]
  /// Keeps what a checkout the server accepted as `id` was for, on this machine, so that
  /// whichever watch sees it complete can confirm it.
  func remember(_ request: CheckoutRequest, acceptedAs id: String, _ invocation: Invocation)
    throws(TillError)
  /// What the server confirms once checkout `id` has completed (what was bought, as the human
  /// reads it); empty for an API with nothing more to confirm, or a checkout it did not keep.
  func confirmation(ofCheckout id: String, _ invocation: Invocation, adapter: CheckoutAdapter)
    throws(TillError) -> [String]
  /// `cart show|update|remove|clear` on a cart the server keeps, or nil when the API has no
  /// tools for it.
  func serverCart(_ action: String, _ invocation: Invocation) throws(TillError) -> ExitStatus?
  /// Commands of this API's own (`customer …`, `tenant …`), in groups the root lists.
  var commandGroups: [APICommandGroup] { get }
}

/// A group of commands only one API has: its word, its help, and its commands, each of which
/// refuses another --api.
struct APICommandGroup: Sendable {
  var name: String
  var abstract: String
  var discussion: String?
  var commands: [any TillCommand.Type]
}

extension CheckoutAPI {
  var commandGroups: [APICommandGroup] { [] }

  func serverCart(_ action: String, _ invocation: Invocation) throws(TillError) -> ExitStatus? {
    nil
  }

  func localCartItems(_ invocation: Invocation) throws(TillError) -> [CartItem] {
    try CartItem.items(fromArguments: invocation.parsed.values("item"))
  }

  func remember(_ request: CheckoutRequest, acceptedAs id: String, _ invocation: Invocation)
    throws(TillError)
  {}

  func confirmation(ofCheckout id: String, _ invocation: Invocation, adapter: CheckoutAdapter)
    throws(TillError) -> [String]
  { [] }

  func cartAddition(_ invocation: Invocation) throws(TillError) -> CartAddition {
    throw TillError(.usage, "'cart add' is not available for --api \(name)")
  }
}

/// What an API can do beyond starting and reading a checkout.
struct APICapabilities: Sendable {
  /// Its cart is kept on this machine (`cart show|remove|clear`), not on the server.
  var keepsLocalCart = false
  /// It dedupes submits by `--correlation-id`: an interrupted submit can be sent again.
  var dedupesByCorrelationID = false
  /// It takes a bearer token, which `till login` obtains.
  var needsLogin = false
  /// `checkout pay` opens a hosted payment page rather than paying an amount.
  var hasHostedPaymentPage = false
  /// `checkout list --user` adds the server's own list of the user's checkouts.
  var listsServerCheckouts = false
  /// What a human is asked to do when a checkout waits for them.
  var challenge = "complete the payment in a browser"
  /// What `cart add` made, as its output names it.
  var cartNoun = "Cart"
}

/// An option of one API's own, on the command at `command` (empty: a global option).
struct APIOption: Sendable {
  var command: [String]
  var spec: OptionSpec
  /// A global option a profile may keep (another service's URL), checked by `check`.
  var inProfiles = false
  /// Why a value is not acceptable, or nil when it is.
  var check: (@Sendable (String) -> String?)?

  init(
    _ command: [String], _ spec: OptionSpec, inProfiles: Bool = false,
    check: (@Sendable (String) -> String?)? = nil
  ) {
    self.command = command
    self.spec = spec
    self.inProfiles = inProfiles
    self.check = check
  }
}

/// One API's options on one command, declared a line each: the help of each is prefixed
/// with the API's label (`C2A: …`), as help and the man page show which API an option is for.
struct APIOptions {
  var command: [String]
  var label: String

  init(_ label: String, on command: [String]) {
    self.label = label
    self.command = command
  }

  /// `--long PLACEHOLDER`, any text.
  func value(
    _ long: String, _ placeholder: String, _ help: String, default shown: String? = nil,
    repeatable: Bool = false, environment: String? = nil
  ) -> APIOption {
    value(
      long, placeholder, .string, help, default: shown, repeatable: repeatable,
      environment: environment)
  }

  /// `--long PLACEHOLDER`, of `kind`.
  func value(
    _ long: String, _ placeholder: String, _ kind: ValueKind, _ help: String,
    default shown: String? = nil, repeatable: Bool = false, environment: String? = nil
  ) -> APIOption {
    APIOption(
      command,
      .value(
        long, placeholder, kind, help: "\(label): \(help)", environment: environment,
        default: shown, repeatable: repeatable))
  }

  /// `--long`, a flag.
  func flag(_ long: String, _ help: String) -> APIOption {
    APIOption(command, .flag(long, help: "\(label): \(help)"))
  }

  /// A service's URL, global and kept in profiles (`--inventory-url URL`).
  func serviceURL(
    _ service: String, _ help: String, check: (@Sendable (String) -> String?)? = nil
  ) -> APIOption {
    APIOption(
      command,
      .value(
        "\(service)-url", "URL", .url, help: "\(label): \(help)", default: "the base URL",
        global: true),
      inProfiles: true, check: check)
  }
}

/// A paragraph and examples of a command's help that are about one API.
struct APIHelp: Sendable {
  var command: [String]
  var text: String?
  var examples: [Example]

  init(_ command: [String], _ text: String? = nil, examples: [Example] = []) {
    self.command = command
    self.text = text
    self.examples = examples
  }
}

/// What an adapter is made of: the transport, clock and endpoint every API gets, and the
/// API's own global settings (flag, else profile).
struct AdapterContext {
  var transport: HTTPTransport
  var clock: SystemClock
  var endpoint: APIEndpoint
  var settings: [String: String]
  var maxWait: Duration?
  /// Opens a long-lived event stream on a connection of its own (the legacy MCP transport).
  var openStream: EventStreamOpener?
}

/// A request for `checkout start`, and what to do once the server has accepted it (empty
/// the local cart it came from).
struct PreparedCheckout {
  var request: CheckoutRequest
  var afterAccepted: (() throws(TillError) -> Void)?

  init(_ request: CheckoutRequest, afterAccepted: (() throws(TillError) -> Void)? = nil) {
    self.request = request
    self.afterAccepted = afterAccepted
  }
}

/// `--quantity`, at least 1.
func quantity(_ text: String?) throws(TillError) -> Int {
  guard let text else { return 1 }
  guard let value = Int(text), value >= 1 else {
    throw TillError(.usage, "invalid value '\(text)' for '--quantity': expected 1 or more")
  }
  return value
}

/// The options of a cart on the server that takes a product and a quantity: `--cart`,
/// `--product` and `--quantity` on `cart add`, each helped as `API: …`.
func productLineOptions(_ api: String, cart: String) -> [APIOption] {
  let add = APIOptions(api, on: ["cart", "add"])
  return [
    add.value("cart", "ID", cart),
    add.value("product", "ID", "the product to add."),
    add.value("quantity", "N", .integer, "how many.", default: "1"),
  ]
}

/// `cart add`'s product line, from `--cart`, `--product` and `--quantity`.
func productLine(_ parsed: ParsedCommand) throws(TillError) -> ProductLine {
  ProductLine(
    cart: parsed.value("cart"), product: parsed.value("product"),
    quantity: try quantity(parsed.value("quantity")))
}
