import CCurl

/// A URL as libcurl reads it. Where a request goes, and where a redirect would take it, are
/// judged by the parser that acts on them (`curl_url`), never by a second reading of the text:
/// a `Location` that another reader takes for a path (`http:/evil:81/`, `http:///evil/`) is the
/// host libcurl would connect to.
struct Endpoint: Equatable {
  /// The URL as libcurl normalised it, without user info: safe to name in a message.
  let url: String
  /// Lower case: `http` or `https` for anything a request may be sent to.
  let scheme: String
  let host: String
  let port: Int
  /// `user:password@` before the host, as libcurl splits it.
  let userInfo: String?

  /// An absolute http or https URL; nil for anything else or what libcurl cannot parse.
  init?(url: String) {
    guard case .parsed(let endpoint) = Endpoint.parse(url, base: nil),
      endpoint.scheme == "http" || endpoint.scheme == "https"
    else { return nil }
    self = endpoint
  }

  private init(url: String, scheme: String, host: String, port: Int, userInfo: String?) {
    self.url = url
    self.scheme = scheme
    self.host = host
    self.port = port
    self.userInfo = userInfo
  }

  var display: String { "\(host):\(port)" }

  /// `reference` (absolute, or relative such as `/messages/?session_id=…`) resolved against
  /// this URL as libcurl resolves it; nil when it is not http(s) or not of this origin.
  func resolveSameOrigin(_ reference: String) -> String? {
    guard case .parsed(let target) = Endpoint.parse(reference, base: url),
      target.scheme == scheme, target.host == host, target.port == port
    else { return nil }
    return target.url
  }

  /// Why a redirect is not followed, or nil when it stays with this origin: the same scheme,
  /// host and port, or (when the user allows it) the same host upgraded from http to https on
  /// port 443. `location` is the raw header value; it is resolved against this URL exactly as
  /// libcurl resolves it when it follows.
  func refusal(ofRedirectTo location: String, allowingHTTPSUpgrade: Bool = false)
    -> RedirectRefusal?
  {
    let value = location.trimmingHeaderSpace()
    // libcurl ignores an empty Location.
    guard !value.isEmpty else { return nil }
    let target: Endpoint
    switch Endpoint.parse(value, base: url) {
    case .parsed(let parsed): target = parsed
    case .invalid(let reason):
      return .invalid(location: safe(value.prefix(200)), reason)
    }
    let shown = safe(target.url.prefix(200))
    guard target.scheme == "http" || target.scheme == "https" else { return .notHTTP(shown) }
    guard target.host.lowercased() == host.lowercased(), target.userInfo == userInfo else {
      return .anotherOrigin(shown)
    }
    if target.scheme == scheme { return target.port == port ? nil : .anotherOrigin(shown) }
    guard scheme == "http", target.port == 443 else { return .anotherOrigin(shown) }
    return allowingHTTPSUpgrade ? nil : .httpsUpgrade(shown)
  }

  private enum Parse {
    case parsed(Endpoint)
    case invalid(String)
  }

  /// `text` through `curl_url`, resolved against `base` when one is given, with the flags
  /// libcurl itself uses: for a request's URL, and for a `Location` it follows.
  private static func parse(_ text: String, base: String?) -> Parse {
    guard let handle = curl_url() else { return .invalid("out of memory") }
    defer { curl_url_cleanup(handle) }
    let flags: Int32
    if let base {
      guard curl_url_set(handle, CURLUPART_URL, base, UInt32(CURLU_NON_SUPPORT_SCHEME)) == CURLUE_OK
      else { return .invalid("the request's own URL could not be read") }
      flags = CURLU_NON_SUPPORT_SCHEME | CURLU_URLENCODE | CURLU_ALLOW_SPACE
    } else {
      flags = CURLU_NON_SUPPORT_SCHEME
    }
    let code = curl_url_set(handle, CURLUPART_URL, text, UInt32(flags))
    guard code == CURLUE_OK else {
      return .invalid(String(cString: curl_url_strerror(code)).lowercased())
    }
    func part(_ what: CURLUPart, _ flags: Int32 = 0) -> String? {
      var value: UnsafeMutablePointer<CChar>?
      guard curl_url_get(handle, what, &value, UInt32(flags)) == CURLUE_OK, let value else {
        return nil
      }
      defer { curl_free(value) }
      return String(cString: value)
    }
    guard let scheme = part(CURLUPART_SCHEME)?.lowercased() else {
      return .invalid("no scheme")
    }
    let isHTTP = scheme == "http" || scheme == "https"
    var host = part(CURLUPART_HOST) ?? ""
    guard !host.isEmpty || !isHTTP else { return .invalid("no host") }
    if let zone = part(CURLUPART_ZONEID) { host += "%" + zone }
    let port = part(CURLUPART_PORT, CURLU_DEFAULT_PORT).flatMap { Int($0) } ?? 0
    let user = part(CURLUPART_USER)
    let password = part(CURLUPART_PASSWORD)
    let userInfo = user.map { $0 + (password.map { ":" + $0 } ?? "") } ?? password.map { ":" + $0 }
    _ = curl_url_set(handle, CURLUPART_USER, nil, 0)
    _ = curl_url_set(handle, CURLUPART_PASSWORD, nil, 0)
    let shown = part(CURLUPART_URL) ?? scheme + "://" + host
    return .parsed(
      Endpoint(url: shown, scheme: scheme, host: host, port: port, userInfo: userInfo))
  }
}

