import Randomness

/// One environment instance with Gymnasium 1.x semantics, including its `TimeLimit` wrapper.
///
/// The calls mirror `gym.make(id)`:
/// ```
/// reset(using: random, into: obs)            ≙  obs, info = env.reset()
/// outcome = step(action, into: obs)          ≙  obs, reward, terminated, truncated, info = env.step(a)
/// ```
/// Observations are written as `Float32` (Gymnasium's classic-control observation dtype) into a
/// caller-owned buffer of `observationSpace.flatDimension` elements, so stepping never allocates.
/// Actions are flat `Double`s of length `actionSpace.actionDimension` (a `Discrete` action is its
/// index as a `Double`).
///
/// Time limits work exactly like Gymnasium's `TimeLimit` wrapper (`wrappers/common.py`):
/// ```
/// reset:  elapsedSteps = 0
/// step:   elapsedSteps += 1;  truncated = elapsedSteps ≥ maxEpisodeSteps
/// ```
/// `truncated` is set whether or not the step also terminated, and nothing stops a caller from
/// stepping past the end (Gymnasium does not either).
///
/// ``state`` exposes the exact physics state (what `env.unwrapped.state` holds) so parity tests can
/// put an environment anywhere.
public protocol Environment: AnyObject {
  /// The registered id, for example `"CartPole-v1"`.
  var id: String { get }
  /// The space observations come from (its ``Space/flatDimension`` is the observation length).
  var observationSpace: Space { get }
  /// The space actions come from (its ``Space/actionDimension`` is the action length).
  var actionSpace: Space { get }
  /// Gymnasium's `max_episode_steps`; `nil` means no time limit.
  var maxEpisodeSteps: Int? { get }
  /// Steps taken since the last reset (Gymnasium `TimeLimit._elapsed_steps`).
  var elapsedSteps: Int { get set }
  /// The physics state in `Double`, in Gymnasium's order (`env.unwrapped.state`).
  var state: [Double] { get set }

  /// Starts a new episode: draws the initial state from `random` and writes the first observation.
  ///
  /// The initial state is uniform in Gymnasium's reset ranges; the numbers come from our
  /// ``RandomStream`` instead of NumPy's PCG64, so the same seed gives different episodes than
  /// Gymnasium does (the distribution is the same).
  func reset(using random: RandomStream, into observation: UnsafeMutableBufferPointer<Float>)

  /// Advances one step with `action` and writes the next observation.
  ///
  /// - Precondition: `action.count == actionSpace.actionDimension`, and a discrete action is a
  ///   valid index. Out-of-range `Box` actions are fine: the environment clips them where Gymnasium
  ///   does.
  func step(
    _ action: UnsafeBufferPointer<Double>, into observation: UnsafeMutableBufferPointer<Float>
  ) -> StepOutcome

  /// Writes the observation of the current ``state`` (what `reset`/`step` would return for it).
  func writeObservation(into observation: UnsafeMutableBufferPointer<Float>)
}

/// What one environment step reports besides the observation.
public struct StepOutcome: Equatable, Sendable {
  /// The reward for the transition, in `Double` as Gymnasium returns it.
  public var reward: Double
  /// The MDP reached a terminal state (Gymnasium `terminated`).
  public var terminated: Bool
  /// The episode was cut short by the time limit (Gymnasium `truncated`).
  public var truncated: Bool

  /// Creates an outcome.
  public init(reward: Double, terminated: Bool, truncated: Bool) {
    self.reward = reward
    self.terminated = terminated
    self.truncated = truncated
  }

  /// The episode is over for either reason (SB2's `done = terminated or truncated`).
  public var done: Bool { terminated || truncated }
}

extension Environment {
  /// The observation length, `observationSpace.flatDimension`.
  public var observationSize: Int { observationSpace.flatDimension }

  /// The action length, `actionSpace.actionDimension`.
  public var actionDimension: Int { actionSpace.actionDimension }

  /// Convenience form of ``reset(using:into:)`` that returns a fresh observation array.
  public func reset(using random: RandomStream) -> [Float] {
    [Float](unsafeUninitializedCapacity: observationSize) { buffer, count in
      reset(using: random, into: buffer)
      count = buffer.count
    }
  }

  /// Convenience form of ``step(_:into:)`` that returns a fresh observation array.
  public func step(_ action: [Double]) -> (observation: [Float], outcome: StepOutcome) {
    var outcome = StepOutcome(reward: 0, terminated: false, truncated: false)
    let observation = [Float](unsafeUninitializedCapacity: observationSize) { buffer, count in
      outcome = action.withUnsafeBufferPointer { step($0, into: buffer) }
      count = buffer.count
    }
    return (observation, outcome)
  }

  /// Convenience form of ``writeObservation(into:)`` that returns a fresh array.
  public func observation() -> [Float] {
    [Float](unsafeUninitializedCapacity: observationSize) { buffer, count in
      writeObservation(into: buffer)
      count = buffer.count
    }
  }

  /// Gymnasium `TimeLimit.step`: counts the step and reports whether the limit is reached.
  ///
  /// ```
  /// elapsedSteps += 1;  return elapsedSteps ≥ maxEpisodeSteps
  /// ```
  func advanceTimeLimit() -> Bool {
    elapsedSteps += 1
    guard let limit = maxEpisodeSteps else { return false }
    return elapsedSteps >= limit
  }
}
