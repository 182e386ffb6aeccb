import TillArguments
import TillKit

/// `cart show`: the items of the cart kept on this machine.
struct CartShowCommand: TillCommand {
  static let spec = CommandSpec(
    name: "show", abstract: "List the items of the cart: kept on this machine, or the server's.")

  let invocation: Invocation

  func run() throws(TillError) -> ExitStatus {
    try CartCommands(invocation: invocation).run("show")
  }
}
