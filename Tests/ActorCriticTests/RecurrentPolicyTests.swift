import Environments
import Foundation
import LinearAlgebra
import NeuralNetwork
import Randomness
import Testing
import _TestSupport

@testable import ActorCritic

private func randomMatrix(_ rows: Int, _ columns: Int, _ random: RandomStream, scale: Double = 1) -> Matrix {
  Matrix(rows: rows, columns: columns, elements: (0..<(rows * columns)).map { _ in Float(random.gaussian(sigma: scale)) })
}

private func noVelocityCartPole(count: Int = 8, seed: UInt64 = 0) throws -> VectorEnvironment {
  try VectorEnvironment(id: "CartPoleNoVel-v1", count: count, seeds: SeedSequence(runSeed: seed))
}

/// A small recurrent architecture for the checks that do not need SB2's sizes.
/// Every logged number of an update except the wall-clock speed.
private func numbers(_ history: [UpdateMetrics]) -> [[Double]] {
  history.map {
    [$0.policyLoss, $0.valueLoss, $0.entropy, $0.explainedVariance, $0.gradientNorm, $0.extras["trust_region_scale"] ?? 0]
  }
}

private func smallLSTM(layerNormalized: Bool, units: Int = 6, shared: [Int] = [5]) -> NetworkArchitecture {
  NetworkArchitecture(shared: shared, policy: [], value: [], recurrent: RecurrentCell(units: units, layerNormalized: layerNormalized))
}

@Suite struct RecurrentPolicyTests {
  // MARK: - Network

  @Test(arguments: [false, true])
  func networkGradientsThroughTheLSTMMatchFiniteDifferences(layerNormalized: Bool) throws {
    let random = RandomStream(seed: 31)
    let network = try ActorCriticNetwork(
      observationSpace: .box(low: [-1, -1, -1, -1], high: [1, 1, 1, 1]),
      distribution: try DistributionKind.categorical(actionCount: 3).makeDistribution(),
      architecture: smallLSTM(layerNormalized: layerNormalized), random: random)
    // Two environments, three steps; environment 1 starts an episode at step 1.
    let sequence = RecurrentSequence(
      initialState: randomMatrix(2, 12, random, scale: 0.5), masks: [0, 0, 0, 0, 1, 0], steps: 3)
    let x = randomMatrix(6, 4, random)
    let cParams = randomMatrix(6, 3, random), cValues = (0..<6).map { _ in Float(random.gaussian()) }
    let params = network.actorCriticParameters
    func loss(_ theta: [Double]) -> Double {
      var offset = 0
      for p in params {
        p.value.elements = theta[offset..<(offset + p.count)].map(Float.init)
        offset += p.count
      }
      network.forward(x, sequence: sequence)
      var total = zip(network.distributionParameters.elements, cParams.elements).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
      total += zip(network.values, cValues).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
      return total
    }
    let theta = params.flattenedValues.map(Double.init)
    _ = loss(theta)
    network.backward(distributionParameterGradient: cParams, valueGradient: cValues)
    let analytic = params.flattenedGradients.map(Double.init)
    let numeric = numericalGradient(of: loss, at: theta, step: layerNormalized ? 1e-3 : 1e-2)
    #expect(maxRelativeError(analytic, numeric) < 2e-3)
    // The shared layer below the LSTM receives gradient through it.
    #expect(network.sharedTrunk.layers[0].weight.gradient.elements.contains { abs($0) > 1e-4 })
  }

