import Environments
import Foundation
import LinearAlgebra
import NeuralNetwork

/// The stable-baselines model API, shared by ``A2C``, ``ACKTR`` and ``ACER``.
///
/// ```swift
/// let env = try VectorEnvironment(id: "CartPole-v1", count: 8, seeds: SeedSequence(runSeed: 0))
/// let model = try A2C(environment: env, configuration: config, seed: 0)
/// try model.learn(totalTimesteps: 500_000)
/// let action = try model.predict(observation: obs, deterministic: true)
/// try model.save(to: URL(fileURLWithPath: "cartpole.acbm"))
/// ```
public protocol ActorCriticModel: AnyObject {
  /// The name used in files and on the command line (`a2c`, `acktr`, `acer`).
  static var algorithmName: String { get }
  /// The action spaces the algorithm supports, for error messages.
  static var supportedActionSpaces: String { get }
  /// The policy.
  var policy: ActorCriticPolicy { get }
  /// The run seed the random streams derive from (changed by ``setRandomSeed(_:)``).
  var seed: UInt64 { get }
  /// 0 silent, 1 prints SB2's training table and pretraining lines (SB2 `verbose`).
  var verbose: Int { get }
  /// Training state (steps, episodes, history, environment).
  var state: TrainingState { get }
  /// The hyperparameters as JSON under their SB2 names.
  var configurationJSON: Data { get throws }
  /// Named state beyond the parameters that resuming needs (optimiser slots, K-FAC statistics,
  /// ACER's average network), each encoded by the algorithm in the current model-file encoding
  /// (``ModelArchive/encodeSlots(_:)``, ``ModelArchive/encodeKFAC(_:)``).
  func optimizerState() throws -> [String: Data]
  /// Restores what ``optimizerState()`` returned, or what a model file of an older format
  /// version stored (`encoding` `.json`).
  ///
  /// - Throws: ``ModelFileError`` when a blob is corrupt, has other shapes than the live
  ///   optimiser's or (binary) non-finite values.
  func restoreOptimizerState(_ state: [String: Data], encoding: ModelArchive.OptimizerStateEncoding) throws
  /// Builds an untrained model from a saved configuration.
  static func make(configurationJSON: Data, observationSpace: Space, actionSpace: Space, seed: UInt64) throws -> Self
  /// Attaches an environment with the model's spaces (SB2 `set_env`).
  ///
  /// - Throws: ``ConfigurationError/environmentMismatch(field:model:environment:)`` when its
  ///   observation or action space differs from the model's.
  func setEnvironment(_ environment: any VectorizedEnvironment) throws
  /// Re-derives every random stream of the model (action sampling, `predict`, ACKTR's Fisher
  /// noise, ACER's replay sampling) from `seed` (SB2 `set_random_seed`); `nil` changes nothing.
  ///
  /// Deviation: SB2 also calls `env.seed(seed)`. Our environments take their seeds when they are
  /// built (`VectorEnvironment(id:count:seeds:)`), so the attached environment keeps its streams;
  /// build it with `SeedSequence(runSeed: seed)` to seed it too.
  func setRandomSeed(_ seed: UInt64?)
  /// SB2's default `tb_log_name` (`A2C`, `ACKTR`, `ACER`).
  static var defaultTensorBoardLogName: String { get }
  /// Trains (SB2 `learn`).
  func learn(
    totalTimesteps: Int, callback: (any TrainingCallback)?, logInterval: Int, tbLogName: String,
    resetNumTimesteps: Bool) throws
}

extension ActorCriticModel {
  /// Trains with SB2's defaults for the optional arguments.
  public func learn(totalTimesteps: Int) throws {
    try learn(
      totalTimesteps: totalTimesteps, callback: nil, logInterval: 100, tbLogName: Self.defaultTensorBoardLogName,
      resetNumTimesteps: true)
  }

  /// Trains with the algorithm's default TensorBoard run name.
  public func learn(
    totalTimesteps: Int, callback: (any TrainingCallback)?, logInterval: Int, resetNumTimesteps: Bool
  ) throws {
    try learn(
      totalTimesteps: totalTimesteps, callback: callback, logInterval: logInterval,
      tbLogName: Self.defaultTensorBoardLogName, resetNumTimesteps: resetNumTimesteps)
  }

  /// The folder TensorBoard runs are written under (SB2 `tensorboard_log`); see
  /// ``TrainingState/tensorboardLog``.
  public var tensorboardLog: URL? {
    get { state.tensorboardLog }
    set { state.tensorboardLog = newValue }
  }

  /// Where SB2's table goes at `verbose ≥ 1`; see ``TrainingState/logger``.
  public var logger: Logger {
    get { state.logger }
    set { state.logger = newValue }
  }

  /// Environment steps taken so far.
  public var timesteps: Int { state.timesteps }

  /// The completed training episodes.
  public var episodes: [EpisodeSummary] { state.episodes.episodes }

  /// Metrics of every update so far.
  public var history: [UpdateMetrics] { state.history }

