import Environments
import LinearAlgebra
import NeuralNetwork
import Randomness
import Testing

@testable import ActorCritic

/// The observation contract end to end: raw observations of every space reach the network as
/// stable-baselines' `common/input.py` encodes them, and every algorithm learns from them.
@Suite struct ObservationContractTests {
  /// The defect this contract fixes: environments used to write Discrete observations one-hot while
  /// the policy read one index per row. Now a Discrete observation is one int64 index, one-hot
  /// encoded by the policy, and A2C, ACKTR and ACER all learn the cue from it (a random policy
  /// earns 5 ± 1.6 per 10-step episode, so a last-40 mean above 7 is 8 standard errors above it;
  /// one that reads the cue earns 10).
  @Test(arguments: ["a2c", "acktr", "acer"], [CueObservation.discrete, .multiDiscrete, .multiBinary])
  func everyAlgorithmLearnsFromDiscreteObservationSpaces(algorithm: String, cue: CueObservation) throws {
    let env = try cueEnvironment(.discrete(n: 2), cue: cue, count: 8)
    let model: any ActorCriticModel
    switch algorithm {
    case "a2c":
      var c = A2CConfiguration()
      c.learningRate = 3e-3
      c.entropyCoefficient = 0
      model = try A2C(environment: env, configuration: c, seed: 1)
    case "acktr":
      model = try ACKTR(environment: env, configuration: ACKTRConfiguration(), seed: 1)
    default:
      var c = ACERConfiguration()
      c.replayStart = 100
      c.learningRate = 3e-3
      model = try ACER(environment: env, configuration: c, seed: 1)
    }
    #expect(model.policy.inputCount == env.observationSpace.flatDimension)
    try model.learn(totalTimesteps: 30_000)
    let last = model.episodes.suffix(40).map(\.episodeReturn).reduce(0, +) / 40
    #expect(last > 7, "\(algorithm) on \(env.observationSpace): last-40 mean \(last)")
  }

