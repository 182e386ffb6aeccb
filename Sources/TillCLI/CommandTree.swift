import TillArguments
import TillKit

/// Every command, option, default and environment variable of till, declared once. Help,
/// usage errors and the parser all read this tree.
enum CommandTree {

  static let globalOptions: [OptionSpec] = [
    .value(
      "profile", "NAME", ProfileCommands.names, help: "Use this profile from the config file.",
      environment: "TILL_PROFILE", default: "the config's default profile", global: true),
    .value(
      "api", "API", .choice(APIRegistry.names), help: "The checkout API to drive.",
      environment: "TILL_API", default: APIRegistry.defaultAPI.name, global: true),
    .value(
      "base-url", "URL", .url, help: "The API's server root, e.g. https://api.example.com.",
      environment: "TILL_BASE_URL", global: true),
    .value(
      "tenant", "ID", help: "The tenant id, where the API has tenants.", environment: "TILL_TENANT",
      global: true),
    .value(
      "api-key-file", "FILE", .file,
      help: "Read the API key from FILE (mode 0600), or '-' for standard input. The key is "
        + "never taken from the command line.", environment: "TILL_API_KEY (the key itself)",
      global: true),
    .flag(
      "json", help: "Print JSON: one object, or with --watch one line per change.", global: true),
    .flag(
      "quiet", short: "q",
      help: "Print only the id (of the checkout, customer, offer or subscription).", global: true),
    .flag(
      "verbose", short: "v",
      help: "Trace each HTTP request and response on standard error (secrets redacted).",
      global: true),
    .value(
      "trace", "FILE", .file,
      help: "Write every HTTP exchange to FILE as a HAR 1.2 log (secrets redacted).", global: true),
    .value(
      "timeout", "DURATION", .duration, help: "Give up on one HTTP request after this long.",
      default: "30s", global: true),
    .value(
      "max-wait", "DURATION", .duration,
      help: "With --watch, stop after this long without a final state (exit 5); for purchase, "
        + "the longest the whole purchase may take.", default: "no limit (purchase: 10m)",
      global: true),
    .value(
      "cacert", "FILE", .file, help: "Trust the CA certificates in FILE (PEM) for TLS.",
      global: true),
    .flag(
      "insecure", help: "Do not verify the server's TLS certificate (prints a warning).",
      global: true),
    .flag(
      "allow-https-upgrade",
      help: "Follow a redirect from http:// to https:// on the same host (port 443). A redirect "
        + "to any other origin is never followed: the API key would go with it.", global: true),
    .value(
      "color", "WHEN", .choice(["auto", "always", "never"]),
      help: "Colour the output; NO_COLOR in the environment means never.", default: "auto",
      global: true),
    .flag("version", help: "Print till's version.", global: true),
  ]

  static let intervalOption = OptionSpec.value(
    "interval", "DURATION", .duration,
    help: "Wait this long between polls when the server gives no Retry-After.", default: "2s")

  static let watchOptions: [OptionSpec] = [
    .flag(
      "watch", short: "w",
      help: "Keep polling until the checkout completes, fails or --max-wait passes."),
    intervalOption,
    .value(
      "report-junit", "FILE", .file,
      help: "With --watch, write the outcome as a JUnit XML report: one test case per "
        + "checkout, failed unless it completed (what CI test reporters read)."),
  ]

  /// A command that only groups others: its subcommands are the table's below it.
  static func group(_ name: String, abstract: String, discussion: String? = nil) -> CommandSpec {
    CommandSpec(
      name: name, abstract: abstract, discussion: discussion,
      subcommands: CommandTable.specs(below: [name]))
  }

  /// The tree, with each API's own options, help and examples on the commands they belong to.
  static let root = withAPIs(base, path: [])

  /// `argv` parsed. Merging every API's options and help into every command costs a start
  /// as much as the request itself, so the parse first uses a tree with the APIs' options
  /// only on the commands `argv` names; a parse that ends anywhere else, or fails, is done
  /// again on the whole tree, whose answer (and error) is then the one given.
  static func parse(_ argv: [String]) throws(UsageError) -> ParsedCommand {
    let path = commandWords(argv)
    if let parsed = try? withAPIs(base, path: [], along: path).parse(argv), parsed.path == path {
      return parsed
    }
    return try root.parse(argv)
  }

