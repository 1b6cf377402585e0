import ActorCritic
import Environments
import Foundation
import Randomness
import Testing

/// A model checkpointed between two updates, restored into a fresh model and environment, and
/// trained to the end matches the uninterrupted run bit for bit: parameters, optimiser state,
/// episodes and per-update losses.
@Suite struct CheckpointResumeTests {
  /// An algorithm under test: how to build a fresh model with its environment.
  struct Subject: CustomTestStringConvertible, Sendable {
    var name: String
    var budget: Int
    var make: @Sendable () throws -> any CheckpointableModel
    var testDescription: String { name }
  }

  static let subjects: [Subject] = [
    Subject(name: "A2C, CartPole, VecNormalize", budget: 3_200) {
      var c = A2CConfiguration()
      c.entropyCoefficient = 0
      let env = try NormalizedVectorEnvironment(
        wrapping: try VectorEnvironment(id: "CartPole-v1", count: 4, seeds: SeedSequence(runSeed: 5)))
      return try A2C(environment: env, configuration: c, seed: 5)
    },
    Subject(name: "ACKTR, Pendulum, async eigendecomposition lag 3", budget: 4_800) {
      var c = ACKTRConfiguration()
      c.stepsPerUpdate = 20
      c.asyncEigenDecomposition = true
      c.asyncEigenDecompositionLag = 3
      c.kfacUpdate = 2
      let env = try VectorEnvironment(id: "Pendulum-v1", count: 4, seeds: SeedSequence(runSeed: 6))
      return try ACKTR(environment: env, configuration: c, seed: 6)
    },
    Subject(name: "ACKTR, CNN on pixels, single-precision K-FAC, rollout activations reused", budget: 1_280) {
      var c = ACKTRConfiguration()
      c.networkArchitecture = tinyCNN
      c.eigenSolver = .single
      c.kfacUpdate = 2
      return try ACKTR(environment: try cueImages(count: 4, seed: 8), configuration: c, seed: 8)
    },
    Subject(name: "ACER, Acrobot, replay", budget: 4_000) {
      var c = ACERConfiguration()
      c.stepsPerUpdate = 10
      c.bufferSize = 400
      c.replayStart = 50
      let env = try VectorEnvironment(id: "Acrobot-v1", count: 4, seeds: SeedSequence(runSeed: 7))
      return try ACER(environment: env, configuration: c, seed: 7)
    },
  ]

  /// What must agree: parameters, episodes, losses per update (steps/s is wall-clock).
  struct Outcome: Equatable {
    var parameters: [NamedParameter]
    var optimizer: [String: Data]
    var episodes: [EpisodeSummary]
    var losses: [[Double]]
    var timesteps: Int
  }

  static func outcome(_ model: any CheckpointableModel) throws -> Outcome {
    Outcome(
      parameters: model.parameters(), optimizer: try model.optimizerState(), episodes: model.episodes,
      losses: model.history.map { [$0.policyLoss, $0.valueLoss, $0.entropy, $0.learningRate, Double($0.update)] },
      timesteps: model.timesteps)
  }

  /// Stops training after update `stopAfter`, capturing a checkpoint there.
  final class StopAndCapture: TrainingCallback {
    let model: any CheckpointableModel
    let stopAfter: Int
    var checkpoint: ModelCheckpoint?
    init(model: any CheckpointableModel, stopAfter: Int) {
      self.model = model
      self.stopAfter = stopAfter
    }
    func onUpdate(_ context: TrainingContext) -> Bool {
      guard context.updates == stopAfter else { return true }
      checkpoint = try? model.captureCheckpoint(updates: context.updates, totalTimesteps: context.totalTimesteps)
      return false
    }
  }

  @Test(arguments: subjects)
  func resumedTrainingIsBitIdentical(subject: Subject) throws {
    let reference = try subject.make()
    try reference.learn(totalTimesteps: subject.budget)
    let expected = try Self.outcome(reference)
    // Interrupt at two points (early: cold start / empty replay; later), each resumed separately.
    for stopAfter in [3, expected.losses.count * 2 / 3] {
      let first = try subject.make()
      let stopper = StopAndCapture(model: first, stopAfter: stopAfter)
      try first.learn(totalTimesteps: subject.budget, callback: stopper, logInterval: 100, resetNumTimesteps: true)
      let checkpoint = try #require(stopper.checkpoint)
      #expect(checkpoint.environmentFidelity == .exact)
      // Training after the capture point must not leak into the checkpoint: keep the first model training on.
      try first.learn(totalTimesteps: 800, callback: nil, logInterval: 100, resetNumTimesteps: false)

      let resumed = try subject.make()
      var reader = BinaryStateReader(checkpoint.bytes)
      let point = try resumed.restoreCheckpoint(from: &reader, restartSeeds: SeedSequence(runSeed: 99))
      #expect(point.updates == stopAfter && point.totalTimesteps == subject.budget)
      try resumed.learn(totalTimesteps: subject.budget, callback: nil, logInterval: 100, resetNumTimesteps: true)
      #expect(try Self.outcome(resumed) == expected, "resumed after update \(stopAfter)")
    }
  }

  @Test func resumingWithAnotherBudgetIsRefused() throws {
    let model = try Self.subjects[0].make()
    let stopper = StopAndCapture(model: model, stopAfter: 2)
    try model.learn(totalTimesteps: 1_600, callback: stopper, logInterval: 100, resetNumTimesteps: true)
    let resumed = try Self.subjects[0].make()
    var reader = BinaryStateReader(try #require(stopper.checkpoint).bytes)
    try resumed.restoreCheckpoint(from: &reader, restartSeeds: SeedSequence(runSeed: 1))
    #expect(throws: CheckpointError.totalTimestepsMismatch(checkpoint: 1_600, requested: 2_000)) {
      try resumed.learn(totalTimesteps: 2_000)
    }
  }

  @Test func checkpointOfAnotherAlgorithmOrTruncatedIsATypedError() throws {
    let a2c = try Self.subjects[0].make()
    let bytes = try a2c.captureCheckpoint(updates: 0, totalTimesteps: 100).bytes
    let acer = try Self.subjects[2].make()
    var reader = BinaryStateReader(bytes)
    #expect(throws: CheckpointError.self) { try acer.restoreCheckpoint(from: &reader, restartSeeds: SeedSequence(runSeed: 1)) }
    for cut in [0, 10, bytes.count / 2, bytes.count - 1] {
      var truncated = BinaryStateReader(Array(bytes.prefix(cut)))
      #expect(throws: BinaryStateError.self) {
        try Self.subjects[0].make().restoreCheckpoint(from: &truncated, restartSeeds: SeedSequence(runSeed: 1))
      }
    }
  }
}
