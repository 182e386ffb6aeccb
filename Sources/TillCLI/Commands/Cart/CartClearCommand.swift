import TillArguments
import TillKit

/// `cart clear`.
struct CartClearCommand: CartSubcommand {
  static let spec = CommandSpec(
    name: "clear", abstract: "Empty the cart: kept on this machine, or the server's.")

  let invocation: Invocation
}
