import Foundation
import NumPyArchive
import Plotting
import Testing

@testable import BenchmarkSuite

/// The report's last section, "Runs still training": the runs a results folder carries between
/// working sessions, read from their newest checkpoints (ours) and the reference tool's `state.json`.
@Suite struct RunsInTrainingTests {
  /// Pong A2C at the zoo's 10M steps, as the atari suite's one carried run.
  static let pong = RunSpec(
    suite: "atari", entry: FakeResults.entry("atari:Pong", .a2c, timesteps: 10_000_000), seed: 0)

  /// Writes checkpoints of `run` into `results/in-progress/<name>/` after updates `updates` (the
  /// last one newest), whose curve rows are (timesteps, episodes, last-100 mean; `nan` before the
  /// first episode).
  func carry(
    _ run: RunSpec, in results: URL, name: String, updates: [Int] = [100], rows: [(Int, Int, Double)],
    trainingSeconds: Double = 7_200
  ) throws {
    let store = ResultsStore(root: results.appendingPathComponent("in-progress/\(name)", isDirectory: true))
    let checkpoints = try CheckpointStore(store: store, run: run)
    for (k, update) in updates.enumerated() {
      let recorder = CurveRecorder(totalTimesteps: run.entry.timesteps)
      // An older checkpoint has fewer rows, so that reading it instead of the newest would show.
      recorder.rows = rows.prefix(k + 1 == updates.count ? rows.count : 1).map { t, episodes, mean in
        ["\(t)", "\(t / 80)", "\(episodes)", "\(mean)", "800.0", "0.1", "0.2", "1.2", "0.5", "0.0007"]
      }
      let checkpoint = RunCheckpoint(
        header: RunCheckpoint.Header(
          run: run, build: "4d159fec66e2 · Swift version 6.3.1 · OpenBLAS Haswell", updates: update,
          timesteps: rows.last?.0 ?? 0, totalTimesteps: run.entry.timesteps, trainingComplete: false,
          environmentExact: true, episodeRestarts: [], trainingSeconds: trainingSeconds, payloadBytes: 0),
        model: [UInt8](repeating: 7, count: 1_000), curve: recorder.captureState())
      // CheckpointStore.write keeps only the newest: write the older ones' files by hand.
      if k + 1 == updates.count {
        try checkpoints.write(try checkpoint.encoded(), update: update)
      } else {
        try FileManager.default.createDirectory(at: checkpoints.folder, withIntermediateDirectories: true)
        try Data(try checkpoint.encoded()).write(
          to: checkpoints.folder.appendingPathComponent(CheckpointName.file(update: update)))
      }
    }
  }

  /// Writes the reference tool's checkpoint state of `algorithm` on `environment`, seed `seed`.
  func carryReference(
    in results: URL, environment: String = "minatar:Breakout", algorithm: String = "acktr", seed: Int = 0,
    state: [String: Any]? = nil, episodes: [(Double, Int)] = RunsInTrainingTests.episodes
  ) throws {
    let folder = results.appendingPathComponent(
      "reference/stable-baselines-2.10.2/\(environment)/\(algorithm)/seed-\(seed).checkpoint", isDirectory: true)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let object =
      state ?? [
        "algorithm": algorithm, "environment": environment, "seed": seed, "timesteps": 5_000_000, "n_envs": 16,
        "trainingSeconds": 8_326.2, "segments": 2, "num_timesteps": 1_632_320, "written": "2026-12-02T17:57:17Z",
      ]
    try JSONSerialization.data(withJSONObject: object).write(to: folder.appendingPathComponent("state.json"))
    try NPZArchive(arrays: [
      ("obs", try NumPyArray(float64: [0, 0], shape: [2])),
      ("episodes", try NumPyArray(float64: episodes.flatMap { [$0.0, Double($0.1)] }, shape: [episodes.count, 2])),
    ]).write(to: folder.appendingPathComponent("arrays.npz"))
  }

