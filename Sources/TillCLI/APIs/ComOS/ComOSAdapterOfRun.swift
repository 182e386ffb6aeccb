import TillKit

/// The ComOS adapter of this run, for commands only the gateway has.
func comosAdapter(_ invocation: Invocation, for command: String) throws(TillError)
  -> ComOSAdapter
{
  try invocation.adapter(ComOSAdapter.self, of: ComOSAPI(), for: command)
}
