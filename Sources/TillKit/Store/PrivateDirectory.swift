import Glibc

/// A folder of till's own — `~/.config/till`, `~/.local/state/till` — and the only way to its
/// files. Like ssh with `~/.ssh`, till uses it only while the user alone can write it: the
/// folder, its subfolders and its files must belong to the effective user, be writable by
/// nobody else, and not be symbolic links (the folders above it are not till's to judge).
/// Everything it writes goes through `LocalFile.writeAtomically`.
public struct PrivateDirectory: Sendable {
  /// The folder's path; empty when there is no home to put it under.
  public let path: String
  /// `config` or `state`, as messages name it.
  let role: String
  /// Why the folder cannot be used at all (no home directory), said at its first use.
  public let unavailable: TillError?

  public init(_ path: String, role: String) {
    self.path = path
    self.role = role
    unavailable = nil
  }

  init(unavailable: TillError, role: String) {
    path = ""
    self.role = role
    self.unavailable = unavailable
  }

  /// The path of `name`, which may name a subfolder (`tokens/default.token`).
  public func path(of name: String) -> String { path + "/" + name }

  /// Refuses the folder, the subfolders on the way to `name` and the file itself, when they
  /// exist and another user could have written them.
  public func check(_ name: String, what: String) throws(TillError) {
    guard let file = try prepare(name, creating: false) else { return }
    var info = stat()
    guard lstat(file, &info) == 0 else { return }
    try refuse(info, what: "the \(what)", path: file)
  }

