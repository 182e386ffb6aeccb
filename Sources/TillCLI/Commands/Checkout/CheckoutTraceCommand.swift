import Glibc
import TillArguments
import TillKit

/// `checkout trace ID`: what `checkout status` does, recorded as a HAR file.
struct CheckoutTraceCommand: FollowingCommand {
  static let spec = CommandSpec(
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
    arguments: CheckoutStatusCommand.spec.arguments,
    options: [
      .value(
        "output", "FILE", .file, short: "o", help: "Where to write the HAR file.",
        default: "till-trace-ID.har")
    ] + CheckoutStatusCommand.spec.options,
    examples: [
      Example(
        ["checkout", "trace", "trk_01HZ9XPZ3K2A8E0VBVQH7N9XGB", "--watch", "--max-wait", "2m"],
        "Follow a stuck checkout for two minutes and keep the whole exchange for support.")
    ])

  let invocation: Invocation

  /// `checkout trace ID`: a status (or with --watch, the whole watch) recorded as a HAR log,
  /// by default `till-trace-ID.har` in the current directory.
  func run() throws(TillError) -> ExitStatus {
    var name = "till-trace.har"
    if parsed.arguments("id").count <= 1, !parsed.has("ids-from") {
      let id = try checkoutID()
      name =
        "till-trace-"
        + String(
          id.map { $0.isASCII && ($0.isLetter || $0.isNumber || "-_".contains($0)) ? $0 : "_" })
        + ".har"
    }
    invocation.startTrace(to: parsed.value("output") ?? name)
    return try CheckoutStatusCommand(invocation: invocation).run()
  }
}
