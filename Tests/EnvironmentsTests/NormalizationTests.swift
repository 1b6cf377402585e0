import Environments
import Foundation
import Randomness
import Testing

/// A vector environment that replays scripted raw batches, to feed SB2 traces through
/// `NormalizedVectorEnvironment`.
final class ScriptedVectorEnvironment: VectorizedEnvironment {
  let count: Int
  let observationSize: Int
  let environmentID = "Scripted"
  var observationSpace: Space {
    .box(
      low: .init(repeating: -1e9, count: observationSize),
      high: .init(repeating: 1e9, count: observationSize))
  }
  let actionSpace: Space = .discrete(n: 2)
  let actionDimension = 1
  let observations: ObservationBuffer
  var terminalObservations: ObservationBuffer { observations }
  var rewards: [Float]
  var dones: [Bool]
  var terminated: [Bool] { dones }
  var truncated: [Bool] { [Bool](repeating: false, count: count) }
  let completedEpisodes: [EpisodeRecord] = []
  let monitor = EpisodeMonitor()
  var resetBatch: [Float] = []
  var script: [(observations: [Float], rewards: [Float], dones: [Bool])] = []
  private var next = 0

  init(count: Int, observationSize: Int) {
    self.count = count
    self.observationSize = observationSize
    observations = ObservationBuffer(elementType: .float32, elementsPerObservation: observationSize, count: count)
    rewards = .init(repeating: 0, count: count)
    dones = .init(repeating: false, count: count)
  }

  func reset() { write(resetBatch) }

  func step(_ actions: [Double]) {
    let (batch, rewards, dones) = script[next]
    write(batch)
    self.rewards = rewards
    self.dones = dones
    next += 1
  }

  private func write(_ batch: [Float]) {
    let target = observations.typedElements(as: Float.self)
    for i in batch.indices { target[i] = batch[i] }
  }
}

@Suite struct NormalizationTests {
  /// Replays SB2 VecNormalize traces (NumPy re-implementation in the fixture script) bit for bit:
  /// normalised observations and rewards, and every running statistic after every step.
  @Test func vecNormalizeTracesMatchSB2Exactly() throws {
    let fixture = try Fixtures.load("vec_normalize.json", as: NormalizationFixture.self)
    #expect(fixture.traces.count == 5)
    for (t, trace) in fixture.traces.enumerated() {
      let scripted = ScriptedVectorEnvironment(count: trace.n_envs, observationSize: trace.obs_dim)
      scripted.resetBatch = Fixtures.floats(trace.reset_obs)
      scripted.script = trace.steps.map { (Fixtures.floats($0.obs), Fixtures.floats($0.rews), $0.dones) }
      let configuration = NormalizationConfiguration(
        normalizeObservations: trace.norm_obs, normalizeRewards: trace.norm_reward,
        gamma: Fixtures.double(trace.gamma))
      let normalized = try NormalizedVectorEnvironment(wrapping: scripted, configuration: configuration)
      normalized.reset()
      let resetObservations = Fixtures.doubles(trace.reset_out_obs).map { Float($0) }
      #expect(normalized.observations.floats() == resetObservations, "trace \(t) reset")
      let actions = [Double](repeating: 0, count: trace.n_envs)
      for (s, step) in trace.steps.enumerated() {
        normalized.training = step.training
        try normalized.step(actions)
        let statistics = normalized.statistics
        let context = "trace \(t) step \(s)"
        #expect(normalized.observations.floats() == Fixtures.doubles(step.out_obs).map { Float($0) }, "\(context) obs")
        #expect(normalized.rewards == Fixtures.doubles(step.out_rews).map { Float($0) }, "\(context) rewards")
        #expect(statistics.observation.mean == Fixtures.doubles(step.obs_mean), "\(context) obs mean")
        #expect(statistics.observation.variance == Fixtures.doubles(step.obs_var), "\(context) obs var")
        #expect(statistics.observation.count == Fixtures.double(step.obs_count), "\(context) obs count")
        #expect(statistics.discountedReturn.mean == [Fixtures.double(step.ret_mean)], "\(context) ret mean")
        #expect(statistics.discountedReturn.variance == [Fixtures.double(step.ret_var)], "\(context) ret var")
        #expect(statistics.discountedReturn.count == Fixtures.double(step.ret_count), "\(context) ret count")
        #expect(normalized.originalObservations.floats() == Fixtures.floats(step.obs))
        #expect(normalized.originalRewards == Fixtures.floats(step.rews))
      }
    }
  }

  /// The parallel-variance merge against numbers worked out by hand.
  @Test func runningMeanStdMatchesAHandComputation() {
    var rms = RunningMeanStd(dimension: 2)
    #expect(rms.mean == [0, 0] && rms.variance == [1, 1] && rms.count == 1e-4)
    // Batch [[1, 10], [3, 14]]: mean (2, 12), variance (1, 4), n = 2.
    let batch: [Float] = [1, 10, 3, 14]
    batch.withUnsafeBufferPointer { rms.update($0, rows: 2) }
    let c = 1e-4, n = 2.0
    func expected(_ mu: Double, _ sigma2: Double) -> (Double, Double) {
      let delta = mu - 0
      let mean = 0 + delta * n / (c + n)
      let m2 = 1 * c + sigma2 * n + delta * delta * c * n / (c + n)
      return (mean, m2 / (c + n))
    }
    let (m0, v0) = expected(2, 1), (m1, v1) = expected(12, 4)
    #expect(rms.mean == [m0, m1] && rms.variance == [v0, v1] && rms.count == n + c)
    // ≈ (1.9999, 11.9994) and (1.0001…, 4.0070…): the prior of weight 1e-4 barely matters.
    #expect(abs(rms.mean[1] - 11.9994) < 1e-4 && abs(rms.variance[1] - 4.00699) < 1e-4)

    // A second batch of one row: batch variance 0.
    let second: [Double] = [5, -2]
    second.withUnsafeBufferPointer { rms.update($0, rows: 1) }
    let total = n + c + 1
    #expect(abs(rms.mean[0] - (m0 * (n + c) + 5) / total) < 1e-12)
    #expect(abs(rms.mean[1] - (m1 * (n + c) - 2) / total) < 1e-12)
    #expect(rms.count == 1 + (n + c))
  }

