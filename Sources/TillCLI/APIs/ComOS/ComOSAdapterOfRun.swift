import TillKit

/// The ComOS adapter of this run, for commands only the gateway has.
func comosAdapter(_ invocation: Invocation) throws(TillError) -> ComOSAdapter {
  let clock = SystemClock(interruption: interruption)
  invocation.installSignalHandlers()
  guard let adapter = try invocation.makeAdapter(clock: clock) as? ComOSAdapter else {
    throw TillError(.usage, "this command is for --api comos")
  }
  return adapter
}
