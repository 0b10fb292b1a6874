// swift-tools-version: 6.1
import PackageDescription

let package = Package(
  name: "brl",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "brl", targets: ["brl"]),
    .library(name: "RankingLosses", targets: ["RankingLosses"]),
    .library(name: "BRLData", targets: ["BRLData"]),
    .library(name: "BRLBench", targets: ["BRLBench"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
    .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
    .package(url: "https://github.com/apple/swift-numerics", from: "1.0.0"),
    .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.0"),
  ],
  targets: [
    // Pure math: the losses and their three methods. No I/O.
    .target(
      name: "RankingLosses",
      dependencies: [.product(name: "RealModule", package: "swift-numerics")],
      exclude: ["README.md"]
    ),
    // The system zlib, for CRC-32 (zlib1g-dev on Debian/Ubuntu; part of macOS).
    .systemLibrary(
      name: "SystemZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]),
    // Readers and writers for .npy, .npz and raw dumps, and input validation.
    .target(
      name: "BRLData",
      dependencies: [
        "RankingLosses", "SystemZlib", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
      ],
      exclude: ["README.md"]
    ),
    // How brl's output looks: text tables, number formats, the JSON set-up, JUnit XML.
    .target(name: "BRLFormat", exclude: ["README.md"]),
    // The seeded generator (SplitMix64) and the portable log/cos behind synthetic data and the
    // tests' random inputs: the same bits for a seed on every machine.
    .target(name: "BRLRandom"),
    // Synthetic data, the benchmark runner, the SQLite store, tables and charts.
    .target(
      name: "BRLBench",
      dependencies: [
        "RankingLosses", "BRLFormat", "BRLRandom", .product(name: "GRDB", package: "GRDB.swift"),
      ],
      exclude: ["README.md"]
    ),
    // The command line.
    .executableTarget(
      name: "brl",
      dependencies: [
        "RankingLosses", "BRLData", "BRLBench", "BRLFormat",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      plugins: ["BuildCommit"]
    ),
    // Writes the git commit of the checkout into `brl` at build time, for `brl --version`.
    .plugin(name: "BuildCommit", capability: .buildTool()),
    .testTarget(
      name: "RankingLossesTests",
      dependencies: [
        "RankingLosses", "BRLData", "BRLRandom",
        .product(name: "PropertyBased", package: "swift-property-based"),
      ]
    ),
    .testTarget(name: "BRLDataTests", dependencies: ["BRLData", "RankingLosses", "BRLRandom"]),
    .testTarget(
      name: "BRLBenchTests", dependencies: ["BRLBench", "BRLFormat", "BRLRandom", "RankingLosses"]),
    .testTarget(name: "BRLRandomTests", dependencies: ["BRLRandom"]),
    .testTarget(name: "BRLFormatTests", dependencies: ["BRLFormat"]),
    // Runs the built `brl` executable end to end.
    .testTarget(name: "brlTests", dependencies: ["brl", "BRLData", "BRLFormat", "RankingLosses"]),
  ]
)
