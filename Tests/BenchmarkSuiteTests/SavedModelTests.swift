import ActorCritic
import BenchmarkSuite
import Environments
import Foundation
import Randomness
import Testing

/// `bench run --save-model` in the library, without Python: a run's `model.acbm` is its final
/// model (the same parameters and actions as the model trained in memory), and `bench merge`
/// carries a run's artifacts along.
@Suite("A run's saved model (model.acbm) and merging artifacts")
struct SavedModelTests {
  /// The smoke suite's A2C CartPole entry at a small budget, evaluation off.
  static func smallRun(_ algorithm: AlgorithmID, seed: Int = 3) -> RunSpec {
    var entry = Suite.smoke.entries.first { $0.algorithm == algorithm }!
    entry.timesteps = 2_000
    entry.evaluationTimesteps = 0
    return RunSpec(suite: "smoke", entry: entry, seed: seed)
  }

  @Test("The saved model loads as the model trained in memory: bit-identical parameters and actions (A2C, ACER)")
  func savedModelIsTheFinalModel() throws {
    for algorithm in [AlgorithmID.a2c, .acer] {
      let run = Self.smallRun(algorithm)
      let store = ResultsStore(root: FakeResults.folder("saved-model-\(algorithm)"))
      try RunExecutor.execute(run, store: store, artifacts: RunArtifacts(saveModel: true))
      let file = store.folder(for: run).appendingPathComponent(RunArtifacts.modelFileName)
      let (loaded, contents) = try SavedModel.load(from: file)
      #expect(contents.algorithm == algorithm.rawValue && contents.seed == 3)
      #expect(type(of: loaded).algorithmName == algorithm.rawValue)

      // The same run trained here, in memory.
      let environment = try ModelFactory.makeEnvironment(for: run.entry, seed: run.seed)
      let model = try ModelFactory.makeModel(for: run.entry, seed: run.seed, environment: environment)
      try model.learn(totalTimesteps: run.entry.timesteps)
      #expect(loaded.timesteps == model.timesteps && contents.timesteps == model.timesteps && model.timesteps >= 2_000)
      let bits = { (m: any ActorCriticModel) in m.parameters().map { $0.values.map(\.bitPattern) } }
      #expect(bits(loaded) == bits(model), "\(algorithm): parameters")

      // Actions on 200 observations from the environment's range: deterministic, and sampled
      // from equal streams.
      let random = SeedSequence(runSeed: 11).stream(for: .evaluation)
      var observations: [Float] = []
      for _ in 0..<(200 * 4) { observations.append(Float(random.uniform(low: -0.2, high: 0.2))) }
      for deterministic in [true, false] {
        let a = try loaded.policy.predict(
          observations: observations, deterministic: deterministic, random: SeedSequence(runSeed: 5).stream(for: .actionSampling))
        let b = try model.policy.predict(
          observations: observations, deterministic: deterministic, random: SeedSequence(runSeed: 5).stream(for: .actionSampling))
        #expect(a == b, "\(algorithm), deterministic \(deterministic)")
      }
      let probabilities = { (m: any ActorCriticModel) in try m.actionProbability(observation: observations).elements.map(\.bitPattern) }
      #expect(try probabilities(loaded) == probabilities(model), "\(algorithm): action probabilities")
    }
  }

  @Test("--save-model changes no other file of the run; the file is committed with the folder (no temporary left)")
  func savingChangesNothingElse() throws {
    let run = Self.smallRun(.a2c, seed: 1)
    let plain = ResultsStore(root: FakeResults.folder("plain"))
    let saved = ResultsStore(root: FakeResults.folder("with-model"))
    try RunExecutor.execute(run, store: plain)
    try RunExecutor.execute(run, store: saved, artifacts: RunArtifacts(saveModel: true))
    let fm = FileManager.default
    let plainFiles = try fm.contentsOfDirectory(atPath: plain.folder(for: run).path).sorted()
    let savedFiles = try fm.contentsOfDirectory(atPath: saved.folder(for: run).path).sorted()
    #expect(savedFiles == (plainFiles + [RunArtifacts.modelFileName]).sorted())
    for file in plainFiles where file != "timing.json" {
      let a = try Data(contentsOf: plain.folder(for: run).appendingPathComponent(file))
      let b = try Data(contentsOf: saved.folder(for: run).appendingPathComponent(file))
      #expect(a == b, "\(file)")
    }
    let parent = saved.folder(for: run).deletingLastPathComponent()
    #expect(try fm.contentsOfDirectory(atPath: parent.path) == ["seed-1"])
  }

