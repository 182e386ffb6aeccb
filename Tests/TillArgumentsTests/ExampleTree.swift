import TillArguments

/// A small tree shaped like till's, used by every suite.
enum ExampleTree {
  static let watch = OptionSpec(long: "watch", help: "Follow the checkout until it ends.")

  static let checkoutStart = CommandSpec(
    name: "start",
    abstract: "Submit a checkout and print its id at once.",
    options: [
      watch,
      OptionSpec(long: "offer", value: ValueSpec(name: "OFFER"), help: "The offer to buy."),
      OptionSpec(
        long: "item", value: ValueSpec(name: "SKU"), help: "An item to add to the checkout.",
        isRepeatable: true),
      OptionSpec(
        long: "body", value: ValueSpec(name: "FILE", kind: .file),
        help: "Send this JSON request body instead; '-' reads standard input."),
    ],
    examples: [
      Example(["checkout", "start", "--item", "sku-1", "--watch"], "Buy one item and follow it.")
    ])

  static let checkoutStatus = CommandSpec(
    name: "status",
    abstract: "Show the state of one or more checkouts.",
    discussion: """
      Prints the state, the saga steps done, current, failed or compensated, and what the \
      server asked for.

      With --watch, polls as the server instructs until every checkout reaches a terminal \
      state.
      """,
    arguments: [
      ArgumentSpec(
        name: "id", help: "A checkout id (tracking number or saga id).", isRepeatable: true)
    ],
    options: [watch],
    examples: [
      Example(["checkout", "status", "c2a-7f3e", "--watch"], "Follow a checkout until it ends.")
    ])

  static let checkout = CommandSpec(
    name: "checkout",
    abstract: "Start checkouts and follow them.",
    subcommands: [checkoutStart, checkoutStatus])

  static let cart = CommandSpec(
    name: "cart",
    abstract: "Build a cart.",
    subcommands: [
      CommandSpec(
        name: "add", abstract: "Add an item to the cart.",
        arguments: [
          ArgumentSpec(name: "sku", help: "The item."),
          ArgumentSpec(
            name: "quantity", help: "How many.", kind: .integer, isOptional: true),
        ]),
      CommandSpec(name: "show", abstract: "Show the cart."),
      CommandSpec(name: "clear", abstract: "Empty the cart."),
    ])

  static let sandbox = CommandSpec(
    name: "sandbox",
    abstract: "Run a local server speaking every supported API.",
    options: [
      OptionSpec(
        long: "port", value: ValueSpec(name: "PORT", kind: .integer),
        help: "The port to listen on.", defaultDescription: "8080")
    ])

  static let till = CommandSpec(
    name: "till",
    abstract: "Drive checkouts against remote checkout APIs.",
    options: [
      OptionSpec(long: "json", help: "Print JSON instead of text.", isGlobal: true),
      OptionSpec(
        long: "quiet", short: "q", help: "Print only ids.", isGlobal: true),
      OptionSpec(
        long: "verbose", short: "v", help: "Trace HTTP on standard error, secrets redacted.",
        isRepeatable: true, isGlobal: true),
      OptionSpec(
        long: "api",
        value: ValueSpec(name: "API", kind: .choice(["c2a", "comos", "ticketing", "acme"])),
        help: "The checkout API to speak.", environment: "TILL_API", isGlobal: true),
      OptionSpec(
        long: "base-url", value: ValueSpec(name: "URL", kind: .url),
        help: "Where the API lives.", environment: "TILL_BASE_URL", isGlobal: true),
      OptionSpec(
        long: "timeout", short: "t", value: ValueSpec(name: "DURATION", kind: .duration),
        help: "Give up on one request after this long.", environment: "TILL_TIMEOUT",
        defaultDescription: "30s", isGlobal: true),
      OptionSpec(
        long: "color", value: ValueSpec(name: "WHEN", kind: .choice(["auto", "always", "never"])),
        help: "When to color the output.", defaultDescription: "auto", isGlobal: true),
      OptionSpec(long: "version", help: "Show the version.", isGlobal: true),
      OptionSpec(
        long: "interval", value: ValueSpec(name: "SECONDS", kind: .integer),
        help: "A root-only option, to show that only globals travel."),
    ],
    subcommands: [checkout, cart, sandbox])
}
