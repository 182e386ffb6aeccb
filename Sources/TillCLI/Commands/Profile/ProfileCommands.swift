import TillArguments
import TillKit

/// A `profile` subcommand: `ProfileCommands` does the action its name says.
protocol ProfileSubcommand: TillCommand {}

extension ProfileSubcommand {
  func run() throws(TillError) -> ExitStatus {
    try ProfileCommands(invocation: invocation).run(Self.spec.name)
  }
}

/// `profile add|list|show|use|remove`: named settings in the config file.
struct ProfileCommands {
  /// Completion asks till itself for the profile names of the user's config.
  static let names = ValueKind.listed(by: ["profile", "list", "--quiet"])
  static let name = ArgumentSpec(name: "name", help: "The profile's name.", kind: names)

  let invocation: Invocation

  private var settings: Settings { invocation.settings }
  private var console: Console { invocation.console }
  private var path: String { settings.configPath }

  func run(_ action: String) throws(TillError) -> ExitStatus {
    guard ["add", "use", "remove"].contains(action) else {
      try change(action)
      return .success
    }
    // Read, change and write the config under its lock: runs at once each keep their change.
    try settings.configDirectory.holdingLock(for: Settings.configName) { () throws(TillError) in
      try change(action)
    }
    return .success
  }

  private func change(_ action: String) throws(TillError) {
    var config = try Settings.loadConfig(from: settings.configDirectory)
    let parsed = invocation.parsed
    switch action {
    case "add":
      let name = parsed.argument("name") ?? ""
      guard Profile.isValidName(name) else {
        throw TillError(
          .usage, "invalid profile name '\(safe(name))': use letters, digits, '-' and '_'")
      }
      var profile = Profile(name: name)
      profile.api = parsed.value("api")
      profile.baseURL = parsed.value("base-url")
      profile.tenant = parsed.value("tenant")
      profile.apiKeyEnv = parsed.value("api-key-env")
      profile.apiKeyFile = parsed.value("api-key-file")
      profile.tokenEnv = parsed.value("token-env")
      profile.tokenFile = parsed.value("token-file")
      for option in APIRegistry.profileSettings {
        if let value = parsed.value(option.spec.long) {
          profile.apiSettings.append((option.spec.long, value))
        }
      }
      if profile.apiKeyFile == "-" || profile.tokenFile == "-" {
        throw TillError(
          .usage, "a profile reads secrets from a variable or a file, not standard input")
      }
      if let url = profile.baseURL, !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
        throw TillError(
          .usage,
          "invalid base URL '\(safe(redactingPassword(in: url)))': it must start with http(s)://")
      }
      for (option, url) in [("base-url", profile.baseURL)] + profile.apiSettings {
        guard let url, redactingPassword(in: url) != url else { continue }
        throw TillError(
          .usage,
          "--\(option) '\(safe(redactingPassword(in: url)))' holds a password, which the config "
            + "file would keep; pass that URL at each run instead")
      }
      let replacing = config.profile(named: name) != nil
      config.upsert(profile)
      if parsed.flag("default") || config.defaultProfile == nil { config.defaultProfile = name }
      try save(config)
      if !settings.quiet {
        console.out("\(replacing ? "Replaced" : "Added") profile \(name) in \(path).")
      }
    case "list":
      list(config)
    case "show":
      try show(config, name: parsed.argument("name"))
    case "use":
      let name = parsed.argument("name") ?? ""
      guard config.profile(named: name) != nil else { throw unknown(name, config) }
      config.defaultProfile = name
      try save(config)
      if !settings.quiet { console.out("The default profile is now \(name).") }
    case "remove":
      let name = parsed.argument("name") ?? ""
      guard config.remove(named: name) else { throw unknown(name, config) }
      try save(config)
      if !settings.quiet { console.out("Removed profile \(name).") }
    default:
      break
    }
  }

  private func save(_ config: TillConfig) throws(TillError) {
    try settings.configDirectory.write(
      Array(config.serialized().utf8), to: Settings.configName, what: "config file")
  }

  private func unknown(_ name: String, _ config: TillConfig) -> TillError {
    let known = config.profiles.map(\.name)
    return TillError(
      .notFound,
      "no profile '\(safe(name))'; "
        + (known.isEmpty
          ? "there are none yet (till profile add)"
          : "profiles: "
            + known.joined(separator: ", ")))
  }

  private func list(_ config: TillConfig) {
    if settings.quiet {
      for profile in config.profiles { console.out(profile.name) }
      return
    }
    if settings.json {
      let items: [JSONValue] = config.profiles.map { profile in
        var members: [(String, JSONValue)] = [
          ("name", .string(profile.name)),
          ("default", .bool(profile.name == config.defaultProfile)),
        ]
        for (key, field) in Profile.keys {
          if let value = profile[keyPath: field] {
            members.append(
              (key, .string(field == \Profile.baseURL ? redactingPassword(in: value) : value)))
          }
        }
        for (key, value) in profile.apiSettings { members.append((key, .string(value))) }
        return .object(members)
      }
      console.out(JSONValue.array(items).serialized())
      return
    }
    guard !config.profiles.isEmpty else {
      console.out("No profiles yet. Add one with 'till profile add NAME --base-url URL …'.")
      return
    }
    let width = config.profiles.map(\.name.count).max() ?? 0
    for profile in config.profiles {
      let mark = profile.name == config.defaultProfile ? "*" : " "
      let padding = String(repeating: " ", count: width - profile.name.count + 2)
      let details = [
        profile.api ?? APIRegistry.defaultAPI.name,
        profile.baseURL.map(redactingPassword) ?? "(no base URL)",
      ]
      console.out("\(mark) \(profile.name)\(padding)\(details.map(safe).joined(separator: "  "))")
    }
  }

  /// The settings a command would use, with where each came from; secrets redacted.
  private func show(_ config: TillConfig, name: String?) throws(TillError) {
    var settings = self.settings
    if let name {
      guard let profile = config.profile(named: name) else { throw unknown(name, config) }
      if settings.profile?.name != profile.name {
        // Show that profile as if it were chosen, under the same flags and environment.
        var rebuilt = invocation.parsed
        rebuilt.options.removeAll { $0.long == "profile" }
        rebuilt.options.append(.init(long: "profile", value: name))
        settings = try Settings(rebuilt, environment: settings.environment)
      }
    }
    var rows: [(String, String?, String?)] = [
      ("Profile", settings.profile.map { $0.name }, settings.profileSource),
      ("API", settings.api.value, settings.api.source),
      (
        "Base URL", settings.baseURL.map { redactingPassword(in: $0.value) },
        settings.baseURL?.source
      ),
      ("Tenant", settings.tenant?.value, settings.tenant?.source),
      secretRow("API key") { () throws(TillError) in try settings.apiKey(standardInput: { nil }) },
      secretRow("Token") { () throws(TillError) in try settings.token(standardInput: { nil }) },
    ]
    if settings.json {
      var members: [(String, JSONValue)] = []
      for (label, value, source) in rows {
        guard let value else { continue }
        members.append((label, ["value": .string(value), "from": .string(source ?? "")]))
      }
      console.out(JSONValue.object(members).serialized())
      return
    }
    rows.append(("Config", path, nil))
    let state = invocation.stateDirectory
    rows.append(("State", state.unavailable.map { "(\($0.message))" } ?? state.path, nil))
    for (label, value, source) in rows {
      let padding = String(repeating: " ", count: 10 - label.count)
      let from = source.map { "  (from \($0))" } ?? ""
      console.out("\(label)\(padding)\(value.map(safe) ?? "(not set)")\(from)")
    }
  }

  /// A secret as `sk_l…` with its source, or why it cannot be read; never the secret.
  private func secretRow(
    _ label: String, _ read: () throws(TillError) -> Sourced<String>?
  ) -> (String, String?, String?) {
    do throws(TillError) {
      let secret = try read()
      return (label, secret.map { redacted($0.value) }, secret?.source)
    } catch {
      return (label, "(unreadable: \(error.message))", nil)
    }
  }

}