  /// 150 episodes: returns 0, 1, …, 149 (the last 100 average 99.5), lengths 1000.
  static let episodes = (0..<150).map { (Double($0), 1000) }

  @Test("Loading reads the newest checkpoint's header and curve (rows before the first episode left out) and the reference tool's state")
  func loadsCarriedRuns() throws {
    let results = FakeResults.folder()
    try carry(
      Self.pong, in: results, name: "atari-a2c", updates: [90, 27_917],
      rows: [(80_000, 0, .nan), (160_000, 120, -20.5), (2_233_360, 2_350, -20.1)])
    try carryReference(in: results)
    let runs = RunsInTraining.load(resultsFolder: results)
    #expect(runs.unreadable.isEmpty, "\(runs.unreadable)")
    let carried = try #require(runs.carried.first)
    #expect(runs.carried.count == 1)
    #expect(carried.folder == "in-progress/atari-a2c")
    #expect(carried.run == Self.pong)
    #expect(carried.build.hasPrefix("4d159fec66e2 · "))
    #expect(carried.timesteps == 2_233_360 && carried.totalTimesteps == 10_000_000)
    #expect(carried.trainingSeconds == 7_200)
    #expect(
      carried.curve == [
        .init(timesteps: 160_000, episodes: 120, meanReturn: -20.5),
        .init(timesteps: 2_233_360, episodes: 2_350, meanReturn: -20.1),
      ])
    #expect(
      runs.references == [
        .init(
          implementation: "stable-baselines-2.10.2", environment: "minatar:Breakout", algorithm: "acktr", seed: 0,
          timesteps: 1_632_320, totalTimesteps: 5_000_000, trainingSeconds: 8_326.2, segments: 2, episodes: 150,
          lastHundredMeanReturn: 99.5)
      ])
  }

  @Test("A checkpoint folder without a checkpoint, or a reference state without a field, is listed as unreadable with the reason, not dropped and not thrown")
  func unreadableFoldersAreNamed() throws {
    let results = FakeResults.folder()
    try FileManager.default.createDirectory(
      at: results.appendingPathComponent("in-progress/atari-acer/runs/atari/atari:Pong/acer/seed-0.checkpoint"),
      withIntermediateDirectories: true)
    try carryReference(in: results, state: ["algorithm": "acktr", "environment": "minatar:Breakout", "seed": 1])
    // Seed 1: a state without episodes in its arrays.
    try carryReference(in: results, seed: 1)
    try NPZArchive(arrays: [("obs", try NumPyArray(float64: [0, 0, 0], shape: [3]))]).write(
      to: results.appendingPathComponent(
        "reference/stable-baselines-2.10.2/minatar:Breakout/acktr/seed-1.checkpoint/arrays.npz"))
    let runs = RunsInTraining.load(resultsFolder: results)
    #expect(runs.carried.isEmpty && runs.references.isEmpty)
    #expect(
      runs.unreadable == [
        .init(path: "in-progress/atari-acer/runs/atari/atari:Pong/acer/seed-0.checkpoint", reason: "no checkpoint file in it"),
        .init(
          path: "reference/stable-baselines-2.10.2/minatar:Breakout/acktr/seed-0.checkpoint",
          reason: "state.json has no usable num_timesteps"),
        .init(
          path: "reference/stable-baselines-2.10.2/minatar:Breakout/acktr/seed-1.checkpoint",
          reason: "\(NumPyArchiveError.missingArray(name: "episodes", available: ["obs"]))"),
      ])
    let text = RunsInTrainingSection(runs: runs, resultsPath: "results").markdown
    #expect(text.contains("- `results/in-progress/atari-acer/runs/atari/atari:Pong/acer/seed-0.checkpoint`: no checkpoint file in it"))
    // A folder without carried runs has none to show.
    #expect(RunsInTraining.load(resultsFolder: FakeResults.folder("empty")).isEmpty)
  }

  @Test("The section shows progress, the published numbers at the run's budget and its learning floor; other budgets are named not comparable")
  func sectionText() throws {
    let results = FakeResults.folder()
    try carry(Self.pong, in: results, name: "atari-a2c", rows: [(160_000, 120, -20.5), (2_233_360, 2_350, -20.1)])
    try carryReference(in: results)
    let section = RunsInTrainingSection(runs: RunsInTraining.load(resultsFolder: results), resultsPath: "results")
    let text = section.markdown
    #expect(text.hasPrefix("## Runs still training\n"))
    #expect(
      text.contains(
        "| `atari` atari:Pong A2C seed 0 | `results/in-progress/atari-a2c` | 4d159fec66e2 | 2,233,360 of 10,000,000 (22%) "
          + "| 2 h 00 min | -20.10 (2,350) |"), "\(text)")
    #expect(text.contains("judged against rl-baselines-zoo 18.97 (evaluation (stochastic policy"), "\(text)")
    #expect(text.contains("its last-100 training return must end above +15 at 10M steps"), "\(text)")
    #expect(text.contains("not comparable (another budget): ACKTR paper Table 1 (50M steps)."), "\(text)")
    #expect(!text.contains("judged against rl-baselines-zoo 18.97 (evaluation (stochastic policy, ≈148k steps) after 10M training steps, 1 agent); ACKTR paper Table 1"))
    #expect(
      text.contains(
        "| stable-baselines-2.10.2 | minatar:Breakout ACKTR seed 0 | 1,632,320 of 5,000,000 (32%) | 2 h 18 min | 2 "
          + "| 99.50 (150) |"),
      "\(text)")
    #expect(
      section.abstractSentence
        == "**Still training** (carried between working sessions; progress, not results: \"Runs still training\"): "
        + "`atari` atari:Pong A2C seed 0 at 2.2M of 10M steps; stable-baselines-2.10.2 ACKTR on minatar:Breakout seed 0 "
        + "at 1.6M of 5M steps.")
    // The figure: the curve so far over the whole budget, with the zoo's score and the floor.
    let figure = try #require(section.figures.first)
    #expect(section.figures.count == 1)
    #expect(figure.fileName == "training-atari-atari:Pong-a2c-seed-0.png")
    let plot = try #require(figure.figure as? LinePlot)
    #expect(plot.xRange == 0...10_000_000)
    #expect(plot.series.map(\.y) == [[-20.5, -20.1]])
    #expect(plot.referenceLines.contains { $0.value == 18.973 && $0.name.hasPrefix("rl-baselines-zoo A2C") })
    #expect(plot.referenceLines.contains { $0.value == 15 && $0.name == "learning floor +15" })
    #expect(!plot.referenceLines.contains { $0.name.hasPrefix("ACKTR paper Table 1") })
    #expect(text.contains(figure.markdown))
    // The floor, like the published rows, holds at its budget only.
    var shorter = Self.pong
    shorter.entry.timesteps = 5_000_000
    #expect(RunsInTrainingSection.thresholds(for: Self.pong).map(\.minimum) == [15])
    #expect(RunsInTrainingSection.thresholds(for: shorter).isEmpty)
    #expect(RunsInTrainingSection.published(for: shorter).isEmpty)
  }

  @Test("A run without a finished episode has no figure and says so in its row")
  func noEpisodeYet() throws {
    let results = FakeResults.folder()
    try carry(Self.pong, in: results, name: "atari-a2c", rows: [(80_000, 0, .nan)])
    try carryReference(in: results, episodes: [])
    let section = RunsInTrainingSection(runs: RunsInTraining.load(resultsFolder: results), resultsPath: "results")
    #expect(section.figures.isEmpty)
    #expect(section.markdown.contains("| 80,000 of 10,000,000 (0%) | 2 h 00 min | – (no episode finished) |"), "\(section.markdown)")
    #expect(section.markdown.contains("| 2 h 18 min | 2 | – (no episode finished) |"), "\(section.markdown)")
  }

  @Test("The report of several suites names the runs in its abstract and ends with the section; its figure is written and a finished run's is removed")
  func reportCarriesTheSection() throws {
    let store = try FakeResults.small()
    try FakeResults.writeRun(
      store, suite: "minatar", environment: "minatar:Breakout", algorithm: .acktr, seed: 0, evaluation: 30,
      lastHundred: 28)
    let writers = try ["classic", "minatar"].map { try FakeResults.paperWriter(store, suite: $0) }
    try carry(Self.pong, in: store.root, name: "atari-a2c", rows: [(160_000, 120, -20.5), (2_233_360, 2_350, -20.1)])
    try carryReference(in: store.root)
    let out = FakeResults.folder("paper")
    let figures = out.appendingPathComponent("figures")
    try FileManager.default.createDirectory(at: figures, withIntermediateDirectories: true)
    let stale = figures.appendingPathComponent("training-atari-atari:Breakout-acer-seed-1.png")
    try Data([0]).write(to: stale)
    let paper = SuitesPaper(
      writers: writers, resultsPath: "results", inTraining: RunsInTraining.load(resultsFolder: store.root))
    let text = try String(contentsOf: try paper.write(to: out), encoding: .utf8)
    let abstract = String(text[text.range(of: "## Abstract")!.lowerBound..<text.range(of: "## Suite `classic`")!.lowerBound])
    #expect(abstract.contains("**Still training**"), "\(abstract)")
    let last = try #require(text.range(of: "\n## ", options: .backwards))
    #expect(text[last.upperBound...].hasPrefix("Runs still training\n"))
    #expect(FileManager.default.fileExists(atPath: figures.appendingPathComponent("training-atari-atari:Pong-a2c-seed-0.png").path))
    #expect(!FileManager.default.fileExists(atPath: stale.path))
    #expect(paper.figureCount == writers.reduce(0) { $0 + $1.figures.entries.count } + 1)
    // Beside the reference run, our complete seed of the same cell: its curve (0 → 28 over rows at
    // 1,000 … 10,000 steps) at the newest row at or before the reference's steps.
    #expect(text.contains("| 99.50 (150) | 28.00 (`minatar`, seed 0) |"), "\(text)")
    var early = try #require(paper.inTraining.references.first)
    early.timesteps = 5_500
    let ours = try #require(paper.inTrainingSection.ours(at: early))
    #expect(ours.suite == "minatar" && ours.seeds == [0] && ours.values == [14])
    early.timesteps = 999
    #expect(paper.inTrainingSection.ours(at: early) == nil)
    // Without runs in training the report is what it was: no sentence, no section.
    let plain = SuitesPaper(writers: writers, resultsPath: "results").markdown
    #expect(!plain.contains("Still training") && !plain.contains("## Runs still training"))
    // One suite: its own document, with the section appended.
    let one = SuitesPaper(
      writers: [writers[0]], resultsPath: "results", inTraining: RunsInTraining.load(resultsFolder: store.root))
    #expect(one.markdown.hasPrefix(writers[0].markdown.trimmingCharacters(in: .newlines) + "\n\n## Runs still training\n"))
  }

  @Test("A one-suite report keeps that suite's carried runs and the reference runs on its environments")
  func filteredToASuite() throws {
    let results = FakeResults.folder()
    try carry(Self.pong, in: results, name: "atari-a2c", rows: [(160_000, 120, -20.5)])
    try carryReference(in: results)
    let all = RunsInTraining.load(resultsFolder: results)
    let minatar = all.filtered(suite: "minatar", environments: ["minatar:Breakout", "minatar:Freeway"])
    #expect(minatar.carried.isEmpty && minatar.references.count == 1)
    let atari = all.filtered(suite: "atari", environments: ["atari:Pong"])
    #expect(atari.carried.count == 1 && atari.references.isEmpty)
  }
}
