// swift-tools-version: 6.1
// libFuzzer harnesses for brl's input readers. A package of its own so that the main
// `swift build` / `swift test` never compile them. Build and run with `scripts/fuzz.sh`
// (see README.md here).
import PackageDescription

let package = Package(
  name: "brl-fuzz",
  dependencies: [.package(name: "brl", path: "..")],
  targets: [
    // Shared by the harnesses: temp files, the zip builder, and the whole-path exercise
    // (validate, then Rank & Sort exact and bucketed).
    .target(
      name: "FuzzSupport",
      dependencies: [
        .product(name: "BRLData", package: "brl"),
        .product(name: "RankingLosses", package: "brl"),
      ]
    ),
    .executableTarget(
      name: "FuzzNPY",
      dependencies: ["FuzzSupport", .product(name: "BRLData", package: "brl")]
    ),
    .executableTarget(
      name: "FuzzNPZ",
      dependencies: ["FuzzSupport", .product(name: "BRLData", package: "brl")]
    ),
    .executableTarget(
      name: "FuzzRaw",
      dependencies: ["FuzzSupport", .product(name: "BRLData", package: "brl")]
    ),
    .executableTarget(
      name: "FuzzTorch",
      dependencies: ["FuzzSupport", .product(name: "BRLData", package: "brl")]
    ),
    .executableTarget(
      name: "FuzzSafetensors",
      dependencies: ["FuzzSupport", .product(name: "BRLData", package: "brl")]
    ),
  ]
)
