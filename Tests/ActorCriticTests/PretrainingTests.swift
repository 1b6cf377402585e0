import ActorCritic
import Environments
import Foundation
import LinearAlgebra
import NeuralNetwork
import NumPyArchive
import Randomness
import Testing
import _TestSupport

@testable import ActorCritic

/// `Tests/ActorCriticTests/Fixtures/Pretraining/`, written by `Tools/pretraining_reference.py`.
enum PretrainingFixture {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/Pretraining")

  static func archive(_ name: String) throws -> NPZArchive { try NPZArchive(contentsOf: directory.appendingPathComponent(name)) }
}

@Suite struct BehaviorCloningLossTests {
  /// Both losses against central differences in every distribution parameter.
  @Test(arguments: [BehaviorCloningLoss.crossEntropy(actionCount: 3), .meanSquaredError(dimension: 2)])
  func gradientMatchesFiniteDifferences(loss: BehaviorCloningLoss) {
    let random = RandomStream(seed: 5)
    let B = 5
    let width: Int, actions: [Float]
    switch loss {
    case .crossEntropy(let n):
      width = n
      actions = (0..<B).map { _ in Float(random.uniformInt(below: n)) }
    case .meanSquaredError(let d):
      width = 2 * d
      actions = (0..<(B * d)).map { _ in Float(random.gaussian()) }
    }
    let x = (0..<(B * width)).map { _ in random.gaussian(sigma: 2) }
    var gradient = Matrix(rows: 0, columns: 0)
    _ = loss.evaluate(parameters: Matrix(rows: B, columns: width, elements: x.map { Float($0) }), actions: actions, gradient: &gradient)
    let numeric = numericalGradient(
      of: { p in
        var g = Matrix(rows: 0, columns: 0)
        return Double(loss.evaluate(parameters: Matrix(rows: B, columns: width, elements: p.map { Float($0) }), actions: actions, gradient: &g))
      }, at: x, step: 1e-2)
    #expect(maxRelativeError(gradient.elements.map(Double.init), numeric) < 2e-3)
    if case .meanSquaredError(let d) = loss {
      // log σ never receives a gradient (the loss reads the deterministic action only).
      for i in 0..<B { #expect(gradient.elements[(i * width + d)..<((i + 1) * width)].allSatisfy { $0 == 0 }) }
    }
  }

  @Test func valuesMatchTheFormulas() {
    var g = Matrix(rows: 0, columns: 0)
    // Logits (0, ln 3): p = (1/4, 3/4); action 1 → −ln(3/4); action 0 → ln 4. Mean of both.
    let ce = BehaviorCloningLoss.crossEntropy(actionCount: 2).evaluate(
      parameters: Matrix(rows: 2, columns: 2, elements: [0, log(3), 0, log(3)]), actions: [1, 0], gradient: &g)
    #expect(abs(Double(ce) - (-log(0.75) + log(4)) / 2) < 1e-6)
    #expect(abs(g.elements[0] - 0.125) < 1e-6 && abs(g.elements[2] - (-0.375)) < 1e-6)
    // μ = (1, 3) against a = (0, 0): mean((1, 9)) = 5.
    let mse = BehaviorCloningLoss.meanSquaredError(dimension: 1).evaluate(
      parameters: Matrix(rows: 2, columns: 2, elements: [1, -5, 3, 7]), actions: [0, 0], gradient: &g)
    #expect(mse == 5)
    #expect(g.elements == [1, 0, 3, 0])
  }
}

@Suite struct AdamOracleTests {
  /// `tf.train.AdamOptimizer` (TF 2.15, float32) recorded for 30 steps in two settings: our Adam
  /// follows it to within 2 float32 ulps of the value at every step.
  @Test(arguments: [0, 1])
  func adamFollowsTensorFlow(run: Int) throws {
    let fixture = try PretrainingFixture.archive("adam-reference.npz")
    func floats(_ name: String) throws -> [Float] { try fixture.array("run\(run)_\(name)").floats() }
    let w = Parameter(name: "w", shape: [3, 4], rows: 3, columns: 4)
    let b = Parameter(name: "b", shape: [5], rows: 1, columns: 5)
    w.value.elements = try floats("w0")
    b.value.elements = try floats("b0")
    let adam = Adam(parameters: [w, b], epsilon: try floats("epsilon")[0])
    let lr = try floats("lr")[0]
    let (gw, gb, aw, ab) = (try floats("grads_w"), try floats("grads_b"), try floats("after_w"), try floats("after_b"))
    var worst: Float = 0
    for t in 0..<30 {
      w.gradient.elements = Array(gw[(t * 12)..<((t + 1) * 12)])
      b.gradient.elements = Array(gb[(t * 5)..<((t + 1) * 5)])
      adam.step(learningRate: lr)
      for (ours, theirs) in zip(w.value.elements + b.value.elements, Array(aw[(t * 12)..<((t + 1) * 12)] + ab[(t * 5)..<((t + 1) * 5)])) {
        worst = max(worst, abs(ours - theirs) / theirs.ulp)
      }
    }
    print("Adam run \(run) against TensorFlow: worst difference \(worst) ulps over 30 steps")
    #expect(worst <= 2, "worst difference \(worst) ulps")
  }

