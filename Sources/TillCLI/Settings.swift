import Glibc
import TillArguments
import TillKit

/// A setting and where it came from, so `profile show` can say why a value won.
struct Sourced<Value> {
  var value: Value
  var source: String
}

/// The global options after flags, environment, profile and defaults are applied, in that
/// order of precedence.
struct Settings {
  var api: Sourced<String>
  var baseURL: Sourced<String>?
  var tenant: Sourced<String>?
  /// The chosen API's own global settings (another service's URL): flag, else profile.
  var apiSettings: [String: String] = [:]
  var profile: Profile?
  var profileSource: String?
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
  /// `~/.config/till`, where the config file lives.
  let configDirectory: PrivateDirectory

  /// - Parameter readingConfig: false for commands that must work whatever the config file
  ///   says (help, completion).
  init(_ parsed: ParsedCommand, environment: Environment, readingConfig: Bool = true)
    throws(TillError)
  {
    self.environment = environment
    configDirectory = TillDirectories.config { environment[$0] }
    let config = readingConfig ? try Settings.loadConfig(from: configDirectory) : TillConfig()
    let configPath = configDirectory.path(of: Settings.configName)
    if !readingConfig {
      profile = nil
    } else if let name = parsed.value("profile") {
      profileSource = "--profile"
      profile = try Settings.profile(name, in: config, path: configPath)
    } else if let name = environment["TILL_PROFILE"] {
      profileSource = "TILL_PROFILE"
      profile = try Settings.profile(name, in: config, path: configPath)
    } else if let name = config.defaultProfile {
      profileSource = "the config's default"
      profile = config.profile(named: name)
    }
    let profile = self.profile
    func pick(_ flag: String, _ variable: String, _ field: KeyPath<Profile, String?>)
      -> Sourced<String>?
    {
      if let value = parsed.value(flag) { return Sourced(value: value, source: "--\(flag)") }
      if let value = environment[variable] { return Sourced(value: value, source: variable) }
      if let profile, let value = profile[keyPath: field] {
        return Sourced(value: value, source: "profile \(profile.name)")
      }
      return nil
    }
    api =
      pick("api", "TILL_API", \.api)
      ?? Sourced(value: APIRegistry.defaultAPI.name, source: "default")
    guard APIRegistry.named(api.value) != nil else {
      throw TillError(
        .usage,
        "unknown API '\(safe(api.value))' from \(api.source); "
          + "expected one of " + APIRegistry.names.joined(separator: ", "))
    }
    baseURL = pick("base-url", "TILL_BASE_URL", \.baseURL)
    tenant = pick("tenant", "TILL_TENANT", \.tenant)
    if let tenant, let problem = headerValueProblem(tenant.value) {
      throw TillError(
        .usage, "invalid tenant from \(tenant.source): it holds \(problem); refusing to send it")
    }
    for option in APIRegistry.profileSettings {
      let key = option.spec.long
      guard let value = parsed.value(key) ?? profile?.setting(key) else { continue }
      if let problem = option.check?(value) {
        throw TillError(
          .usage,
          "invalid value '\(safe(value))' for --\(key): \(problem)"
        )
      }
      apiSettings[key] = value
    }
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

  static let configName = "config.toml"

  var configPath: String { configDirectory.path(of: Settings.configName) }

  static func loadConfig(from directory: PrivateDirectory) throws(TillError) -> TillConfig {
    guard let bytes = try directory.read(configName, what: "config file") else {
      return TillConfig()
    }
    let path = directory.path(of: configName)
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw TillError(.usage, "\(path): not UTF-8 text")
    }
    return try TillConfig.parse(
      text, file: path, apiSettings: APIRegistry.profileSettings.map(\.spec.long))
  }

  private static func profile(_ name: String, in config: TillConfig, path: String)
    throws(TillError) -> Profile
  {
    if let profile = config.profile(named: name) { return profile }
    let known = config.profiles.map(\.name)
    let list =
      known.isEmpty ? "there are none yet (till profile add)" : known.joined(separator: ", ")
    throw TillError(
      .usage,
      "no profile '\(safe(name))' in \(path); profiles: \(list)")
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
    guard let baseURL, !baseURL.value.isEmpty else {
      throw TillError(
        .usage,
        "no base URL: pass --base-url URL, set TILL_BASE_URL or use a profile "
          + "(try 'till sandbox' for a local one)")
    }
    let shown = safe(redactingPassword(in: baseURL.value))
    guard baseURL.value.hasPrefix("http://") || baseURL.value.hasPrefix("https://") else {
      throw TillError(
        .usage,
        "invalid base URL '\(shown)' from \(baseURL.source): it must start with http:// or "
          + "https://")
    }
    // Paths are appended to the base URL: after a '?' or '#' they would be a query or a
    // fragment, and a fragment is never sent at all.
    if let mark = baseURL.value.first(where: { $0 == "?" || $0 == "#" }) {
      let part = mark == "#" ? "a fragment ('#')" : "a query ('?')"
      throw TillError(
        .usage,
        "invalid base URL '\(shown)' from \(baseURL.source): it has \(part), and till appends "
          + "each request's path to it; give the URL up to its path")
    }
    return baseURL.value
  }

