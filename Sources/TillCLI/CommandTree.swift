import TillArguments
import TillKit

/// Every command, option, default and environment variable of till, declared once. Help,
/// usage errors and the parser all read this tree.
enum CommandTree {
  /// Completion asks till itself for the profile names of the user's config.
  static let profileNames = ValueKind.listed(by: ["profile", "list", "--quiet"])

  static let globalOptions: [OptionSpec] = [
    OptionSpec(
      long: "profile", value: ValueSpec(name: "NAME", kind: profileNames),
      help: "Use this profile from the config file.", environment: "TILL_PROFILE",
      defaultDescription: "the config's default profile", isGlobal: true),
    OptionSpec(
      long: "api", value: ValueSpec(name: "API", kind: .choice(APIRegistry.names)),
      help: "The checkout API to drive.", environment: "TILL_API",
      defaultDescription: APIRegistry.defaultAPI.name,
      isGlobal: true),
    OptionSpec(
      long: "base-url", value: ValueSpec(name: "URL", kind: .url),
      help: "The API's server root, e.g. https://api.example.com.",
      environment: "TILL_BASE_URL", isGlobal: true),
    OptionSpec(
      long: "tenant", value: ValueSpec(name: "ID"),
      help: "The tenant id, where the API has tenants.",
      environment: "TILL_TENANT", isGlobal: true),
    OptionSpec(
      long: "api-key-file", value: ValueSpec(name: "FILE", kind: .file),
      help: "Read the API key from FILE (mode 0600), or '-' for standard input. The key is "
        + "never taken from the command line.",
      environment: "TILL_API_KEY (the key itself)", isGlobal: true),
    OptionSpec(
      long: "json", help: "Print JSON: one object, or with --watch one line per change.",
      isGlobal: true),
    OptionSpec(long: "quiet", short: "q", help: "Print only the checkout id.", isGlobal: true),
    OptionSpec(
      long: "verbose", short: "v",
      help: "Trace each HTTP request and response on standard error (secrets redacted).",
      isGlobal: true),
    OptionSpec(
      long: "trace", value: ValueSpec(name: "FILE", kind: .file),
      help: "Write every HTTP exchange to FILE as a HAR 1.2 log (secrets redacted).",
      isGlobal: true),
    OptionSpec(
      long: "timeout", value: ValueSpec(name: "DURATION", kind: .duration),
      help: "Give up on one HTTP request after this long.", defaultDescription: "30s",
      isGlobal: true),
    OptionSpec(
      long: "max-wait", value: ValueSpec(name: "DURATION", kind: .duration),
      help: "With --watch, stop after this long without a final state (exit 5).",
      defaultDescription: "no limit", isGlobal: true),
    OptionSpec(
      long: "cacert", value: ValueSpec(name: "FILE", kind: .file),
      help: "Trust the CA certificates in FILE (PEM) for TLS.", isGlobal: true),
    OptionSpec(
      long: "insecure",
      help: "Do not verify the server's TLS certificate (prints a warning).", isGlobal: true),
    OptionSpec(
      long: "allow-https-upgrade",
      help: "Follow a redirect from http:// to https:// on the same host (port 443). A redirect "
        + "to any other origin is never followed: the API key would go with it.",
      isGlobal: true),
    OptionSpec(
      long: "color", value: ValueSpec(name: "WHEN", kind: .choice(["auto", "always", "never"])),
      help: "Colour the output; NO_COLOR in the environment means never.",
      defaultDescription: "auto", isGlobal: true),
    OptionSpec(long: "version", help: "Print till's version.", isGlobal: true),
  ]

  static let watchOptions: [OptionSpec] = [
    OptionSpec(
      long: "watch", short: "w",
      help: "Keep polling until the checkout completes, fails or --max-wait passes."),
    OptionSpec(
      long: "interval", value: ValueSpec(name: "DURATION", kind: .duration),
      help: "Wait this long between polls when the server gives no Retry-After.",
      defaultDescription: "2s"),
    OptionSpec(
      long: "report-junit", value: ValueSpec(name: "FILE", kind: .file),
      help: "With --watch, write the outcome as a JUnit XML report: one test case per "
        + "checkout, failed unless it completed (what CI test reporters read)."),
  ]

