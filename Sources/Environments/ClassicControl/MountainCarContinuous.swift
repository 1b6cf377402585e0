#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Randomness

/// MountainCarContinuous-v0: the mountain car with a continuous engine force and an energy penalty.
///
/// A bit-exact port of Gymnasium 1.x `envs/classic_control/continuous_mountain_car.py`:
/// ```
/// F = min(max(a, −1), 1)
/// v ← v + F·0.0015 − 0.0025·cos(3p),   v ← min(max(v, −0.07), 0.07)   (as `if` statements)
/// p ← p + v,   p ← min(max(p, −1.2), 0.6);   if p = −1.2 and v < 0: v ← 0
/// terminated = p ≥ 0.45 and v ≥ 0;   reward = 100·[terminated] − 0.1·a²   (a unclipped)
/// state ← float32([p, v])
/// ```
/// The arithmetic follows NumPy 2's dtypes exactly (NEP 50, see `NumPyScalar`): the action is a
/// `float32` array, the state is `float64` right after reset and `float32` after every step,
/// Python-float constants are weak, and a clipped force is a Python float. So the first step
/// after a reset mixes `float32` and `float64`, and later steps run mostly in `float32`
/// (``stateIsSinglePrecision``). The observation is the `float32` state; 999 steps per episode;
/// reset draws `p ~ U[−0.6, −0.4)`, `v = 0`.
///
/// Box actions reach the environment as `Double` and are rounded to `Float32` first, since the
/// action space is `float32` and SB2 sends the policy's `float32` actions.
public final class MountainCarContinuous: Environment {
  /// The Gymnasium id.
  public let id = "MountainCarContinuous-v0"
  /// Gymnasium's registered time limit (or the one passed to `init`); `nil`: no limit.
  public let maxEpisodeSteps: Int?
  /// Steps since the last reset (Gymnasium `TimeLimit._elapsed_steps`).
  public var elapsedSteps = 0

  /// Whether Gymnasium would hold the state as a `float32` array: false right after
  /// ``reset(using:into:)`` or after assigning ``state`` (a `float64` array), true after a step.
  /// Set it after assigning ``state`` to reproduce a mid-episode state.
  public var stateIsSinglePrecision = false

  let minAction = -1.0
  let maxAction = 1.0
  let minPosition = -1.2
  let maxPosition = 0.6
  let maxSpeed = 0.07
  let goalPosition = 0.45
  let goalVelocity = 0.0
  let power = 0.0015

  var position = 0.0, velocity = 0.0

  /// `Box([-1.2, -0.07], [0.6, 0.07])` in `float32`.
  public let observationSpace: Space
  /// `Box([-1], [1])` in `float32`: the engine force.
  public let actionSpace: Space = .box(low: [-1], high: [1])

  /// Creates the environment; `maxEpisodeSteps` defaults to MountainCarContinuous-v0's 999
  /// (`nil`: no limit).
  public init(maxEpisodeSteps: Int? = 999) {
    self.maxEpisodeSteps = maxEpisodeSteps
    observationSpace = .box(
      low: [Double(Float(minPosition)), Double(Float(-maxSpeed))],
      high: [Double(Float(maxPosition)), Double(Float(maxSpeed))])
  }

  /// `[position, velocity]`. Assigning sets ``stateIsSinglePrecision`` to false.
  public var state: [Double] {
    get { [position, velocity] }
    set {
      precondition(
        newValue.count == 2, "MountainCarContinuous state has 2 components, got \(newValue.count)")
      (position, velocity) = (newValue[0], newValue[1])
      stateIsSinglePrecision = false
    }
  }

  /// Draws the initial state from `random` (ranges in the type documentation), restarts the time
  /// limit and writes the first observation.
  public func reset(using random: RandomStream, into raw: UnsafeMutableRawBufferPointer) {
    // Deviation: Gymnasium draws from NumPy's PCG64; we draw the same U[−0.6, −0.4) from our stream.
    position = random.uniform(low: -0.6, high: -0.4)
    velocity = 0
    stateIsSinglePrecision = false
    elapsedSteps = 0
    writeObservation(into: raw)
  }

  /// Advances one step with the dynamics in the type documentation and writes the observation.
  public func step(
    _ action: UnsafeBufferPointer<Double>, into raw: UnsafeMutableRawBufferPointer
  ) throws(EnvironmentError) -> StepOutcome {
    try checkAction(action)
    let a = NumPyScalar.float32(Float(action[0]))
    var p: NumPyScalar = stateIsSinglePrecision ? .float32(Float(position)) : .float64(position)
    var v: NumPyScalar = stateIsSinglePrecision ? .float32(Float(velocity)) : .float64(velocity)

    // force = min(max(action[0], self.min_action), self.max_action)  (Python builtins)
    var force = a
    if NumPyScalar.python(minAction) > force { force = .python(minAction) }
    if NumPyScalar.python(maxAction) < force { force = .python(maxAction) }

    // velocity += force * self.power - 0.0025 * math.cos(3 * position)
    let cosine = cos((NumPyScalar.python(3) * p).value)
    v = v + (force * .python(power) - .python(0.0025 * cosine))
    if v > .python(maxSpeed) { v = .python(maxSpeed) }
    if v < .python(-maxSpeed) { v = .python(-maxSpeed) }
    p = p + v
    if p > .python(maxPosition) { p = .python(maxPosition) }
    if p < .python(minPosition) { p = .python(minPosition) }
    if p == .python(minPosition) && v < .python(0) { v = .python(0) }

    let terminated = p >= .python(goalPosition) && v >= .python(goalVelocity)
    var reward = 0.0
    if terminated { reward = 100.0 }
    reward -= numpyPower(a.value, 2) * 0.1

    // self.state = np.array([position, velocity], dtype=np.float32)
    position = Double(Float(p.value))
    velocity = Double(Float(v.value))
    stateIsSinglePrecision = true
    writeObservation(into: raw)
    return StepOutcome(reward: reward, terminated: terminated, truncated: advanceTimeLimit())
  }

  /// Writes the `Float32` observation of the current state.
  public func writeObservation(into raw: UnsafeMutableRawBufferPointer) {
    let observation = raw.float32Components
    precondition(observation.count == 2, "MountainCarContinuous observations have 2 components")
    observation[0] = Float(position)
    observation[1] = Float(velocity)
  }
}
