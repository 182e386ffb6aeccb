import TillKit

/// A command only the gateway has: with another --api it is a usage error naming the API.
protocol ComOSCommand: TillCommand {}

extension ComOSCommand {
  /// The run's ComOS adapter, once the --api is known to be the gateway.
  func gateway() throws(TillError) -> ComOSAdapter {
    try comosAdapter(invocation, for: Self.commandPath)
  }

  static var commandPath: String {
    (CommandTable.groups.first { $0.commands.contains { $0 == Self.self } }?.path ?? [])
      .joined(separator: " ") + " " + spec.name
  }

  var output: ListOutput { ListOutput(invocation: invocation) }
}
