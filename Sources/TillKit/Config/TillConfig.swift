/// A named set of settings for one API and environment. It says where each secret comes from
/// (an environment variable's name or a file's path), never the secret itself.
public struct Profile: Sendable, Equatable {
  public var name: String
  public var api: String?
  public var baseURL: String?
  public var tenant: String?
  public var apiKeyEnv: String?
  public var apiKeyFile: String?
  public var tokenEnv: String?
  public var tokenFile: String?
  /// Settings of one API's own (another of its services' URLs), by key, in the order set.
  public var apiSettings: [(key: String, value: String)] = []

  public init(name: String) { self.name = name }

  public static func == (left: Profile, right: Profile) -> Bool {
    Profile.keys.allSatisfy { left[keyPath: $0.path] == right[keyPath: $0.path] }
      && left.name == right.name && left.apiSettings.map(\.key) == right.apiSettings.map(\.key)
      && left.apiSettings.map(\.value) == right.apiSettings.map(\.value)
  }

  /// The value of one of the API's own settings.
  public func setting(_ key: String) -> String? {
    apiSettings.first { $0.key == key }?.value
  }

  /// The config file's keys for each field, in the order they are written.
  public static var keys: [(key: String, path: WritableKeyPath<Profile, String?>)] {
    [
      ("api", \.api), ("base-url", \.baseURL), ("tenant", \.tenant),
      ("api-key-env", \.apiKeyEnv), ("api-key-file", \.apiKeyFile),
      ("token-env", \.tokenEnv), ("token-file", \.tokenFile),
    ]
  }

  /// Names usable as bare TOML keys and on the command line.
  public static func isValidName(_ name: String) -> Bool {
    !name.isEmpty && name.count <= 64
      && name.unicodeScalars.allSatisfy {
        ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
          || $0 == "-" || $0 == "_"
      }
  }
}

/// `$XDG_CONFIG_HOME/till/config.toml`: the profiles and which one is the default.
public struct TillConfig: Sendable, Equatable {
  public var defaultProfile: String?
  public var profiles: [Profile] = []

  public init(defaultProfile: String? = nil, profiles: [Profile] = []) {
    self.defaultProfile = defaultProfile
    self.profiles = profiles
  }

  public func profile(named name: String) -> Profile? {
    profiles.first { $0.name == name }
  }

  /// Adds the profile, or replaces the one of the same name in place.
  public mutating func upsert(_ profile: Profile) {
    if let index = profiles.firstIndex(where: { $0.name == profile.name }) {
      profiles[index] = profile
    } else {
      profiles.append(profile)
    }
  }

  public mutating func remove(named name: String) -> Bool {
    let before = profiles.count
    profiles.removeAll { $0.name == name }
    if defaultProfile == name { defaultProfile = nil }
    return profiles.count != before
  }

