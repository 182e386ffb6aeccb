/// A request that got no usable HTTP response. Each case reads as one line for a human.
public enum TransportError: Error, Equatable, Sendable, CustomStringConvertible {
  case invalidURL(String)
  case couldNotResolve(host: String)
  case couldNotConnect(endpoint: String, reason: String)
  case timedOut(endpoint: String, after: Duration)
  case tls(endpoint: String, reason: String)
  case certificateFile(path: String, reason: String)
  case tooManyRedirects(limit: Int)
  /// A redirect that leaves the origin, not followed so that the request's credentials and
  /// body stay put.
  case redirectRefused(from: String, RedirectRefusal)
  case bodyTooLarge(limit: Int)
  /// A header field whose value would break the request's framing; nothing was sent.
  case invalidHeader(name: String, problem: String)
  case connectionLost(endpoint: String, reason: String)
  case malformedResponse(endpoint: String, reason: String)
  case other(code: Int, reason: String)
  /// The user interrupted a wait between attempts.
  case interrupted

  public var description: String {
    switch self {
    case .invalidURL(let url):
      return "invalid URL '\(safe(redactingPassword(in: url)))'"
    case .couldNotResolve(let host):
      return "could not resolve host '\(host)'"
    case .couldNotConnect(let endpoint, let reason):
      return "could not connect to \(endpoint): \(reason)"
    case .timedOut(let endpoint, let after):
      return
        "no complete response from \(endpoint) within \(formatDuration(after)) (see --timeout)"
    case .tls(let endpoint, let reason):
      return "TLS with \(endpoint) failed: \(reason) (use --cacert FILE for a private CA)"
    case .certificateFile(let path, let reason):
      return "cannot use CA certificate file '\(path)': \(reason)"
    case .tooManyRedirects(let limit):
      return "too many redirects (more than \(limit))"
    case .redirectRefused(let from, .anotherOrigin(let target)):
      return "\(from) redirected to \(target), another origin; not followed, so the API key, "
        + "token and request body are not sent there"
    case .redirectRefused(let from, .httpsUpgrade(let target)):
      return "\(from) redirected to \(target); not followed: use the https:// base URL, or "
        + "--allow-https-upgrade to follow it"
    case .redirectRefused(let from, .notHTTP(let target)):
      return "\(from) redirected to \(target), which is not HTTP; not followed"
    case .redirectRefused(let from, .invalid(let location, let reason)):
      return "\(from) redirected to '\(location)', which is not a URL (\(reason)); not followed"
    case .invalidHeader(let name, let problem):
      return "not sending the request: the \(name) header would hold \(problem)"
    case .bodyTooLarge(let limit):
      return "response body larger than \(limit / 1_048_576) MiB; refusing to read more"
    case .connectionLost(let endpoint, let reason):
      return "connection to \(endpoint) lost: \(reason)"
    case .malformedResponse(let endpoint, let reason):
      return "malformed HTTP response from \(endpoint): \(reason)"
    case .interrupted:
      return "interrupted"
    case .other(let code, let reason):
      return "HTTP transfer failed: \(reason) (libcurl error \(code))"
    }
  }

  /// Whether sending the same request again may succeed: the request may not have reached the
  /// server, or the server dropped it.
  public var isTransient: Bool {
    switch self {
    case .couldNotConnect, .connectionLost: return true
    default: return false
    }
  }
}
