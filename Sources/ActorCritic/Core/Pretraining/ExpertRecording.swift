import Environments
import Foundation
import NumPyArchive

/// Records expert episodes from a model, optionally training it first (SB2
/// `generate_expert_traj`, `gail/dataset/record_expert.py`), and saves them in SB2's expert-data
/// format (``ExpertTrajectories``).
///
/// ```
/// if n_timesteps > 0: model.learn(n_timesteps)
/// obs = env.reset()
/// until n_episodes episodes have ended in environment 0:
///     actions = model.predict(obs)                  (stochastic, for every copy, as SB2)
///     record obs[0], actions[0]; obs, rewards, dones = env.step(actions)
///     record rewards[0], and dones[0] as the next step's episode start
/// ```
/// Only environment 0 is recorded (SB2 warns that the other copies are dropped). The arrays are
/// written as SB2 writes them from a single environment: `obs` in the observation space's dtype
/// with shape `(N,) + shape` (Discrete: `(N, 1)` int64), `actions` `(N, 1)` int64 for Discrete and
/// `(N,) + shape` float32 (clipped, as `predict` returns them) for Box, `rewards` `(N,)` float64,
/// `episode_returns` `(n_episodes,)` float64, `episode_starts` `(N,)` bool.
///
/// Deviations from SB2: image observations (3-d uint8 Boxes) stay in the archive rather than
/// going to a folder of PNG/JPEG files (SB2 does that with OpenCV; keeping them in the archive is
/// SB2's own behaviour without a `save_path`). From a vectorised environment SB2 itself writes
/// `rewards` as `(N, 1)` float32 and `episode_starts` as a ragged array (pickled under NumPy
/// < 1.24, an error from 1.24 on); we write the single-environment layout, which SB2's
/// `ExpertDataset` reads the same way.
///
/// - Parameters:
///   - model: the expert.
///   - savePath: where to write the `.npz` (`.npz` is appended when missing, as `np.savez` does);
///     `nil` only returns the trajectories.
///   - environment: the environment to record in; the model's when `nil`.
///   - timesteps: training steps before recording (SB2 `n_timesteps`, 0).
///   - episodes: episodes to record (SB2 `n_episodes`, 100).
///   - deterministic: record the most likely actions instead of samples (SB2 samples; an
///     addition for near-deterministic experts).
/// - Returns: the recorded trajectories.
/// - Throws: ``TrainingError/noEnvironment`` without an environment; ``ExpertDataError`` for
///   spaces other than Box and Discrete or an unwritable file; ``ConfigurationError`` for
///   `episodes < 1` or `timesteps < 0`; what `learn` and the environment throw.
@discardableResult
public func generateExpertTrajectories<Model: ActorCriticModel>(
  model: Model, savePath: URL?, environment: (any VectorizedEnvironment)? = nil, timesteps: Int = 0,
  episodes: Int = 100, deterministic: Bool = false
) throws -> ExpertTrajectories {
  try require(episodes >= 1, "n_episodes", episodes, "n_episodes ≥ 1")
  try require(timesteps >= 0, "n_timesteps", timesteps, "n_timesteps ≥ 0")
  guard let env = environment ?? model.environment else { throw TrainingError.noEnvironment }
  try checkRecordableSpaces(env)
  if timesteps > 0 { try model.learn(totalTimesteps: timesteps) }
  return try generateExpertTrajectories(
    expert: { try model.predict(observations: $0, deterministic: deterministic) }, environment: env,
    savePath: savePath, episodes: episodes)
}

/// Records expert episodes from any controller (SB2 `generate_expert_traj` with a callable
/// `model`): `expert` maps the environment's current observations (every copy) to actions for
/// every copy, `actionDimension` each. See ``generateExpertTrajectories(model:savePath:environment:timesteps:episodes:deterministic:)``
/// for what is recorded and written.
@discardableResult
public func generateExpertTrajectories(
  expert: (ObservationBuffer) throws -> [Double], environment env: any VectorizedEnvironment, savePath: URL?,
  episodes: Int = 100
) throws -> ExpertTrajectories {
  try require(episodes >= 1, "n_episodes", episodes, "n_episodes ≥ 1")
  try checkRecordableSpaces(env)
  let actionWidth = env.actionDimension
  var observationBytes: [UInt8] = []
  var actions: [Double] = []
  var rewards: [Double] = []
  var starts: [Bool] = [true]
  var returns: [Double] = []
  var episodeReturn: Double = 0
  env.reset()
  while returns.count < episodes {
    observationBytes += env.observations.observation(0)
    let chosen = try expert(env.observations)
    guard chosen.count == env.count * actionWidth else {
      throw ConfigurationError.invalidValue(
        field: "expert actions", value: "\(chosen.count) values", allowed: "\(actionWidth) per environment copy (\(env.count * actionWidth))")
    }
    do { try env.step(chosen) } catch { throw TrainingError.environment(error) }
    actions += chosen[0..<actionWidth]
    let reward = Double(env.rewards[0])
    rewards.append(reward)
    episodeReturn += reward
    let done = env.dones[0]
    starts.append(done)
    if done {
      returns.append(episodeReturn)
      episodeReturn = 0
    }
  }
  starts.removeLast()
  return try makeTrajectories(
    environment: env, observationBytes: observationBytes, actions: actions, rewards: rewards, starts: starts,
    returns: returns, savePath: savePath)
}

/// SB2 records Box and Discrete spaces only.
private func checkRecordableSpaces(_ env: any VectorizedEnvironment) throws(ExpertDataError) {
  for (field, space) in [("observation space", env.observationSpace), ("action space", env.actionSpace)] {
    switch space {
    case .box, .discrete: break
    default: throw .unsupportedSpace(field: field, space: "\(space)", supported: "Box, Discrete (as SB2's generate_expert_traj)")
    }
  }
}

/// The recorded arrays in SB2's layout, written to `savePath` when given.
private func makeTrajectories(
  environment env: any VectorizedEnvironment, observationBytes: [UInt8], actions: [Double], rewards: [Double],
  starts: [Bool], returns: [Double], savePath: URL?
) throws -> ExpertTrajectories {
  let n = rewards.count
  let observationDType: NumPyArray.DType
  switch env.observationSpace.observationElementType {
  case .uint8: observationDType = .uint8
  case .int8: observationDType = .int8
  case .int64: observationDType = .int64
  case .float32: observationDType = .float32
  case .float64: observationDType = .float64
  }
  let observationShape: [Int]
  if case .discrete = env.observationSpace { observationShape = [n, 1] } else { observationShape = [n] + env.observationSpace.shape }
  let trajectories: ExpertTrajectories
  do {
    let actionArray: NumPyArray
    switch env.actionSpace {
    case .discrete: actionArray = try NumPyArray(int64: actions.map { Int64($0) }, shape: [n, 1])
    default: actionArray = try NumPyArray(float32: actions.map { Float($0) }, shape: [n] + env.actionSpace.shape)
    }
    trajectories = try ExpertTrajectories(
      observations: try NumPyArray(dtype: observationDType, shape: observationShape, bytes: observationBytes),
      actions: actionArray, rewards: try NumPyArray(float64: rewards, shape: [n]),
      episodeReturns: try NumPyArray(float64: returns, shape: [returns.count]),
      episodeStarts: try NumPyArray(bool: starts, shape: [n]))
  } catch let error as NumPyArchiveError { throw ExpertDataError.file(error) }
  if let savePath {
    try trajectories.write(to: savePath.pathExtension == "npz" ? savePath : savePath.appendingPathExtension("npz"))
  }
  return trajectories
}
