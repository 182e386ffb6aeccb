import TillArguments
import TillKit

/// `cart show`: the items of the cart kept on this machine.
struct CartShowCommand: CartSubcommand {
  static let spec = CommandSpec(
    name: "show", abstract: "List the items of the cart: kept on this machine, or the server's.")

  let invocation: Invocation
}