  /// The attached environment (SB2 `get_env`), `nil` for a model loaded without one.
  public var environment: (any VectorizedEnvironment)? { state.environment }

  /// Every parameter of the model as live tensors, in checkpoint order (SB2
  /// `get_parameter_list`: the variables saving and loading cover).
  public var parameterList: [Parameter] { policy.network.parameters }

  /// Chooses actions for one or more raw observations (SB2 `predict`).
  ///
  /// - Parameters:
  ///   - observation: one observation, or several concatenated, in any observation element type
  ///     (`[Float]` for classic control, `[UInt8]` for frames, `[Int64]` for discrete indices).
  ///   - deterministic: the most likely action instead of a sample.
  /// - Returns: environment actions, `actionDimension` per observation; Box actions clipped.
  public func predict<T: ObservationElement>(observation: [T], deterministic: Bool = false) throws -> [Double] {
    try policy.predict(observations: observation, deterministic: deterministic, random: state.predictionRandom)
  }

  /// Chooses actions for every observation of a buffer, e.g. a vector environment's current
  /// observations (SB2 `predict` on `env.reset()`'s array).
  public func predict(observations: ObservationBuffer, deterministic: Bool = false) throws -> [Double] {
    try policy.predict(observations: observations, deterministic: deterministic, random: state.predictionRandom)
  }

  /// Chooses actions with a recurrent state (SB2 `predict(observation, state, mask, deterministic)`).
  ///
  /// - Parameters:
  ///   - observation: one or more observations concatenated, as for ``predict(observation:deterministic:)``.
  ///   - state: the state returned by the previous call, `[B, 2·n_lstm]`, or `nil` for
  ///     ``initialState(count:)``.
  ///   - mask: per observation, whether an episode begins there (the state is reset first), or `nil`.
  /// - Returns: the actions and the new state to pass to the next call (a feed-forward policy
  ///   ignores the state and returns one without columns, as SB2 returns `None`).
  public func predict<T: ObservationElement>(
    observation: [T], state: Matrix?, mask: [Bool]? = nil, deterministic: Bool = false
  ) throws -> (actions: [Double], state: Matrix) {
    try policy.predict(
      observations: observation, state: state, masks: mask, deterministic: deterministic,
      random: self.state.predictionRandom)
  }

  /// The zero state of `count` environments, `[count, 2·n_lstm]` (SB2 `initial_state`; no columns
  /// for a feed-forward policy).
  public func initialState(count: Int) -> Matrix { policy.initialState(count: count) }

  /// The zero state of the attached environment's copies (one when there is none): SB2's
  /// `initial_state`, `[n_envs, 2·n_lstm]`.
  public var initialState: Matrix { policy.initialState(count: self.state.environment?.count ?? 1) }

  /// The action distribution for one or more raw observations (SB2 `action_probability`).
  public func actionProbability<T: ObservationElement>(observation: [T]) throws -> Matrix {
    try policy.actionProbability(observations: observation)
  }

  /// Every parameter by its stable-baselines name (`model/pi_fc0/w:0`), in checkpoint order.
  public func parameters() -> [NamedParameter] {
    policy.network.parameters.map { NamedParameter(name: $0.name, shape: $0.shape, values: $0.value.elements) }
  }

  /// Loads parameters by name (SB2 `load_parameters`).
  ///
  /// - Parameters:
  ///   - exactMatch: require every model parameter to be given (SB2 `exact_match`, default true).
  /// - Throws: ``ModelFileError`` for an unknown name, a wrong shape, or missing names.
  public func loadParameters(_ parameters: [NamedParameter], exactMatch: Bool = true) throws {
    let own = Dictionary(uniqueKeysWithValues: policy.network.parameters.map { ($0.name, $0) })
    var seen = Set<String>()
    for p in parameters {
      guard let target = own[p.name] else { throw ModelFileError.unexpectedParameter(name: p.name) }
      guard target.shape == p.shape, p.values.count == target.count else {
        throw ModelFileError.shapeMismatch(name: p.name, expected: target.shape, found: p.shape)
      }
      guard p.values.allSatisfy(\.isFinite) else { throw ModelFileError.nonFiniteParameter(name: p.name) }
      seen.insert(p.name)
    }
    if exactMatch {
      let missing = own.keys.filter { !seen.contains($0) }.sorted()
      if !missing.isEmpty { throw ModelFileError.missingParameters(missing) }
    }
    for p in parameters { own[p.name]!.value.elements = p.values }
  }
}

/// One named parameter tensor, as `parameters()` returns and `loadParameters` takes.
public struct NamedParameter: Codable, Sendable, Equatable {
  /// The stable-baselines variable name.
  public var name: String
  /// The checkpoint shape.
  public var shape: [Int]
  /// Row-major values.
  public var values: [Float]

  public init(name: String, shape: [Int], values: [Float]) {
    self.name = name
    self.shape = shape
    self.values = values
  }
}
