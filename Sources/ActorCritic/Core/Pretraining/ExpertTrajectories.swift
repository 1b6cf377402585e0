import Foundation
import NumPyArchive

/// Recorded expert episodes in stable-baselines 2's expert-data format: a `.npz` archive with
/// five arrays, the first axis running over the N recorded steps of all episodes in order
/// (`gail/dataset/dataset.py` `ExpertDataset`, `gail/dataset/record_expert.py`).
///
/// ```
/// obs              (N,) + observation shape   (Discrete observations: (N, 1))
/// actions          (N, 1) int64 for Discrete; (N,) + action shape for Box
/// rewards          (N,)                       the reward of each step
/// episode_returns  (E,)                       the return of each episode, float64
/// episode_starts   (N,) bool                  true at the first step of each episode
/// ```
/// Any numeric dtype is read (SB2 writes `obs` in the space's dtype or float64, `actions` as
/// int64 or float32, `rewards` as float64 from a single environment and as `(N, 1)` float32 from a
/// vectorised one). A file whose `episode_starts` is a pickled object array — what SB2's
/// `generate_expert_traj` produced from a vectorised environment under NumPy < 1.24 — is refused:
/// nothing here runs pickle.
public struct ExpertTrajectories: Sendable {
  /// `obs`.
  public var observations: NumPyArray
  /// `actions`.
  public var actions: NumPyArray
  /// `rewards` (not used for behaviour cloning; optional when reading, as in SB2).
  public var rewards: NumPyArray?
  /// `episode_returns`.
  public var episodeReturns: NumPyArray
  /// `episode_starts`.
  public var episodeStarts: NumPyArray

  /// The number of recorded steps N.
  public var count: Int { observations.shape.first ?? 0 }

  /// Wraps the five arrays after checking that they agree.
  ///
  /// - Throws: ``ExpertDataError/invalidArray(name:reason:)`` when an array has no first axis,
  ///   the first axes differ, or `episode_starts` is not one flag per step.
  public init(
    observations: NumPyArray, actions: NumPyArray, rewards: NumPyArray?, episodeReturns: NumPyArray,
    episodeStarts: NumPyArray
  ) throws(ExpertDataError) {
    guard let n = observations.shape.first, n > 0 else {
      throw .invalidArray(name: "obs", reason: "needs at least one step along its first axis, has shape \(observations.shape)")
    }
    guard actions.shape.first == n else {
      throw .invalidArray(name: "actions", reason: "has shape \(actions.shape), needs \(n) rows like obs")
    }
    if let rewards, rewards.shape.first != n {
      throw .invalidArray(name: "rewards", reason: "has shape \(rewards.shape), needs \(n) rows like obs")
    }
    guard episodeStarts.count == n, episodeStarts.shape.first == n else {
      throw .invalidArray(name: "episode_starts", reason: "has shape \(episodeStarts.shape), needs one flag per step (\(n))")
    }
    guard episodeReturns.shape.count == 1 else {
      throw .invalidArray(name: "episode_returns", reason: "must be one-dimensional, has shape \(episodeReturns.shape)")
    }
    self.observations = observations
    self.actions = actions
    self.rewards = rewards
    self.episodeReturns = episodeReturns
    self.episodeStarts = episodeStarts
  }

  /// Reads a `.npz` file as SB2's `np.load(expert_path)` would, without pickle.
  ///
  /// - Throws: ``ExpertDataError/file(_:)`` for an unreadable archive or member (an object array
  ///   among them), ``ExpertDataError/invalidArray(name:reason:)`` for a missing or inconsistent
  ///   array.
  public init(contentsOf url: URL) throws(ExpertDataError) {
    let archive: NPZArchive
    do { archive = try NPZArchive(contentsOf: url) } catch { throw .file(error) }
    func array(_ name: String) throws(ExpertDataError) -> NumPyArray {
      do { return try archive.array(name) } catch {
        throw .invalidArray(name: name, reason: "missing from \(url.lastPathComponent) (it has \(archive.names.joined(separator: ", ")))")
      }
    }
    try self.init(
      observations: try array("obs"), actions: try array("actions"),
      rewards: archive.names.contains("rewards") ? try array("rewards") : nil,
      episodeReturns: try array("episode_returns"), episodeStarts: try array("episode_starts"))
  }

  /// Writes the archive in the key order of SB2's `generate_expert_traj` (`actions`, `obs`,
  /// `rewards`, `episode_returns`, `episode_starts`), as `np.savez` stores it.
  public func write(to url: URL) throws(ExpertDataError) {
    var arrays: [(name: String, array: NumPyArray)] = [("actions", actions), ("obs", observations)]
    if let rewards { arrays.append(("rewards", rewards)) }
    arrays += [("episode_returns", episodeReturns), ("episode_starts", episodeStarts)]
    do { try NPZArchive(arrays: arrays).write(to: url) } catch { throw .file(error) }
  }
}

/// Expert data that cannot be used.
public enum ExpertDataError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The `.npz` file cannot be read or written.
  case file(NumPyArchiveError)
  /// An array is missing, has the wrong shape, or holds values that cannot be used.
  case invalidArray(name: String, reason: String)
  /// The data does not fit the model (observation width, action space).
  case incompatible(field: String, reason: String)
  /// The model or the environment is not supported (SB2 supports Discrete and Box only).
  case unsupportedSpace(field: String, space: String, supported: String)

  public var description: String {
    switch self {
    case .file(let error): return "expert data: \(error)"
    case .invalidArray(let name, let reason): return "expert data array \(name) \(reason)"
    case .incompatible(let field, let reason): return "expert data does not fit the model: \(field) \(reason)"
    case .unsupportedSpace(let field, let space, let supported):
      return "\(field) \(space) is not supported for expert data (supported: \(supported))"
    }
  }
}
