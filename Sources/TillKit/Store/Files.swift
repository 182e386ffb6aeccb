import Glibc

/// Reading and writing the files till keeps, with the care secrets need.
public enum SecretFile {
  /// Reads a file that holds a secret (or standard input for `-`). Like ssh, refuses a file
  /// that group or others may read.
  public static func read(
    _ path: String, what: String, standardInput: () -> [UInt8]?
  ) throws(TillError) -> [UInt8] {
    if path == "-" {
      guard let bytes = standardInput() else {
        throw TillError(.usage, "could not read the \(what) from standard input")
      }
      return bytes
    }
    var info = stat()
    guard stat(path, &info) == 0 else {
      throw TillError(.usage, "cannot read the \(what) file '\(path)': \(errnoText())")
    }
    if info.st_mode & 0o077 != 0 {
      throw TillError(
        .usage,
        "the \(what) file '\(path)' can be read by others (mode "
          + String(info.st_mode & 0o777, radix: 8) + "); run: chmod 600 '\(path)'")
    }
    return try LocalFile.read(path, what: "\(what) file")
  }
}

public enum LocalFile {
  public static let maxBytes = 1_048_576

  /// Reads a whole file (by default at most 1 MiB: these are small JSON and key files).
  public static func read(_ path: String, what: String, limit: Int = maxBytes) throws(TillError)
    -> [UInt8]
  {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else {
      throw TillError(.usage, "cannot read the \(what) '\(path)': \(errnoText())")
    }
    defer { close(descriptor) }
    switch readWhole(descriptor, limit: limit) {
    case .success(let bytes):
      return bytes
    case .failure(.tooLarge):
      throw TillError(
        .usage, "the \(what) '\(path)' is larger than \(sizeText(limit)); refusing to read it")
    case .failure(.system(let code)):
      throw TillError(.usage, "cannot read the \(what) '\(path)': \(errnoText(code))")
    }
  }

  /// Why a descriptor could not be read whole.
  public enum ReadFailure: Error {
    case tooLarge
    case system(Int32)
  }

  /// Reads a descriptor to its end; nil on an error or past `limit` bytes.
  public static func readAll(_ descriptor: Int32, limit: Int = maxBytes) -> [UInt8]? {
    try? readWhole(descriptor, limit: limit).get()
  }

  /// Reads a descriptor to its end, or says why not: an errno, or more than `limit` bytes
  /// (found without reading past `limit` + one chunk).
  public static func readWhole(_ descriptor: Int32, limit: Int = maxBytes) -> Result<
    [UInt8], ReadFailure
  > {
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65_536)
    while true {
      let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
      if count < 0 {
        if errno == EINTR { continue }
        return .failure(.system(errno))
      }
      if count == 0 { return .success(bytes) }
      bytes.append(contentsOf: chunk[0..<count])
      if bytes.count > limit { return .failure(.tooLarge) }
    }
  }

  static func sizeText(_ bytes: Int) -> String {
    bytes % 1_048_576 == 0 ? "\(bytes / 1_048_576) MiB" : "\(bytes / 1024) KiB"
  }

  /// Writes a file whole or not at all: a temporary file in the same directory, then rename.
  /// Created with `mode` (0600 for anything that might hold personal data). A file of till's
  /// own gets its missing directories made; a file the user named (`creatingDirectories`
  /// false) must go in one that exists, as curl's -o would have it.
  public static func writeAtomically(
    _ bytes: [UInt8], to path: String, mode: mode_t = 0o600, creatingDirectories: Bool = true
  ) throws(TillError) {
    let directory = path.split(separator: "/", omittingEmptySubsequences: false).dropLast()
      .joined(separator: "/")
    if creatingDirectories, !directory.isEmpty { try makeDirectories(directory) }
    let temporary = path + ".tmp-\(getpid())"
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
    guard descriptor >= 0 else {
      throw TillError(.serverOrNetwork, "cannot write '\(path)': \(errnoText())")
    }
    var offset = 0
    while offset < bytes.count {
      let written = bytes.withUnsafeBytes {
        write(descriptor, $0.baseAddress! + offset, $0.count - offset)
      }
      if written < 0 {
        if errno == EINTR { continue }
        let reason = errnoText()
        close(descriptor)
        unlink(temporary)
        throw TillError(.serverOrNetwork, "cannot write '\(path)': \(reason)")
      }
      offset += written
    }
    fchmod(descriptor, mode)
    fsync(descriptor)
    close(descriptor)
    guard rename(temporary, path) == 0 else {
      let reason = errnoText()
      unlink(temporary)
      throw TillError(.serverOrNetwork, "cannot write '\(path)': \(reason)")
    }
  }

  /// `mkdir -p` with mode 0700 for what it creates.
  public static func makeDirectories(_ path: String) throws(TillError) {
    var current = path.hasPrefix("/") ? "" : "."
    for component in path.split(separator: "/") {
      current += "/" + component
      if mkdir(current, 0o700) != 0, errno != EEXIST {
        throw TillError(.serverOrNetwork, "cannot create directory '\(current)': \(errnoText())")
      }
    }
  }
}

/// An advisory lock (`flock`) on a file beside the one it guards, held while a
/// read-modify-write of a file that other `till` runs share is in progress: the history's
/// compaction, the config, the local cart. The guarded file itself is replaced by rename, so
/// the lock lives in a file of its own that is never replaced.
public enum FileLock {
  /// How long a run waits for another to let go before it says so; holders keep a lock for
  /// milliseconds.
  static let patience: Duration = .seconds(10)

  /// Runs `body` holding the lock on `path` (created 0600 if need be): exclusive for a
  /// read-modify-write, shared for a plain append that a rewrite must not overlap.
  public static func holding<T>(
    _ path: String, exclusive: Bool = true, _ body: () throws(TillError) -> T
  ) throws(TillError) -> T {
    let directory = path.split(separator: "/", omittingEmptySubsequences: false).dropLast()
      .joined(separator: "/")
    if !directory.isEmpty { try LocalFile.makeDirectories(directory) }
    let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else {
      throw TillError(.serverOrNetwork, "cannot open the lock file '\(path)': \(errnoText())")
    }
    defer { close(descriptor) }
    let operation = (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB
    let giveUp = monotonicNow() + patience
    while flock(descriptor, operation) != 0 {
      guard errno == EWOULDBLOCK || errno == EINTR else {
        throw TillError(.serverOrNetwork, "cannot lock '\(path)': \(errnoText())")
      }
      guard monotonicNow() < giveUp else {
        throw TillError(
          .serverOrNetwork,
          "another till run has held the lock '\(path)' for \(formatDuration(patience)); "
            + "try again when it has finished")
      }
      usleep(2_000)
    }
    defer { flock(descriptor, LOCK_UN) }
    return try body()
  }
}

/// `$XDG_STATE_HOME/till`, default `~/.local/state/till`.
public func stateDirectory(environment: (String) -> String?) -> String {
  if let state = environment("XDG_STATE_HOME"), state.hasPrefix("/") { return state + "/till" }
  let home = environment("HOME") ?? "/tmp"
  return home + "/.local/state/till"
}

func errnoText(_ code: Int32 = errno) -> String {
  String(cString: strerror(code)).lowercased()
}
