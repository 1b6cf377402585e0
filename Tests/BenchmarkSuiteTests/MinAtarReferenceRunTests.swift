@testable import BenchmarkSuite
import Foundation
import GymnasiumBridge
import Testing

/// stable-baselines 2.10.2's own MinAtar runs (`Tools/stable_baselines_reference.py train --env
/// minatar:<Game>`, `scripts/sb2-minatar-reference.sh`) beside our `minatar` suite.
@Suite("stable-baselines 2.10.2 MinAtar reference runs")
struct MinAtarReferenceRunTests {
  /// A summary as the tool wrote it (A2C, Breakout, seed 0, 20,000 steps, evaluation 5,000 steps;
  /// 2026-12-01, TensorFlow 1.15.5), with its folder's environment id.
  static let summary = """
    {
      "implementation": "stable-baselines 2.10.2 A2C (reference), Tools/stable_baselines_reference.py",
      "environment": "minatar:Breakout",
      "seed": 0,
      "timesteps": 20000,
      "trainedTimesteps": 20000,
      "n_envs": 16,
      "policy": "CnnPolicy, cnn_extractor minatar_cnn (conv 16 3x3/1 VALID ReLU, fc 128 ReLU)",
      "hyperparameters": {
        "gamma": 0.99, "n_steps": 5, "ent_coef": 0.01, "vf_coef": 0.25, "learning_rate": 0.0007,
        "max_grad_norm": 0.5, "alpha": 0.99, "epsilon": 1e-05, "lr_schedule": "constant"
      },
      "differences": [
        "seeds are SB2's own streams (set_global_seeds(seed): TensorFlow graph seed, NumPy, random); training copy i is reset with seed 1000\\u00b7seed + i and the evaluation copy with 1000\\u00b7seed + 999 (ours derive both from the run seed)",
        "environments are built and stepped by our own bridge worker (Python/worker/acb_worker.py, the project's .venv) over the bridge protocol, as ours are: identical dynamics, sticky actions, auto-reset and Monitor"
      ],
      "trainingSeconds": 5.1,
      "trainerCPUSeconds": 2.3,
      "stepsPerSecond": 3896.5,
      "loadAverage": [8.86, 7.04, 4.86],
      "trainingEpisodes": 1789,
      "lastHundredMeanReturn": 0.53,
      "evaluation": {
        "protocol": "stochastic policy, episodes completed within 5000 steps (1 env)",
        "timesteps": 4980,
        "episodes": 448,
        "meanReturn": 0.49776785714285715,
        "standardDeviation": 0.75887276580539,
        "seconds": 6.5
      },
      "versions": {
        "python": "3.7.16", "tensorflow": "1.15.5", "numpy": "1.18.5", "stable_baselines": "2.10.2",
        "bridge_worker_python": "3.11.7",
        "bridge_worker_packages": "Python/requirements/bridge.txt (gymnasium 1.4.0, minatar 1.0.15)"
      }
    }
    """

  /// A results folder with the summary above under `reference/` and our own `minatar` runs of
  /// Breakout A2C (seeds 0, 1) at `timesteps`.
  func results(ourTimesteps timesteps: Int) throws -> ResultsStore {
    let store = ResultsStore(root: FakeResults.folder())
    let folder = store.root.appendingPathComponent(
      "reference/stable-baselines-2.10.2/minatar:Breakout/a2c/seed-0", isDirectory: true)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try Data(Self.summary.utf8).write(to: folder.appendingPathComponent("summary.json"))
    for (seed, score) in [0.5, 0.9].enumerated() {
      try FakeResults.writeRun(
        store, suite: "minatar", environment: "minatar:Breakout", algorithm: .a2c, seed: seed, evaluation: score,
        lastHundred: score, timesteps: timesteps, evaluationTimesteps: 5_000)
    }
    return store
  }

