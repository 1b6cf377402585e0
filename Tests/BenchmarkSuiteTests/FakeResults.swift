import BenchmarkSuite
import Foundation
import _TestSupport

/// Fabricated results folders for the harness tests: run folders with the same files
/// `bench run` writes, holding chosen scores.
enum FakeResults {
  static let curveHeader =
    "timesteps,updates,episodes,mean_return_last100,mean_length_last100,policy_loss,value_loss,entropy,"
    + "explained_variance,learning_rate"

  /// A fresh empty folder `<scratch>/<name>` in the test process's scratch folder (removed at exit).
  static func folder(_ name: String = "results") -> URL {
    let url = TemporaryFiles.folder("BenchmarkSuiteTests").appendingPathComponent(name, isDirectory: true)
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  /// The suite entry of `environment`/`algorithm` in `classic` with another budget if given.
  static func entry(_ environment: String, _ algorithm: AlgorithmID, timesteps: Int? = nil) -> SuiteEntry {
    var entry =
      Suite.classic.entries.first { $0.environment == environment && $0.algorithm == algorithm }
      ?? SuiteEntry(
        environment: environment, algorithm: algorithm, environmentCount: 8, timesteps: 10_000, source: "test"
      )
    if let timesteps { entry.timesteps = timesteps }
    return entry
  }

  /// Writes one complete run whose evaluation mean is `evaluation` and last-100 mean `lastHundred`;
  /// the curve rises linearly from `start` to `lastHundred` over 10 checkpoints.
  static func writeRun(
    _ store: ResultsStore, suite: String = "classic", environment: String, algorithm: AlgorithmID, seed: Int,
    evaluation: Double?, lastHundred: Double, start: Double = 0, timesteps: Int? = nil,
    trainingSeconds: Double = 1.5, evaluationTimesteps: Int? = nil, netArch: String? = nil,
    arithmetic: RunTiming.Arithmetic? = nil
  ) throws {
    var entry = entry(environment, algorithm, timesteps: timesteps)
    if let evaluationTimesteps { entry.evaluationTimesteps = evaluationTimesteps }
    var hyperparameters: [String: HyperparameterValue] = ["gamma": 0.99, "n_steps": 5, "lr_schedule": "constant"]
    if let netArch { hyperparameters["net_arch"] = .string(netArch) }
    let run = RunSpec(suite: suite, entry: entry, seed: seed)
    let summary = RunSummary(
      run: run, timesteps: entry.timesteps, trainingEpisodes: 1000, lastHundredMeanReturn: lastHundred,
      evaluation: evaluation.map {
        EvaluationResult(
          timesteps: 149_900, episodes: 300, meanReturn: $0, standardDeviation: 3, stochastic: true)
      },
      hyperparameters: hyperparameters)
    var timing = RunTiming(
      trainingSeconds: trainingSeconds, stepsPerSecond: Double(entry.timesteps) / trainingSeconds,
      evaluationSeconds: 0.5, checkpoints: [])
    timing.arithmetic = arithmetic
    var curve = curveHeader + "\n"
    for k in 1...10 {
      let t = entry.timesteps * k / 10
      let y = start + (lastHundred - start) * Double(k) / 10
      curve += "\(t),\(k * 10),\(k * 100),\(y),\(y),0.5,1.5,0.69,0.1,0.0007\n"
    }
    try store.commit(
      run: run,
      files: [
        "spec.json": try JSONCoding.encoder.encode(run),
        "configuration.json": Data("{\"gamma\":0.99}".utf8),
        "curve.csv": Data(curve.utf8),
        "episodes.csv": Data("timesteps,return,length,environment\n10,10.0,10,0\n".utf8),
        "summary.json": try JSONCoding.encoder.encode(summary),
        "timing.json": try JSONCoding.encoder.encode(timing),
      ])
  }

  /// Writes a manifest with fixed fields.
  static func writeManifest(
    _ store: ResultsStore, suite: String = "classic", gitRevision: String = "abc1234",
    createdAt: String = "2026-01-01T00:00:00Z"
  ) throws {
    let object: [String: Any] = [
      "layoutVersion": ResultsStore.layoutVersion, "suite": suite,
      "commandLine": ["bench", "run", "--suite", suite],
      "gitRevision": gitRevision, "swiftVersion": "Swift version 6.3.1",
      "openBLASConfiguration": "OpenBLAS 0.3.21",
      "openBLASCore": "Haswell", "openBLASThreads": 1, "openBLASCoreTypeEnvironment": "Haswell",
      "gslVersion": "2.7.1", "randomNumberGenerator": "mt19937", "libpngVersion": "1.6.39",
      "operatingSystem": "Debian 12", "createdAt": createdAt,
    ]
    try store.write(
      try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), to: "manifest.json")
  }

  /// A two-environment, two-algorithm folder with hand-checkable numbers.
  ///
  /// ```
  /// CartPole-v1  a2c    100 200 300 400      acktr  50 60 70 80
  /// Acrobot-v1   a2c   -100 -90 -80 -70      acktr -95 -85 -75 -65
  /// ```
  static func small() throws -> ResultsStore {
    let store = ResultsStore(root: folder())
    let cells: [(String, AlgorithmID, [Double])] = [
      ("CartPole-v1", .a2c, [100, 200, 300, 400]), ("CartPole-v1", .acktr, [50, 60, 70, 80]),
      ("Acrobot-v1", .a2c, [-100, -90, -80, -70]), ("Acrobot-v1", .acktr, [-95, -85, -75, -65]),
    ]
    for (environment, algorithm, scores) in cells {
      for (seed, score) in scores.enumerated() {
        try writeRun(
          store, environment: environment, algorithm: algorithm, seed: seed, evaluation: score,
          lastHundred: score - 1, start: environment == "CartPole-v1" ? 20 : -500)
      }
    }
    try writeManifest(store)
    return store
  }

  /// The report writer of `suite` in `store`, with a 200-replicate bootstrap (enough for text checks).
  static func paperWriter(_ store: ResultsStore, suite: String = "classic") throws -> PaperWriter {
    let catalog = try ResultsCatalog(store: store, suite: suite)
    let aggregate = try Aggregator(settings: BootstrapSettings(repetitions: 200)).aggregate(catalog)
    return try PaperWriter(catalog: catalog, aggregate: aggregate, resultsPath: "results")
  }
}
