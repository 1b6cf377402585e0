// swift-tools-version: 6.1
//
// ActorCriticBench: A2C, ACKTR and ACER in Swift, seeded, single-threaded and reproducible,
// with a benchmark harness (`bench`) that checks results against the published numbers.
//
// Dependency rule (design.md §2): arrows point down the list of public targets below; nothing
// imports `bench`; no target imports both `CGSL` and `COpenBLAS` (their CBLAS enums clash).

import PackageDescription

/// Optimisation flags for the numerical targets. `-enforce-exclusivity=unchecked` removes the
/// dynamic exclusivity checks from the inner loops of the network and environment code; every
/// other safety check (bounds, overflow) stays on.
let numericSettings: [SwiftSetting] = [
  .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))
]

let package = Package(
  name: "ActorCriticBench",
  platforms: [.macOS(.v14)],
  products: [
    .library(name: "LinearAlgebra", targets: ["LinearAlgebra"]),
    .library(name: "Randomness", targets: ["Randomness"]),
    .library(name: "NeuralNetwork", targets: ["NeuralNetwork"]),
    .library(name: "Environments", targets: ["Environments"]),
    .library(name: "NumPyArchive", targets: ["NumPyArchive"]),
    .library(name: "GymnasiumBridge", targets: ["GymnasiumBridge"]),
    .library(name: "ActorCritic", targets: ["ActorCritic"]),
    .library(name: "Statistics", targets: ["Statistics"]),
    .library(name: "Plotting", targets: ["Plotting"]),
    .library(name: "BenchmarkSuite", targets: ["BenchmarkSuite"]),
    .executable(name: "bench", targets: ["bench"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
  ],
  targets: [
    // MARK: - System libraries (C never leaks into public API)

    .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
    .systemLibrary(name: "CLAPACKE", pkgConfig: "lapacke", providers: [.apt(["liblapacke-dev"])]),
    .systemLibrary(name: "CGSL", pkgConfig: "gsl", providers: [.apt(["libgsl-dev"])]),
    .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
    .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

    // MARK: - Public API

    .target(name: "LinearAlgebra", dependencies: ["COpenBLAS", "CLAPACKE"], swiftSettings: numericSettings),
    .target(name: "Randomness", dependencies: ["CGSL"], swiftSettings: numericSettings),
    .target(
      name: "NeuralNetwork", dependencies: ["LinearAlgebra", "Randomness"], swiftSettings: numericSettings),
    .target(name: "Environments", dependencies: ["Randomness"], swiftSettings: numericSettings),
    /// `.npy`/`.npz` reading and writing (expert datasets in stable-baselines' format).
    .target(name: "NumPyArchive", dependencies: ["CZlib"]),
    /// Gymnasium environments in Python worker processes (Python/worker/); no Python is started
    /// unless a bridged environment is asked for.
    .target(name: "GymnasiumBridge", dependencies: ["Environments", "Randomness"]),
    .target(
      name: "ActorCritic",
      dependencies: ["NeuralNetwork", "Environments", "LinearAlgebra", "Randomness", "NumPyArchive"],
      swiftSettings: numericSettings),
    .target(name: "Statistics", dependencies: ["CGSL", "Randomness"], swiftSettings: numericSettings),
    .target(name: "Plotting", dependencies: ["CPNG"], swiftSettings: numericSettings),
    .target(
      name: "BenchmarkSuite",
      dependencies: [
        "ActorCritic", "Environments", "GymnasiumBridge", "Statistics", "Plotting", "LinearAlgebra", "Randomness",
        "BuildInfo", "NumPyArchive",
      ]),
    .executableTarget(
      name: "bench",
      dependencies: [
        "BenchmarkSuite", "GymnasiumBridge", .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),

    // MARK: - Implementation details (not API)

    /// The git revision (with a dirty flag) and the compiler version, recorded at build time.
    .target(name: "BuildInfo", plugins: ["BuildInfoPlugin"]),
    .plugin(name: "BuildInfoPlugin", capability: .buildTool()),

    .target(
      name: "_TestSupport",
      dependencies: [
        "LinearAlgebra", "Randomness", "Environments", .product(name: "RealModule", package: "swift-numerics"),
      ]),

    // MARK: - Unit test bundles

    .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra", "_TestSupport"]),
    .testTarget(name: "RandomnessTests", dependencies: ["Randomness", "_TestSupport"]),
    .testTarget(name: "NeuralNetworkTests", dependencies: ["NeuralNetwork", "_TestSupport"]),
    .testTarget(name: "NumPyArchiveTests", dependencies: ["NumPyArchive"], exclude: ["Fixtures"]),
    .testTarget(
      name: "EnvironmentsTests", dependencies: ["Environments", "_TestSupport"],
      exclude: ["Fixtures"]),
    .testTarget(
      name: "ActorCriticTests", dependencies: ["ActorCritic", "NumPyArchive", "_TestSupport"], exclude: ["Fixtures"]),
    .testTarget(
      name: "GymnasiumBridgeTests",
      dependencies: ["GymnasiumBridge", "ActorCritic", "Environments", "Randomness", "_TestSupport"],
      exclude: ["Fixtures"]),
    .testTarget(name: "StatisticsTests", dependencies: ["Statistics", "_TestSupport"]),
    .testTarget(name: "PlottingTests", dependencies: ["Plotting", "_TestSupport"]),
    .testTarget(
      name: "BenchmarkSuiteTests",
      dependencies: ["BenchmarkSuite", "BuildInfo", "NumPyArchive", "Plotting", "_TestSupport"]),
  ]
)
