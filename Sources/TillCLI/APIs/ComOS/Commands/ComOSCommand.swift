import TillKit

/// A command only the gateway has: with another --api it is a usage error naming the API.
protocol ComOSCommand: TillCommand {}

extension ComOSCommand {
  /// The run's ComOS adapter, once the --api is known to be the gateway.
  func gateway() throws(TillError) -> ComOSAdapter {
    let api = invocation.api
    guard api.name == ComOSAPI().name else {
      throw TillError(
        .usage,
        "'\(Self.commandPath)' is for --api comos (the ComOS gateway's own tool); --api "
          + "\(api.name) has none")
    }
    return try comosAdapter(invocation)
  }

  static var commandPath: String {
    (CommandTable.groups.first { $0.commands.contains { $0 == Self.self } }?.path ?? [])
      .joined(separator: " ") + " " + spec.name
  }

  var output: ListOutput { ListOutput(invocation: invocation) }
}
