import TillArguments
import TillKit

/// `cart remove --item ID`.
struct CartRemoveCommand: CartSubcommand {
  static let spec = CommandSpec(
    name: "remove", abstract: "Remove items from the cart: kept on this machine, or the server's.",
    options: [
      .value("item", "ID", help: "The item to remove; repeatable.", repeatable: true)
    ])

  let invocation: Invocation
}
