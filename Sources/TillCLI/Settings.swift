import Glibc
import TillArguments
import TillKit

/// The global options after flags, environment and defaults are applied (flag first).
struct Settings {
  var api: String
  var baseURL: String?
  var tenant: String?
  var json: Bool
  var quiet: Bool
  var verbose: Bool
  var timeout: Duration
  var maxWait: Duration?
  var caCertificateFile: String?
  var insecure: Bool
  var color: String
  var apiKeyFile: String?
  let environment: Environment

  init(_ parsed: ParsedCommand, environment: Environment) throws(TillError) {
    self.environment = environment
    api = parsed.value("api") ?? environment["TILL_API"] ?? "c2a"
    guard CommandTree.apis.contains(api) else {
      throw TillError(
        .usage,
        "unknown API '\(sanitizeForTerminal(api, singleLine: true))' in TILL_API; expected one of "
          + CommandTree.apis.joined(separator: ", "))
    }
    baseURL = parsed.value("base-url") ?? environment["TILL_BASE_URL"]
    tenant = parsed.value("tenant") ?? environment["TILL_TENANT"]
    json = parsed.flag("json")
    quiet = parsed.flag("quiet")
    verbose = parsed.flag("verbose")
    timeout = try Settings.duration(parsed, "timeout") ?? .seconds(30)
    maxWait = try Settings.duration(parsed, "max-wait")
    caCertificateFile = parsed.value("cacert")
    insecure = parsed.flag("insecure")
    color = parsed.value("color") ?? "auto"
    apiKeyFile = parsed.value("api-key-file")
  }

  static func duration(_ parsed: ParsedCommand, _ name: String) throws(TillError) -> Duration? {
    guard let text = parsed.value(name) else { return nil }
    guard let value = parseDuration(text) else {
      throw TillError(.usage, "invalid duration '\(text)' for '--\(name)'")
    }
    if name == "timeout", value == .zero {
      throw TillError(.usage, "'--timeout' must be more than 0")
    }
    return value
  }

  func requireBaseURL() throws(TillError) -> String {
    guard let baseURL, !baseURL.isEmpty else {
      throw TillError(
        .usage,
        "no base URL: pass --base-url URL or set TILL_BASE_URL (try 'till sandbox' for a local one)"
      )
    }
    guard baseURL.hasPrefix("http://") || baseURL.hasPrefix("https://") else {
      throw TillError(
        .usage,
        "invalid base URL '\(sanitizeForTerminal(baseURL, singleLine: true))': "
          + "it must start with http:// or https://")
    }
    return baseURL
  }

  /// The API key: TILL_API_KEY, else --api-key-file. Never from argv.
  func apiKey(standardInput: () -> [UInt8]?) throws(TillError) -> String? {
    if let file = apiKeyFile {
      let bytes = try SecretFile.read(file, what: "API key", standardInput: standardInput)
      let key = String(decoding: bytes, as: UTF8.self).trimmingCharacters()
      guard !key.isEmpty else { throw TillError(.usage, "the API key file '\(file)' is empty") }
      return key
    }
    if let key = environment["TILL_API_KEY"], !key.isEmpty { return key }
    return nil
  }
}

/// The process environment, read once; tests pass their own.
struct Environment {
  private let values: [String: String]

  init(_ values: [String: String]) { self.values = values }

  static func current() -> Environment {
    var values: [String: String] = [:]
    var pointer = environ
    while let entry = pointer.pointee {
      let text = String(cString: entry)
      if let equals = text.firstIndex(of: "=") {
        values[String(text[..<equals])] = String(text[text.index(after: equals)...])
      }
      pointer += 1
    }
    return Environment(values)
  }

  subscript(name: String) -> String? {
    guard let value = values[name], !value.isEmpty else { return nil }
    return value
  }
}

extension String {
  func trimmingCharacters() -> String {
    var scalars = Substring(self)
    while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
    while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
    return String(scalars)
  }
}
