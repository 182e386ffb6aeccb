import TillArguments
import TillKit

/// `cart add`: items into the cart kept here, or onto the server's cart; each API's options.
struct CartAddCommand: CartSubcommand {
  static let spec = CommandSpec(name: "add", abstract: "Add items to the cart.")

  let invocation: Invocation
}
