import ActorCritic
import BenchmarkSuite
import Foundation
import Testing

@Suite("bench report and bench plot")
struct ReportTests {
  /// The small folder plus a CartPole ACER cell far below its published score (a worse verdict).
  func results() throws -> ResultsStore {
    let store = try FakeResults.small()
    for (seed, score) in [150.0, 160, 170].enumerated() {
      try FakeResults.writeRun(
        store, environment: "CartPole-v1", algorithm: .acer, seed: seed, evaluation: score,
        lastHundred: score - 5,
        start: 20)
    }
    return store
  }

  func write(_ store: ResultsStore) throws -> (String, [String: Data]) {
    let catalog = try ResultsCatalog(store: store, suite: "classic")
    let aggregate = try Aggregator(settings: BootstrapSettings(repetitions: 1_000)).aggregate(catalog)
    let out = FakeResults.folder("paper")
    let writer = try PaperWriter(
      catalog: catalog, aggregate: aggregate, resultsPath: "results",
      referenceRuns: try ReferenceImplementationRun.load(resultsFolder: store.root))
    try writer.write(to: out)
    let figures = out.appendingPathComponent("figures")
    var files: [String: Data] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: figures.path) {
      files[name] = try Data(contentsOf: figures.appendingPathComponent(name))
    }
    return (try String(contentsOf: out.appendingPathComponent("README.md"), encoding: .utf8), files)
  }

  @Test("The same results give the same report and figure bytes")
  func stableBytes() throws {
    let store = try results()
    let (first, firstFigures) = try write(store)
    let (second, secondFigures) = try write(store)
    #expect(first == second)
    #expect(firstFigures == secondFigures)
    #expect(
      firstFigures.keys.sorted() == [
        "classic-aggregate-iqm.png", "classic-curves-Acrobot-v1.png", "classic-curves-CartPole-v1.png",
        "classic-performance-profile.png",
      ])
    for data in firstFigures.values { #expect(data.starts(with: [0x89, 0x50, 0x4E, 0x47])) }
  }

  @Test("The report has every section, the published rows and evidence for the worse row")
  func content() throws {
    let (text, _) = try write(try results())
    for heading in [
      "## Abstract", "## 1. Methods", "### 1.2 Hyperparameters", "### 1.5 Statistics and the verdict rule",
      "## 2. Results", "### 2.2 Evidence for every *worse* verdict", "## 3. Reproducibility",
      "## 4. Limitations",
    ] {
      #expect(text.contains("\n" + heading + "\n"), "missing \(heading)")
    }
    #expect(text.contains("https://arxiv.org/abs/1708.05144"))
    #expect(
      text.contains(
        "| CartPole-v1 | ACER | rl-baselines-zoo | evaluation | 3 | 160.0 [150.0, 170.0] | 150.0 … 170.0 | "
          + "110.0 … 210.0 | 498.6 ± 1.4 | published agent | 0.003 / 1.000 | **worse** |"))
    #expect(text.contains("- **rl-baselines-zoo**: evaluation (stochastic policy, ≈150k steps) after 500k training steps, 1 agent"))
    #expect(text.contains("**CartPole-v1, ACER** — published 498.6"))
    #expect(text.contains("Our 3 seeds score 150.0 (seed 0), 160.0 (seed 1), 170.0 (seed 2) in evaluation"))
    #expect(text.contains("![") && text.contains("](figures/classic-curves-CartPole-v1.png)"))
    #expect(text.contains("| git revision | abc1234 |"))
    #expect(!text.contains("No row is *worse*."))
  }

  @Test("Statements about the runs come from their files: evaluation budget, networks, tasks, timing, citations")
  func statementsFollowTheData() throws {
    let store = ResultsStore(root: FakeResults.folder())
    let mlp = #"{"activation":"tanh","policy":[64,64],"shared":[],"value":[64,64]}"#
    let wide = #"{"activation":"relu","policy":[],"shared":[256,256],"value":[]}"#
    for seed in 0..<3 {
      try FakeResults.writeRun(
        store, environment: "CartPole-v1", algorithm: .a2c, seed: seed, evaluation: 200, lastHundred: 190,
        trainingSeconds: 2, evaluationTimesteps: 2_000, netArch: mlp)
      try FakeResults.writeRun(
        store, environment: "CartPole-v1", algorithm: .acer, seed: seed, evaluation: 300, lastHundred: 290,
        trainingSeconds: 4, evaluationTimesteps: 2_000, netArch: wide)
    }
    try FakeResults.writeManifest(store)
    let (text, _) = try write(store)
    let methods = try #require(text.range(of: "### 1.4").flatMap { start in
      text.range(of: "### 1.5").map { String(text[start.lowerBound..<$0.lowerBound]) }
    })
    #expect(methods.contains("the **stochastic** policy for 2k steps"))
    #expect(!methods.contains("150"))
    #expect(
      text.contains(
        "separate policy and value networks of two 64-unit tanh layers each (SB2 `MlpPolicy`) (A2C CartPole-v1)"))
    #expect(text.contains("a shared trunk of two 256-unit relu layers (ACER CartPole-v1)"))
    #expect(text.contains("**Classic control only.** 1 classic-control task (CartPole-v1)"))
    #expect(!text.contains("Five small tasks"))
    #expect(text.contains("Wang et al. 2017") && !text.contains("Wang et al. 2016"))
    #expect(!text.contains("at most 7%"))
    // 3 runs × 2 s and 3 × 4 s of training, from timing.json.
    #expect(text.contains("18.0 s of single-threaded training in total"))
    #expect(text.contains("| A2C | 3 | 1.5M | 6.0 s |"))
    // No run records counted arithmetic: no GFLOP/s column.
    #expect(!text.contains("GFLOP/s"))
  }

  @Test("The aggregate table says which algorithm has no row and why, and why the algorithms' sets differ")
  func aggregateTableExplainsMissingRowsAndSets() throws {
    // A2C's seeds share none across its environments; ACKTR's do; both ran the same environments.
    let partial = ResultsStore(root: FakeResults.folder("partial-aggregate"))
    for (environment, seed) in [("CartPole-v1", 0), ("CartPole-v1", 1), ("Acrobot-v1", 2)] {
      try FakeResults.writeRun(
        partial, environment: environment, algorithm: .a2c, seed: seed, evaluation: 200, lastHundred: 190)
    }
    for environment in ["CartPole-v1", "Acrobot-v1"] {
      for seed in 0..<3 {
        try FakeResults.writeRun(
          partial, environment: environment, algorithm: .acktr, seed: seed, evaluation: 300, lastHundred: 290)
      }
    }
    try FakeResults.writeManifest(partial)
    let (text, _) = try write(partial)
    #expect(
      text.contains(
        "No row for A2C in \"all environments it supports\": none of their seeds ran on every environment of the set"))
    #expect(!text.contains("sets differ"))
    #expect(text.contains("An algorithm without a bar in a group has no runs there, or no seed that ran on every environment"))
    #expect(text.contains("seeds they share). No bar at all: A2C."))
    #expect(text.contains("replicates). No profile for A2C: none of its seeds ran on every environment it ran."))

    // ACER cannot act in Pendulum's Box actions: the sets differ for that reason, named.
    let actions = ResultsStore(root: FakeResults.folder("action-spaces"))
    for seed in 0..<3 {
      for environment in ["CartPole-v1", "Pendulum-v1"] {
        try FakeResults.writeRun(
          actions, environment: environment, algorithm: .a2c, seed: seed, evaluation: -200, lastHundred: -210)
      }
      try FakeResults.writeRun(
        actions, environment: "CartPole-v1", algorithm: .acer, seed: seed, evaluation: 300, lastHundred: 290)
    }
    try FakeResults.writeManifest(actions)
    let (other, _) = try write(actions)
    #expect(other.contains("The algorithms support different action spaces (ACER cannot act in Pendulum-v1), so their"))
    #expect(!other.contains("No row for"))
  }

  @Test("The time table gives the counted GFLOP/s of the runs that record it, and says how many do")
  func countedArithmetic() throws {
    let store = ResultsStore(root: FakeResults.folder())
    // A2C: (2, 3, 7) GFLOP in (1, 2, 3) s of counted training, 2.5 s of training each in timing.json:
    // pooled 12 GFLOP / 6 s = 2.00 GFLOP/s (not the mean of the runs' rates, 1.94, nor 12 / 7.5 s = 1.60).
    let a2c = [(2_000_000_000, 1.0), (3_000_000_000, 2.0), (7_000_000_000, 3.0)]
    for seed in 0..<3 {
      try FakeResults.writeRun(
        store, environment: "CartPole-v1", algorithm: .a2c, seed: seed, evaluation: 200, lastHundred: 190,
        trainingSeconds: 2.5,
        arithmetic: RunTiming.Arithmetic(floatingPointOperations: a2c[seed].0, trainingSeconds: a2c[seed].1))
      // ACER: seed 0 only (the others written before the count existed): 1 GFLOP in 4 s.
      try FakeResults.writeRun(
        store, environment: "CartPole-v1", algorithm: .acer, seed: seed, evaluation: 300, lastHundred: 290,
        trainingSeconds: 4,
        arithmetic: seed == 0 ? RunTiming.Arithmetic(floatingPointOperations: 1_000_000_000, trainingSeconds: 4) : nil)
    }
    try FakeResults.writeManifest(store)
    let (text, _) = try write(store)
    #expect(text.contains("| algorithm | runs | environment steps | training time (sum) | mean steps/s | GFLOP/s (counted) |"))
    #expect(text.contains("| A2C | 3 | 1.5M | 7.5 s | 200000 | 2.00 |"))
    #expect(text.contains("| ACER | 3 | 1.5M | 12.0 s | 125000 | 0.25 (1 of 3 runs) |"))
    #expect(text.contains("GFLOP/s (counted): the floating-point operations of the BLAS and LAPACK calls"))
  }

  /// A reference-run summary as `Tools/stable_baselines_reference.py train` writes it.
  func writeReferenceRun(
    _ store: ResultsStore, environment: String, algorithm: String, seed: Int, evaluation: Double,
    lastHundred: Double, timesteps: Int = 500_000, implementation: String = "stable-baselines-2.10.2",
    evaluationProtocol: String? = nil
  ) throws {
    let folder = store.root.appendingPathComponent(
      "reference/\(implementation)/\(environment)/\(algorithm)/seed-\(seed)", isDirectory: true)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let json = """
      {"implementation": "stable-baselines 2.10.2 ACKTR (reference)", "environment": "\(environment)",
       "seed": \(seed), "timesteps": \(timesteps), "lastHundredMeanReturn": \(lastHundred),
       "evaluation": {"episodes": 300, "meanReturn": \(evaluation), "standardDeviation": 3.0\(
         evaluationProtocol.map { ", \"protocol\": \"\($0)\"" } ?? "")}}
      """
    try Data(json.utf8).write(to: folder.appendingPathComponent("summary.json"))
  }

  @Test("Networks are described from the runs' net_arch: ReLU convolutions, the LSTM between trunk and heads")
  func convolutionalAndRecurrentNetworksAreDescribed() throws {
    let store = ResultsStore(root: FakeResults.folder())
    func json(_ architecture: NetworkArchitecture) throws -> String {
      String(decoding: try JSONEncoder().encode(architecture), as: UTF8.self)
    }
    for seed in 0..<2 {
      try FakeResults.writeRun(
        store, environment: "CartPole-v1", algorithm: .a2c, seed: seed, evaluation: 200, lastHundred: 190,
        netArch: try json(.minAtarCNN))
      try FakeResults.writeRun(
        store, environment: "CartPole-v1", algorithm: .acktr, seed: seed, evaluation: 210, lastHundred: 200,
        netArch: try json(.mlpLSTM))
    }
    try FakeResults.writeManifest(store)
    let (text, _) = try write(store)
    #expect(
      text.contains(
        "ReLU convolutions (16 filters 3×3 stride 1 VALID) and a 128-unit ReLU layer, shared by both heads "
          + "(MinAtar's network) (A2C CartPole-v1)"))
    #expect(
      text.contains(
        "a shared trunk of two 64-unit tanh layers, then an LSTM of 256 units, shared by both heads "
          + "(SB2 `MlpLstmPolicy`) (ACKTR CartPole-v1)"))
    // The CNN's `"activation":"tanh"` in the A2C table is explained; the ACKTR table (dense trunk) needs no note.
    let note = "`net_arch.activation` sets the dense trunks"
    let a2cTable = try #require(text.range(of: "**A2C**\n").flatMap { start in
      text.range(of: "**ACKTR**\n").map { String(text[start.lowerBound..<$0.lowerBound]) }
    })
    #expect(a2cTable.contains(note))
    let acktrTable = try #require(text.range(of: "**ACKTR**\n").flatMap { start in
      text.range(of: "1.3 Environments").map { String(text[start.lowerBound..<$0.lowerBound]) }
    })
    #expect(!acktrTable.contains(note))
  }

  @Test("Runs of another implementation under results/reference/ get their own section")
  func referenceImplementationSection() throws {
    let store = try results()
    let (without, _) = try write(store)
    #expect(!without.contains("### 2.7"))
    for (seed, score) in [200.0, 210, 220].enumerated() {
      try writeReferenceRun(
        store, environment: "CartPole-v1", algorithm: "acer", seed: seed, evaluation: score, lastHundred: score + 1,
        evaluationProtocol: "stochastic, one copy")
    }
    // A cell we did not run, and runs with another budget, are loaded but not compared; files
    // beside the folders are ignored.
    try writeReferenceRun(
      store, environment: "Pendulum-v1", algorithm: "acktr", seed: 0, evaluation: -200, lastHundred: -210,
      evaluationProtocol: "stochastic, fifty copies")
    try writeReferenceRun(
      store, environment: "CartPole-v1", algorithm: "acer", seed: 0, evaluation: 9, lastHundred: 9,
      timesteps: 20_000, implementation: "short-runs")
    try Data("notes".utf8).write(to: store.root.appendingPathComponent("reference/README.md"))
    #expect(try ReferenceImplementationRun.load(resultsFolder: store.root).count == 5)
    let (text, _) = try write(store)
    #expect(text.contains("\n### 2.7 Against the reference implementation on the same environments\n"))
    // Theirs 210 ± 10, ours 160 ± 10; Welch t = −50 / √(100/3 + 100/3) = −6.12 on 4 df.
    #expect(
      text.contains(
        "| CartPole-v1 | ACER | stable-baselines-2.10.2 | 3 | 210.0 ± 10.0 | 211.0 ± 10.0 | 3 | 160.0 ± 10.0 | "
          + "155.0 ± 10.0 | -6.12 (0.004) |"))
    #expect(!text.contains("| Pendulum-v1 | ACKTR | stable-baselines"))
    #expect(!text.contains("short-runs"))
    // The paragraph speaks of the runs compared: their protocol and platform, not the Pendulum run's.
    #expect(text.contains("its summaries record it: \"stochastic, one copy\"."))
    #expect(!text.contains("fifty copies"))
    #expect(text.contains("(Gymnasium's classic control, with stable-baselines 2.10.2 from PyPI on TensorFlow 2.15"))
    #expect(!text.contains("MinAtar's games hosted"))
    // The CartPole ACER cell decides its published row (§2.1): no verdict of its own, none in the abstract.
    let row = try #require(text.split(separator: "\n").first { $0.hasPrefix("| CartPole-v1 | ACER | stable-baselines-2.10.2 |") })
    #expect(row.hasSuffix("| -6.12 (0.004) | decides §2.1 |"))
    #expect(!text.contains("Against the runs of stable-baselines-2.10.2 itself"))
  }

  @Test("A malformed reference folder is refused with its path and what is wrong")
  func malformedReferenceFolder() throws {
    func refusal(_ store: ResultsStore) -> (path: String, reason: String)? {
      do {
        _ = try ReferenceImplementationRun.load(resultsFolder: store.root)
        return nil
      } catch {
        switch error {
        case .incompatibleResults(let path, let reason), .io(let path, let reason): return (path, reason)
        default: return nil
        }
      }
    }
    // Not an algorithm.
    let unknown = try results()
    try FileManager.default.createDirectory(
      at: unknown.root.appendingPathComponent("reference/stable-baselines-2.10.2/CartPole-v1/dqn/seed-0"),
      withIntermediateDirectories: true)
    let a = try #require(refusal(unknown))
    #expect(a.path.hasSuffix("CartPole-v1/dqn") && a.reason.contains("a2c, acktr, acer"))
    // A seed folder without a summary.
    let empty = try results()
    try FileManager.default.createDirectory(
      at: empty.root.appendingPathComponent("reference/stable-baselines-2.10.2/CartPole-v1/acer/seed-0"),
      withIntermediateDirectories: true)
    let b = try #require(refusal(empty))
    #expect(b.path.hasSuffix("acer/seed-0/summary.json") && b.reason.contains("cannot read"))
    // Malformed JSON.
    let malformed = try results()
    try writeReferenceRun(malformed, environment: "CartPole-v1", algorithm: "acer", seed: 0, evaluation: 1, lastHundred: 1)
    try Data("{\"seed\": 0}".utf8).write(
      to: malformed.root.appendingPathComponent("reference/stable-baselines-2.10.2/CartPole-v1/acer/seed-0/summary.json"))
    let c = try #require(refusal(malformed))
    #expect(c.reason.contains("not a reference-run summary"))
    // A summary in another seed's folder.
    let moved = try results()
    try writeReferenceRun(moved, environment: "CartPole-v1", algorithm: "acer", seed: 3, evaluation: 1, lastHundred: 1)
    let folder = moved.root.appendingPathComponent("reference/stable-baselines-2.10.2/CartPole-v1/acer")
    try FileManager.default.moveItem(
      at: folder.appendingPathComponent("seed-3"), to: folder.appendingPathComponent("seed-4"))
    let d = try #require(refusal(moved))
    #expect(d.reason.contains("seed 3") && d.reason.contains("seed-4"))
  }
}
