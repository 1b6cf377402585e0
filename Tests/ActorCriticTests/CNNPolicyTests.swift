import Environments
import Foundation
import LinearAlgebra
import NeuralNetwork
import Randomness
import Testing

@testable import ActorCritic

/// Tiny uint8 images that show the cue: every pixel is 255 when the sign is positive, 0 otherwise
/// (`H×W×1`), for CNN policies that must learn from pixels.
final class CueImageEnvironment: Environment {
  let id = "CueImage"
  let observationSpace = Space.box(low: 0, high: 255, shape: [8, 8, 2], dtype: .uint8)
  let actionSpace = Space.discrete(n: 2)
  let maxEpisodeSteps: Int? = 10
  var elapsedSteps = 0
  fileprivate var sign = 1.0
  fileprivate let random: RandomStream

  init(seed: UInt32) { random = RandomStream(seed: seed) }

  var state: [Double] {
    get { [sign] }
    set { sign = newValue[0] }
  }

  func reset(using random: RandomStream, into observation: UnsafeMutableRawBufferPointer) {
    elapsedSteps = 0
    sign = self.random.uniform() < 0.5 ? -1 : 1
    writeObservation(into: observation)
  }

  func step(_ action: UnsafeBufferPointer<Double>, into observation: UnsafeMutableRawBufferPointer) -> StepOutcome {
    let reward: Double = (action[0] == 1) == (sign > 0) ? 1 : 0
    elapsedSteps += 1
    sign = random.uniform() < 0.5 ? -1 : 1
    writeObservation(into: observation)
    return StepOutcome(reward: reward, terminated: false, truncated: elapsedSteps >= 10)
  }

  func writeObservation(into observation: UnsafeMutableRawBufferPointer) {
    // A noisy half of the pixels carries the cue, the other half is a fixed texture.
    for k in 0..<observation.count { observation[k] = k % 2 == 0 ? (sign > 0 ? 255 : 0) : UInt8((k * 29) % 256) }
  }
}

/// The cue environment's complete state (sign, step count, and its own sign stream), so that CNN
/// runs can be checkpointed and resumed exactly.
extension CueImageEnvironment: StateCapturingEnvironment {
  func captureState(into writer: inout BinaryStateWriter) {
    writer.write(sign)
    writer.write(elapsedSteps)
    writer.write(bytes: random.state)
  }

  func restoreState(from reader: inout BinaryStateReader) throws(BinaryStateError) {
    sign = try reader.readDouble("CueImage.sign")
    elapsedSteps = try reader.readInt("CueImage.elapsedSteps")
    try random.restoreState(try reader.readBytes("CueImage.random"), field: "CueImage.random")
  }
}

func cueImages(count: Int = 4, seed: UInt64 = 0) throws -> VectorEnvironment {
  try VectorEnvironment(
    environments: (0..<count).map { CueImageEnvironment(seed: UInt32(seed) * 100 + UInt32($0)) },
    seeds: SeedSequence(runSeed: seed))
}

/// A small CNN for the 8×8 test images: conv 4 3×3/1 → conv 4 2×2/2 → fc 16.
let tinyCNN = NetworkArchitecture(
  policy: [], value: [],
  featureExtractor: .convolutional(
    ConvolutionalFeatures(
      convolutions: [.init(filters: 4, kernel: 3, stride: 1), .init(filters: 4, kernel: 2, stride: 2)], hidden: 16)))

/// ``tinyCNN`` with an 8-unit LSTM on its features (a recurrent CNN policy, CnnLstm-shaped).
let tinyRecurrentCNN = NetworkArchitecture(
  policy: [], value: [], featureExtractor: tinyCNN.featureExtractor,
  recurrent: RecurrentCell(units: 8, layerNormalized: false))

