import Foundation
import Testing
import TillKit

// MARK: - State files and who may write them

extension FaultCase {
  static let state: [FaultCase] = [
    homeFromPasswordDatabase, noHomeAtAll, configOfAnotherUser, stateWritableByOthers,
    historyLinkedElsewhere, staleTemporaryFile, linksAtTheOldTemporaryNames, historyCutShort,
  ]

  /// A uid the password database does not know, for a run without any home.
  static let homelessUID: uid_t = 54_321

  /// The home the password database gives the user the tests run as.
  static func passwordDatabaseHome() -> String {
    getpwuid(geteuid()).map { String(cString: $0.pointee.pw_dir) } ?? "?"
  }

  /// `command` (a wrapper such as setpriv or prlimit, then till and its arguments) run as
  /// `observe` runs till.
  static func observeCommand(
    _ command: [String], environment: [String: String], directory: String? = nil
  ) throws -> FaultObservation {
    let began = monotonicSeconds()
    let running = try RunningTill(
      binary: command[0], arguments: Array(command.dropFirst()), environment: environment,
      stdin: nil, directory: directory)
    let killed = waitForExit(running, seconds: faultKillSeconds)
    let result = running.finish(timeout: 5)
    return FaultObservation(
      result: result, killed: killed,
      crashed: running.process.terminationReason == .uncaughtSignal,
      seconds: monotonicSeconds() - began)
  }

  /// A `checkout start` against a fake C2A server, after `prepare` has set the state up.
  static func observeStart(
    _ prepare: (Till) throws -> Void, wrapper: [String] = []
  ) throws -> (FaultObservation, Till) {
    let server = try FakeC2A.server(always: .respond(FakeC2A.status("CHECK_OUT_DONE")))
    defer { server.stop() }
    let till = Till(baseURL: server.baseURL)
    try prepare(till)
    let arguments = ["checkout", "start", "--offer", "o"]
    var observation =
      wrapper.isEmpty
      ? try observe(till, arguments)
      : try observeCommand(wrapper + [Till.binary] + arguments, environment: till.environment)
    observation.requests = server.requests
    return (observation, till)
  }

  static let homeFromPasswordDatabase = FaultCase(
    group: .state, fault: "HOME unset and no XDG variables (cron, `env -i`)",
    command: "profile show, with PATH alone set", expectedStatus: 0, expectedMessage: nil,
    printsID: false,
    run: {
      try observeCommand([Till.binary, "profile", "show"], environment: ["PATH": "/usr/bin:/bin"])
    },
    check: { observation in
      let home = passwordDatabaseHome()
      let lines = observation.result.stdoutLines
      #expect(lines.contains("Config    \(home)/.config/till/config.toml"), "\(lines)")
      #expect(lines.contains("State     \(home)/.local/state/till"), "\(lines)")
      #expect(!observation.result.stdout.contains("/tmp"))
    },
    reportedLine: { observation in
      // `~user` is the shell's name for a user's home in the password database.
      let user = getpwuid(geteuid()).map { String(cString: $0.pointee.pw_name) } ?? "?"
      return observation.result.stdoutLines.filter {
        $0.hasPrefix("Config") || $0.hasPrefix("State")
      }
      .joined(separator: "; ").replacingOccurrences(of: passwordDatabaseHome(), with: "~" + user)
    })