  static let checkoutStart = CommandSpec(
    name: "start", abstract: "Submit a checkout and print its id at once.",
    discussion: """
      Each API takes its own options, below; its server checks them before anything is \
      charged. The id is printed as soon as the server has accepted the checkout, and kept \
      in the history (checkout list, --last).
      """,
    options: watchOptions)

  static let checkoutStatus = CommandSpec(
    name: "status", abstract: "Show a checkout's state, or follow it with --watch.",
    discussion: """
      Without --watch, one look: exit 0 while it is processing or when it completed, 1 when \
      it failed, 3 when a human must act (3-D Secure). With --watch, polls as the server asks \
      (Retry-After, else its retryAfterSeconds, else --interval) until a final state.

      When 3-D Secure is required, till prints the redirect URL and, when the server sends \
      an inline HTML form, saves it to a file (mode 0600) and prints the path; open it in a \
      browser. With --watch, polling goes on while you complete the challenge.

      Several ids, or --ids-from, are read at once by one process: each checkout on its own \
      schedule, at most --parallel requests in flight over kept-alive connections, and \
      --max-wait for the whole watch. On a terminal a table (id, state, polls, age) is \
      redrawn in place; in a pipe each change is one line, then a summary line; with --json \
      each change is one JSON object, then a {"summary": ...} object. The exit status is the \
      most severe of the checkouts' own, in this order: \(ExitStatus.severityText). \
      Ctrl-C prints the command that resumes the watch.

      An id that begins with '-' goes after '--' (till checkout status --watch -- -ID). till \
      never prints such an id from a server, nor one with controls or invisible characters: \
      it names it on standard error and keeps it in the history for --last.
      """,
    arguments: [
      ArgumentSpec(
        name: "id",
        help: "The checkout's id; give several to read them at once.",
        isOptional: true, isRepeatable: true)
    ],
    options: [
      OptionSpec(
        long: "last",
        help: "Follow the checkout this machine started most recently (see checkout list)."),
      OptionSpec(
        long: "ids-from", value: ValueSpec(name: "FILE", kind: .file),
        help: "Also read checkout ids from FILE, one a line ('-' for standard input)."),
      OptionSpec(
        long: "parallel", value: ValueSpec(name: "N", kind: .integer),
        help: "With several checkouts, send at most N requests at once.",
        defaultDescription: "16"),
    ] + watchOptions,
    examples: [
      Example(
        ["checkout", "status", "trk_01HZ9XPZ3K2A8E0VBVQH7N9XGB", "--watch", "--max-wait", "5m"],
        "Follow a checkout for at most five minutes."),
      Example(
        ["checkout", "status", "--ids-from", "ids.txt", "--watch", "--json"],
        "Follow every checkout listed in ids.txt, one JSON line per change."),
    ])

  static let checkoutTrace = CommandSpec(
    name: "trace", abstract: "Record a checkout's exchange with its server as a HAR file.",
    discussion: """
      Reads the checkout once, or with --watch follows it to the end, as checkout status \
      does, and writes every request and response to a HAR 1.2 file: headers, bodies, \
      libcurl's timings, and for each poll the wait the server asked for (Retry-After or \
      retryAfterSeconds) beside the wait till planned and when the poll really went out. \
      API keys, tokens, passwords and card data are replaced by [redacted], so the file can \
      be attached to a support ticket; open it in a browser's network panel (Import HAR). \
      Any command takes --trace FILE to record the same way.
      """,
    arguments: checkoutStatus.arguments,
    options: [
      OptionSpec(
        long: "output", short: "o", value: ValueSpec(name: "FILE", kind: .file),
        help: "Where to write the HAR file.", defaultDescription: "till-trace-ID.har")
    ] + checkoutStatus.options,
    examples: [
      Example(
        ["checkout", "trace", "trk_01HZ9XPZ3K2A8E0VBVQH7N9XGB", "--watch", "--max-wait", "2m"],
        "Follow a stuck checkout for two minutes and keep the whole exchange for support.")
    ])

  static let checkoutList = CommandSpec(
    name: "list", abstract: "List the checkouts this machine started, newest first.",
    discussion: """
      Read from $XDG_STATE_HOME/till/history.jsonl (default ~/.local/state/till/), which \
      records each checkout's id, API, base URL, profile, start time and the last state \
      till saw. No secret is ever written there.
      """,
    options: [
      OptionSpec(
        long: "limit", value: ValueSpec(name: "N", kind: .integer),
        help: "Show at most N checkouts.", defaultDescription: "20")
    ])