@Suite struct CNNPolicyTests {
  /// SB2 `CnnPolicy`'s checkpoint: names, shapes (the conv bias as `[1, c, 1, 1]`), creation order.
  @Test func natureCNNHasStableBaselinesVariables() throws {
    let policy = try ActorCriticPolicy(
      observationSpace: .box(low: 0, high: 255, shape: [84, 84, 4], dtype: .uint8), actionSpace: .discrete(n: 6),
      architecture: .natureCNN, random: RandomStream(seed: 0))
    let variables = policy.network.parameters.map { "\($0.name) \($0.shape)" }
    #expect(
      variables == [
        "model/c1/w:0 [8, 8, 4, 32]", "model/c1/b:0 [1, 32, 1, 1]", "model/c2/w:0 [4, 4, 32, 64]",
        "model/c2/b:0 [1, 64, 1, 1]", "model/c3/w:0 [3, 3, 64, 64]", "model/c3/b:0 [1, 64, 1, 1]",
        "model/fc1/w:0 [3136, 512]", "model/fc1/b:0 [512]", "model/vf/w:0 [512, 1]", "model/vf/b:0 [1]",
        "model/pi/w:0 [512, 6]", "model/pi/b:0 [6]", "model/q/w:0 [512, 6]", "model/q/b:0 [6]",
      ])
    #expect(policy.scalesObservations)
    // Orthogonal with gain √2: the flat c1 kernel [256, 32] has orthogonal columns of norm² 2.
    let c1 = policy.network.parameters[0].value
    var gram = Matrix(rows: 32, columns: 32)
    gemm(c1, c1, into: &gram, transposeA: .transposed)
    for i in 0..<32 { for j in 0..<32 { #expect(abs(gram[i, j] - (i == j ? 2 : 0)) < 1e-4) } }
    let paper = try ActorCriticPolicy(
      observationSpace: .box(low: 0, high: 255, shape: [84, 84, 4], dtype: .uint8), actionSpace: .discrete(n: 6),
      architecture: .acktrPaperCNN, random: RandomStream(seed: 0))
    #expect(paper.network.parameters.map(\.shape)[4...6] == [[3, 3, 64, 32], [1, 32, 1, 1], [1568, 512]])
    let minAtar = try ActorCriticPolicy(
      observationSpace: .box(low: 0, high: 1, shape: [10, 10, 4], dtype: .uint8), actionSpace: .discrete(n: 6),
      architecture: .minAtarCNN, random: RandomStream(seed: 0))
    #expect(minAtar.network.parameters.map(\.shape)[0...3] == [[3, 3, 4, 16], [1, 16, 1, 1], [1024, 128], [128]])
  }

  /// A CNN needs an image: a clear error for a vector space or a kernel larger than the image.
  @Test func cnnPoliciesRefuseSpacesTheyDoNotFit() {
    #expect(throws: ConfigurationError.self) {
      _ = try ActorCriticPolicy(
        observationSpace: .box(low: [0, 0], high: [1, 1]), actionSpace: .discrete(n: 2), architecture: .natureCNN,
        random: RandomStream(seed: 0))
    }
    #expect(
      throws: ConfigurationError.invalidValue(
        field: "cnn.convolutions[0].kernel", value: "8", allowed: "at most the 5×5 input of that layer (VALID padding)")
    ) {
      _ = try ActorCriticPolicy(
        observationSpace: .box(low: 0, high: 255, shape: [5, 5, 1], dtype: .uint8), actionSpace: .discrete(n: 2),
        architecture: .natureCNN, random: RandomStream(seed: 0))
    }
  }

  /// Same seed twice: bit-identical parameters and episodes for CNN runs of every algorithm
  /// (the ÷255 scaling itself is checked in `ObservationContractTests`).
  @Test(arguments: ["a2c", "acktr", "acer"])
  func sameSeedCNNRunsAreBitIdentical(algorithm: String) throws {
    func run() throws -> ([Float], [Double]) {
      let model = try makeModel(algorithm, environment: try cueImages(), seed: 3)
      try model.learn(totalTimesteps: 800)
      return (model.policy.network.parameters.flattenedValues, model.episodes.map(\.episodeReturn))
    }
    let (a, episodesA) = try run()
    let (b, episodesB) = try run()
    #expect(a == b && episodesA == episodesB && !episodesA.isEmpty)
  }

  /// CNN policies learn from pixels: the cue is only visible in the image.
  @Test(arguments: ["a2c", "acktr", "acer"])
  func cnnPoliciesLearnTheImageCue(algorithm: String) throws {
    let model = try makeModel(algorithm, environment: try cueImages(count: 8), seed: 1)
    try model.learn(totalTimesteps: 20_000)
    let last = model.episodes.suffix(40).map(\.episodeReturn).reduce(0, +) / 40
    #expect(last > 7, "\(algorithm): last-40 mean \(last) (random ≈ 5)")
  }

  /// Save and load keep the CNN architecture and every parameter.
  @Test func cnnModelsRoundTripThroughModelFiles() throws {
    let model = try makeModel("acktr", environment: try cueImages(), seed: 2)
    try model.learn(totalTimesteps: 400)
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("cnn-\(UUID().uuidString).acbm")
    defer { try? FileManager.default.removeItem(at: url) }
    try (model as! ACKTR).save(to: url)
    let loaded = try ACKTR.load(from: url)
    #expect(loaded.configuration.networkArchitecture == tinyCNN)
    #expect(loaded.policy.network.parameters.flattenedValues == model.policy.network.parameters.flattenedValues)
    let frame = [UInt8](repeating: 255, count: 128)
    #expect(try loaded.actionProbability(observation: frame) == (try model.actionProbability(observation: frame)))
  }

  private func makeModel(_ algorithm: String, environment: VectorEnvironment, seed: UInt64) throws -> any ActorCriticModel {
    switch algorithm {
    case "a2c":
      var c = A2CConfiguration()
      c.networkArchitecture = tinyCNN
      c.learningRate = 2e-3
      return try A2C(environment: environment, configuration: c, seed: seed)
    case "acktr":
      var c = ACKTRConfiguration()
      c.networkArchitecture = tinyCNN
      return try ACKTR(environment: environment, configuration: c, seed: seed)
    default:
      var c = ACERConfiguration()
      c.networkArchitecture = tinyCNN
      c.replayStart = 100
      c.learningRate = 2e-3
      return try ACER(environment: environment, configuration: c, seed: seed)
    }
  }
}
