import TillArguments
import TillKit

/// `cart clear`.
struct CartClearCommand: TillCommand {
  static let spec = CommandSpec(
    name: "clear", abstract: "Empty the cart: kept on this machine, or the server's.")

  let invocation: Invocation

  func run() throws(TillError) -> ExitStatus {
    try CartCommands(invocation: invocation).run("clear")
  }
}