  static let noHomeAtAll = FaultCase(
    group: .state,
    fault: "HOME unset, no XDG variables, and a uid the password database does not know",
    command: "profile list, as uid 54321 with PATH alone set", expectedStatus: 2,
    expectedMessage: "set HOME or XDG_CONFIG_HOME to an absolute path", printsID: false,
    run: {
      guard getpwuid(homelessUID) == nil else {
        throw FaultSetupError(description: "uid \(homelessUID) is in the password database")
      }
      // A copy another uid can run, wherever the build is.
      let till = Till()
      let binary = till.stateHome + "/till"
      try copyClosingOnExec(Till.binary, to: binary)
      // Another thread's child may hold the copy open for writing a moment longer (exec
      // then fails with ETXTBSY): try again until it has let go.
      var attempt = 0
      while true {
        let observation = try observeCommand(
          [
            "/usr/bin/setpriv", "--reuid=\(homelessUID)", "--regid=\(homelessUID)",
            "--clear-groups", "--", binary, "profile", "list",
          ], environment: ["PATH": "/usr/bin:/bin"], directory: till.stateHome)
        attempt += 1
        guard observation.result.stderr.contains("Text file busy"), attempt < 20 else {
          return observation
        }
        usleep(100_000)
      }
    },
    check: { #expect($0.result.stdout.isEmpty) })

  static let configOfAnotherUser = FaultCase(
    group: .state,
    fault: "A config directory owned by another user, whose profile names their server",
    command: "checkout start --offer o", expectedStatus: 2,
    expectedMessage: "refusing the config directory", printsID: false,
    run: {
      let elsewhere = try FaultServer { _, _ in .respond(FakeC2A.accepted) }
      defer { elsewhere.stop() }
      let till = Till(baseURL: nil)
      let folder = till.stateHome + "/.config/till"
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
      try "default = \"p\"\n[profiles.p]\nbase-url = \"\(elsewhere.baseURL)\"\n".write(
        toFile: folder + "/config.toml", atomically: true, encoding: .utf8)
      for path in [folder + "/config.toml", folder] { chown(path, 65_534, 65_534) }
      var observation = try observe(till, ["checkout", "start", "--offer", "o"])
      observation.requests = elsewhere.requests
      return observation
    },
    check: { observation in
      expectNothingSent(observation)
      #expect(observation.firstLine.contains("belongs to uid 65534, not to you (uid 0)"))
      #expect(observation.firstLine.hasSuffix("run as root: chown 0 '\(observation.folder)'"))
    })

  static let stateWritableByOthers = FaultCase(
    group: .state, fault: "A state directory that group and others can write (mode 777)",
    command: "checkout start --offer o", expectedStatus: 2,
    expectedMessage: "refusing the state directory", printsID: false,
    run: {
      let (observation, _) = try observeStart { till in
        let folder = till.stateHome + "/state/till"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        chmod(folder, 0o777)
      }
      return observation
    },
    check: { observation in
      expectNothingSent(observation)
      #expect(observation.firstLine.hasSuffix("(mode 777); run: chmod 700 '\(observation.folder)'"))
    })

  static let historyLinkedElsewhere = FaultCase(
    group: .state, fault: "history.jsonl a symbolic link to another file of the user's",
    command: "checkout start --offer o", expectedStatus: 2,
    expectedMessage: "history.jsonl': it is a symbolic link", printsID: false,
    run: {
      var (observation, till) = try observeStart { till in
        let folder = till.stateHome + "/state/till"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        chmod(folder, 0o700)
        try "export PATH=/usr/bin\n".write(
          toFile: till.stateHome + "/.profile", atomically: true, encoding: .utf8)
        symlink(till.stateHome + "/.profile", folder + "/history.jsonl")
      }
      observation.files["profile"] = fileText(till.stateHome + "/.profile")
      return observation
    },
    check: { observation in
      expectNothingSent(observation)
      #expect(observation.files["profile"] == "export PATH=/usr/bin\n", "the link was followed")
    })

  /// A name of the pattern till writes through (`.NAME.tmp-` and 12 letters or digits).
  static let leftOver = ".cart.json.tmp-Kq3ZxW9pLm2A"

  static let staleTemporaryFile = FaultCase(
    group: .state, fault: "A temporary file left by a run killed mid-write, ten minutes ago",
    command: "cart add --item sku-1", expectedStatus: 0, expectedMessage: nil, printsID: false,
    run: {
      let till = Till()
      let folder = till.stateHome + "/state/till"
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
      chmod(folder, 0o700)
      let old = Date().addingTimeInterval(-600)
      // Left by a killed run; another run's write in progress; a link; not of our pattern.
      let names = [leftOver, ".cart.json.tmp-Fresh0000000", ".cart.json.tmp-LinkLinkLink"]
      for name in names.prefix(2) {
        try "{\"items\":[".write(toFile: folder + "/" + name, atomically: false, encoding: .utf8)
      }
      symlink(till.stateHome + "/elsewhere", folder + "/" + names[2])
      try "keep".write(toFile: folder + "/.cart.json.tmp-short", atomically: false, encoding: .utf8)
      for name in [leftOver, names[2], ".cart.json.tmp-short"] {
        var times = [timespec](
          repeating: timespec(tv_sec: Int(old.timeIntervalSince1970), tv_nsec: 0), count: 2)
        utimensat(AT_FDCWD, folder + "/" + name, &times, AT_SYMLINK_NOFOLLOW)
      }
      var observation = try observe(till, ["cart", "add", "--item", "sku-1"])
      let left = try FileManager.default.contentsOfDirectory(atPath: folder)
      observation.files["left"] = left.sorted().joined(separator: " ")
      observation.files["cart"] = fileText(folder + "/cart.json")
      return observation
    },
    check: { observation in
      let left = (observation.files["left"] ?? "").split(separator: " ").map(String.init)
      #expect(!left.contains(leftOver), "the stale temporary file is still there: \(left)")
      for kept in [
        ".cart.json.tmp-Fresh0000000", ".cart.json.tmp-LinkLinkLink", ".cart.json.tmp-short",
      ] {
        #expect(left.contains(kept), "\(kept) was removed")
      }
      #expect(observation.files["cart"]?.contains("sku-1") == true)
    },
    reportedLine: { observation in
      "\(observation.result.stdoutLines.last ?? ""); left in the folder: "
        + (observation.files["left"] ?? "")
    })

  /// Links at the names the temporary file of `--trace FILE` used to take (`FILE.tmp-PID`), in a
  /// directory everyone can write, for every process id likely to come next.
  static let linksAtTheOldTemporaryNames = FaultCase(
    group: .state,
    fault: "Links to the user's ~/.profile planted at `FILE.tmp-PID` for the next 4096 pids",
    command: "checkout status trk_FAULT --trace SHARED/out.har", expectedStatus: 0,
    expectedMessage: "Trace written to", printsID: true, reportsError: false,
    run: {
      let server = try FakeC2A.server(always: .respond(FakeC2A.status("CHECK_OUT_DONE")))
      defer { server.stop() }
      let till = Till(baseURL: server.baseURL)
      let shared = till.stateHome + "/shared"
      try FileManager.default.createDirectory(atPath: shared, withIntermediateDirectories: true)
      chmod(shared, 0o1777)
      let profile = till.stateHome + "/.profile"
      try "export PATH=/usr/bin\n".write(toFile: profile, atomically: true, encoding: .utf8)
      let last =
        Int(fileText("/proc/sys/kernel/ns_last_pid")?.trimmingCharacters(in: .newlines) ?? "") ?? 0
      let highest =
        Int(fileText("/proc/sys/kernel/pid_max")?.trimmingCharacters(in: .newlines) ?? "")
        ?? 4_194_304
      for step in 1...4096 {
        symlink(profile, shared + "/out.har.tmp-\((last + step) % highest)")
      }
      var observation = try observe(
        till, ["checkout", "status", FakeC2A.trackingNumber, "--trace", shared + "/out.har"])
      observation.requests = server.requests
      observation.files["profile"] = fileText(profile)
      observation.files["trace"] = fileText(shared + "/out.har")
      return observation
    },
    check: { observation in
      #expect(
        observation.files["profile"] == "export PATH=/usr/bin\n", "a planted link was followed")
      #expect(observation.files["trace"]?.contains("\"log\"") == true, "no trace written")
    })

  static let historyCutShort = FaultCase(
    group: .state,
    fault: "The history's disk full mid-line (a file size limit 10 bytes past its end)",
    command: "checkout start --offer o, under prlimit --fsize", expectedStatus: 0,
    expectedMessage: "bytes went in (is the disk full?); nothing was added", printsID: true,
    reportsError: false,
    run: {
      let line =
        #"{"id":"trk_EARLIER","api":"c2a","baseUrl":"http://127.0.0.1:9","startedAt":"#
        + #""2026-01-01T00:00:00Z","state":"completed","updatedAt":"2026-01-01T00:00:00Z"}"#
        + "\n"
      var (observation, till) = try observeStart(
        { till in
          let folder = till.stateHome + "/state/till"
          try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
          chmod(folder, 0o700)
          try line.write(toFile: folder + "/history.jsonl", atomically: true, encoding: .utf8)
        }, wrapper: ["/usr/bin/prlimit", "--fsize=\(line.utf8.count + 10)", "--"])
      observation.files["history"] = fileText(till.stateHome + "/state/till/history.jsonl")
      observation.files["line"] = line
      return observation
    },
    check: { observation in
      #expect(observation.files["history"] == observation.files["line"], "a partial line remains")
    },
    // The line's length follows the fake server's port.
    reportedLine: { observation in
      observation.firstLine.replacingOccurrences(
        of: #"of \d+ bytes"#, with: "of N bytes", options: .regularExpression)
    })
}

extension FaultObservation {
  /// The folder a refusal names: what the first line quotes first.
  var folder: String {
    firstLine.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false).dropFirst()
      .first.map(String.init) ?? ""
  }
}

/// Copies `source` to `target` (mode 0755) through a descriptor that is close-on-exec: a
/// `till` another test starts meanwhile must not inherit it open for writing, which would make
/// executing the copy fail with ETXTBSY for as long as that `till` runs.
func copyClosingOnExec(_ source: String, to target: String) throws {
  let bytes = try Data(contentsOf: URL(fileURLWithPath: source))
  let descriptor = open(target, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
  guard descriptor >= 0 else { throw FaultSetupError(description: "cannot create \(target)") }
  defer { close(descriptor) }
  var offset = 0
  while offset < bytes.count {
    let written = bytes.withUnsafeBytes {
      write(descriptor, $0.baseAddress! + offset, $0.count - offset)
    }
    guard written > 0 else { throw FaultSetupError(description: "cannot write \(target)") }
    offset += written
  }
  fchmod(descriptor, 0o755)
}