  /// The file's text. Written only from values that are never secrets.
  public func serialized() -> String {
    var lines = [
      "# till's profiles; see 'till help profile'. No secret is kept here: a profile names",
      "# the environment variable or the file each secret is read from.",
    ]
    if let defaultProfile { lines.append("default = \(TOML.quote(defaultProfile))") }
    for profile in profiles {
      lines.append("")
      lines.append("[profiles.\(TOML.key(profile.name))]")
      for (key, path) in Profile.keys {
        if let value = profile[keyPath: path] { lines.append("\(key) = \(TOML.quote(value))") }
      }
      for (key, value) in profile.apiSettings {
        lines.append("\(key) = \(TOML.quote(value))")
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// Reads the subset of TOML the file uses: comments, `key = value` with strings, booleans
  /// and integers, and `[profiles.NAME]` tables. Errors name the file and line. A profile may
  /// hold the `apiSettings` keys besides its own.
  public static func parse(
    _ text: String, file: String = "config.toml", apiSettings: [String] = []
  ) throws(TillError) -> TillConfig {
    var config = TillConfig()
    var current: Int?  // index of the profile being filled
    var seenTopLevel: Set<String> = []
    var seenInTable: Set<String> = []
    func fail(_ line: Int, _ message: String) -> TillError {
      TillError(.usage, "\(file):\(line): \(message)")
    }
    for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false)
      .enumerated()
    {
      let number = offset + 1
      var scanner = TOML.Scanner(rawLine)
      scanner.skipSpace()
      if scanner.atEndOrComment { continue }
      if scanner.peek == "[" {
        let path: [String]
        do { path = try scanner.tableHeader() } catch { throw fail(number, error.message) }
        guard path.count == 2, path[0] == "profiles" else {
          throw fail(
            number, "unknown table [\(path.joined(separator: "."))]; expected [profiles.NAME]")
        }
        guard Profile.isValidName(path[1]) else {
          throw fail(
            number, "invalid profile name '\(path[1])': use letters, digits, '-' and '_'")
        }
        guard config.profile(named: path[1]) == nil else {
          throw fail(number, "profile '\(path[1])' is defined twice")
        }
        config.profiles.append(Profile(name: path[1]))
        current = config.profiles.count - 1
        seenInTable = []
        continue
      }
      let key: String
      let value: TOML.Value
      do {
        (key, value) = try scanner.keyValue()
      } catch {
        throw fail(number, error.message)
      }
      guard let index = current else {
        guard key == "default" else {
          throw fail(number, "unknown key '\(key)'; expected 'default' or a [profiles.NAME] table")
        }
        guard seenTopLevel.insert(key).inserted else {
          throw fail(number, "'\(key)' is set twice")
        }
        guard case .string(let name) = value else {
          throw fail(number, "'default' must be a string (a profile's name)")
        }
        config.defaultProfile = name
        continue
      }
      let profileName = config.profiles[index].name
      let field = Profile.keys.first { $0.key == key }
      guard field != nil || apiSettings.contains(key) else {
        if ["api-key", "token", "password", "secret", "key"].contains(key) {
          throw fail(
            number,
            "'\(key)' would keep a secret in the config file; use \(key == "token" ? "token-env or token-file" : "api-key-env or api-key-file") instead"
          )
        }
        let known = (Profile.keys.map(\.key) + apiSettings).joined(separator: ", ")
        throw fail(number, "unknown key '\(key)' in [profiles.\(profileName)]; known: \(known)")
      }
      guard seenInTable.insert(key).inserted else {
        throw fail(number, "'\(key)' is set twice in [profiles.\(profileName)]")
      }
      guard case .string(let text) = value else {
        throw fail(number, "'\(key)' must be a string")
      }
      if let field {
        config.profiles[index][keyPath: field.path] = text
      } else {
        config.profiles[index].apiSettings.append((key, text))
      }
    }
    if let name = config.defaultProfile, config.profile(named: name) == nil {
      throw TillError(
        .usage, "\(file): the default profile '\(name)' is not defined; add [profiles.\(name)]")
    }
    return config
  }
}

/// Just enough TOML for the config file.
enum TOML {
  enum Value: Equatable {
    case string(String)
    case bool(Bool)
    case integer(Int)
  }

  struct SyntaxError: Error {
    var message: String
  }

  static func quote(_ text: String) -> String {
    // A JSON string is a TOML basic string: the same escapes, \uXXXX for the rest.
    JSONValue.string(text).serialized()
  }

  static func key(_ name: String) -> String {
    Profile.isValidName(name) ? name : quote(name)
  }

  struct Scanner {
    let scalars: [Unicode.Scalar]
    var index = 0

    init(_ line: Substring) {
      var scalars = Array(line.unicodeScalars)
      if scalars.last == "\r" { scalars.removeLast() }
      self.scalars = scalars
    }

    var peek: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }
    var atEndOrComment: Bool { peek == nil || peek == "#" }

    mutating func skipSpace() {
      while peek == " " || peek == "\t" { index += 1 }
    }

    mutating func expectLineEnd() throws(SyntaxError) {
      skipSpace()
      guard atEndOrComment else {
        throw SyntaxError(message: "unexpected '\(String(peek!))' after the value")
      }
    }

    mutating func tableHeader() throws(SyntaxError) -> [String] {
      index += 1
      var path: [String] = []
      while true {
        skipSpace()
        path.append(try key())
        skipSpace()
        if peek == "." {
          index += 1
          continue
        }
        guard peek == "]" else { throw SyntaxError(message: "expected ']' to close the table") }
        index += 1
        try expectLineEnd()
        return path
      }
    }

    mutating func key() throws(SyntaxError) -> String {
      if peek == "\"" { return try string(closedBy: "\"") }
      if peek == "'" { return try string(closedBy: "'") }
      var name = ""
      while let scalar = peek,
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
          || ("0"..."9").contains(scalar) || scalar == "-" || scalar == "_"
      {
        name.unicodeScalars.append(scalar)
        index += 1
      }
      guard !name.isEmpty else {
        throw SyntaxError(
          message: peek.map { "unexpected '\(String($0))'; expected a key" }
            ?? "expected a key")
      }
      return name
    }

    mutating func keyValue() throws(SyntaxError) -> (String, Value) {
      let name = try key()
      skipSpace()
      if peek == "." {
        throw SyntaxError(message: "dotted keys are not supported; use a [profiles.NAME] table")
      }
      guard peek == "=" else { throw SyntaxError(message: "expected '=' after '\(name)'") }
      index += 1
      skipSpace()
      let result = try value()
      try expectLineEnd()
      return (name, result)
    }

    mutating func value() throws(SyntaxError) -> Value {
      switch peek {
      case "\"":
        if index + 2 < scalars.count, scalars[index + 1] == "\"", scalars[index + 2] == "\"" {
          throw SyntaxError(message: "multi-line strings are not supported")
        }
        return .string(try string(closedBy: "\""))
      case "'": return .string(try string(closedBy: "'"))
      case "[": throw SyntaxError(message: "arrays are not supported here")
      case "{": throw SyntaxError(message: "inline tables are not supported here")
      case nil: throw SyntaxError(message: "missing value after '='")
      default:
        var word = ""
        while let scalar = peek, scalar != " ", scalar != "\t", scalar != "#" {
          word.unicodeScalars.append(scalar)
          index += 1
        }
        if word == "true" { return .bool(true) }
        if word == "false" { return .bool(false) }
        if let number = Int(word.replacingUnderscores()) { return .integer(number) }
        throw SyntaxError(message: "invalid value '\(word)'; strings need quotes")
      }
    }

    /// A string up to its closing `quote`: a basic string (`"`) reads escapes, a literal
    /// string (`'`) takes every character as it is. Neither holds a control character but tab.
    mutating func string(closedBy quote: Unicode.Scalar) throws(SyntaxError) -> String {
      index += 1
      var text = ""
      while let scalar = peek {
        index += 1
        if scalar == quote { return text }
        if scalar.value < 0x20 && scalar != "\t" {
          throw SyntaxError(message: "control character in a string")
        }
        if quote == "\"", scalar == "\\", let escape = peek {
          index += 1
          text.unicodeScalars.append(try escaped(escape))
        } else {
          text.unicodeScalars.append(scalar)
        }
      }
      throw SyntaxError(message: "unterminated string")
    }

    /// What a backslash and `escape` stand for in a basic string; `\u` and `\U` read their
    /// hex digits.
    mutating func escaped(_ escape: Unicode.Scalar) throws(SyntaxError) -> Unicode.Scalar {
      guard escape == "u" || escape == "U" else {
        guard let decoded = singleCharacterEscape(escape, allowingSolidus: false) else {
          throw SyntaxError(message: "invalid escape '\\\(String(escape))'")
        }
        return decoded
      }
      let count = escape == "u" ? 4 : 8
      guard index + count <= scalars.count,
        let code = UInt32(
          String(String.UnicodeScalarView(scalars[index..<index + count])), radix: 16),
        let decoded = Unicode.Scalar(code)
      else { throw SyntaxError(message: "invalid \\\(escape) escape") }
      index += count
      return decoded
    }
  }
}

extension String {
  fileprivate func replacingUnderscores() -> String {
    String(unicodeScalars.filter { $0 != "_" }.map(Character.init))
  }
}
