import TillArguments
import TillKit

/// `cart remove --item ID`.
struct CartRemoveCommand: CartSubcommand {
  static let spec = CommandSpec(
    name: "remove", abstract: "Remove items from the cart: kept on this machine, or the server's.",
    options: [
      OptionSpec(
        long: "item", value: ValueSpec(name: "ID"), help: "The item to remove; repeatable.",
        isRepeatable: true)
    ])

  let invocation: Invocation
}