  static let checkoutRetry = CommandSpec(
    name: "retry", abstract: "Run a failed or compensated saga again from its first step.",
    arguments: [ArgumentSpec(name: "id", help: "The saga's id.")],
    options: watchOptions)

  static let login = CommandSpec(
    name: "login", abstract: "Obtain a token where the API needs one.",
    discussion: """
      Saves the token, mode 0600, under $XDG_STATE_HOME/till/tokens/ for the profile. \
      TILL_TOKEN overrides a saved token. The password comes from TILL_PASSWORD, \
      --password-file, or standard input (asked for without echo on a terminal); never from \
      the command line. With -q the token is printed instead of saved.
      """,
    options: [
      OptionSpec(long: "email", value: ValueSpec(name: "EMAIL"), help: "The account's email."),
      OptionSpec(
        long: "password-file", value: ValueSpec(name: "FILE", kind: .file),
        help: "Read the password from FILE (mode 0600)."),
    ])

  static let checkoutCancel = CommandSpec(
    name: "cancel", abstract: "Cancel an order, where the API can.",
    arguments: [ArgumentSpec(name: "id", help: "The order's id.")])

  static let checkoutPay = CommandSpec(
    name: "pay", abstract: "Pay a pending order, or open its hosted payment page.",
    arguments: [ArgumentSpec(name: "id", help: "The order's or saga's id.")],
    options: watchOptions)

  static let checkout = CommandSpec(
    name: "checkout", abstract: "Start checkouts and follow them.",
    subcommands: [
      checkoutStart, checkoutStatus, checkoutTrace, checkoutList, checkoutCancel, checkoutPay,
      checkoutRetry,
    ])

  static let profileName = ArgumentSpec(
    name: "name", help: "The profile's name.", kind: profileNames)

  static let profile = CommandSpec(
    name: "profile", abstract: "Keep named settings for each API and environment.",
    discussion: """
      Profiles live in $XDG_CONFIG_HOME/till/config.toml (default ~/.config/till/). A profile \
      holds the API, base URL and tenant, and where each secret comes from (an environment \
      variable's name or a file's path), never a secret itself.

      Precedence for every setting: flag, then environment (TILL_API, TILL_BASE_URL, \
      TILL_TENANT, TILL_API_KEY, TILL_TOKEN), then the profile, then the default. The profile \
      is --profile, else TILL_PROFILE, else the config's default.
      """,
    subcommands: [
      CommandSpec(
        name: "add", abstract: "Add a profile, or replace one of the same name.",
        discussion: """
          Takes the global --api, --base-url, --tenant and --api-key-file as the profile's \
          own. A key file is recorded by its path and read only when the profile is used.
          """,
        arguments: [profileName],
        options: [
          OptionSpec(
            long: "api-key-env", value: ValueSpec(name: "VAR"),
            help: "Read the API key from this environment variable."),
          OptionSpec(
            long: "token-env", value: ValueSpec(name: "VAR"),
            help: "Read the bearer token from this environment variable."),
          OptionSpec(
            long: "token-file", value: ValueSpec(name: "FILE", kind: .file),
            help: "Read the bearer token from this file (mode 0600)."),
          OptionSpec(long: "default", help: "Make it the default profile."),
        ]),
      CommandSpec(name: "list", abstract: "List the profiles; the default is marked with *."),
      CommandSpec(
        name: "show", abstract: "Show a profile's settings as they resolve (secrets redacted).",
        arguments: [
          ArgumentSpec(
            name: "name", help: "The profile's name.", kind: profileNames, isOptional: true)
        ]),
      CommandSpec(name: "use", abstract: "Make a profile the default.", arguments: [profileName]),
      CommandSpec(name: "remove", abstract: "Remove a profile.", arguments: [profileName]),
    ])

  static let completion = CommandSpec(
    name: "completion", abstract: "Print the completion script for a shell.",
    discussion: """
      bash: source <(till completion bash), or save it as 'till' in bash-completion's \
      completions directory. zsh: save it as _till in a directory on $fpath. fish: save it \
      as till.fish in ~/.config/fish/completions/.
      """,
    arguments: [
      ArgumentSpec(name: "shell", help: "The shell.", kind: .choice(["bash", "zsh", "fish"]))
    ])

