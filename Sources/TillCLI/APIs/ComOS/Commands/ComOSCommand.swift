import TillKit

/// A command only the gateway has: with another --api it is a usage error naming the API.
protocol ComOSCommand: TillCommand {}

extension ComOSCommand {
  /// The run's ComOS adapter, once the --api is known to be the gateway.
  func gateway() throws(TillError) -> ComOSAdapter {
    try ownAdapter(ComOSAdapter.self, of: ComOSAPI())
  }
}