  /// One-hot rows for indices (a zero row for an index outside the space, as `tf.one_hot`),
  /// concatenated one-hots for MultiDiscrete, casts for MultiBinary and Box.
  @Test func preprocessingEncodesEachSpaceAsStableBaselines() throws {
    func inputs(_ space: Space, _ raw: ObservationBuffer) throws -> [Float] {
      let policy = try ActorCriticPolicy(
        observationSpace: space, actionSpace: .discrete(n: 2), architecture: .stableBaselines,
        random: RandomStream(seed: 1))
      var matrix = Matrix(rows: 0, columns: 0)
      policy.preprocess(raw, into: &matrix)
      #expect(matrix.rows == raw.count && matrix.columns == space.flatDimension)
      return matrix.elements
    }
    #expect(
      try inputs(.discrete(n: 3), ObservationBuffer([Int64(2), 0, 3, -1], elementsPerObservation: 1))
        == [0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0])
    #expect(
      try inputs(.multiDiscrete(nvec: [2, 3]), ObservationBuffer([Int64(1), 2, 0, 0], elementsPerObservation: 2))
        == [0, 1, 0, 0, 1, 1, 0, 1, 0, 0])
    #expect(try inputs(.multiBinary(n: 3), ObservationBuffer([Int8(1), 0, 1], elementsPerObservation: 3)) == [1, 0, 1])
    // MLP policies never scale, even uint8 boxes (SB2 scales only for CNN feature extraction).
    let frames = Space.box(low: 0, high: 255, shape: [1, 2, 1], dtype: .uint8)
    #expect(try inputs(frames, ObservationBuffer([UInt8(255), 7], elementsPerObservation: 2)) == [255, 7])
    // The same observation given as other element types predicts the same action.
    let policy = try ActorCriticPolicy(
      observationSpace: .discrete(n: 3), actionSpace: .discrete(n: 4), architecture: .stableBaselines,
      random: RandomStream(seed: 2))
    let fromInt = try policy.actionProbability(observations: [Int64(1), 2])
    let fromFloat = try policy.actionProbability(observations: [Float(1), 2])
    #expect(fromInt == fromFloat)
  }

  /// SB2 `scale=True`: `(x − low)/(high − low)` in float32 — a division by 255 for frames, not a
  /// multiplication by 1/255 (they differ in the last bit for some pixels) — and no scaling when a
  /// bound is infinite or every `high = low`.
  @Test func imageScalingDividesByTheRange() throws {
    // Every pixel value through a CNN policy's own preprocessing.
    let frames = Space.box(low: 0, high: 255, shape: [16, 16, 1], dtype: .uint8)
    let oneByOne = NetworkArchitecture(
      policy: [], value: [],
      featureExtractor: .convolutional(
        ConvolutionalFeatures(convolutions: [.init(filters: 1, kernel: 1, stride: 1)], hidden: 1)))
    let policy = try ActorCriticPolicy(
      observationSpace: frames, actionSpace: .discrete(n: 2), architecture: oneByOne, random: RandomStream(seed: 3))
    #expect(policy.scalesObservations)
    var inputs = Matrix(rows: 0, columns: 0)
    policy.preprocess(ObservationBuffer((0...255).map { UInt8($0) }, elementsPerObservation: 256), into: &inputs)
    var differsFromReciprocal = false
    for x in 0...255 {
      #expect(inputs.elements[x].bitPattern == (Float(x) / 255).bitPattern)
      differsFromReciprocal = differsFromReciprocal || inputs.elements[x] != Float(x) * (1 / Float(255))
    }
    #expect(differsFromReciprocal)
    let scaling = try #require(ActorCriticPolicy.ImageScaling(space: frames))
    #expect(scaling.ranges.allSatisfy { $0 == 255 } && scaling.offsets.allSatisfy { $0 == 0 })
    #expect(ActorCriticPolicy.ImageScaling(space: .box(low: [-.infinity, 0], high: [1, 1])) == nil)
    #expect(ActorCriticPolicy.ImageScaling(space: .box(low: [2, 2], high: [2, 2])) == nil)
    let shifted = try #require(ActorCriticPolicy.ImageScaling(space: .box(low: [-1, 10], high: [1, 14])))
    #expect(shifted.offsets == [-1, 10] && shifted.ranges == [2, 4])
  }

  /// A `uint8` space with one `low` and one `high` is scaled through a 256-entry table; the table
  /// holds exactly the per-component formula's floats, and bounds that differ between components
  /// take the per-component path.
  @Test func byteTableGivesThePerComponentFloats() throws {
    let frames = try #require(ActorCriticPolicy.ImageScaling(space: .box(low: 0, high: 255, shape: [4], dtype: .uint8)))
    #expect(try #require(frames.byteTable).map(\.bitPattern) == (0...255).map { (Float($0) / 255).bitPattern })
    let uniform = Space.box(low: 3, high: 200, shape: [16, 16, 1], dtype: .uint8)
    let mixed = Space.box(low: [0, 10], high: [255, 20], shape: [2], dtype: .uint8)
    #expect(ActorCriticPolicy.ImageScaling(space: mixed)?.byteTable == nil)
    #expect(ActorCriticPolicy.ImageScaling(space: .box(low: [0, 0], high: [255, 255]))?.byteTable == nil)  // float32
    let table = try #require(ActorCriticPolicy.ImageScaling(space: uniform)?.byteTable)
    #expect(table.map(\.bitPattern) == (0...255).map { ((Float($0) - 3) / 197).bitPattern })

    let oneByOne = NetworkArchitecture(
      policy: [], value: [],
      featureExtractor: .convolutional(
        ConvolutionalFeatures(convolutions: [.init(filters: 1, kernel: 1, stride: 1)], hidden: 1)))
    var inputs = Matrix(rows: 0, columns: 0)
    let policy = try ActorCriticPolicy(
      observationSpace: uniform, actionSpace: .discrete(n: 2), architecture: oneByOne, random: RandomStream(seed: 3))
    policy.preprocess(ObservationBuffer((0...255).map { UInt8($0) }, elementsPerObservation: 256), into: &inputs)
    #expect(inputs.elements.map(\.bitPattern) == table.map(\.bitPattern))
  }
}
