@testable import BenchmarkSuite
import Foundation
import GymnasiumBridge
import Plotting
import Testing

/// The `atari` and `mujoco` suites and the papers' published references: verbatim settings,
/// references that carry their protocol, and `bench check` comparing like with like.
@Suite("atari and mujoco suites, the papers' references")
struct PaperSuitesTests {
  @Test("atari: the zoo's rows verbatim on its 8 games; every entry passes the plan's checks")
  func atariSuite() throws {
    let suite = try Suite.named("atari")
    #expect(suite.entries.count == 24)
    #expect(Set(suite.entries.map(\.environment)) == Set(Suite.zooAtariGames.map { "atari:\($0)" }))
    for entry in suite.entries {
      #expect(entry.evaluationTimesteps == 150_000 && !entry.normalize)
      #expect(entry.hyperparameters["net_arch"] != nil, "CnnPolicy")
      try HyperparameterCheck.check(entry)
      switch entry.algorithm {
      case .a2c:
        #expect(entry.environmentCount == 16 && entry.timesteps == 10_000_000)
        #expect(entry.hyperparameters["lr_schedule"] == "constant")
      case .acer:
        #expect(entry.environmentCount == 16 && entry.timesteps == 10_000_000)
        #expect(entry.hyperparameters["buffer_size"] == 5000 && entry.hyperparameters["ent_coef"] == 0.01)
        #expect(entry.hyperparameters["lr_schedule"] == "constant")
      case .acktr:
        #expect(entry.environmentCount == 32 && entry.timesteps == 5_000_000)
        #expect(entry.hyperparameters["lr_schedule"] == "linear" && entry.hyperparameters["async_eigen_decomp"] == true)
        #expect(entry.hyperparameters["async_eigen_decomp_lag"] == 2 && entry.hyperparameters["eigen_solver"] == "single")
        #expect(entry.source.contains("async_eigen_decomp_lag"))
      }
      #expect(entry.source.contains("ale-py 0.12.1"))
    }
  }

