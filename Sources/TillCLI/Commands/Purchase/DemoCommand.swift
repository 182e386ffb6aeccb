import Glibc
import TillArguments
import TillKit
import TillSandbox

/// `till demo`: `till purchase` against a sandbox in this process, with the API chosen with
/// --api. It is the same purchase, steps and output; only the server, the settings and a
/// stand-in for the human's browser are the demo's own.
struct DemoCommand: TillCommand {
  static let spec = CommandSpec(
    name: "demo",
    abstract: "Run a whole purchase against an in-process sandbox, narrating each step.",
    discussion: """
      Starts the sandbox on 127.0.0.1 and runs 'till purchase' against it with the API chosen \
      with --api, printing the command line it runs; a page a human would complete (3-D \
      Secure, a hosted payment page) is completed by the demo. Nothing is kept: the demo's \
      history and files live in a temporary directory, removed afterwards.
      """,
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
    let workspace = try temporaryDirectory()
    defer { removeTree(workspace) }
    let api = invocation.api
    let demo = api.demo(sandbox: sandbox.baseURL, workspace: workspace)
    for (name, contents) in demo.files {
      try LocalFile.writeAtomically(Array(contents.utf8), to: workspace + "/" + name, mode: 0o600)
    }
    let words = ["--api", api.name] + passedOn() + ["purchase"] + demo.arguments
    let parsed: ParsedCommand
    do {
      parsed = try CommandTree.root.parse(words)
    } catch {
      throw TillError(.usage, "the demo's purchase does not parse: \(error.message)")
    }
    var variables = [
      "TILL_BASE_URL": demo.baseURL, "XDG_STATE_HOME": workspace,
      "XDG_CONFIG_HOME": workspace + "/config", "HOME": workspace,
    ]
    variables["TILL_TENANT"] = demo.tenant
    variables["TILL_API_KEY"] = demo.apiKey
    variables["GITHUB_ACTIONS"] = invocation.settings.environment["GITHUB_ACTIONS"]
    let settings = try Settings(parsed, environment: Environment(variables), readingConfig: false)
    let inner = Invocation(inside: invocation, parsed: parsed, settings: settings)
    defer { inner.finish() }
    if !settings.json && !settings.quiet {
      let console = invocation.console
      console.out("A sandbox is serving \(demo.serves) on \(demo.baseURL) (in this process).")
      var environment = "TILL_BASE_URL=\(demo.baseURL)"
      if let tenant = demo.tenant { environment += " TILL_TENANT=\(tenant)" }
      if demo.apiKey != nil { environment += " TILL_API_KEY=…" }
      console.out("The demo runs, with \(environment):")
      let shown = words.map { word in
        if demo.personalData.contains(word) { return Secrets.redacted }
        return word.hasPrefix(workspace + "/") ? String(word.dropFirst(workspace.count + 1)) : word
      }
      console.out(
        console.paint("$ " + (["till"] + shown).map(shellQuote).joined(separator: " "), "2"))
    }
    let browser = PurchaseBrowser { (url: String) throws(TillError) -> String in
      try visit(url, demo.pagePress(url))
    }
    let status = try PurchaseRunner(invocation: inner, browser: browser).run()
    if !settings.json && !settings.quiet {
      invocation.console.out(
        "Next: 'till sandbox' serves these scenarios for your own scripts; 'till purchase "
          + "--help' runs the same against a real server.")
    }
    return status
  }

  /// The run's global options a purchase shows the same way: output, tracing and limits.
  private func passedOn() -> [String] {
    var words: [String] = []
    for flag in ["json", "quiet", "verbose"] where invocation.parsed.flag(flag) {
      words.append("--" + flag)
    }
    for option in ["color", "timeout", "max-wait"] {
      if let value = invocation.parsed.value(option) { words += ["--" + option, value] }
    }
    return words
  }

  /// What a browser does with the page a human must complete: load it, or press its one
  /// button (POST).
  private func visit(_ url: String, _ press: Bool) throws(TillError) -> String {
    do {
      let request = HTTPRequest(method: press ? .post : .get, url: url)
      let response = try CurlTransport(options: invocation.transportOptions()).send(request)
      return "\(press ? "POST" : "GET") \(safe(url)) → HTTP "
        + "\(response.status)"
    } catch {
      throw TillError(.serverOrNetwork, "the demo's browser could not open \(url): \(error)")
    }
  }

  private func temporaryDirectory() throws(TillError) -> String {
    var template = Array("/tmp/till-demo-XXXXXX".utf8CString)
    guard let path = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
      throw TillError(.serverOrNetwork, "cannot create a temporary directory: \(errnoText())")
    }
    return String(cString: path)
  }

  /// Removes the demo's directory and everything the purchase wrote in it.
  private func removeTree(_ path: String) {
    if let directory = opendir(path) {
      while let entry = readdir(directory) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
          String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        }
        guard name != ".", name != ".." else { continue }
        let child = path + "/" + name
        var info = stat()
        if lstat(child, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
          removeTree(child)
        } else {
          unlink(child)
        }
      }
      closedir(directory)
    }
    rmdir(path)
  }
}

/// What `till demo` runs for one API: the sandbox's URL and settings for it, the purchase's
/// arguments, and the files they name (written, mode 0600, into the demo's directory).
struct DemoPurchase {
  var baseURL: String
  /// What the sandbox serves, as the demo's first line names it.
  var serves: String
  var tenant: String?
  var apiKey: String?
  var arguments: [String]
  var files: [(name: String, contents: String)] = []
  /// Arguments that are personal data (an email, a name): shown redacted, as the purchase's
  /// steps show them.
  var personalData: Set<String> = []
  /// Whether the page at a URL is completed by pressing its button (POST) rather than by
  /// loading it.
  var pagePress: @Sendable (String) -> Bool = { _ in false }
}

func errnoText() -> String { String(cString: strerror(errno)).lowercased() }