  @Test func epsilonIsAddedOutsideTheSquareRoot() {
    // One step from zero moments: m = 0.1 g, v = 0.001 g², lr_t = lr·sqrt(0.001)/0.1, so
    // Δθ = −lr · g / (|g| + ε/sqrt(0.001)) = −lr · 1e-4 / (1e-4 + 1e-3/0.0316…) for g = 1e-4, ε = 1e-3.
    let p = Parameter(name: "x", shape: [1], rows: 1, columns: 1)
    p.gradient.elements = [1e-4]
    Adam(parameters: [p], epsilon: 1e-3).step(learningRate: 1)
    let expected = -1e-4 / (1e-4 + 1e-3 / 0.001.squareRoot())
    #expect(abs(Double(p.value.elements[0]) - expected) < 1e-6)
  }
}

@Suite struct PretrainingOracleTests {
  /// SB2's `A2C.pretrain` recorded from the same initial parameters on the same training split
  /// (one batch per epoch, 5 epochs, lr 1e-3): every epoch's loss and every parameter afterwards.
  @Test(arguments: [("cartpole", "CartPole-v1"), ("pendulum", "Pendulum-v1")])
  func pretrainReplaysStableBaselines(name: String, environment: String) throws {
    let oracle = try PretrainingFixture.archive("pretrain-oracle-\(name).npz")
    let env = try VectorEnvironment(id: environment, count: 1, seeds: SeedSequence(runSeed: 0))
    let model = try A2C(environment: env)
    let initial = oracle.arrays.filter { $0.name.hasPrefix("initial/") }
    try model.loadParameters(initial.map {
      NamedParameter(name: String($0.name.dropFirst(8)), shape: $0.array.shape, values: $0.array.floats())
    })
    let trajectories = try ExpertTrajectories(contentsOf: PretrainingFixture.directory.appendingPathComponent("sb2-expert-\(name).npz"))
    let train = try oracle.array("train_indices").doubles().map { Int($0) }
    let validation = Array(Set(0..<trajectories.count).subtracting(train)).sorted()
    let dataset = try ExpertDataset(
      trajectories: trajectories, keptSteps: trajectories.count, trainIndices: train, validationIndices: validation,
      batchSize: 100_000, randomize: false, sequentialPreprocessing: true, seeds: SeedSequence(runSeed: 0))
    let progress = try model.pretrain(dataset: dataset, epochs: 5, learningRate: 1e-3, adamEpsilon: 1e-8, validationInterval: 1)
    let losses = try oracle.array("losses").doubles()
    #expect(progress.count == 5)
    for (ours, theirs) in zip(progress.map(\.trainingLoss), losses) { #expect(abs(ours - theirs) < 2e-6 * max(1, abs(theirs))) }
    // Each parameter within 1e-5 of SB2's value, 1/500 of the ≈ 5e-3 five Adam steps move it.
    var worst: Float = 0
    for p in model.parameters() {
      let theirs = try oracle.array("after/" + p.name).floats()
      let start = try oracle.array("initial/" + p.name).floats()
      for i in theirs.indices {
        worst = max(worst, abs(p.values[i] - theirs[i]))
        // The value head, the Q head and log σ have no gradient: they must not move at all.
        if p.name.contains("vf") || p.name.contains("/q/") || p.name.contains("logstd") { #expect(p.values[i] == start[i]) }
      }
    }
    let lossError = zip(progress.map(\.trainingLoss), losses).map { abs($0 - $1) }.max()!
    print("SB2 pretrain oracle \(name): worst parameter difference \(worst), worst loss difference \(lossError)")
    #expect(worst < 1e-5, "worst parameter difference \(worst)")
  }
}

@Suite struct PretrainingBehaviourTests {
  @Test func logLinesAreSB2s() {
    let report = PretrainingProgress(epoch: 3, trainingLoss: 0.123456789, validationLoss: 1.5)
    #expect(report.logLines(epochs: 8) == "==== Training progress 37.50% ====\nEpoch 3\nTraining loss: 0.123457, Validation loss: 1.500000\n")
  }

  /// Deviation from SB2 (whose `pretrain` re-runs the global initializer): a trained model's
  /// parameters are the starting point, its RMSProp state is left alone, and its value head is
  /// not touched.
  @Test func pretrainingContinuesFromTheModelsParametersAndKeepsItsOptimiserState() throws {
    let model = try A2C(environment: try cartPole(count: 2, seed: 1), seed: 1)
    try model.learn(totalTimesteps: 400)
    let trained = model.parameters()
    let rmsprop = try model.optimizerState()
    let trajectories = try ExpertTrajectories(contentsOf: PretrainingFixture.directory.appendingPathComponent("sb2-expert-cartpole.npz"))
    try model.pretrain(dataset: try ExpertDataset(trajectories: trajectories, verbose: 0), epochs: 1, learningRate: 1e-5)
    #expect(try model.optimizerState() == rmsprop)
    for (before, after) in zip(trained, model.parameters()) {
      let moved = zip(before.values, after.values).map { abs($0 - $1) }.max()!
      if before.name.hasPrefix("model/pi") {
        // 9 Adam steps of at most lr each: moved, but not re-drawn.
        #expect(moved > 0 && moved <= 9 * 1e-5 * 1.01, "\(before.name) moved \(moved)")
      } else {
        #expect(moved == 0, "\(before.name) moved \(moved)")
      }
    }
  }
}

@Suite struct ExpertDatasetTests {
  /// Three episodes of lengths 3, 2, 4 with observations = step index, actions alternating.
  static func trajectories() throws -> ExpertTrajectories {
    let n = 9
    return try ExpertTrajectories(
      observations: try NumPyArray(float32: (0..<n).flatMap { [Float($0), -Float($0)] }, shape: [n, 2]),
      actions: try NumPyArray(int64: (0..<n).map { Int64($0 % 2) }, shape: [n, 1]),
      rewards: try NumPyArray(float64: [Double](repeating: 1, count: n), shape: [n]),
      episodeReturns: try NumPyArray(float64: [3, 2, 4], shape: [3]),
      episodeStarts: try NumPyArray(bool: [true, false, false, true, false, true, false, false, false], shape: [n]))
  }

  @Test func splitAndMinibatchesFollowSB2() throws {
    let dataset = try ExpertDataset(trajectories: try Self.trajectories(), trainFraction: 0.7, batchSize: 4, verbose: 0, seed: 3)
    // int(0.7 · 9) = 6 training rows, 3 validation rows; ⌈6/4⌉ = 2 and ⌈3/4⌉ = 1 batches.
    #expect(dataset.trainIndices.count == 6 && dataset.validationIndices.count == 3)
    #expect(Set(dataset.trainIndices + dataset.validationIndices) == Set(0..<9))
    #expect(dataset.batchCount(.train) == 2 && dataset.batchCount(.validation) == 1)
    #expect(dataset.numberOfTrajectories == 3 && dataset.numberOfTransitions == 9)
    #expect(dataset.averageReturn == 3 && abs(dataset.returnStandardDeviation - (2.0 / 3).squareRoot()) < 1e-12)
    // Every pass covers the training split once, a full batch then the partial one, and the
    // passes are shuffled differently.
    var passes: [[Int]] = []
    for _ in 0..<4 {
      let first = dataset.nextBatch(.train), second = dataset.nextBatch(.train)
      #expect(first.count == 4 && second.count == 2)
      #expect(Set(first + second) == Set(dataset.trainIndices))
      passes.append(Array(first + second))
    }
    #expect(Set(passes).count > 1)
    // The rows' data.
    let batch = dataset.batch([4, 1])
    #expect(batch.observations == [4, -4, 1, -1] && batch.actions == [0, 1])
  }

  @Test func withoutRandomizeBatchesKeepTheSplitOrder() throws {
    let dataset = try ExpertDataset(trajectories: try Self.trajectories(), batchSize: 4, randomize: false, verbose: 0, seed: 3)
    for _ in 0..<3 { #expect(Array(dataset.nextBatch(.train)) == Array(dataset.trainIndices.prefix(4))); _ = dataset.nextBatch(.train) }
  }

  @Test func trajectoryLimitKeepsWholeEpisodes() throws {
    let two = try ExpertDataset(trajectories: try Self.trajectories(), trajectoryLimit: 2, verbose: 0)
    // Episodes 1 and 2 are steps 0…4 (SB2 would keep 0…3, dropping the last step of episode 2).
    #expect(two.numberOfTransitions == 5 && two.numberOfTrajectories == 2 && two.returns == [3, 2])
    #expect(Set(two.trainIndices + two.validationIndices) == Set(0..<5))
    let all = try ExpertDataset(trajectories: try Self.trajectories(), trajectoryLimit: 7, verbose: 0)
    #expect(all.numberOfTransitions == 9 && all.numberOfTrajectories == 3)
  }

  @Test func badOptionsAndDataAreTypedErrors() throws {
    let t = try Self.trajectories()
    #expect(throws: ConfigurationError.invalidValue(field: "train_fraction", value: "1.0", allowed: "0 < train_fraction < 1")) {
      try ExpertDataset(trajectories: t, trainFraction: 1, verbose: 0)
    }
    #expect(throws: ConfigurationError.invalidValue(field: "batch_size", value: "0", allowed: "batch_size ≥ 1")) {
      try ExpertDataset(trajectories: t, batchSize: 0, verbose: 0)
    }
    // 0.1 · 9 rounds down to 0 training rows.
    #expect(throws: ConfigurationError.self) { try ExpertDataset(trajectories: t, trainFraction: 0.1, verbose: 0) }
    #expect(throws: ExpertDataError.invalidArray(name: "actions", reason: "has shape [8, 1], needs 9 rows like obs")) {
      try ExpertTrajectories(
        observations: t.observations, actions: try NumPyArray(int64: [Int64](repeating: 0, count: 8), shape: [8, 1]),
        rewards: nil, episodeReturns: t.episodeReturns, episodeStarts: t.episodeStarts)
    }
    var nan = (0..<18).map { Float($0) }
    nan[7] = .nan
    let bad = try ExpertTrajectories(
      observations: try NumPyArray(float32: nan, shape: [9, 2]), actions: t.actions, rewards: nil,
      episodeReturns: t.episodeReturns, episodeStarts: t.episodeStarts)
    #expect(throws: ExpertDataError.invalidArray(name: "obs", reason: "holds nan at step 3 (values must be finite)")) {
      try ExpertDataset(trajectories: bad, verbose: 0)
    }
  }

