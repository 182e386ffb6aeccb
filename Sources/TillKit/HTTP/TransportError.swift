/// A request that got no usable HTTP response. Each case reads as one line for a human.
public enum TransportError: Error, Equatable, Sendable, CustomStringConvertible {
  case invalidURL(String)
  case couldNotResolve(host: String)
  case couldNotConnect(endpoint: String, reason: String)
  case timedOut(endpoint: String, after: Duration)
  case tls(endpoint: String, reason: String)
  case certificateFile(path: String, reason: String)
  case tooManyRedirects(limit: Int)
  /// A redirect to another host, not followed so that the request's credentials stay put.
  case redirectRefused(from: String, to: String)
  case bodyTooLarge(limit: Int)
  case connectionLost(endpoint: String, reason: String)
  case malformedResponse(endpoint: String, reason: String)
  case other(code: Int, reason: String)
  /// The user interrupted a wait between attempts.
  case interrupted

  public var description: String {
    switch self {
    case .invalidURL(let url):
      return "invalid URL '\(url)'"
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
    case .redirectRefused(let from, let to):
      return "\(from) redirected to \(to), another host; not followed, so the API key and "
        + "token are not sent there"
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
