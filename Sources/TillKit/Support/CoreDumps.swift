import CCurl
import Glibc

/// A crash must not leave the API key, a token or card data in a core file: no core is
/// written, and the process cannot be dumped or attached to by the user's other processes
/// (as ssh-agent and gpg-agent do). With a piped `core_pattern` the kernel ignores the size
/// limit, so both are set.
public func disableCoreDumps() {
  var none = rlimit(rlim_cur: 0, rlim_max: 0)
  _ = setrlimit(__rlimit_resource_t(RLIMIT_CORE.rawValue), &none)
  _ = till_prctl_disable_dumping()
}