/// A redirect `till` does not follow, and the target it names (sanitised, without user info).
public enum RedirectRefusal: Equatable, Sendable {
  /// Another host, port or scheme, or other credentials: the API key, token and a POST's body
  /// would go along.
  case anotherOrigin(String)
  /// From http to https on the same host, which the user did not allow.
  case httpsUpgrade(String)
  /// `ftp:`, `file:` and the like: libcurl may not follow them, and till does not ask it to.
  case notHTTP(String)
  /// A value libcurl cannot read as a URL.
  case invalid(location: String, String)
}

extension String {
  /// Without the white space libcurl strips from a header's value (its `ISSPACE`).
  func trimmingHeaderSpace() -> String {
    let isSpace: (Unicode.Scalar) -> Bool = {
      [0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D].contains($0.value)
    }
    var scalars = Substring(self).unicodeScalars
    while let first = scalars.first, isSpace(first) { scalars.removeFirst() }
    while let last = scalars.last, isSpace(last) { scalars.removeLast() }
    return String(scalars)
  }
}

/// The URL with the password of its user info (`http://user:secret@host`) replaced by
/// `[redacted]`, for anything printed or written: the password is a secret like the API key.
/// The split is libcurl's; in what libcurl cannot read, everything up to the last `@` goes.
public func redactingPassword(in url: String) -> String {
  guard url.contains("@") else { return url }
  func redactingAll() -> String {
    let start = url.firstRange(of: "://")?.upperBound ?? url.startIndex
    let at = url.lastIndex(of: "@")!
    guard start <= at else { return "[redacted]" + url[url.index(after: at)...] }
    return url[..<start] + "[redacted]" + url[at...]
  }
  guard let handle = curl_url() else { return redactingAll() }
  defer { curl_url_cleanup(handle) }
  let flags = UInt32(CURLU_NON_SUPPORT_SCHEME | CURLU_GUESS_SCHEME)
  guard curl_url_set(handle, CURLUPART_URL, url, flags) == CURLUE_OK else {
    return redactingAll()
  }
  var password: UnsafeMutablePointer<CChar>?
  guard curl_url_get(handle, CURLUPART_PASSWORD, &password, 0) == CURLUE_OK, let password else {
    return url
  }
  let secret = String(cString: password)
  curl_free(password)
  if let range = url.firstRange(of: ":" + secret + "@") {
    var shown = url
    shown.replaceSubrange(range, with: ":[redacted]@")
    return shown
  }
  _ = curl_url_set(handle, CURLUPART_PASSWORD, "redacted", 0)
  var rebuilt: UnsafeMutablePointer<CChar>?
  guard curl_url_get(handle, CURLUPART_URL, &rebuilt, 0) == CURLUE_OK, let rebuilt else {
    return redactingAll()
  }
  defer { curl_free(rebuilt) }
  return String(cString: rebuilt)
}

/// The user and password of a URL's user info, as written and percent-decoded as libcurl
/// sends them; nil when the URL holds no password.
func userInfo(in url: String) -> (
  password: String, decodedUser: String, decodedPassword: String
)? {
  guard url.contains("@"), let handle = curl_url() else { return nil }
  defer { curl_url_cleanup(handle) }
  let flags = UInt32(CURLU_NON_SUPPORT_SCHEME | CURLU_GUESS_SCHEME)
  guard curl_url_set(handle, CURLUPART_URL, url, flags) == CURLUE_OK else { return nil }
  func part(_ which: CURLUPart, decoded: Bool) -> String? {
    var value: UnsafeMutablePointer<CChar>?
    let how = decoded ? UInt32(CURLU_URLDECODE) : 0
    guard curl_url_get(handle, which, &value, how) == CURLUE_OK, let value else { return nil }
    defer { curl_free(value) }
    return String(cString: value)
  }
  guard let password = part(CURLUPART_PASSWORD, decoded: false) else { return nil }
  return (
    password, part(CURLUPART_USER, decoded: true) ?? "",
    part(CURLUPART_PASSWORD, decoded: true) ?? password
  )
}
