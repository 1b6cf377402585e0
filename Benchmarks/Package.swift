// swift-tools-version: 6.1
//
// Speed benchmarks for ActorCriticBench, kept in their own package so that ordo-one/benchmark
// stays out of the library's dependency graph (style-anchors.md §4.1).
//
//   cd Benchmarks && OPENBLAS_CORETYPE=Haswell OPENBLAS_NUM_THREADS=1 \
//     swift package --allow-writing-to-package-directory benchmark
//
// The throughput benchmarks report environment steps per second as a custom metric; wall clock
// on a shared 2-core machine is information, not a gate (style-anchors.md §4.3–4.4). The
// deterministic work gate is `bench regress` (callgrind instruction counts).

import PackageDescription

let package = Package(
  name: "ActorCriticBenchBenchmarks",
  platforms: [.macOS(.v14)],
  dependencies: [
    // Named, because a path dependency's identity is otherwise its folder name (the clone's).
    .package(name: "ActorCriticBench", path: ".."),
    .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
  ],
  targets: [
    .executableTarget(
      name: "TrainingThroughput",
      dependencies: [
        .product(name: "Benchmark", package: "benchmark"),
        .product(name: "ActorCritic", package: "ActorCriticBench"),
        .product(name: "Environments", package: "ActorCriticBench"),
        .product(name: "GymnasiumBridge", package: "ActorCriticBench"),
        .product(name: "LinearAlgebra", package: "ActorCriticBench"),
        .product(name: "NeuralNetwork", package: "ActorCriticBench"),
      ],
      path: "Benchmarks/TrainingThroughput",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    )
  ]
)
