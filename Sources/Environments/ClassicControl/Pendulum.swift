#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Randomness

/// Pendulum-v1: swing up and hold an inverted pendulum with a bounded torque.
///
/// A bit-exact port of Gymnasium 1.x `envs/classic_control/pendulum.py` (`g = 10`, `m = l = 1`,
/// `dt = 0.05`), including NumPy 2's dtype rules: the action is a `float32` array, so the torque
/// terms are `float32` (NEP 50 keeps `np.float32 ∘ Python float` in `float32`):
/// ```
/// u      = clip(u, −2, 2)                                              (float32)
/// cost   = norm(θ)² + 0.1·θ̇² + float64(float32(0.001)·u²)              norm(θ) = ((θ + π) mod 2π) − π
/// θ̇'     = clip(θ̇ + (3g/(2l)·sin θ + float64(float32(3/(m l²))·u))·dt, −8, 8)
/// θ'     = θ + θ̇'·dt;    reward = −cost;   never terminates
/// ```
/// The squares are `numpyPower(x, 2)` (`powf` for the `float32` torque) because NumPy evaluates
/// `scalar ** 2` with libm's `pow`. Observation `[cos θ, sin θ, θ̇]` as `Float32`; 200 steps per
/// episode; reset draws `θ ~ U[−π, π)`, `θ̇ ~ U[−1, 1)`.
///
/// Box actions reach the environment as `Double` and are rounded to `Float32` first, since the
/// action space is `float32` and SB2 sends the policy's `float32` actions.
public final class Pendulum: Environment {
  /// The Gymnasium id.
  public let id = "Pendulum-v1"
  /// Gymnasium's registered time limit (or the one passed to `init`); `nil`: no limit.
  public let maxEpisodeSteps: Int?
  /// Steps since the last reset (Gymnasium `TimeLimit._elapsed_steps`).
  public var elapsedSteps = 0

  let maxSpeed = 8.0
  let maxTorque: Float = 2.0
  let dt = 0.05
  let g = 10.0
  let m = 1.0
  let l = 1.0

  var theta = 0.0, thetaDot = 0.0

  /// `Box([-1, -1, -8], [1, 1, 8])` in `float32`.
  public let observationSpace: Space = .box(low: [-1, -1, -8], high: [1, 1, 8])
  /// `Box([-2], [2])` in `float32`: the torque.
  public let actionSpace: Space = .box(low: [-2], high: [2])

  /// Creates the environment; `maxEpisodeSteps` defaults to Pendulum-v1's 200 (`nil`: no limit).
  public init(maxEpisodeSteps: Int? = 200) {
    self.maxEpisodeSteps = maxEpisodeSteps
  }

  /// `[θ, θ̇]`.
  public var state: [Double] {
    get { [theta, thetaDot] }
    set {
      precondition(newValue.count == 2, "Pendulum state has 2 components, got \(newValue.count)")
      (theta, thetaDot) = (newValue[0], newValue[1])
    }
  }

  /// Draws the initial state from `random` (ranges in the type documentation), restarts the time
  /// limit and writes the first observation.
  public func reset(using random: RandomStream, into raw: UnsafeMutableRawBufferPointer) {
    // Deviation: Gymnasium draws from NumPy's PCG64; we draw the same U[−π, π) × U[−1, 1) from
    // our stream.
    theta = random.uniform(low: -Double.pi, high: Double.pi)
    thetaDot = random.uniform(low: -1, high: 1)
    elapsedSteps = 0
    writeObservation(into: raw)
  }

  /// Advances one step with the dynamics in the type documentation and writes the observation.
  public func step(
    _ action: UnsafeBufferPointer<Double>, into raw: UnsafeMutableRawBufferPointer
  ) throws(EnvironmentError) -> StepOutcome {
    try checkAction(action)
    let u = PythonArithmetic.clip(Float(action[0]), -maxTorque, maxTorque)
    let th = theta, thdot = thetaDot
    let normalized = PythonArithmetic.remainder(th + Double.pi, 2 * Double.pi) - Double.pi
    let torqueCost = Float(0.001 as Double) * numpyPower(u, 2)
    let costs = numpyPower(normalized, 2) + 0.1 * numpyPower(thdot, 2) + Double(torqueCost)
    let torqueAcceleration = Float(3.0 / (m * l * l)) * u
    var newThetaDot = thdot + (3 * g / (2 * l) * sin(th) + Double(torqueAcceleration)) * dt
    newThetaDot = PythonArithmetic.clip(newThetaDot, -maxSpeed, maxSpeed)
    let newTheta = th + newThetaDot * dt
    theta = newTheta
    thetaDot = newThetaDot
    writeObservation(into: raw)
    return StepOutcome(reward: -costs, terminated: false, truncated: advanceTimeLimit())
  }

  /// Writes the `Float32` observation of the current state.
  public func writeObservation(into raw: UnsafeMutableRawBufferPointer) {
    let observation = raw.float32Components
    precondition(observation.count == 3, "Pendulum observations have 3 components")
    observation[0] = Float(cos(theta))
    observation[1] = Float(sin(theta))
    observation[2] = Float(thetaDot)
  }
}