  @Test func mlpLSTMHasStableBaselinesLayoutAndHeadGains() throws {
    let policy = try ActorCriticPolicy(
      observationSpace: .box(low: [-1, -1, -1, -1], high: [1, 1, 1, 1]), actionSpace: .discrete(n: 2),
      architecture: .mlpLSTM, random: RandomStream(seed: 0))
    let network = policy.network
    #expect(network.parameters.map(\.name) == [
      "model/pi_fc0/w:0", "model/pi_fc0/b:0", "model/pi_fc1/w:0", "model/pi_fc1/b:0", "model/lstm1/wx:0",
      "model/lstm1/wh:0", "model/lstm1/b:0", "model/vf/w:0", "model/vf/b:0", "model/pi/w:0", "model/pi/b:0",
      "model/q/w:0", "model/q/b:0",
    ])
    #expect(network.parameters.map(\.shape) == [
      [4, 64], [64], [64, 64], [64], [64, 1024], [256, 1024], [1024], [256, 1], [1], [256, 2], [2], [256, 2], [2],
    ])
    #expect(policy.isRecurrent && policy.stateCount == 512)
    // SB2's LstmPolicy heads use init_scale 1.0: pi/w [256, 2] has orthonormal columns.
    let gram = matmul(network.policyHead.weight.value, network.policyHead.weight.value, transposeA: .transposed)
    for i in 0..<2 { for j in 0..<2 { #expect(abs(gram[i, j] - (i == j ? 1 : 0)) < 1e-4) } }
    let ln = try ActorCriticPolicy(
      observationSpace: .box(low: [-1, -1], high: [1, 1]), actionSpace: .discrete(n: 2),
      architecture: .mlpLayerNormLSTM, random: RandomStream(seed: 0))
    #expect(ln.network.parameters.map(\.name).filter { $0.hasPrefix("model/lstm1/") } == [
      "model/lstm1/wx:0", "model/lstm1/wh:0", "model/lstm1/b:0", "model/lstm1/gx:0", "model/lstm1/bx:0",
      "model/lstm1/gh:0", "model/lstm1/bh:0", "model/lstm1/gc:0", "model/lstm1/bc:0",
    ])
  }

  @Test func cnnLSTMPoliciesReadNatureCNNFeatures() throws {
    // The smallest frame nature_cnn takes (36×36 → 8×8 → 3×3 → 1×1), so fc1 stays small to initialise.
    let frames = Space.box(low: 0, high: 255, shape: [36, 36, 1], dtype: .uint8)
    for architecture in [NetworkArchitecture.cnnLSTM, .cnnLayerNormLSTM] {
      let policy = try ActorCriticPolicy(
        observationSpace: frames, actionSpace: .discrete(n: 4), architecture: architecture, random: RandomStream(seed: 1))
      #expect(policy.network.recurrentLayer?.inputCount == 512)
      #expect(policy.network.parameters.first?.name == "model/c1/w:0")
      #expect(policy.scalesObservations)
      let observation = [UInt8](repeating: 77, count: 36 * 36)
      let (actions, state) = try policy.predict(
        observations: observation, state: nil, masks: nil, deterministic: true, random: RandomStream(seed: 2))
      #expect(actions.count == 1 && state.rows == 1 && state.columns == 512)
    }
  }

  @Test func recurrentArchitecturesAreValidatedAndEncoded() throws {
    var bad = NetworkArchitecture.mlpLSTM
    bad.policy = [32]
    #expect(throws: ConfigurationError.self) { try bad.validate() }
    var wide = NetworkArchitecture.mlpLSTM
    wide.recurrent?.units = 0
    #expect(throws: ConfigurationError.invalidValue(field: "n_lstm", value: "0", allowed: "an integer in 1...16384")) {
      try wide.validate()
    }
    let data = try JSONEncoder().encode(NetworkArchitecture.mlpLayerNormLSTM)
    #expect(try JSONDecoder().decode(NetworkArchitecture.self, from: data) == .mlpLayerNormLSTM)
    // Feed-forward configurations keep their bytes (no `recurrent` key).
    #expect(!String(decoding: try JSONEncoder().encode(NetworkArchitecture.stableBaselines), as: UTF8.self).contains("recurrent"))
  }

  // MARK: - Rollout

  @Test func rolloutCarriesTheStateAndTheUpdateUnrollsTheSameSteps() throws {
    let environment = try noVelocityCartPole(count: 3, seed: 4)
    let policy = try ActorCriticPolicy(
      observationSpace: environment.observationSpace, actionSpace: environment.actionSpace,
      architecture: smallLSTM(layerNormalized: false, units: 16, shared: [8]), random: RandomStream(seed: 3))
    environment.reset()
    let T = 20
    let rollout = OnPolicyRollout(
      environmentCount: 3, steps: T, observationSpace: environment.observationSpace, inputs: policy.inputCount,
      actionDimension: 1, stateCount: policy.stateCount)
    let random = RandomStream(seed: 6)
    var inputs = Matrix(rows: 0, columns: 0)
    var previousLastDones = [Float](repeating: 0, count: 3)
    var sawReset = false
    for round in 0..<3 {
      _ = try rollout.collect(policy: policy, environment: environment, random: random) { _ in true }
      if round == 0 {
        #expect(rollout.initialStates.elements.allSatisfy { $0 == 0 })
      } else {
        #expect(rollout.initialStates.elements.contains { $0 != 0 })
      }
      // masks[e·T + t] = done_{t−1}, continuing across rollouts.
      for e in 0..<3 {
        #expect(rollout.masks[e * T] == previousLastDones[e])
        for t in 1..<T { #expect(rollout.masks[e * T + t] == (rollout.dones[e * T + t - 1] ? 1 : 0)) }
        previousLastDones[e] = rollout.dones[e * T + T - 1] ? 1 : 0
      }
      sawReset = sawReset || rollout.masks.contains(1)
      // Unrolling the whole rollout from its initial state gives the values recorded step by step.
      policy.preprocess(rollout.observations, into: &inputs)
      policy.network.forward(inputs, sequence: rollout.sequence)
      for (a, b) in zip(policy.network.values, rollout.values) { #expect(abs(a - b) <= 1e-5 * max(1, abs(b))) }
    }
    #expect(sawReset)
  }

  // MARK: - A2C

  @Test(arguments: [NetworkArchitecture.mlpLSTM, .mlpLayerNormLSTM])
  func a2cSameSeedIsBitIdentical(architecture: NetworkArchitecture) throws {
    func train(seed: UInt64) throws -> A2C {
      var configuration = A2CConfiguration()
      configuration.networkArchitecture = architecture
      let model = try A2C(environment: try noVelocityCartPole(seed: seed), configuration: configuration, seed: seed)
      try model.learn(totalTimesteps: 1_200)
      return model
    }
    let a = try train(seed: 2), b = try train(seed: 2), c = try train(seed: 3)
    #expect(a.parameters() == b.parameters())
    #expect(numbers(a.history) == numbers(b.history))
    #expect(a.episodes == b.episodes)
    #expect(a.parameters() != c.parameters())
    #expect(a.history.count == 1_200 / 40)
  }

  @Test(arguments: [
    Space.discrete(n: 2), .box(low: [-1], high: [1]), .multiDiscrete(nvec: [2, 3]), .multiBinary(n: 3),
  ])
  func a2cWithAnLSTMLearnsEveryActionSpace(actionSpace: Space) throws {
    var configuration = A2CConfiguration()
    configuration.learningRate = 3e-3
    configuration.entropyCoefficient = 0
    configuration.networkArchitecture = smallLSTM(layerNormalized: false, units: 32, shared: [32])
    let model = try A2C(environment: try cueEnvironment(actionSpace), configuration: configuration, seed: 0)
    try model.learn(totalTimesteps: 30_000)
    let first = model.episodes.prefix(40).map(\.episodeReturn).reduce(0, +) / 40
    let last = model.episodes.suffix(40).map(\.episodeReturn).reduce(0, +) / 40
    #expect(last > first + 1.5, "\(actionSpace): first \(first), last \(last)")
    #expect(last > 8)
  }

  @Test func memoryHelpsWhereTheRewardDependsOnThePreviousObservation() throws {
    // The reward is for repeating the bit shown one step earlier: a feed-forward policy cannot do
    // better than chance (4.5 of 9), the LSTM learns it through the masks and backpropagation
    // through the 5-step unroll.
    func train(_ architecture: NetworkArchitecture) throws -> Double {
      var configuration = A2CConfiguration()
      configuration.learningRate = 3e-3
      configuration.entropyCoefficient = 0
      configuration.networkArchitecture = architecture
      let model = try A2C(environment: try previousCueEnvironment(), configuration: configuration, seed: 0)
      try model.learn(totalTimesteps: 40_000)
      return model.episodes.suffix(100).map(\.episodeReturn).reduce(0, +) / 100
    }
    let recurrent = try train(smallLSTM(layerNormalized: false, units: 16, shared: [16]))
    let feedForward = try train(NetworkArchitecture(policy: [16], value: [16]))
    // Chance is 4.5 (s.d. of a 100-episode mean ≈ 0.15); the LSTM is well above it after 40k steps
    // (6.1 measured), the MLP stays at it.
    #expect(recurrent > 5.5, "LSTM last-100 mean \(recurrent) of 9")
    #expect(feedForward < 5.0, "MLP last-100 mean \(feedForward) of 9")
  }

  @Test func pretrainingARecurrentPolicyIsATypedError() throws {
    var configuration = A2CConfiguration()
    configuration.networkArchitecture = .mlpLSTM
    let model = try A2C(environment: try cartPole(count: 1), configuration: configuration, seed: 0)
    let dataset = try ExpertDataset(
      trajectories: try BehaviorCloningTargetTests.cartPoleExpert.get(), verbose: 0, seed: 0)
    #expect(throws: ConfigurationError.self) { try model.pretrain(dataset: dataset, epochs: 1) }
  }

  @Test func predictCarriesTheStateAndMasksResetIt() throws {
    var configuration = A2CConfiguration()
    configuration.networkArchitecture = .mlpLSTM
    let model = try A2C(environment: try noVelocityCartPole(count: 2), configuration: configuration, seed: 1)
    #expect(model.initialState == Matrix(rows: 2, columns: 512))
    let observation: [Float] = [0.01, -0.02, 0.03, 0.04]
    let (_, first) = try model.predict(observation: observation, state: nil, deterministic: true)
    #expect(first.rows == 2 && first.columns == 512 && first.elements.contains { $0 != 0 })
    let (_, second) = try model.predict(observation: observation, state: first, deterministic: true)
    #expect(second != first)
    // A mask resets the state before the step: the same as starting from the initial state.
    let (_, reset) = try model.predict(observation: observation, state: second, mask: [true, true], deterministic: true)
    #expect(reset == first)
    // Per observation: only the masked row is reset.
    let (_, partial) = try model.predict(observation: observation, state: second, mask: [true, false], deterministic: true)
    let (_, continued) = try model.predict(observation: observation, state: second, deterministic: true)
    #expect(partial.row(0) == first.row(0))
    #expect(partial.row(1) == continued.row(1) && partial.row(1) != first.row(1))
    #expect(throws: ConfigurationError.self) { try model.predict(observation: observation, state: Matrix(rows: 1, columns: 512)) }
    #expect(throws: ConfigurationError.self) { try model.predict(observation: observation, state: nil, mask: [true]) }
  }

  @Test func savedRecurrentModelsLoadWithTheirArchitecture() throws {
    var configuration = A2CConfiguration()
    configuration.networkArchitecture = .mlpLayerNormLSTM
    let model = try A2C(environment: try noVelocityCartPole(count: 2), configuration: configuration, seed: 5)
    try model.learn(totalTimesteps: 200)
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("acb-lstm-\(UUID().uuidString).acbm")
    defer { try? FileManager.default.removeItem(at: url) }
    try model.save(to: url)
    let loaded = try A2C.load(from: url)
    #expect(loaded.configuration.networkArchitecture == .mlpLayerNormLSTM)
    #expect(loaded.parameters() == model.parameters())
    let observation: [Float] = [0.1, 0.2, -0.1, 0.0]
    let a = try model.predict(observation: observation, state: nil, deterministic: true)
    let b = try loaded.predict(observation: observation, state: nil, deterministic: true)
    #expect(a.actions == b.actions && a.state == b.state)
  }

  // MARK: - ACKTR

  @Test(arguments: [false, true])
  func acktrTrainsRecurrentPoliciesReproducibly(layerNormalized: Bool) throws {
    // 32 units: K-FAC decomposes the LSTM's 4n × 4n gate factors every update (1024² for SB2's 256).
    let architecture = smallLSTM(layerNormalized: layerNormalized, units: 32, shared: [64, 64])
    func train(seed: UInt64) throws -> ACKTR {
      var configuration = ACKTRConfiguration()
      configuration.networkArchitecture = architecture
      let model = try ACKTR(environment: try noVelocityCartPole(seed: seed), configuration: configuration, seed: seed)
      try model.learn(totalTimesteps: 2_400)
      return model
    }
    // 15 updates of 8 × 20 steps: past the 10 cold-start updates, so K-FAC proper runs with the
    // LSTM's stacked factors (the recurrent ACKTR that crashes in SB2 #387 and OAB #147, #660).
    let a = try train(seed: 1), b = try train(seed: 1)
    #expect(a.parameters() == b.parameters())
    #expect(numbers(a.history) == numbers(b.history))
    #expect(a.history.count == 2_400 / 160)
    #expect(a.history.allSatisfy { $0.isFinite })
    #expect(a.history.last?.extras["trust_region_scale"] != nil)
    #expect(a.optimizer.blocks.contains { $0 is LSTMKroneckerBlock })
  }

  // MARK: - ACER

  @Test(arguments: [nil, ACERConfiguration.LSTMTrainingState.stored])
  func acerTrainsRecurrentPoliciesWithReplayReproducibly(start: ACERConfiguration.LSTMTrainingState?) throws {
    func train(seed: UInt64) throws -> ACER {
      var configuration = ACERConfiguration()
      configuration.networkArchitecture = smallLSTM(layerNormalized: false, units: 32, shared: [64, 64])
      configuration.replayStart = 40
      configuration.lstmTrainingState = start
      let model = try ACER(environment: try noVelocityCartPole(count: 4, seed: seed), configuration: configuration, seed: seed)
      try model.learn(totalTimesteps: 2_000)
      return model
    }
    let a = try train(seed: 3), b = try train(seed: 3)
    #expect(a.parameters() == b.parameters())
    #expect(numbers(a.history) == numbers(b.history))
    #expect(a.history.reduce(0) { $0 + ($1.extras["replay_updates"] ?? 0) } > 10)
    #expect(a.history.allSatisfy { $0.isFinite })
  }

  @Test func acerReplayKeepsEachSegmentsMasksAndInitialState() throws {
    let space = Space.box(low: [-1, -1], high: [1, 1])
    let buffer = ACERReplayBuffer(
      bufferSize: 6, environmentCount: 2, steps: 3, observationSpace: space, actionCount: 2, stateCount: 4)
    let stored = ACERBatch(environmentCount: 2, steps: 3, observationSpace: space, actionCount: 2, stateCount: 4)
    stored.masks = [1, 0, 0, 1, 0, 1, 0, 0]
    stored.initialStates = Matrix([[1, 2, 3, 4], [5, 6, 7, 8]])
    buffer.put(stored)
    let sampled = ACERBatch(environmentCount: 2, steps: 3, observationSpace: space, actionCount: 2, stateCount: 4)
    buffer.sample(into: sampled, random: RandomStream(seed: 1))
    #expect(sampled.masks == stored.masks)
    #expect(sampled.initialStates == stored.initialStates)
  }

  @Test func acerRolloutRecordsMasksAndTheStartingState() throws {
    let environment = try noVelocityCartPole(count: 2, seed: 8)
    let policy = try ActorCriticPolicy(
      observationSpace: environment.observationSpace, actionSpace: environment.actionSpace,
      architecture: smallLSTM(layerNormalized: true, units: 8), random: RandomStream(seed: 2))
    environment.reset()
    let T = 30
    let rollout = ACERRollout(
      environmentCount: 2, steps: T, observationSpace: environment.observationSpace, actionCount: 2,
      stateCount: policy.stateCount)
    let random = RandomStream(seed: 4)
    var lastDones: [Float] = [0, 0]
    for round in 0..<2 {
      _ = try rollout.collect(policy: policy, environment: environment, random: random) { _ in true }
      let batch = rollout.batch
      #expect(batch.initialStates.elements.contains { $0 != 0 } == (round > 0))
      for e in 0..<2 {
        // masks = [d_{−1}, d_0, …, d_{T−1}] (SB2 `mb_masks`).
        #expect(batch.masks[e * (T + 1)] == lastDones[e])
        for t in 0..<T { #expect(batch.masks[e * (T + 1) + t + 1] == (batch.dones[e * T + t] ? 1 : 0)) }
        lastDones[e] = batch.masks[e * (T + 1) + T]
      }
    }
  }
}