  @Test func pretrainRefusesDataThatDoesNotFitTheModel() throws {
    let dataset = try ExpertDataset(trajectories: try Self.trajectories(), verbose: 0)
    // Two observation components; CartPole has four.
    let cartPoleModel = try A2C(environment: try cartPole(count: 1))
    #expect(throws: ExpertDataError.self) { try cartPoleModel.pretrain(dataset: dataset) }
    // Action 1 is outside Discrete(1); a MultiDiscrete model is not supported.
    let observationSpace = Space.box(low: [-100, -100], high: [100, 100])
    let single = try A2C(environment: nil, observationSpace: observationSpace, actionSpace: .discrete(n: 1))
    #expect(throws: ExpertDataError.incompatible(field: "actions", reason: "holds 1.0 at step 1, outside Discrete(1) (0 … 0)")) {
      try single.pretrain(dataset: dataset)
    }
    let multi = try A2C(environment: nil, observationSpace: observationSpace, actionSpace: .multiDiscrete(nvec: [2]))
    #expect(throws: ExpertDataError.unsupportedSpace(field: "action space", space: "\(Space.multiDiscrete(nvec: [2]))", supported: "Discrete, Box (as SB2's pretrain)")) {
      try multi.pretrain(dataset: dataset)
    }
    let model = try A2C(environment: nil, observationSpace: observationSpace, actionSpace: .discrete(n: 2))
    #expect(throws: ConfigurationError.invalidValue(field: "adam_epsilon", value: "0.0", allowed: "adam_epsilon > 0")) {
      try model.pretrain(dataset: dataset, adamEpsilon: 0)
    }
    // SB2's default interval is a tenth of the epochs: 20 epochs report at 2, 4, …, 20.
    #expect(try model.pretrain(dataset: dataset, epochs: 20).map(\.epoch) == Array(stride(from: 2, through: 20, by: 2)))
  }
}
