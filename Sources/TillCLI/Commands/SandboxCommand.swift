import Glibc
import TillArguments
import TillKit
import TillSandbox

/// `till sandbox`: the local API, in the foreground until interrupted.
struct SandboxCommand: TillCommand {
  static let spec = CommandSpec(
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
      .value(
        "port", "PORT", .integer, help: "The port to listen on; 0 picks a free one.",
        default: "8080"),
      .value(
        "polls", "N", .integer, help: "Polls that answer 'processing' before a scenario moves on.",
        default: "2"),
      .value(
        "retry-after", "SECONDS", .integer, help: "The Retry-After the sandbox asks for.",
        default: "1"),
    ],
    examples: [
      Example(["sandbox", "--port", "0"], "Serve on a free port."),
      Example(
        [
          "--base-url", "http://127.0.0.1:8080", "--tenant", "t1", "checkout", "start", "--offer",
          "3ds", "--watch",
        ], "In another terminal, with TILL_API_KEY set: a checkout that needs 3-D Secure."),
    ])

  let invocation: Invocation

  func run() throws(TillError) -> ExitStatus {
    let port = try integer("port", default: 8080, range: 0...65_535)
    let polls = try integer("polls", default: 2, range: 0...1000)
    let retryAfter = try integer("retry-after", default: 1, range: 0...3600)
    let sandbox = Sandbox(
      configuration: SandboxConfiguration(
        port: UInt16(port), pollsBeforeDone: polls, retryAfterSeconds: retryAfter))
    do {
      try sandbox.start()
    } catch {
      throw TillError(.serverOrNetwork, "cannot start the sandbox: \(error.description)")
    }
    let console = invocation.console
    console.out(sandbox.baseURL)
    if !invocation.settings.quiet {
      console.err("Serving on \(sandbox.baseURL) (Ctrl-C stops):")
      for (api, summary) in Sandbox.apis { console.err("  \(pad(api, 11))\(summary)") }
      console.err("Offers whose id picks the scenario:")
      for (api, offer, summary) in Sandbox.offers {
        console.err("  \(pad(api, 11))\(pad(offer, 14))\(summary)")
      }
      console.err("Values that steer an API off its happy path:")
      for (api, value, summary) in Sandbox.triggers {
        console.err("  \(pad(api, 11))\(value): \(summary)")
      }
      console.err(
        "Try: TILL_API_KEY=any till --base-url \(sandbox.baseURL) --tenant t1 "
          + "checkout start --offer success --watch")
    }
    invocation.installSignalHandlers()
    let clock = SystemClock(interruption: interruption)
    while clock.sleep(until: clock.now + .seconds(3600)) {}
    sandbox.stop()
    return .success
  }

  private func pad(_ text: String, _ width: Int) -> String {
    text + String(repeating: " ", count: max(1, width - text.count))
  }

  private func integer(_ name: String, default value: Int, range: ClosedRange<Int>)
    throws(TillError) -> Int
  {
    guard let text = invocation.parsed.value(name) else { return value }
    guard let number = Int(text), range.contains(number) else {
      throw TillError(
        .usage,
        "invalid value '\(text)' for '--\(name)': expected \(range.lowerBound)…\(range.upperBound)")
    }
    return number
  }
}