  /// `spec` at `path` with the APIs' options, help and examples; below it, only the commands
  /// on `along` get them (all of them without `along`), and only options with `along`.
  static func withAPIs(_ spec: CommandSpec, path: [String], along: [String]? = nil)
    -> CommandSpec
  {
    var spec = spec
    // A command's own options lead with the API's, which are what it is about; the global
    // options of the APIs follow the global ones that every API shares.
    spec.options =
      path.isEmpty
      ? spec.options + APIRegistry.options(for: path)
      : APIRegistry.options(for: path) + spec.options
    if along == nil {
      let (paragraphs, examples) = APIRegistry.help(for: path)
      if !paragraphs.isEmpty {
        spec.discussion = ([spec.discussion].compactMap { $0 } + paragraphs).joined(
          separator: "\n\n")
      }
      spec.examples = examples + spec.examples
    }
    spec.subcommands = spec.subcommands.map { command in
      let below = path + [command.name]
      guard let along else { return withAPIs(command, path: below) }
      return along.starts(with: below) ? withAPIs(command, path: below, along: along) : command
    }
    return spec
  }

  /// The words of `argv` that name commands, as far as the tree without the APIs' options
  /// tells: options are passed over, with the next word where the option takes a value.
  static func commandWords(_ argv: [String]) -> [String] {
    var node = base
    var path: [String] = []
    var skipNext = false
    for word in argv {
      if skipNext {
        skipNext = false
        continue
      }
      if word == "--" { break }
      if word.hasPrefix("-") {
        skipNext = !word.contains("=") && takesValue(word, on: node)
        continue
      }
      guard let next = node.subcommands.first(where: { $0.name == word }) else { continue }
      node = next
      path.append(word)
    }
    return path
  }

  /// Whether the option `word` (`--name` or `-x`) takes a value, on `node` or globally.
  private static func takesValue(_ word: String, on node: CommandSpec) -> Bool {
    let known = base.options + node.options
    if word.hasPrefix("--") {
      let long = word.dropFirst(2)
      if let option = known.first(where: { $0.long == long }) { return !option.isFlag }
      return APIRegistry.takesValue(String(long))
    }
    let short = word.dropFirst().first
    return known.contains { $0.short == short && !$0.isFlag }
  }

  static let base = CommandSpec(
    name: "till", abstract: "Drive checkouts against remote checkout APIs.",
    discussion: """
      Add to a cart, start a checkout and follow it to the end, honouring the server's \
      polling instructions and telling you what to do when the payment needs you (3-D \
      Secure). Secrets come from the environment or files, never from the command line.
      """,
    options: globalOptions,
    subcommands: [
      group(
        "cart", abstract: "Build the cart that checkout start submits.",
        discussion: """
          An API without a cart of its own on the server keeps it on this machine, in \
          $XDG_STATE_HOME/till/cart.json (default ~/.local/state/till/); show, remove and clear \
          work on that one. Otherwise cart add adds to the cart on the server.
          """),
      group("checkout", abstract: "Start checkouts and follow them."),
    ]
      + APIRegistry.all.flatMap(\.commandGroups).map {
        CommandSpec(
          name: $0.name, abstract: $0.abstract, discussion: $0.discussion,
          subcommands: $0.commands.map { $0.spec })
      } + [
        LoginCommand.spec, PurchaseCommand.spec,
        group(
          "profile", abstract: "Keep named settings for each API and environment.",
          discussion: """
            Profiles live in $XDG_CONFIG_HOME/till/config.toml (default ~/.config/till/). A profile \
            holds the API, base URL and tenant, and where each secret comes from (an environment \
            variable's name or a file's path), never a secret itself.

            Precedence for every setting: flag, then environment (TILL_API, TILL_BASE_URL, \
            TILL_TENANT, TILL_API_KEY, TILL_TOKEN), then the profile, then the default. The profile \
            is --profile, else TILL_PROFILE, else the config's default.
            """),
        SandboxCommand.spec, DemoCommand.spec, CompletionCommand.spec, HelpCommand.spec,
      ],
    examples: [
      Example(["demo"], "Watch a whole purchase against a built-in sandbox."),
      Example(["help", "exit-codes"], "What each exit status means."),
    ])
}