  @Test(
    "A run killed and resumed from its checkpoint saves the same model.acbm as an uninterrupted run (the built executable)",
    arguments: [("a2c", "kill-during-evaluation"), ("acer", "kill-after-checkpoint:2")])
  func resumedRunSavesItsModel(algorithm: String, fault: String) throws {
    try BenchBinary.require()
    let reference = FakeResults.folder("model-reference-\(algorithm)")
    let root = FakeResults.folder("model-resumed-\(algorithm)")
    let grid = [
      "run", "--suite", "smoke", "--algorithms", algorithm, "--seeds", "1", "--timesteps", "4000",
      "--evaluation-timesteps", "500", "--save-model",
    ]
    let plain = try BenchBinary.run(grid + ["--results", reference.path, "--checkpoint-every", "off"])
    try #require(plain.status == 0, "\(plain.error)")
    let arguments = grid + ["--results", root.path, "--checkpoint-every", "5updates"]
    let killed = try BenchBinary.run(arguments + ["--fault", fault])
    #expect(killed.status != 0)
    let resumed = try BenchBinary.run(arguments)
    #expect(resumed.status == 0, "\(resumed.error)")
    #expect(resumed.error.contains("Resuming smoke/CartPole-v1/\(algorithm)/seed-0 from its checkpoint"), "\(resumed.error)")
    let file = "runs/smoke/CartPole-v1/\(algorithm)/seed-0/\(RunArtifacts.modelFileName)"
    let expected = try Data(contentsOf: reference.appendingPathComponent(file))
    #expect(try Data(contentsOf: root.appendingPathComponent(file)) == expected)
  }

  @Test("bench merge copies a run folder's model.acbm and episode.png with it")
  func mergeCarriesArtifacts() throws {
    let shard = ResultsStore(root: FakeResults.folder("artifact-shard"))
    for seed in [0, 1] {
      try FakeResults.writeRun(
        shard, environment: "CartPole-v1", algorithm: .a2c, seed: seed, evaluation: 100, lastHundred: 100)
    }
    try FakeResults.writeManifest(shard, suite: "classic", gitRevision: "abc1234", createdAt: "2026-01-01T00:00:00Z")
    let folder = shard.runsFolder.appendingPathComponent("classic/CartPole-v1/a2c/seed-1")
    let model = Data((0..<4096).map { UInt8($0 % 251) })
    let strip = Data([0x89, 0x50, 0x4E, 0x47, 1, 2, 3])
    try model.write(to: folder.appendingPathComponent(RunArtifacts.modelFileName))
    try strip.write(to: folder.appendingPathComponent(RunArtifacts.episodeFileName))
    let target = ResultsStore(root: FakeResults.folder("artifact-merged"))
    let outcome = try ResultsMerger(target: target, sources: [shard]).merge(commandLine: ["bench", "merge"])
    #expect(outcome.copied.count == 2)
    let merged = target.runsFolder.appendingPathComponent("classic/CartPole-v1/a2c/seed-1")
    #expect(try Data(contentsOf: merged.appendingPathComponent(RunArtifacts.modelFileName)) == model)
    #expect(try Data(contentsOf: merged.appendingPathComponent(RunArtifacts.episodeFileName)) == strip)
    #expect(try target.runFolders(suite: "classic").count == 2)
  }

  @Test("The options a --jobs child receives ask for the same artifacts; bad episode settings name the option")
  func artifactArguments() throws {
    #expect(RunArtifacts().arguments.isEmpty && RunArtifacts().fileNames.isEmpty)
    let both = RunArtifacts(saveModel: true, episode: .init(steps: 50, every: 5))
    #expect(both.arguments == ["--save-model", "--record-episode", "--episode-steps", "50", "--episode-every", "5"])
    #expect(both.fileNames == ["model.acbm", "episode.png"])
    #expect(throws: BenchmarkError.invalidOption(name: "--episode-every", value: "0", allowed: "1…1,000,000")) {
      try RunArtifacts(episode: .init(steps: 5, every: 0)).validate()
    }
  }
}
