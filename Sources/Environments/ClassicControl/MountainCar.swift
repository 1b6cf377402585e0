#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Randomness

/// MountainCar-v0: drive an underpowered car up a hill by rocking it (Moore 1990).
///
/// A bit-exact port of Gymnasium 1.x `envs/classic_control/mountain_car.py`, in `Double`:
/// ```
/// v ← clip(v + (a − 1)·0.001 + cos(3p)·(−0.0025), −0.07, 0.07)
/// p ← clip(p + v, −1.2, 0.6);   if p = −1.2 and v < 0: v ← 0
/// terminated = p ≥ 0.5 and v ≥ 0;   reward = −1
/// ```
/// Actions 0, 1, 2 accelerate left, not at all, right. Observation `[p, v]` as `Float32`;
/// 200 steps per episode; reset draws `p ~ U[−0.6, −0.4)`, `v = 0`.
public final class MountainCar: Environment {
  /// The Gymnasium id.
  public let id = "MountainCar-v0"
  /// Gymnasium's registered time limit (or the one passed to `init`); `nil`: no limit.
  public let maxEpisodeSteps: Int?
  /// Steps since the last reset (Gymnasium `TimeLimit._elapsed_steps`).
  public var elapsedSteps = 0

  let minPosition = -1.2
  let maxPosition = 0.6
  let maxSpeed = 0.07
  let goalPosition = 0.5
  let goalVelocity = 0.0
  let force = 0.001
  let gravity = 0.0025

  var position = 0.0, velocity = 0.0

  /// `Box([-1.2, -0.07], [0.6, 0.07])` in `float32`.
  public let observationSpace: Space
  /// `Discrete(3)`: accelerate left, do nothing, accelerate right.
  public let actionSpace: Space = .discrete(n: 3)

  /// Creates the environment; `maxEpisodeSteps` defaults to MountainCar-v0's 200 (`nil`: no limit).
  public init(maxEpisodeSteps: Int? = 200) {
    self.maxEpisodeSteps = maxEpisodeSteps
    observationSpace = .box(
      low: [Double(Float(minPosition)), Double(Float(-maxSpeed))],
      high: [Double(Float(maxPosition)), Double(Float(maxSpeed))])
  }

  /// `[position, velocity]`.
  public var state: [Double] {
    get { [position, velocity] }
    set {
      precondition(newValue.count == 2, "MountainCar state has 2 components, got \(newValue.count)")
      (position, velocity) = (newValue[0], newValue[1])
    }
  }

  /// Draws the initial state from `random` (ranges in the type documentation), restarts the time
  /// limit and writes the first observation.
  public func reset(using random: RandomStream, into raw: UnsafeMutableRawBufferPointer) {
    // Deviation: Gymnasium draws from NumPy's PCG64; we draw the same U[−0.6, −0.4) from our stream.
    position = random.uniform(low: -0.6, high: -0.4)
    velocity = 0
    elapsedSteps = 0
    writeObservation(into: raw)
  }

  /// Advances one step with the dynamics in the type documentation and writes the observation.
  public func step(
    _ action: UnsafeBufferPointer<Double>, into raw: UnsafeMutableRawBufferPointer
  ) throws(EnvironmentError) -> StepOutcome {
    try checkAction(action)
    let a = action[0]
    velocity += (a - 1) * force + cos(3 * position) * (-gravity)
    velocity = PythonArithmetic.clip(velocity, -maxSpeed, maxSpeed)
    position += velocity
    position = PythonArithmetic.clip(position, minPosition, maxPosition)
    if position == minPosition && velocity < 0 { velocity = 0 }
    let terminated = position >= goalPosition && velocity >= goalVelocity
    writeObservation(into: raw)
    return StepOutcome(reward: -1.0, terminated: terminated, truncated: advanceTimeLimit())
  }

  /// Writes the `Float32` observation of the current state.
  public func writeObservation(into raw: UnsafeMutableRawBufferPointer) {
    let observation = raw.float32Components
    precondition(observation.count == 2, "MountainCar observations have 2 components")
    observation[0] = Float(position)
    observation[1] = Float(velocity)
  }
}