  @Test("mujoco: A2C and ACKTR on three v5 tasks at 1M steps with the zoo's nearest settings")
  func muJoCoSuite() throws {
    let suite = try Suite.named("mujoco")
    #expect(suite.entries.map { "\($0.environment) \($0.algorithm.rawValue)" } == [
      "gym:HalfCheetah-v5 a2c", "gym:HalfCheetah-v5 acktr", "gym:Hopper-v5 a2c", "gym:Hopper-v5 acktr",
      "gym:Walker2d-v5 a2c", "gym:Walker2d-v5 acktr",
    ])
    for entry in suite.entries {
      #expect(entry.timesteps == 1_000_000 && entry.normalize)
      #expect(try EnvironmentCatalog.parse(entry.environment).provider == .gym)
      try HyperparameterCheck.check(entry)
      #expect(entry.source.contains("Gymnasium v5"))
    }
    let acktr = suite.entries.first { $0.algorithm == .acktr }!
    #expect(acktr.environmentCount == 1 && acktr.hyperparameters["n_steps"] == 2048)
    #expect(acktr.source.contains("without its TimeFeatureWrapper"))
  }

  @Test("minatar: ACKTR decomposes asynchronously (lag 2, float32); A2C and ACER keep SB2's defaults")
  func minAtarACKTR() throws {
    let suite = try Suite.named("minatar")
    #expect(suite.entries.count == 15)
    for entry in suite.entries {
      try HyperparameterCheck.check(entry)
      #expect(entry.timesteps == 5_000_000 && entry.environmentCount == 16 && entry.evaluationTimesteps == 150_000)
      switch entry.algorithm {
      case .acktr:
        #expect(entry.hyperparameters["async_eigen_decomp"] == true)
        #expect(entry.hyperparameters["async_eigen_decomp_lag"] == 2 && entry.hyperparameters["eigen_solver"] == "single")
        #expect(entry.source.contains("async_eigen_decomp_lag 2"))
      case .a2c, .acer:
        #expect(Array(entry.hyperparameters.keys) == ["net_arch"])
        #expect(
          entry.source
            == "stable-baselines 2.10.2 defaults with MinAtar's network; MinAtar paper settings (sticky 0.1, ramping, 5M frames)")
      }
    }
  }

  @Test("Every reference names a parseable environment, a protocol and a source; budgets match our suites")
  func referenceTables() throws {
    for row in PublishedResult.all {
      _ = try EnvironmentCatalog.parse(row.environment)
      #expect(!row.source.isEmpty && !row.label.isEmpty && !row.protocolText.isEmpty)
      #expect(row.measure == .evaluation ? row.episodes > 0 : row.episodes == 0)
    }
    #expect(PublishedResult.zooAtari.count == 23)  // the zoo has no ACER Breakout agent
    for row in PublishedResult.zooAtari {
      let entry = Suite.atari.entries.first { $0.environment == row.environment && $0.algorithm == row.algorithm }
      #expect(entry?.timesteps == row.trainingTimesteps, "\(row.environment) \(row.publishedAlgorithm)")
    }
    #expect(PublishedResult.zoo(environment: "atari:Pong", algorithm: .acktr)?.meanReturn == 19.224)
    let ppo = PublishedResult.ppoPaperTable6.filter { $0.environment == "atari:Pong" }
    #expect(ppo.map(\.meanReturn) == [19.7, 20.7] && ppo.allSatisfy { $0.trainingSeeds == 3 })
    #expect(PublishedResult.acktrPaperTable1.allSatisfy { $0.trainingTimesteps == 50_000_000 })
    #expect(PublishedResult.minAtarPaper.count == 10 && PublishedResult.minAtarPaper.allSatisfy { $0.algorithm == nil })
    #expect(PublishedResult.minAtarPaper.allSatisfy { $0.derivation.contains("read from") })
    #expect(
      PublishedResult.zooAtari[0].protocolText
        == "evaluation (stochastic policy, ≈150k steps) after 10M training steps, 1 agent")
  }

  /// Pong A2C at the zoo's budget (3 seeds) and MinAtar Breakout A2C, in one folder.
  func pixelResults() throws -> ResultsStore {
    let store = ResultsStore(root: FakeResults.folder())
    for (seed, score) in [18.5, 19.0, 19.5].enumerated() {
      try FakeResults.writeRun(
        store, suite: "atari", environment: "atari:Pong", algorithm: .a2c, seed: seed, evaluation: score,
        lastHundred: score + 0.5, start: -21, timesteps: 10_000_000)
    }
    for (seed, score) in [-20.0, -19.0, -20.5].enumerated() {
      try FakeResults.writeRun(
        store, suite: "atari", environment: "atari:Pong", algorithm: .acktr, seed: seed, evaluation: score,
        lastHundred: score, start: -21, timesteps: 5_000_000)
    }
    for (seed, score) in [12.0, 14.0, 13.0].enumerated() {
      for algorithm in [AlgorithmID.a2c, .acer] {
        try FakeResults.writeRun(
          store, suite: "minatar", environment: "minatar:Breakout", algorithm: algorithm, seed: seed,
          evaluation: score + (algorithm == .acer ? 3 : 0), lastHundred: score, start: 0, timesteps: 5_000_000)
      }
    }
    return store
  }

  func aggregate(_ store: ResultsStore, _ suite: String) throws -> SuiteAggregate {
    try Aggregator(settings: BootstrapSettings(repetitions: 1_000)).aggregate(try ResultsCatalog(store: store, suite: suite))
  }

  @Test("bench check compares like with like: evaluation with evaluation, last-100 with last-100, same budget")
  func likeWithLike() throws {
    let store = try pixelResults()
    let rows = ReferenceCheck.compare(try aggregate(store, "atari"))
    let pongA2C = rows.filter { $0.algorithm == .a2c }
    #expect(pongA2C.map(\.published.label) == [
      "rl-baselines-zoo", "PPO paper Table 6", "ACKTR paper Table 1", "ACKTR paper Fig. 1", "OpenAI baselines Atari10M",
    ])
    // The zoo row is tested on our evaluation scores, the PPO row on our last-100 means.
    #expect(pongA2C[0].scores == [18.5, 19.0, 19.5] && pongA2C[0].verdict == .matches)
    #expect(pongA2C[1].scores == [19.0, 19.5, 20.0] && pongA2C[1].verdict == .matches)
    #expect(pongA2C[1].test?.basis == .publishedAgent)
    #expect(pongA2C[2].verdict == .notComparable && pongA2C[2].reason == "trained 10000000 steps; the published runs 50000000")
    #expect(pongA2C[3].verdict == .notComparable && pongA2C[3].reason.hasSuffix("shown for context, not tested"))
    // ACKTR far below the zoo's Pong agent at the same 5M budget: worse, decided like with like.
    let zooACKTR = rows.first { $0.algorithm == .acktr && $0.published.label == "rl-baselines-zoo" }!
    #expect(zooACKTR.verdict == .worse)
    // MinAtar: the paper's DQN and AC(λ) once per game, for context.
    let minatar = ReferenceCheck.compare(try aggregate(store, "minatar"))
    #expect(minatar.map(\.algorithmName) == ["DQN", "AC(λ=0.8)"])
    #expect(minatar.allSatisfy { $0.verdict == .notComparable && $0.reason.hasPrefix("another algorithm") })
    let text = CheckTable.render(rows, suite: "atari")
    #expect(text.contains("References and their protocols:"))
    #expect(text.contains("  PPO paper Table 6: last 100 training episodes after 10M training steps, mean of 3 seeds"))
    #expect(text.contains("atari:Pong A2C (ACKTR paper Table 1): not comparable: trained 10000000 steps"))
  }

  @Test("One Pong seed per algorithm (the zoo's one agent): the zoo row is tested agent against agent, the papers' rows are not")
  func oneSeedAgainstTheZoo() throws {
    let store = ResultsStore(root: FakeResults.folder())
    // FakeResults evaluates 300 episodes with sd 3: se = 3/√300.
    try FakeResults.writeRun(
      store, suite: "atari", environment: "atari:Pong", algorithm: .a2c, seed: 0, evaluation: 18.0, lastHundred: 18.5,
      start: -21, timesteps: 10_000_000)
    try FakeResults.writeRun(
      store, suite: "atari", environment: "atari:Pong", algorithm: .acer, seed: 0, evaluation: 5.0, lastHundred: 5.0,
      start: -21, timesteps: 10_000_000)
    let aggregate = try aggregate(store, "atari")
    let a2cCell = try #require(aggregate.cell(environment: "atari:Pong", algorithm: .a2c))
    #expect(a2cCell.evaluationStandardErrors == [3 / 300.0.squareRoot()])
    let rows = ReferenceCheck.compare(aggregate)
    let zooA2C = try #require(rows.first { $0.algorithm == .a2c && $0.published.label == "rl-baselines-zoo" })
    let zooACER = try #require(rows.first { $0.algorithm == .acer && $0.published.label == "rl-baselines-zoo" })
    #expect(zooA2C.test?.basis == .singleAgents && zooACER.test?.basis == .singleAgents)
    // A2C 18.0 against the zoo's 18.97 is inside the margin (5% of random-to-best); ACER 5.0 against 20.67 is not.
    #expect(zooA2C.verdict == .matches && zooACER.verdict == .worse)
    #expect(zooA2C.reason.contains("our one agent 18.00 ± 0.17") && zooA2C.reason.contains("compares two agents"))
    let ppo = try #require(rows.first { $0.algorithm == .a2c && $0.published.label == "PPO paper Table 6" })
    #expect(ppo.verdict == .notComparable && ppo.reason == "1 seed(s); a prediction interval needs at least 2")
    #expect(CheckTable.render(rows, suite: "atari").contains("1 agent a side"))
    // The report: one seed is a value, not an interval; the worse row gets its evidence paragraph.
    let paper = try PaperWriter(
      catalog: try ResultsCatalog(store: store, suite: "atari"), aggregate: aggregate, resultsPath: "results"
    ).markdown
    #expect(paper.contains("**atari:Pong, ACER** — published 20.67 (one agent"))
    #expect(paper.contains("Our one seed scores 5.00 (seed 0) in evaluation; mean 5.00 (1 seed)."))
    #expect(!paper.contains("5.00 [5.00, 5.00]") && !paper.contains("18.00 [18.00, 18.00]"))
  }

  /// The state the campaign commits first: Pong only (1 of the zoo's 8 games), one seed per algorithm,
  /// ACKTR at its 5M budget beside 10M for A2C and ACER — through the whole report, figures included.
  @Test("Pong alone, one seed each: no zero-width intervals, no aggregate claimed, budgets named, the +15 floor judged")
  func pongOnlyWholeReport() throws {
    let store = ResultsStore(root: FakeResults.folder())
    for (algorithm, evaluation, lastHundred) in [(AlgorithmID.a2c, 18.0, 14.0), (.acer, 20.5, 20.0), (.acktr, 5.0, 5.0)] {
      try FakeResults.writeRun(
        store, suite: "atari", environment: "atari:Pong", algorithm: algorithm, seed: 0, evaluation: evaluation,
        lastHundred: lastHundred, start: -21, timesteps: algorithm == .acktr ? 5_000_000 : 10_000_000)
    }
    // A worker restart in the A2C run, as summary.json records it.
    let path = "runs/atari/atari:Pong/a2c/seed-0/summary.json"
    var summary = try JSONCoding.decoder.decode(RunSummary.self, from: try store.read(path))
    summary.workerRestarts = [
      WorkerRestart(worker: 0, environments: [0, 1], step: 5000, reason: "timed out after 60.0 s", generation: 1)
    ]
    try store.write(try JSONCoding.encoder.encode(summary), to: path)
    let paper = try report(store, suites: ["atari"])
    let pong = try PaperWriter(
      catalog: try ResultsCatalog(store: store, suite: "atari"), aggregate: try aggregate(store, "atari"),
      resultsPath: "results")

    // Nothing prints as if one seed had a spread or one game were an aggregate.
    #expect(paper.firstMatch(of: try Regex(#"(?i)\bnan\b"#)) == nil && !paper.contains("1 seeds"))
    let zeroWidth = try Regex(#"\[(-?[0-9.]+), \1\]"#)
    #expect(paper.firstMatch(of: zeroWidth) == nil)
    // Nor a one-seed "range" (§2.1's seed range column).
    let zeroRange = try Regex(#"(?:^|[^0-9.])(-?[0-9][0-9.]*) … \1(?![0-9.])"#)
    #expect(paper.firstMatch(of: zeroRange) == nil, "\(paper.firstMatch(of: zeroRange).map { String($0.output[0].substring ?? "") } ?? "")")
    let summaryText = abstract(paper)
    #expect(summaryText.contains("the one run of each algorithm on atari:Pong scores A2C "))
    #expect(summaryText.contains("(one seed each: no interval, no aggregate over environments)"))
    #expect(!summaryText.contains("interquartile means"))
    #expect(paper.contains("Normalised evaluation score, (score − random)/(reference − random)"))
    #expect(paper.contains("the last-100 training return of each algorithm's one seed against environment steps"))
    // The zoo rows are tested agent against agent: ACKTR's 5.0 against 19.22 is worse, with its evidence.
    let evidence = try #require(
      paper.components(separatedBy: "\n\n").first { $0.hasPrefix("**atari:Pong, ACKTR** — published 19.22") })
    #expect(evidence.contains("(one seed: no band to judge the change against)"))
    #expect(!evidence.contains("exceeds the 95% band"))
    // No reference-implementation runs: no §2.7, and the limitations do not point to one.
    #expect(!paper.contains("§2.7") && !paper.contains("### 2.7"))
    #expect(paper.contains("; one seed per cell does not bound our mean at all (no seed spread). One seed against one"))
    #expect(paper.contains("This suite has no runs of the reference implementation to decide finer questions."))
    // The algorithms' budgets differ: said where they are compared.
    let budgets = "atari:Pong (A2C, ACER 10M steps; ACKTR 5M steps)"
    #expect(pong.findingsBody?.hasSuffix("each algorithm at its own published budget, which differ on " + budgets) == true)
    #expect(paper.contains("Each algorithm trained for its own published budget, so on " + budgets))
    #expect(paper.contains("needs 2 seeds a side (A2C 1, ACER 1)") && !paper.contains("value(s)"))
    // The learning floor: A2C's last-100 of 14 is below +15, in §2.1, the abstract and bench check.
    let floor = "atari:Pong A2C: last-100 training return 14.00 (seed 0) > +15 at 10M steps: NOT met"
    #expect(summaryText.contains(floor))
    #expect(paper.contains("**Learning thresholds** (`bench check` fails when one is not met): " + floor))
    #expect(LearningThreshold.check(try aggregate(store, "atari")).map(\.met) == [false])
    // Regenerating the folder runs Pong, not the 8 games.
    #expect(paper.contains("bench run --suite atari --environments atari:Pong --seeds 1 --jobs 2"))
    // The restart is reported with the run it hit.
    #expect(paper.contains("**Worker restarts.** 1 of 3 runs had a bridge worker restarted: atari:Pong A2C seed 0 "
      + "(timed out after 60.0 s after 5000 vector steps)"))
  }

  /// The floor is judged only at its budget and needs every seed above it.
  @Test func learningThresholdNeedsEverySeedAtTheBudget() throws {
    let store = ResultsStore(root: FakeResults.folder())
    for (seed, lastHundred) in [(0, 19.0), (1, 16.0)] {
      try FakeResults.writeRun(
        store, suite: "atari", environment: "atari:Pong", algorithm: .a2c, seed: seed, evaluation: 19,
        lastHundred: lastHundred, start: -21, timesteps: 10_000_000)
    }
    let met = LearningThreshold.check(try aggregate(store, "atari"))
    #expect(met.map(\.met) == [true])
    #expect(met.first?.text == "atari:Pong A2C: last-100 training return 19.00 (seed 0), 16.00 (seed 1) > +15 at 10M steps: met")
    try FakeResults.writeRun(
      store, suite: "atari", environment: "atari:Pong", algorithm: .a2c, seed: 2, evaluation: 19, lastHundred: 15,
      start: -21, timesteps: 10_000_000)
    #expect(LearningThreshold.check(try aggregate(store, "atari")).map(\.met) == [false])  // 15 is not above 15
    let short = ResultsStore(root: FakeResults.folder())
    try FakeResults.writeRun(
      short, suite: "atari", environment: "atari:Pong", algorithm: .a2c, seed: 0, evaluation: 19, lastHundred: 19,
      start: -21, timesteps: 1_000_000)
    let unjudged = try #require(LearningThreshold.check(try aggregate(short, "atari")).first)
    #expect(unjudged.met == nil && unjudged.text.hasSuffix("not judged: trained 1M steps, the threshold is at 10M"))
  }

  @Test("A published mean of k seeds widens the interval by s²/k, not s²")
  func publishedMeanOfSeeds() throws {
    let scores = [10.0, 12, 14]
    var published = PublishedResult(
      environment: "x", algorithm: .a2c, meanReturn: 12, trainingTimesteps: 1, trainingSeeds: 3,
      measure: .lastHundredTrainingEpisodes, source: "test")
    let three = try #require(VerdictRule.standard.predictionTest(scores: scores, published: published, margin: 0))
    published.trainingSeeds = 1
    let one = try #require(VerdictRule.standard.predictionTest(scores: scores, published: published, margin: 0))
    // s = 2, n = 3: width √(4·(1/3 + 1/3)) against √(4·(1 + 1/3)).
    let t = (three.interval.upper - 12) / (one.interval.upper - 12)
    #expect(abs(t - (2.0 / 3).squareRoot() / (4.0 / 3).squareRoot()) < 1e-12)
  }

  /// A manifest whose sessions are one per suite, each with its own git revision.
  func writeSessions(_ store: ResultsStore, _ suites: [(suite: String, revision: String)]) throws {
    var sessions: [Provenance] = []
    for (suite, revision) in suites {
      try FakeResults.writeManifest(store, suite: suite, gitRevision: revision)
      sessions.append(try JSONCoding.decoder.decode(Provenance.self, from: try store.read("manifest.json")))
    }
    var top = sessions.last!
    top.shards = sessions
    try store.write(try JSONCoding.encoder.encode(top), to: "manifest.json")
  }

  func report(_ store: ResultsStore, suites: [String]) throws -> String {
    let writers = try suites.map { suite in
      try PaperWriter(catalog: try ResultsCatalog(store: store, suite: suite), aggregate: try aggregate(store, suite), resultsPath: "results")
    }
    let out = FakeResults.folder("paper")
    let url = try SuitesPaper(writers: writers, resultsPath: "results").write(to: out)
    return try String(contentsOf: url, encoding: .utf8)
  }

  /// The abstract section of a report.
  func abstract(_ text: String) -> String {
    let start = text.range(of: "## Abstract\n")!.upperBound
    let rest = text[start...]
    return String(rest[..<(rest.range(of: "\n## ")?.lowerBound ?? rest.endIndex)])
  }

  @Test("The abstract says what the pixel suites show: a ranking only where every pair's CI is clear of 1/2 with 3+ seeds; single agents named as such")
  func pixelFindings() throws {
    let store = try pixelResults()
    // Pong with one seed per algorithm: the zoo's design, no finding about the algorithms.
    let single = ResultsStore(root: FakeResults.folder())
    for (algorithm, score) in [(AlgorithmID.a2c, 18.0), (.acer, 20.5), (.acktr, 19.25)] {
      try FakeResults.writeRun(
        single, suite: "atari", environment: "atari:Pong", algorithm: algorithm, seed: 0, evaluation: score,
        lastHundred: score, start: -21, timesteps: algorithm == .acktr ? 5_000_000 : 10_000_000)
    }
    let minatar = try PaperWriter(
      catalog: try ResultsCatalog(store: store, suite: "minatar"), aggregate: try aggregate(store, "minatar"),
      resultsPath: "results")
    // Every ACER seed on Breakout beats every A2C seed: P(A2C > ACER) = 0 [0, 0].
    #expect(minatar.isOnPixels && minatar.findingsBody?.hasPrefix("ACER > A2C (every pair separated") == true)
    let pong = try PaperWriter(
      catalog: try ResultsCatalog(store: single, suite: "atari"), aggregate: try aggregate(single, "atari"),
      resultsPath: "results")
    #expect(
      pong.findingsBody
        == "with one agent per algorithm (fewer than 3 seeds, no finding about the algorithms, only about these "
        + "agents) the evaluation scores are on atari:Pong ACER 20.50, ACKTR 19.25, A2C 18.00; each algorithm at "
        + "its own published budget, which differ on atari:Pong (A2C, ACER 10M steps; ACKTR 5M steps)")
    #expect(pong.abstract.contains("What this suite shows about the algorithms: with one agent per algorithm"))
    // Mixed seed counts name the algorithms short of a finding (it read "at most 3 seeds … (fewer than 3 seeds").
    #expect(
      PaperWriter.seedsText([(.a2c, 3), (.acktr, 2), (.acer, 1), (.a2c, 3)], findingSeeds: 3)
        == "1–3 seeds per algorithm (ACKTR, ACER with fewer than 3 seeds on some environment: no finding about the "
        + "algorithms, only about these agents)")
    #expect(
      PaperWriter.seedsText([(.a2c, 2), (.acer, 2)], findingSeeds: 3)
        == "2 seeds per algorithm (fewer than 3 seeds, no finding about the algorithms, only about these agents)")
    // Several suites: the overview leads with the pixel suites' findings; classic control is not on pixels.
    for (seed, score) in [100.0, 200, 300].enumerated() {
      try FakeResults.writeRun(store, environment: "CartPole-v1", algorithm: .a2c, seed: seed, evaluation: score, lastHundred: score)
    }
    try writeSessions(store, [("classic", "aaa1111"), ("atari", "bbb2222"), ("minatar", "ccc3333")])
    let summary = abstract(try report(store, suites: ["classic", "atari", "minatar"]))
    #expect(summary.contains("**A2C, ACKTR and ACER on pixels**, the domain their papers compared them on: `atari`: "))
    #expect(summary.contains("`minatar`: ACER > A2C (every pair separated"))
    #expect(!summary.contains("`classic`: "))
  }

  @Test("A partial suite says why it has no P(improvement) yet and keeps its Welch tests; methods, references and limitations speak of the zoo and the providers only where present")
  func partialSuitePairsAndProtocol() throws {
    let store = ResultsStore(root: FakeResults.folder())
    // A2C has seeds 0, 1 on Breakout and seed 2 on Freeway: no seed on both, so no score matrix.
    for (environment, seeds) in [("minatar:Breakout", [0, 1]), ("minatar:Freeway", [2])] {
      for seed in seeds {
        try FakeResults.writeRun(
          store, suite: "minatar", environment: environment, algorithm: .a2c, seed: seed,
          evaluation: 5 + Double(seed), lastHundred: 5, start: 0, timesteps: 5_000_000)
      }
    }
    for environment in ["minatar:Breakout", "minatar:Freeway"] {
      for seed in 0..<2 {
        try FakeResults.writeRun(
          store, suite: "minatar", environment: environment, algorithm: .acer, seed: seed,
          evaluation: 9 + Double(seed), lastHundred: 9, start: 0, timesteps: 5_000_000)
      }
    }
    let minatar = try PaperWriter(
      catalog: try ResultsCatalog(store: store, suite: "minatar"), aggregate: try aggregate(store, "minatar"),
      resultsPath: "results")
    #expect(minatar.aggregate.improvement.isEmpty && !minatar.aggregate.welch.isEmpty)
    #expect(minatar.pairTables.hasPrefix("No probability of improvement yet: for a pair it needs"))
    #expect(
      minatar.pairTables.contains(
        "No probability of improvement for A2C and ACER: no seed of A2C's ran on every environment both ran "
          + "(minatar:Breakout, minatar:Freeway)."), "\(minatar.pairTables)")
    #expect(minatar.pairTables.contains("| minatar:Breakout | A2C | ACER |"))
    #expect(!minatar.pairTables.contains("Fewer than two algorithms"))
    #expect(!minatar.methods.contains("The zoo evaluated") && minatar.methods.contains("We train 1–2 seeds per cell."))
    // Only the providers present are described; no zoo standard errors where the zoo is no reference.
    #expect(minatar.methods.contains("`minatar:<Game>` is MinAtar's `-v0` game (sticky actions 0.1"))
    #expect(!minatar.methods.contains("`atari:<Game>`") && !minatar.methods.contains("`gym:<id>`"))
    #expect(minatar.results.contains("Published ± SE: the papers publish no spread, so none is shown."))
    // One algorithm: nothing to pair. The zoo's suites name its one agent.
    let atari = try PaperWriter(
      catalog: try ResultsCatalog(store: try pixelResults(), suite: "atari"),
      aggregate: try aggregate(try pixelResults(), "atari"), resultsPath: "results")
    #expect(atari.methods.contains("The zoo evaluated **one** trained agent per (algorithm, environment)"))
    #expect(atari.results.contains("Published ± SE: the zoo's mean ± its standard error"))
    #expect(atari.methods.contains("`atari:<Game>` is SB2's Atari pipeline") && !atari.methods.contains("`minatar:<Game>`"))
    // Limitations: MinAtar has figures of other algorithms only and no reference runs here; Pong has the zoo's agents.
    #expect(minatar.limitations.contains("**Few seeds, no published number tested.** Our 1–2 seeds per cell"))
    #expect(minatar.limitations.contains("nothing in this report checks them against another implementation"))
    #expect(minatar.limitations.contains("The bridged environments are Gymnasium's own"))
    #expect(minatar.limitations.contains("cannot reproduce the reference implementation's runs"))
    #expect(!minatar.limitations.contains("single published agents"))
    #expect(atari.limitations.contains("**Few seeds, single published agents.**"))
    #expect(atari.limitations.contains("cannot reproduce the zoo's agents"))
    let single = ResultsStore(root: FakeResults.folder())
    try FakeResults.writeRun(
      single, suite: "minatar", environment: "minatar:Breakout", algorithm: .a2c, seed: 0, evaluation: 5,
      lastHundred: 5, start: 0, timesteps: 5_000_000)
    let alone = try PaperWriter(
      catalog: try ResultsCatalog(store: single, suite: "minatar"), aggregate: try aggregate(single, "minatar"),
      resultsPath: "results")
    #expect(alone.pairTables == "Fewer than two algorithms: no pairwise comparison.")
  }

  @Test("Learning-curve captions name only the dashed lines drawn: the zoo's agents, else a paper's last-100 row at the budget; random only with anchors")
  func curveCaptions() throws {
    let store = ResultsStore(root: FakeResults.folder())
    for seed in 0..<2 {
      for algorithm in [AlgorithmID.a2c, .acktr] {
        try FakeResults.writeRun(
          store, suite: "mujoco", environment: "gym:HalfCheetah-v5", algorithm: algorithm, seed: seed,
          evaluation: 1000, lastHundred: 1000, start: -300, timesteps: 1_000_000)
      }
      try FakeResults.writeRun(
        store, suite: "atari", environment: "atari:Pong", algorithm: .a2c, seed: seed, evaluation: 18, lastHundred: 18,
        start: -21, timesteps: 10_000_000)
    }
    let mujoco = try FigureSet(
      catalog: try ResultsCatalog(store: store, suite: "mujoco"), aggregate: try aggregate(store, "mujoco"))
    let cheetah = try #require(mujoco.entries.first { $0.fileName == "mujoco-curves-gym:HalfCheetah-v5.png" })
    #expect(
      cheetah.caption.hasSuffix(
        "Dashed lines in each algorithm's colour, A2C, ACKTR: ACKTR paper Fig. 3 (last 100 training episodes at 1M "
          + "steps, read from its figure)."))
    #expect(!cheetah.caption.contains("random") && !cheetah.caption.contains("zoo"))
    #expect((cheetah.figure as? LinePlot)?.referenceLines.count == 2)
    let atari = try FigureSet(
      catalog: try ResultsCatalog(store: store, suite: "atari"), aggregate: try aggregate(store, "atari"))
    let pong = try #require(atari.entries.first)
    #expect(
      pong.caption.hasSuffix(
        "Dashed lines in each algorithm's colour, A2C: the rl-baselines-zoo agent's evaluation score; in grey, the random policy."))
    #expect((pong.figure as? LinePlot)?.referenceLines.map(\.value) == [18.973, -20.26])
  }

  @Test("A ranking needs every pair, consistently ordered")
  func rankingOfPairs() {
    #expect(PaperWriter.ranking([(.acktr, .a2c), (.a2c, .acer), (.acktr, .acer)]) == [.acktr, .a2c, .acer])
    #expect(PaperWriter.ranking([(.acktr, .a2c), (.a2c, .acer), (.acer, .acktr)]) == nil)  // a cycle
    #expect(PaperWriter.ranking([(.acktr, .a2c), (.a2c, .acer)]) == nil)  // a pair missing
    #expect(PaperWriter.ranking([(.acer, .a2c)]) == [.acer, .a2c])
  }

  @Test("One report covers every suite present, each with its own methods, references and provenance")
  func reportOfSeveralSuites() throws {
    let store = try pixelResults()
    for (seed, score) in [100.0, 200, 300].enumerated() {
      try FakeResults.writeRun(store, environment: "CartPole-v1", algorithm: .a2c, seed: seed, evaluation: score, lastHundred: score)
    }
    try writeSessions(store, [("classic", "aaa1111"), ("atari", "bbb2222"), ("minatar", "ccc3333")])
    let text = try report(store, suites: ["classic", "atari", "minatar"])
    for heading in ["## Abstract", "## Suite `classic`", "## Suite `atari`", "## Suite `minatar`", "### 1. Methods",
      "### 2. Results", "#### 2.1 Against the published numbers", "### 3. Reproducibility"] {
      #expect(text.contains("\n" + heading + "\n"), "missing \(heading)")
    }
    #expect(!text.contains("\n## 1. Methods\n"))
    let summary = abstract(text)
    #expect(summary.contains("the 3 suites with runs in `results/`: `classic` (3 runs), `atari` (6 runs), `minatar` (6 runs)"))
    #expect(summary.contains("**Suite `atari`.**") && summary.contains("**Suite `minatar`.**"))
    #expect(summary.contains("P(A2C > ACER) = "))
    // Each suite's provenance is its own sessions' build.
    for (suite, revision) in [("classic", "aaa1111"), ("atari", "bbb2222"), ("minatar", "ccc3333")] {
      #expect(text.contains("| provenance of suite `\(suite)` (manifest.json) | value |"))
      let part = text.components(separatedBy: "## Suite `\(suite)`")[1].components(separatedBy: "\n## Suite ")[0]
      #expect(part.contains("| git revision | \(revision) |"), "\(suite)")
    }
    // Tables against each reference with its protocol; MinAtar's paper for context.
    #expect(text.contains("| atari:Pong | A2C | PPO paper Table 6 | last 100 training | 3 | 19.50 [19.00, 20.00] | 19.00 … 20.00 | 17.74 … 21.26 | 19.70 | published mean |"))
    #expect(text.contains("- **PPO paper Table 6**: last 100 training episodes after 10M training steps, mean of 3 seeds"))
    #expect(text.contains("| minatar:Breakout | DQN | MinAtar paper | last 100 training | 0 |"))
    #expect(
      text.contains(
        "Dashed lines in grey, the random policy and MinAtar paper DQN, MinAtar paper AC(λ=0.8) (last 100 training "
          + "episodes at 5M steps, read from its figure)."))
    #expect(text.contains("atari:<Game>` is SB2's Atari pipeline"))
    #expect(text.contains("araffin/rl-baselines-zoo hyperparams") == true)
  }

  @Test("A suite whose sessions ran on two processors names each with its sessions; other suites' processors stay out")
  func processorsPerSuite() throws {
    let store = try pixelResults()
    var sessions: [Provenance] = []
    for (suite, processor) in [
      ("minatar", "Intel(R) Xeon(R) Processor (2 logical CPUs)"), ("classic", "Some Other CPU (8 logical CPUs)"),
      ("minatar", "Intel(R) Xeon(R) Processor (2 logical CPUs)"), ("minatar", "AMD EPYC (2 logical CPUs)"),
      ("atari", "AMD EPYC (2 logical CPUs)"),
    ] {
      try FakeResults.writeManifest(store, suite: suite, gitRevision: "ccc3333")
      var session = try JSONCoding.decoder.decode(Provenance.self, from: try store.read("manifest.json"))
      session.processor = processor
      sessions.append(session)
    }
    var top = sessions.last!
    top.shards = sessions
    try store.write(try JSONCoding.encoder.encode(top), to: "manifest.json")
    let text = try report(store, suites: ["atari", "minatar"])
    let minatar = text.components(separatedBy: "## Suite `minatar`")[1]
    #expect(
      minatar.contains(
        "| processor | Intel(R) Xeon(R) Processor (2 logical CPUs) (sessions 1–2); AMD EPYC (2 logical CPUs) (session 3) |"))
    #expect(
      minatar.contains(
        "come from 2 machines (Intel(R) Xeon(R) Processor (2 logical CPUs) and AMD EPYC (2 logical CPUs)), the runs of "
          + "each session on its own, so steps/s mix them"))
    #expect(!minatar.contains("Some Other CPU"))
    let atari = text.components(separatedBy: "## Suite `atari`")[1].components(separatedBy: "\n## Suite ")[0]
    #expect(atari.contains("| processor | AMD EPYC (2 logical CPUs) |"))
    #expect(atari.contains("come from one machine (AMD EPYC (2 logical CPUs))"))
    #expect(PaperWriter.ranges([1, 2, 3, 5, 7, 8]) == "1–3, 5, 7–8")
  }

  @Test("The abstract speaks only of the suites present: no pixel claims without pixel runs")
  func abstractFollowsTheData() throws {
    let classicOnly = try FakeResults.small()
    let text = try report(classicOnly, suites: ["classic"])
    #expect(text.hasPrefix("# Synchronous actor-critic methods in Swift: A2C, ACKTR and ACER on the `classic` suite\n"))
    let summary = abstract(text).lowercased()
    for word in ["atari", "minatar", "pixel", "mujoco"] { #expect(!summary.contains(word), "\(word)") }
    let pixels = try pixelResults()
    try writeSessions(pixels, [("atari", "bbb2222"), ("minatar", "ccc3333")])
    let both = abstract(try report(pixels, suites: ["atari", "minatar"]))
    #expect(both.contains("`atari` (6 runs), `minatar` (6 runs)") && !both.lowercased().contains("classic"))
  }

  @Test("bench check, plot and report work per suite and over every suite of the folder")
  func commandsPerSuite() throws {
    try BenchBinary.require()
    let store = try pixelResults()
    try writeSessions(store, [("atari", "bbb2222"), ("minatar", "ccc3333")])
    let check = try BenchBinary.run(["check", "--results", store.root.path, "--bootstrap-reps", "200"])
    #expect(check.status == 1, "the ACKTR Pong row is worse")
    #expect(check.output.contains("suite atari: ") && check.output.contains("suite minatar: "))
    let one = try BenchBinary.run(["check", "--results", store.root.path, "--suite", "minatar", "--bootstrap-reps", "200"])
    #expect(one.status == 0 && !one.output.contains("suite atari"))
    let plots = FakeResults.folder("plots")
    let plot = try BenchBinary.run(["plot", "--results", store.root.path, "--out", plots.path, "--bootstrap-reps", "200"])
    #expect(plot.status == 0)
    let names = try FileManager.default.contentsOfDirectory(atPath: plots.path)
    #expect(names.contains { $0.hasPrefix("atari-curves-") } && names.contains { $0.hasPrefix("minatar-curves-") })
    let paper = FakeResults.folder("paper")
    let report = try BenchBinary.run(["report", "--results", store.root.path, "--out", paper.path, "--bootstrap-reps", "200"])
    #expect(report.status == 0 && report.output.contains("(2 suites, "))
  }
}

