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

  /// Writes a file whole or not at all, in a directory that exists: every file till writes
  /// goes through here. The bytes go to a temporary file beside it, made afresh under a name
  /// nobody can guess (so nothing planted there can take the write elsewhere), then synced
  /// and renamed over the file. Created with `mode` (0600 for anything that might hold
  /// personal data).
  public static func writeAtomically(_ bytes: [UInt8], to path: String, mode: mode_t = 0o600)
    throws(TillError)
  {
    let (directory, name) = splitPath(path)
    removeStaleTemporaries(of: name, in: directory)
    var temporary = ""
    var descriptor: Int32 = -1
    for _ in 0..<4 {
      temporary = directory + "/" + temporaryPrefix(name) + randomSuffix()
      descriptor = open(
        temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
      if descriptor >= 0 || errno != EEXIST { break }
    }
    guard descriptor >= 0 else {
      throw TillError(.serverOrNetwork, "cannot write '\(path)': \(errnoText())")
    }
    func fail(_ reason: String) -> TillError {
      unlink(temporary)
      return TillError(.serverOrNetwork, "cannot write '\(path)': \(reason)")
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
        throw fail(reason)
      }
      offset += written
    }
    fchmod(descriptor, mode)
    guard fsync(descriptor) == 0 else {
      let reason = errnoText()
      close(descriptor)
      throw fail(reason)
    }
    guard close(descriptor) == 0 else { throw fail(errnoText()) }
    guard rename(temporary, path) == 0 else { throw fail(errnoText()) }
    // The rename itself survives a crash once the directory is synced too.
    let folder = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if folder >= 0 {
      fsync(folder)
      close(folder)
    }
  }

  /// How long a temporary file may lie before it counts as left by a run that was killed.
  static let staleAfterSeconds = 60

  /// Removes temporary files of `name` that a killed run left: only names of our own pattern,
  /// plain files (never links) that belong to this user, older than a minute, so another
  /// run's write in progress is left alone.
  static func removeStaleTemporaries(of name: String, in directory: String) {
    guard let folder = opendir(directory) else { return }
    defer { closedir(folder) }
    let prefix = temporaryPrefix(name)
    let now = time(nil)
    while let entry = readdir(folder) {
      let candidate = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
      }
      guard candidate.hasPrefix(prefix),
        isRandomSuffix(candidate.utf8.dropFirst(prefix.utf8.count))
      else { continue }
      var info = stat()
      guard fstatat(dirfd(folder), candidate, &info, AT_SYMLINK_NOFOLLOW) == 0,
        info.st_mode & S_IFMT == S_IFREG, info.st_uid == geteuid(),
        now - info.st_mtim.tv_sec > staleAfterSeconds
      else { continue }
      unlinkat(dirfd(folder), candidate, 0)
    }
  }

  /// `.NAME.tmp-`: hidden, and named for the file it will become.
  static func temporaryPrefix(_ name: String) -> String { "." + name + ".tmp-" }

  static let suffixAlphabet = Array(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)
  static let suffixLength = 12

  /// Twelve characters from the system's secure generator: about 71 bits.
  static func randomSuffix() -> String {
    var generator = SystemRandomNumberGenerator()
    let characters = (0..<suffixLength).map { _ in suffixAlphabet.randomElement(using: &generator)!
    }
    return String(decoding: characters, as: UTF8.self)
  }

  private static func isRandomSuffix(_ text: Substring.UTF8View) -> Bool {
    text.count == suffixLength && text.allSatisfy { suffixAlphabet.contains($0) }
  }

  /// The directory (`.` for a bare name) and the name of a file's path.
  static func splitPath(_ path: String) -> (directory: String, name: String) {
    guard let slash = path.lastIndex(of: "/") else { return (".", path) }
    let directory = String(path[..<slash])
    return (directory.isEmpty ? "/" : directory, String(path[path.index(after: slash)...]))
  }

  /// Appends `bytes` to a file opened with `O_APPEND`, whole or not at all: one write; when
  /// it is cut short (a full disk, a file size limit) the file is cut back to where it was, so
  /// no partial line remains. The caller holds the lock every appender takes, so nothing
  /// else is appended meanwhile. Returns the file's new size.
  public static func appendWhole(
    _ bytes: [UInt8], to descriptor: Int32, path: String, what: String
  ) throws(TillError) -> Int {
    var info = stat()
    guard fstat(descriptor, &info) == 0 else {
      throw TillError(.serverOrNetwork, "cannot write the \(what) '\(path)': \(errnoText())")
    }
    var written: Int
    repeat {
      written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    } while written < 0 && errno == EINTR
    guard written == bytes.count else {
      var reason =
        written < 0
        ? errnoText() : "only \(written) of \(bytes.count) bytes went in (is the disk full?)"
      if written > 0, ftruncate(descriptor, info.st_size) != 0 {
        reason += "; cutting the partial line off failed too: \(errnoText())"
      }
      throw TillError(
        .serverOrNetwork, "cannot write the \(what) '\(path)': \(reason); nothing was added")
    }
    return Int(info.st_size) + written
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
/// read-modify-write of a file that other `till` runs share is in progress (the config, the
/// local cart, the history's compaction) or an append to the history. The guarded file itself
/// is replaced by rename, so the lock lives in a file of its own that is never replaced
/// (`PrivateDirectory.holdingLock`).
enum FileLock {
  /// How long a run waits for another to let go before it says so; holders keep a lock for
  /// milliseconds.
  static let patience: Duration = .seconds(10)

  /// Runs `body` holding the lock on the open lock file `descriptor`, alone.
  static func holding<T>(
    _ descriptor: Int32, path: String, _ body: () throws(TillError) -> T
  ) throws(TillError) -> T {
    let operation = LOCK_EX | LOCK_NB
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

func errnoText(_ code: Int32 = errno) -> String {
  String(cString: strerror(code)).lowercased()
}
