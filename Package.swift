// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "till",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "till", targets: ["till"])
  ],
  targets: [
    .systemLibrary(
      name: "CCurl",
      pkgConfig: "libcurl",
      providers: [.apt(["libcurl4-openssl-dev"]), .brew(["curl"])]
    ),
    .target(name: "TillKit", dependencies: ["CCurl"]),
    .target(name: "TillArguments"),
    .target(name: "TillSandbox"),
    .target(name: "TillCLI", dependencies: ["TillKit", "TillArguments", "TillSandbox"]),
    .executableTarget(
      name: "till", dependencies: ["TillCLI"], exclude: ["StaticLink"],
      // A release build links the Swift runtime, libstdc++ and libgcc's unwinder in, as `make`
      // does: the loader then binds far fewer symbols at every start (Benchmarks/RESULTS.md),
      // so the binary that `swift run -c release` builds is the fast one too. StaticLink holds
      // a linker script named libstdc++.so that answers the runtime's -lstdc++ with the
      // archive.
      linkerSettings: [
        .unsafeFlags(
          [
            "-static-stdlib", "-Xclang-linker", "-static-libgcc",
            "-L\(Context.packageDirectory)/Sources/till/StaticLink",
          ],
          .when(platforms: [.linux], configuration: .release))
      ]),
    // TCP on 127.0.0.1 for the tests of two targets: the fake servers' sockets and clients'.
    .target(name: "LoopbackSockets", path: "Tests/LoopbackSockets"),
    .testTarget(name: "TillKitTests", dependencies: ["TillKit", "TillSandbox"]),
    .testTarget(name: "TillArgumentsTests", dependencies: ["TillArguments"]),
    .testTarget(
      name: "TillCLITests", dependencies: ["TillCLI", "TillArguments", "TillKit"],
      // Help snapshots, read from the source tree by path; not resources of the bundle.
      exclude: ["Snapshots"]),
    .testTarget(
      name: "EndToEndTests", dependencies: ["TillSandbox", "TillKit", "LoopbackSockets"]),
    .testTarget(name: "TillSandboxTests", dependencies: ["TillSandbox", "LoopbackSockets"]),
  ]
)
