import TillKit

/// What the runs of many commands take from their invocation, named once.
extension TillCommand {
  /// The positional argument `name`; given empty, a usage error saying what the command needs
  /// (`subscription cancel needs ORDER_ID`).
  func nonEmptyArgument(_ name: String) throws(TillError) -> String {
    let value = parsed.argument(name) ?? ""
    guard !value.isEmpty else {
      let placeholder = String(name.uppercased().map { $0 == "-" ? "_" : $0 })
      throw TillError(.usage, "\(parsed.path.joined(separator: " ")) needs \(placeholder)")
    }
    return value
  }

  /// The run's adapter, for a command only `owner` has: with another --api, a usage error
  /// naming the command.
  func ownAdapter<A: CheckoutAdapter>(_ type: A.Type, of owner: some CheckoutAPI)
    throws(TillError) -> A
  {
    try invocation.adapter(type, of: owner, for: parsed.path.joined(separator: " "))
  }

  var output: ListOutput { ListOutput(invocation: invocation) }
}
