import TillArguments
import TillKit

/// `cart clear`.
struct CartClearCommand: TillCommand {
  static let path = ["cart", "clear"]
  static let spec = CommandSpec(name: "clear", abstract: "Empty the cart kept on this machine.")

  let invocation: Invocation

  init(_ invocation: Invocation) { self.invocation = invocation }

  func run() throws(TillError) -> ExitStatus { try CartCommands(invocation).run("clear") }
}