  static let cart = CommandSpec(
    name: "cart", abstract: "Build the cart that checkout start submits.",
    discussion: """
      An API without a cart of its own on the server keeps it on this machine, in \
      $XDG_STATE_HOME/till/cart.json (default ~/.local/state/till/); show, remove and clear \
      work on that one. Otherwise cart add adds to the cart on the server.
      """,
    subcommands: [
      CommandSpec(name: "add", abstract: "Add items to the cart."),
      CommandSpec(name: "show", abstract: "List the items of the cart kept on this machine."),
      CommandSpec(
        name: "remove", abstract: "Remove items from the cart kept on this machine.",
        options: [
          OptionSpec(
            long: "item", value: ValueSpec(name: "ID"), help: "The item to remove; repeatable.",
            isRepeatable: true)
        ]),
      CommandSpec(name: "clear", abstract: "Empty the cart kept on this machine."),
    ])

  static let sandbox = CommandSpec(
    name: "sandbox", abstract: "Serve every supported API with test scenarios on 127.0.0.1.",
    discussion: """
      Prints its base URL on the first line of standard output, then serves until \
      interrupted: every API till speaks, each under its own path, with the scenarios it \
      offers listed at start. Any API key and tenant are accepted. Nothing leaves the \
      machine: a 3-D Secure challenge (/sandbox/3ds/) and a hosted payment page \
      (/sandbox/pay/) are the sandbox's own pages, and the checkout waits until you open or \
      pay them in a browser.
      """,
    options: [
      OptionSpec(
        long: "port", value: ValueSpec(name: "PORT", kind: .integer),
        help: "The port to listen on; 0 picks a free one.", defaultDescription: "8080"),
      OptionSpec(
        long: "polls", value: ValueSpec(name: "N", kind: .integer),
        help: "Polls that answer 'processing' before a scenario moves on.",
        defaultDescription: "2"),
      OptionSpec(
        long: "retry-after", value: ValueSpec(name: "SECONDS", kind: .integer),
        help: "The Retry-After the sandbox asks for.", defaultDescription: "1"),
    ],
    examples: [
      Example(["sandbox", "--port", "0"], "Serve on a free port."),
      Example(
        [
          "--base-url", "http://127.0.0.1:8080", "--tenant", "t1", "checkout", "start", "--offer",
          "3ds", "--watch",
        ], "In another terminal, with TILL_API_KEY set: a checkout that needs 3-D Secure."),
    ])

  static let demo = CommandSpec(
    name: "demo",
    abstract: "Run a whole purchase against an in-process sandbox, narrating each step.",
    discussion: "Narrates a purchase with the API chosen with --api.",
    examples: [])

  static let help = CommandSpec(
    name: "help",
    abstract: "Show help for a command, or a topic: exit-codes, environment, options.",
    arguments: [
      ArgumentSpec(
        name: "topic", help: "A command (e.g. 'checkout status') or a topic.", isOptional: true,
        isRepeatable: true)
    ])

  /// The tree, with each API's own options, help and examples on the commands they belong to.
  static let root = withAPIs(base, path: [])

  static func withAPIs(_ spec: CommandSpec, path: [String]) -> CommandSpec {
    var spec = spec
    // A command's own options lead with the API's, which are what it is about; the global
    // options of the APIs follow the global ones that every API shares.
    spec.options =
      path.isEmpty
      ? spec.options + APIRegistry.options(for: path)
      : APIRegistry.options(for: path) + spec.options
    let (paragraphs, examples) = APIRegistry.help(for: path)
    if !paragraphs.isEmpty {
      spec.discussion = ([spec.discussion].compactMap { $0 } + paragraphs).joined(separator: "\n\n")
    }
    spec.examples = examples + spec.examples
    spec.subcommands = spec.subcommands.map { withAPIs($0, path: path + [$0.name]) }
    return spec
  }

  private static let base = CommandSpec(
    name: "till", abstract: "Drive checkouts against remote checkout APIs.",
    discussion: """
      Add to a cart, start a checkout and follow it to the end, honouring the server's \
      polling instructions and telling you what to do when the payment needs you (3-D \
      Secure). Secrets come from the environment or files, never from the command line.
      """,
    options: globalOptions,
    subcommands: [cart, checkout, login, profile, sandbox, demo, completion, help],
    examples: [
      Example(["demo"], "Watch a whole purchase against a built-in sandbox."),
      Example(["help", "exit-codes"], "What each exit status means."),
    ])
}