  /// Evaluation mode freezes the statistics but still normalises with them; the monitor and the
  /// done flags are the raw environment's.
  @Test func trainingFlagFreezesStatistics() throws {
    let vector = try VectorEnvironment(id: "CartPole-v1", count: 4, seeds: SeedSequence(runSeed: 21))
    let normalized = try NormalizedVectorEnvironment(wrapping: vector)
    normalized.reset()
    let actionStream = RandomStream(seed: 2)
    func randomActions() -> [Double] { (0..<4).map { _ in Double(actionStream.uniformInt(below: 2)) } }
    for _ in 0..<200 { try normalized.step(randomActions()) }
    #expect(normalized.monitor == vector.monitor && normalized.monitor.episodeCount > 5)
    #expect(normalized.dones == vector.dones)
    // Raw CartPole rewards are 1; normalised ones are 1/σ_ret.
    let trained = normalized.statistics
    #expect(abs(trained.observation.count - 800.0001) < 1e-9)
    #expect(normalized.rewards.allSatisfy { $0 != 1 && $0 > 0 })

    normalized.training = false
    for _ in 0..<50 {
      try normalized.step(randomActions())
      #expect(normalized.statistics == trained)
      let expected = vector.observations.floats().enumerated().map { k, x -> Float in
        let j = k % 4
        let deviation = Double(x) - trained.observation.mean[j]
        let z = deviation / (trained.observation.variance[j] + 1e-8).squareRoot()
        return Float(min(max(z, -10), 10))
      }
      #expect(normalized.observations.floats() == expected)
      let scale = Float((trained.discountedReturn.variance[0] + 1e-8).squareRoot())
      #expect(normalized.rewards.allSatisfy { $0 == Float(1) / scale })
    }
    normalized.reset()
    #expect(normalized.statistics == trained)
    #expect(normalized.discountedReturns == [0, 0, 0, 0])
  }

  @Test func statisticsRoundTripThroughCodableAndLoadIntoAFreshWrapper() throws {
    let seeds = SeedSequence(runSeed: 4)
    let training = try NormalizedVectorEnvironment(
      wrapping: try VectorEnvironment(id: "Pendulum-v1", count: 2, seeds: seeds))
    training.reset()
    for t in 0..<30 { try training.step([Double(t % 5) - 2, 1.5]) }
    let data = try JSONEncoder().encode(training.statistics)
    let decoded = try JSONDecoder().decode(NormalizationStatistics.self, from: data)
    #expect(decoded == training.statistics)

    let evaluation = try NormalizedVectorEnvironment(
      wrapping: try VectorEnvironment(id: "Pendulum-v1", count: 2, seeds: seeds), training: false)
    try evaluation.loadStatistics(decoded)
    evaluation.reset()
    for t in 0..<10 { try evaluation.step([Double(t % 3) - 1, -0.5]) }
    #expect(evaluation.statistics == decoded)
    var expected = [Float](repeating: 0, count: 6)
    evaluation.originalObservations.floats().withUnsafeBufferPointer { raw in
      expected.withUnsafeMutableBufferPointer {
        decoded.normalizeObservations(raw, into: $0, configuration: evaluation.configuration)
      }
    }
    #expect(evaluation.observations.floats() == expected)
    #expect(evaluation.observations.floats() != evaluation.originalObservations.floats())

    let wrongSize = NormalizationStatistics(observationSize: 4)
    #expect(
      throws: EnvironmentError.incompatibleStatistics(field: "observation", expected: 3, actual: 4)
    ) { try evaluation.loadStatistics(wrongSize) }
    #expect(
      EnvironmentError.incompatibleStatistics(field: "observation", expected: 3, actual: 4).description
        == "incompatible normalization statistics: observation has dimension 4, the environment needs 3")
  }

  @Test func configurationDefaultsAndValidation() throws {
    let defaults = NormalizationConfiguration()
    #expect(defaults.normalizeObservations && defaults.normalizeRewards)
    #expect(defaults.clipObservation == 10 && defaults.clipReward == 10)
    #expect(defaults.gamma == 0.99 && defaults.epsilon == 1e-8)
    let vector = try VectorEnvironment(id: "CartPole-v1", count: 1, seeds: SeedSequence(runSeed: 0))
    #expect(
      throws: EnvironmentError.invalidNormalization(field: "gamma", reason: "must be in [0, 1], got 1.5")
    ) { try NormalizedVectorEnvironment(wrapping: vector, configuration: .init(gamma: 1.5)) }
    #expect(
      throws: EnvironmentError.invalidNormalization(
        field: "clipObservation", reason: "must be finite and > 0, got -1.0")
    ) { try NormalizedVectorEnvironment(wrapping: vector, configuration: .init(clipObservation: -1)) }
  }
}
