import Glibc

/// Where till keeps its files: `$XDG_CONFIG_HOME/till` and `$XDG_STATE_HOME/till`, by default
/// under the home directory. Without HOME (cron, `env -i`, some service managers) the home is
/// the password database's for the effective user; never a directory every user can write,
/// such as /tmp.
public enum TillDirectories {
  /// `$XDG_CONFIG_HOME/till`, default `~/.config/till`.
  public static func config(environment: (String) -> String?) -> PrivateDirectory {
    directory("config", variable: "XDG_CONFIG_HOME", underHome: ".config", environment)
  }

  /// `$XDG_STATE_HOME/till`, default `~/.local/state/till`.
  public static func state(environment: (String) -> String?) -> PrivateDirectory {
    directory("state", variable: "XDG_STATE_HOME", underHome: ".local/state", environment)
  }

  /// `$HOME` when it is an absolute path, else the password database's home for the effective
  /// user; nil when there is neither.
  public static func home(environment: (String) -> String?) -> String? {
    if let home = environment("HOME"), home.hasPrefix("/") { return home }
    return passwordDatabaseHome()
  }

  private static func directory(
    _ role: String, variable: String, underHome: String, _ environment: (String) -> String?
  ) -> PrivateDirectory {
    if let base = environment(variable), base.hasPrefix("/") {
      return PrivateDirectory(base + "/till", role: role)
    }
    guard let home = home(environment: environment) else {
      return PrivateDirectory(
        unavailable: TillError(
          .usage,
          "no home directory for till's \(role) files: HOME is not set and the password "
            + "database has no home for uid \(geteuid()); set HOME or \(variable) to an "
            + "absolute path"),
        role: role)
    }
    return PrivateDirectory(home + "/" + underHome + "/till", role: role)
  }

  private static func passwordDatabaseHome() -> String? {
    var size = max(Int(sysconf(Int32(_SC_GETPW_R_SIZE_MAX))), 1024)
    while size <= 1_048_576 {
      var buffer = [CChar](repeating: 0, count: size)
      // The entry's strings live in the buffer: read them while it is lent out.
      let (result, home) = buffer.withUnsafeMutableBufferPointer { storage -> (Int32, String?) in
        var entry = passwd()
        var found: UnsafeMutablePointer<passwd>?
        let result = getpwuid_r(geteuid(), &entry, storage.baseAddress!, storage.count, &found)
        guard result == 0, found != nil, let directory = entry.pw_dir else { return (result, nil) }
        return (result, String(cString: directory))
      }
      if result == ERANGE {
        size *= 2
        continue
      }
      guard let home, home.hasPrefix("/") else { return nil }
      return home
    }
    return nil
  }
}
