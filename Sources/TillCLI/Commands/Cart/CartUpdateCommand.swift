import TillArguments
import TillKit

/// `cart update`: a line's quantity in a cart the server keeps.
struct CartUpdateCommand: CartSubcommand {
  static let spec = CommandSpec(
    name: "update", abstract: "Set the quantity of a product in the server's cart.")

  let invocation: Invocation
}