  /// Reads `name` whole; nil when it does not exist. A `secret` (a saved token) must be
  /// unreadable by others too.
  public func read(
    _ name: String, what: String, limit: Int = LocalFile.maxBytes, secret: Bool = false
  ) throws(TillError) -> [UInt8]? {
    guard let file = try prepare(name, creating: false) else { return nil }
    // Non-blocking, so a FIFO put in the file's place is refused rather than waited on.
    let descriptor = open(file, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
    guard descriptor >= 0 else {
      if errno == ENOENT { return nil }
      throw openFailure(what, file)
    }
    defer { close(descriptor) }
    try checkOpened(descriptor, what: what, path: file, secret: secret)
    switch LocalFile.readWhole(descriptor, limit: limit) {
    case .success(let bytes):
      return bytes
    case .failure(.tooLarge):
      throw TillError(
        .usage,
        "the \(what) '\(file)' is larger than \(LocalFile.sizeText(limit)); refusing to read it")
    case .failure(.system(let code)):
      throw TillError(.usage, "cannot read the \(what) '\(file)': \(errnoText(code))")
    }
  }

  /// Writes `name` whole or not at all, mode 0600, making the folders it needs (0700), and
  /// returns its path.
  @discardableResult
  public func write(_ bytes: [UInt8], to name: String, what: String) throws(TillError) -> String {
    let file = try prepare(name, creating: true) ?? path(of: name)
    var info = stat()
    if lstat(file, &info) == 0 { try refuse(info, what: "the \(what)", path: file) }
    try LocalFile.writeAtomically(bytes, to: file, mode: 0o600)
    return file
  }

  /// Opens `name` to append to, creating it (0600) if need be.
  public func openForAppend(_ name: String, what: String) throws(TillError) -> Int32 {
    let file = try prepare(name, creating: true) ?? path(of: name)
    let descriptor = open(file, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else { throw openFailure(what, file) }
    do throws(TillError) {
      try checkOpened(descriptor, what: what, path: file, secret: false)
    } catch {
      close(descriptor)
      throw error
    }
    return descriptor
  }

  /// Runs `body` holding the lock that guards `name`: a file of its own beside it
  /// (`NAME.lock`), since `name` itself is replaced by rename.
  public func holdingLock<T>(
    for name: String, _ body: () throws(TillError) -> T
  ) throws(TillError) -> T {
    let file = try prepare(name + ".lock", creating: true) ?? path(of: name + ".lock")
    let descriptor = open(file, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else { throw openFailure("lock file", file) }
    defer { close(descriptor) }
    try checkOpened(descriptor, what: "lock file", path: file, secret: false)
    return try FileLock.holding(descriptor, path: file, body)
  }

  /// Checks the folder and the subfolders on the way to `name`, top down, and returns the
  /// file's path. Missing folders are made when `creating`, else the answer is nil: the file
  /// cannot exist yet.
  private func prepare(_ name: String, creating: Bool) throws(TillError) -> String? {
    if let unavailable { throw unavailable }
    var folder = path
    var info = stat()
    for (index, component) in ([Substring("")] + name.split(separator: "/").dropLast()).enumerated()
    {
      if index > 0 { folder += "/" + component }
      if lstat(folder, &info) != 0 {
        guard errno == ENOENT else {
          throw TillError(
            .serverOrNetwork, "cannot examine the \(role) directory '\(folder)': \(errnoText())")
        }
        guard creating else { return nil }
        if index == 0 {
          let parent = folder.split(separator: "/", omittingEmptySubsequences: false).dropLast()
            .joined(separator: "/")
          if !parent.isEmpty { try LocalFile.makeDirectories(parent) }
        }
        guard mkdir(folder, 0o700) == 0 || errno == EEXIST, lstat(folder, &info) == 0 else {
          throw TillError(
            .serverOrNetwork, "cannot create the \(role) directory '\(folder)': \(errnoText())")
        }
      }
      try refuse(info, what: "the \(role) directory", path: folder, isDirectory: true)
    }
    return path(of: name)
  }

  /// Refuses an opened file another user could have written, or one that is not a plain file.
  private func checkOpened(_ descriptor: Int32, what: String, path: String, secret: Bool)
    throws(TillError)
  {
    var info = stat()
    guard fstat(descriptor, &info) == 0 else {
      throw TillError(.serverOrNetwork, "cannot examine the \(what) '\(path)': \(errnoText())")
    }
    try refuse(info, what: "the \(what)", path: path, secret: secret)
  }

  private func openFailure(_ what: String, _ path: String) -> TillError {
    if errno == ELOOP { return Self.refusal("the \(what)", path, Self.symbolicLink) }
    return TillError(.serverOrNetwork, "cannot open the \(what) '\(path)': \(errnoText())")
  }

  private func refuse(
    _ info: stat, what: String, path: String, isDirectory: Bool = false, secret: Bool = false
  ) throws(TillError) {
    if let problem = Self.problem(info, path: path, isDirectory: isDirectory, secret: secret) {
      throw Self.refusal(what, path, problem)
    }
  }

  static func refusal(_ what: String, _ path: String, _ problem: String) -> TillError {
    TillError(.usage, "refusing \(what) '\(path)': \(problem)")
  }

  static let symbolicLink =
    "it is a symbolic link, and till follows none among its own files; remove it, or put what "
    + "it points to in its place"

  /// What is wrong with a file or folder of till's own, as `lstat` or `fstat` describes it,
  /// with the command that fixes it; nil when nothing is.
  static func problem(_ info: stat, path: String, isDirectory: Bool, secret: Bool) -> String? {
    let type = info.st_mode & S_IFMT
    if type == S_IFLNK { return symbolicLink }
    guard type == (isDirectory ? S_IFDIR : S_IFREG) else {
      return isDirectory ? "it is not a directory" : "it is not a regular file"
    }
    let user = geteuid()
    if info.st_uid != user {
      return "it belongs to uid \(info.st_uid), not to you (uid \(user)), so someone else may "
        + "have written it; check it, then run as root: chown \(user) '\(path)'"
    }
    let mode = String(info.st_mode & 0o7777, radix: 8)
    let fix = (isDirectory ? "chmod 700 '" : "chmod 600 '") + path + "'"
    if info.st_mode & 0o022 != 0 {
      return "group or others can write it (mode \(mode)); run: \(fix)"
    }
    if secret, info.st_mode & 0o077 != 0 {
      return "group or others can read it (mode \(mode)); run: \(fix)"
    }
    return nil
  }
}
