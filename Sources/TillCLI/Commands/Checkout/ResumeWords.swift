import Glibc
import TillArguments
import TillKit

/// `till` and the global options a resumed command needs: the non-secret ones this run was
/// given, a base URL's password redacted.
func globalResumeWords(_ parsed: ParsedCommand, _ settings: Settings) -> [String] {
  var words = ["till"]
  for name in ["profile", "api", "base-url", "tenant", "api-key-file", "cacert"] {
    guard let value = parsed.value(name) else { continue }
    words += ["--\(name)", name == "base-url" ? redactingPassword(in: value) : value]
  }
  if settings.insecure { words.append("--insecure") }
  if parsed.flag("allow-https-upgrade") { words.append("--allow-https-upgrade") }
  return words
}
