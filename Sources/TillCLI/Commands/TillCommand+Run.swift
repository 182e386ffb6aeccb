import TillArguments
import TillKit

/// What the runs of many commands take from their invocation, named once.
extension TillCommand {
  /// The run's adapter, for a command only `owner` has: with another --api, a usage error
  /// naming the command.
  func ownAdapter<A: CheckoutAdapter>(_ type: A.Type, of owner: some CheckoutAPI)
    throws(TillError) -> A
  {
    try invocation.adapter(type, of: owner, for: parsed.path.joined(separator: " "))
  }

  var output: ListOutput { ListOutput(invocation: invocation) }
}

/// Values a command cannot go on without, refused before anything is sent when missing or
/// empty, in one wording: `order list needs --user ID`, then `hint` if there is one.
extension ParsedCommand {
  /// The value of `--name`; `placeholder` says what it is (`ID`, `EMAIL`).
  func requiredValue(_ name: String, _ placeholder: String, _ hint: String? = nil)
    throws(TillError) -> String
  {
    guard let value = value(name), !value.isEmpty else {
      throw missing("--\(name) \(placeholder)", hint)
    }
    return value
  }

  /// The positional argument `name`, its placeholder its name in capitals.
  func nonEmptyArgument(_ name: String, _ hint: String? = nil) throws(TillError) -> String {
    guard let value = argument(name), !value.isEmpty else {
      throw missing(String(name.uppercased().map { $0 == "-" ? "_" : $0 }), hint)
    }
    return value
  }

  private func missing(_ what: String, _ hint: String?) -> TillError {
    let said = [path.joined(separator: " "), "needs", what] + (hint.map { [$0] } ?? [])
    return TillError(.usage, said.joined(separator: " "))
  }
}
