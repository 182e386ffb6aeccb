import Glibc
import Testing

@testable import TillKit

/// Till's own folders: used only while the user alone can write them, written to only
/// through `LocalFile.writeAtomically`.
@Suite struct PrivateDirectoryTests {
  let root = "/tmp/till-private-test-" + makeUUID() + "/state/till"

  @Test func aSubfolderOthersCanWriteIsRefused() throws {
    let directory = PrivateDirectory(root, role: "state")
    try directory.write(Array("a\n".utf8), to: "tokens/default.token", what: "saved token")
    chmod(root + "/tokens", 0o770)
    #expect {
      try directory.write(Array("b\n".utf8), to: "tokens/default.token", what: "saved token")
    } throws: { error in
      (error as? TillError)?.message
        == "refusing the state directory '\(root)/tokens': group or others can write it (mode "
        + "770); run: chmod 700 '\(root)/tokens'"
    }
    #expect(throws: TillError.self) {
      try directory.read("tokens/default.token", what: "saved token")
    }
  }

  @Test func aSecretOthersCanReadIsRefusedAndAMissingFileIsNil() throws {
    let directory = PrivateDirectory(root, role: "state")
    #expect(try directory.read("tokens/p.token", what: "saved token", secret: true) == nil)
    let path = try directory.write(Array("t\n".utf8), to: "tokens/p.token", what: "saved token")
    chmod(path, 0o640)
    #expect(throws: TillError.self) {
      try directory.read("tokens/p.token", what: "saved token", secret: true)
    }
    #expect(try directory.read("tokens/p.token", what: "saved token") == Array("t\n".utf8))
  }

  @Test func aWriteLeavesNoTemporaryFileBehind() throws {
    let directory = PrivateDirectory(root, role: "state")
    for text in ["one", "two"] {
      try directory.write(Array(text.utf8), to: "cart.json", what: "cart file")
    }
    #expect(try directory.read("cart.json", what: "cart file") == Array("two".utf8))
    let folder = try #require(opendir(root))
    defer { closedir(folder) }
    var entries: [String] = []
    while let entry = readdir(folder) {
      entries.append(
        withUnsafeBytes(of: entry.pointee.d_name) {
          String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
        })
    }
    #expect(entries.sorted() == [".", "..", "cart.json"])
  }

  @Test func temporaryNamesAreHiddenAndUnpredictable() {
    let first = LocalFile.randomSuffix()
    #expect(first.utf8.count == 12)
    #expect(first != LocalFile.randomSuffix())
    #expect(LocalFile.temporaryPrefix("cart.json") == ".cart.json.tmp-")
    #expect(LocalFile.splitPath("out.har") == (".", "out.har"))
    #expect(LocalFile.splitPath("/out.har") == ("/", "out.har"))
    #expect(LocalFile.splitPath("/a/b/out.har") == ("/a/b", "out.har"))
  }

  @Test func withoutHomeTheDirectoryNamesWhatToSet() {
    let directory = TillDirectories.state { _ in nil }
    if TillDirectories.home(environment: { _ in nil }) == nil {
      #expect(
        directory.unavailable?.message.hasSuffix("set HOME or XDG_STATE_HOME to an absolute path")
          == true)
    } else {
      #expect(directory.path.hasSuffix("/.local/state/till"))
      #expect(!directory.path.hasPrefix("/tmp"))
    }
    let relative = TillDirectories.config { $0 == "HOME" ? "relative/home" : nil }
    #expect(!relative.path.hasPrefix("relative"))
    #expect(TillDirectories.config { $0 == "XDG_CONFIG_HOME" ? "/x" : nil }.path == "/x/till")
  }
}