  @Test("The tool's MinAtar summary loads as a reference run of minatar:Breakout A2C, with its protocol")
  func loadsTheToolsSummary() throws {
    let runs = try ReferenceImplementationRun.load(resultsFolder: try results(ourTimesteps: 20_000).root)
    #expect(
      runs == [
        ReferenceImplementationRun(
          implementation: "stable-baselines-2.10.2", environment: "minatar:Breakout", algorithm: .a2c, seed: 0,
          timesteps: 20_000, lastHundredMeanReturn: 0.53, evaluationMeanReturn: 0.49776785714285715,
          evaluationEpisodes: 448, evaluationProtocol: "stochastic policy, episodes completed within 5000 steps (1 env)")
      ])
  }

  @Test("A run still training (its seed-<n>.checkpoint folder beside the finished seeds) is not a reference run")
  func checkpointFoldersAreSkipped() throws {
    let store = try results(ourTimesteps: 20_000)
    let checkpoint = store.root.appendingPathComponent(
      "reference/stable-baselines-2.10.2/minatar:Breakout/a2c/seed-1.checkpoint", isDirectory: true)
    try FileManager.default.createDirectory(at: checkpoint, withIntermediateDirectories: true)
    try Data("{}".utf8).write(to: checkpoint.appendingPathComponent("state.json"))
    #expect(try ReferenceImplementationRun.load(resultsFolder: store.root).map(\.seed) == [0])
    // A seed folder without its summary is still an error: only the checkpoint's name is skipped.
    let broken = store.root.appendingPathComponent(
      "reference/stable-baselines-2.10.2/minatar:Breakout/a2c/seed-2", isDirectory: true)
    try FileManager.default.createDirectory(at: broken, withIntermediateDirectories: true)
    #expect(throws: BenchmarkError.self) { try ReferenceImplementationRun.load(resultsFolder: store.root) }
  }

  @Test("It is set beside our cell at the same budget only")
  func comparedAtTheSameBudget() throws {
    for (ours, compared) in [(20_000, true), (5_000_000, false)] {
      let store = try results(ourTimesteps: ours)
      let aggregate = try Aggregator(settings: BootstrapSettings(repetitions: 200)).aggregate(
        try ResultsCatalog(store: store, suite: "minatar"))
      let rows = ReferenceImplementationComparison.compare(
        try ReferenceImplementationRun.load(resultsFolder: store.root), with: aggregate)
      #expect(rows.map(\.environment) == (compared ? ["minatar:Breakout"] : []), "our budget \(ours)")
      if compared {
        #expect(rows[0].referenceEvaluation == [0.49776785714285715] && rows[0].oursEvaluation == [0.5, 0.9])
      }
    }
  }

  /// The tool hard-codes the suite's settings (`MINATAR`, `MINATAR_GAMES` in
  /// Tools/stable_baselines_reference.py) and writes our evaluation protocol in its words; a change
  /// to the suite that the tool does not follow fails here.
  @Test("The tool's MinAtar defaults are the minatar suite's entries")
  func toolFollowsTheSuite() throws {
    let tool = try String(
      contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Tools/stable_baselines_reference.py"),
      encoding: .utf8)
    let lines = tool.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
    /// The tool's first line (indentation removed) starting with `prefix`, after the first line
    /// starting with `marker` if given; so that a failure shows that line, not the whole file.
    func line(_ prefix: String, after marker: String? = nil) -> String? {
      let start = marker.flatMap { m in lines.firstIndex { $0.hasPrefix(m) } } ?? 0
      return lines[start...].first { $0.hasPrefix(prefix) }
    }
    let entries = Suite.minAtar.entries
    let counts = Set(entries.map(\.environmentCount))
    let budgets = Set(entries.map(\.timesteps))
    let evaluations = Set(entries.map(\.evaluationTimesteps))
    try #require(counts.count == 1 && budgets.count == 1 && evaluations.count == 1)
    /// `n` as a Python literal with digit groups: 5_000_000.
    func pythonLiteral(_ n: Int) -> String {
      var digits = String(n)
      var groups: [String] = []
      while digits.count > 3 {
        groups.insert(String(digits.suffix(3)), at: 0)
        digits.removeLast(3)
      }
      return ([digits] + groups).joined(separator: "_")
    }
    #expect(
      line("n_envs=", after: "MINATAR = dict(")
        == "n_envs=\(counts.first!), timesteps=\(pythonLiteral(budgets.first!)), "
        + "evaluation_timesteps=\(pythonLiteral(evaluations.first!)),")
    #expect(
      line("MINATAR_GAMES =")
        == "MINATAR_GAMES = [" + EnvironmentCatalog.minAtarGames.map { "\"\($0)\"" }.joined(separator: ", ") + "]")
    #expect(
      line("\"protocol\": f\"stochastic")
        == "\"protocol\": f\"stochastic policy, episodes completed within {evaluation_steps} steps (1 env)\",")
    // Our ACKTR entry is SB2's async_eigen_decomp (+ two settings SB2 has no argument for).
    for entry in entries where entry.algorithm == .acktr {
      #expect(entry.hyperparameters["async_eigen_decomp"] == true)
    }
    #expect(line("kwargs={", after: "MINATAR = dict(") == "kwargs={\"a2c\": dict(), \"acktr\": dict(async_eigen_decomp=True), \"acer\": dict()},")
    #expect(Set(entries.map(\.algorithm)) == Set(AlgorithmID.allCases))
  }

  /// A results folder with stable-baselines runs of Breakout A2C (evaluation means `theirs`, one
  /// seed each, 20,000 steps, evaluated as `theirProtocol` says) and ours (`ours`) at the same
  /// budget, evaluated for 5,000 steps of one copy.
  func results(
    ours: [Double], theirs: [Double], theirProtocol: String = "within 5000 steps (1 env)"
  ) throws -> ResultsStore {
    let store = ResultsStore(root: FakeResults.folder())
    for (seed, score) in theirs.enumerated() {
      let folder = store.root.appendingPathComponent(
        "reference/stable-baselines-2.10.2/minatar:Breakout/a2c/seed-\(seed)", isDirectory: true)
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      let summary = Self.summary.replacingOccurrences(of: "\"seed\": 0,", with: "\"seed\": \(seed),")
        .replacingOccurrences(of: "\"meanReturn\": 0.49776785714285715,", with: "\"meanReturn\": \(score),")
        .replacingOccurrences(of: "within 5000 steps (1 env)", with: theirProtocol)
      try Data(summary.utf8).write(to: folder.appendingPathComponent("summary.json"))
    }
    for (seed, score) in ours.enumerated() {
      try FakeResults.writeRun(
        store, suite: "minatar", environment: "minatar:Breakout", algorithm: .a2c, seed: seed, evaluation: score,
        lastHundred: score, timesteps: 20_000, evaluationTimesteps: 5_000)
    }
    return store
  }

  /// `bench check`'s second table for `ours` against `theirs`.
  func implementationChecks(
    ours: [Double], theirs: [Double], theirProtocol: String = "within 5000 steps (1 env)"
  ) throws -> (rows: [ImplementationCheck], text: String?) {
    let store = try results(ours: ours, theirs: theirs, theirProtocol: theirProtocol)
    let aggregate = try Aggregator(settings: BootstrapSettings(repetitions: 200)).aggregate(
      try ResultsCatalog(store: store, suite: "minatar"))
    let runs = try ReferenceImplementationRun.load(resultsFolder: store.root)
    let published = ReferenceCheck.compare(aggregate, referenceRuns: runs)
    let rows = ReferenceCheck.compareImplementations(aggregate, referenceRuns: runs, published: published)
    return (rows, CheckTable.renderImplementations(rows, referenceRuns: runs, suite: "minatar"))
  }

  /// The report carries the second table's verdicts: in §2.7's verdict column and in the abstract.
  @Test("bench report states the verdicts against stable-baselines' own runs in §2.7, the abstract and the limitations")
  func reportStatesImplementationVerdicts() throws {
    func writer(ours: [Double], theirs: [Double]) throws -> PaperWriter {
      let store = try results(ours: ours, theirs: theirs)
      return try PaperWriter(
        catalog: try ResultsCatalog(store: store, suite: "minatar"),
        aggregate: try Aggregator(settings: BootstrapSettings(repetitions: 200)).aggregate(
          try ResultsCatalog(store: store, suite: "minatar")),
        resultsPath: "results", referenceRuns: try ReferenceImplementationRun.load(resultsFolder: store.root))
    }
    let worse = try writer(ours: [1.0, 1.2, 1.1], theirs: [4.4, 4.0, 4.2])
    #expect(
      worse.abstract.contains(
        "Against the runs of stable-baselines-2.10.2 itself at the same budget (§2.7), where no published number "
          + "decides: of 1 cell (minatar:Breakout A2C), 0 match ours, ours is better in 0 and worse in 1"))
    #expect(worse.implementationTable.contains("| **worse** |"))
    #expect(worse.limitations.contains("runs of the reference implementation itself on 1 cell (§2.7) are this suite's only external check"))
    let same = try writer(ours: [4.1, 4.5, 4.3], theirs: [4.4, 4.0, 4.2])
    #expect(same.abstract.contains("of 1 cell (minatar:Breakout A2C), 1 matches ours, ours is better in 0 and worse in 0"))
    #expect(same.implementationTable.contains("| **matches** |"))
    // One seed of theirs: untested, and the abstract says nothing about it.
    let one = try writer(ours: [4.1, 4.5, 4.3], theirs: [4.4])
    #expect(one.implementationTable.contains("| not tested |") && !one.abstract.contains("Against the runs of"))
  }

  /// MinAtar has no published A2C row, so the stable-baselines runs decide nothing in the first
  /// table; the second tests them: equal scores match, a shortfall far beyond the margin
  /// (0.05 × (reference − random) on Breakout) is "worse", a lead "better", one seed untested.
  @Test("bench check tests our MinAtar cells against stable-baselines' runs by Welch's t")
  func checkTestsImplementationRuns() throws {
    let same = try implementationChecks(ours: [4.1, 4.5, 4.3], theirs: [4.4, 4.0, 4.2])
    try #require(same.rows.count == 1)
    #expect(same.rows[0].verdict == .matches)
    #expect(same.rows[0].comparison.implementation == "stable-baselines-2.10.2")
    #expect(same.rows[0].margin > 0)
    let text = try #require(same.text)
    #expect(text.contains("minatar:Breakout") && text.contains("3 vs 3") && text.contains("matches"))
    #expect(text.contains("\"stochastic policy, episodes completed within 5000 steps (1 env)\""))

    let worse = try implementationChecks(ours: [1.0, 1.2, 1.1], theirs: [4.4, 4.0, 4.2])
    #expect(worse.rows.map(\.verdict) == [.worse])
    #expect(worse.rows[0].verdict.isFailure)
    #expect(try #require(worse.rows[0].adjustedPWorse) < 0.05)

    let better = try implementationChecks(ours: [8.0, 8.4, 8.2], theirs: [4.4, 4.0, 4.2])
    #expect(better.rows.map(\.verdict) == [.better])

    let one = try implementationChecks(ours: [4.1, 4.5, 4.3], theirs: [4.4])
    #expect(one.rows.map(\.verdict) == [.notComparable] && one.rows[0].test == nil)
    #expect(try #require(one.text).contains("Welch needs 2 a side"))

    // Runs evaluated otherwise (another budget, or 50 copies) are set beside ours but not tested.
    for (stated, reason) in [
      ("within 150000 steps (1 env)", "evaluated for 150000 steps of 1 copy, ours for 5000 steps of 1 copy"),
      (
        "within 5000 steps (50 envs)",
        "evaluated for 5000 steps of 50 copies, ours for 5000 steps of 1 copy (episodes running at the end of each "
          + "copy's share are dropped, and they are length-biased)"
      ),
    ] {
      let other = try implementationChecks(ours: [1.0, 1.2, 1.1], theirs: [4.4, 4.0, 4.2], theirProtocol: stated)
      #expect(other.rows.map(\.verdict) == [.notComparable] && other.rows[0].test == nil, "\(stated)")
      #expect(other.rows[0].comparison.evaluationMismatch == reason)
      #expect(try #require(other.text).contains("minatar:Breakout A2C: not comparable: stable-baselines-2.10.2 \(reason)"))
    }
    // A protocol that states no budget in the tool's words is not held against the runs.
    let unstated = try implementationChecks(ours: [1.0, 1.2, 1.1], theirs: [4.4, 4.0, 4.2], theirProtocol: "as ours")
    #expect(unstated.rows.map(\.verdict) == [.worse])

    // Without reference runs there is no second table.
    let none = try implementationChecks(ours: [4.1, 4.5, 4.3], theirs: [])
    #expect(none.rows.isEmpty && none.text == nil)
  }
}