  /// The API key: --api-key-file, else TILL_API_KEY, else the profile's variable or file.
  /// Never from argv.
  func apiKey(standardInput: () -> [UInt8]?) throws(TillError) -> Sourced<String>? {
    try secret(
      what: "API key", flagFile: apiKeyFile, variable: "TILL_API_KEY",
      profileVariable: profile?.apiKeyEnv, profileFile: profile?.apiKeyFile,
      standardInput: standardInput)
  }

  /// The bearer token: TILL_TOKEN, else the profile's variable or file.
  func token(standardInput: () -> [UInt8]?) throws(TillError) -> Sourced<String>? {
    try secret(
      what: "token", flagFile: nil, variable: "TILL_TOKEN", profileVariable: profile?.tokenEnv,
      profileFile: profile?.tokenFile, standardInput: standardInput)
  }

  /// A secret from wherever it is set, refused when it could not go into a header as it is.
  private func secret(
    what: String, flagFile: String?, variable: String, profileVariable: String?,
    profileFile: String?, standardInput: () -> [UInt8]?
  ) throws(TillError) -> Sourced<String>? {
    let found = try unchecked(
      what: what, flagFile: flagFile, variable: variable, profileVariable: profileVariable,
      profileFile: profileFile, standardInput: standardInput)
    if let found, let problem = headerValueProblem(found.value) {
      throw TillError(
        .usage, "the \(what) from \(found.source) holds \(problem); refusing to send it")
    }
    return found
  }

  private func unchecked(
    what: String, flagFile: String?, variable: String, profileVariable: String?,
    profileFile: String?, standardInput: () -> [UInt8]?
  ) throws(TillError) -> Sourced<String>? {
    if let flagFile {
      return Sourced(
        value: try readSecretFile(flagFile, what: what, standardInput: standardInput),
        source: "file \(flagFile)")
    }
    if let value = environment[variable] { return Sourced(value: value, source: "$\(variable)") }
    if let profile, let name = profileVariable {
      guard let value = environment[name] else {
        throw TillError(
          .usage,
          "profile \(profile.name) reads the \(what) from $\(name), which is not set")
      }
      return Sourced(value: value, source: "$\(name) (profile \(profile.name))")
    }
    if let profile, let file = profileFile {
      return Sourced(
        value: try readSecretFile(file, what: what, standardInput: standardInput),
        source: "file \(file) (profile \(profile.name))")
    }
    return nil
  }

  private func readSecretFile(_ path: String, what: String, standardInput: () -> [UInt8]?)
    throws(TillError) -> String
  {
    let home = TillDirectories.home { environment[$0] } ?? ""
    let expanded = path.hasPrefix("~/") ? home + path.dropFirst() : path
    let bytes = try SecretFile.read(expanded, what: what, standardInput: standardInput)
    let value = String(decoding: bytes, as: UTF8.self).trimmingCharacters()
    guard !value.isEmpty else { throw TillError(.usage, "the \(what) file '\(path)' is empty") }
    return value
  }
}

/// `sk_l…`: enough to tell two secrets apart, never enough to use one.
func redacted(_ secret: String) -> String {
  secret.count >= 12 ? String(secret.prefix(4)) + "…" : "…"
}

/// The environment variables till reads: the process's, or the ones a test passes.
struct Environment {
  /// `nil` reads the process's environment, one variable at a time as it is asked for.
  private let values: [String: String]?

  init(_ values: [String: String]) { self.values = values }

  private init() { values = nil }

  /// The process's environment. A status reads a handful of variables, so each is looked up
  /// when asked for rather than the whole environment copied at every start.
  static func current() -> Environment { Environment() }

  subscript(name: String) -> String? {
    let value: String?
    if let values {
      value = values[name]
    } else {
      value = getenv(name).map { String(cString: $0) }
    }
    guard let value, !value.isEmpty else { return nil }
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
