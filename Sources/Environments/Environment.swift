import Randomness

/// One environment instance with Gymnasium 1.x semantics, including its `TimeLimit` wrapper.
///
/// The calls mirror `gym.make(id)`:
/// ```
/// reset(using: random, into: obs)            ≙  obs, info = env.reset()
/// outcome = step(action, into: obs)          ≙  obs, reward, terminated, truncated, info = env.step(a)
/// ```
/// Observations are written raw, in the observation space's own element type
/// (``Space/observationElementType``: `float32` for classic control, `uint8` for frames, `int64`
/// for a `Discrete` index), into a caller-owned slice of an ``ObservationBuffer`` of
/// ``Space/observationElementCount`` components, so stepping never allocates. Actions are flat
/// `Double`s of length `actionSpace.actionDimension` (a `Discrete` action is its index as a
/// `Double`).
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
  /// The space observations come from (it fixes the element type and count of an observation).
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
  func reset(using random: RandomStream, into observation: UnsafeMutableRawBufferPointer)

  /// Advances one step with `action` and writes the next observation.
  ///
  /// - Throws: ``EnvironmentError/invalidAction(environment:action:space:)`` when `action` does not
  ///   have `actionSpace.actionDimension` components or a discrete component is not a valid index
  ///   (Gymnasium raises for these); nothing changes then. Out-of-range `Box` actions are fine:
  ///   the environment clips them where Gymnasium does.
  func step(
    _ action: UnsafeBufferPointer<Double>, into observation: UnsafeMutableRawBufferPointer
  ) throws(EnvironmentError) -> StepOutcome

  /// Writes the observation of the current ``state`` (what `reset`/`step` would return for it).
  func writeObservation(into observation: UnsafeMutableRawBufferPointer)
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
  /// Components per raw observation, `observationSpace.observationElementCount`.
  public var observationSize: Int { observationSpace.observationElementCount }

  /// The action length, `actionSpace.actionDimension`.
  public var actionDimension: Int { actionSpace.actionDimension }

  /// Convenience form of ``reset(using:into:)``: the first observation, converted to `Float`.
  public func reset(using random: RandomStream) -> [Float] {
    let buffer = ObservationBuffer(space: observationSpace, count: 1)
    reset(using: random, into: buffer.observation(0))
    return buffer.floats()
  }

  /// Convenience form of ``step(_:into:)``: the next observation, converted to `Float`.
  public func step(_ action: [Double]) throws(EnvironmentError) -> (observation: [Float], outcome: StepOutcome) {
    let buffer = ObservationBuffer(space: observationSpace, count: 1)
    let outcome = try action.withUnsafeBufferPointer { (a) throws(EnvironmentError) in try step(a, into: buffer.observation(0)) }
    return (buffer.floats(), outcome)
  }

  /// Throws ``EnvironmentError/invalidAction(environment:action:space:)`` unless the action space
  /// accepts `action` (``Space/acceptsAction(_:)``); allocates only to build the error.
  public func checkAction(_ action: UnsafeBufferPointer<Double>) throws(EnvironmentError) {
    guard actionSpace.acceptsAction(action) else {
      throw .invalidAction(environment: id, action: Array(action), space: actionSpace)
    }
  }

  /// Convenience form of ``writeObservation(into:)``: the current observation as `Float`.
  public func observation() -> [Float] {
    let buffer = ObservationBuffer(space: observationSpace, count: 1)
    writeObservation(into: buffer.observation(0))
    return buffer.floats()
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
