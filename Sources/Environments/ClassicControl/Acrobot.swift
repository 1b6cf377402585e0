#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Randomness

/// Acrobot-v1: swing a two-link pendulum, actuated at the middle joint, above a line (Sutton 1996).
///
/// A bit-exact port of Gymnasium 1.x `envs/classic_control/acrobot.py` ("book" dynamics, no torque
/// noise). The state `s = [θ₁, θ₂, θ̇₁, θ̇₂]` is integrated over `dt = 0.2` by one classical
/// Runge–Kutta step on the augmented vector `[s, τ]` (Gymnasium's `rk4`, with the same operation
/// order), then wrapped and bounded:
/// ```
/// d₁ = m₁l_c1² + m₂(l₁² + l_c2² + 2l₁l_c2 cos θ₂) + I₁ + I₂,    d₂ = m₂(l_c2² + l₁l_c2 cos θ₂) + I₂
/// φ₂ = m₂l_c2 g cos(θ₁ + θ₂ − π/2)
/// φ₁ = −m₂l₁l_c2 θ̇₂² sin θ₂ − 2m₂l₁l_c2 θ̇₂θ̇₁ sin θ₂ + (m₁l_c1 + m₂l₁) g cos(θ₁ − π/2) + φ₂
/// θ̈₂ = (τ + d₂/d₁·φ₁ − m₂l₁l_c2 θ̇₁² sin θ₂ − φ₂) / (m₂l_c2² + I₂ − d₂²/d₁),  θ̈₁ = −(d₂θ̈₂ + φ₁)/d₁
/// y₁ = y₀ + dt/6·(k₁ + 2k₂ + 2k₃ + k₄)
/// θᵢ ← wrap(θᵢ, −π, π);  θ̇₁ ← bound(θ̇₁, ±4π);  θ̇₂ ← bound(θ̇₂, ±9π)
/// terminated = −cos θ₁ − cos(θ₂ + θ₁) > 1;  reward = terminated ? 0 : −1
/// ```
/// Torques are `[−1, 0, +1]` for actions 0, 1, 2. Observation
/// `[cos θ₁, sin θ₁, cos θ₂, sin θ₂, θ̇₁, θ̇₂]` as `Float32`; 500 steps per episode.
///
/// Gymnasium's `reset()` stores the state as `float32` (`.astype(np.float32)`), so the first
/// observation's sines and cosines are NumPy's float32 kernels (see ``stateIsSinglePrecision``);
/// `np.append(s, torque)` promotes to `float64` before integrating, so every step is `float64`.
/// Powers `x**2` of NumPy scalars are libm `numpyPower(x, 2)`, which we call too (it differs from `x·x` in
/// the last bit for about 0.1 % of arguments).
public final class Acrobot: Environment {
  /// The Gymnasium id.
  public let id = "Acrobot-v1"
  /// Gymnasium's registered time limit (or the one passed to `init`); `nil`: no limit.
  public let maxEpisodeSteps: Int?
  /// Steps since the last reset (Gymnasium `TimeLimit._elapsed_steps`).
  public var elapsedSteps = 0

  /// Whether Gymnasium would hold the state as a `float32` array: true right after ``reset(using:into:)``,
  /// false after a step or after assigning ``state``. It only changes how the observation's
  /// `cos`/`sin` are computed (NumPy float32 kernels instead of `float64` libm).
  public var stateIsSinglePrecision = false

  // Constants, as Gymnasium's class attributes.
  let dt = 0.2
  let linkLength1 = 1.0
  let linkMass1 = 1.0
  let linkMass2 = 1.0
  let linkCenterOfMass1 = 0.5
  let linkCenterOfMass2 = 0.5
  let linkMomentOfInertia = 1.0
  let maxVelocity1 = 4 * Double.pi
  let maxVelocity2 = 9 * Double.pi
  let availableTorque: [Double] = [-1.0, 0.0, 1]

  var theta1 = 0.0, theta2 = 0.0, dTheta1 = 0.0, dTheta2 = 0.0

  /// `Box(-high, high)` with `high = [1, 1, 1, 1, 4π, 9π]` in `float32`.
  public let observationSpace: Space
  /// `Discrete(3)`: torque −1, 0, +1 on the middle joint.
  public let actionSpace: Space = .discrete(n: 3)

  /// Creates the environment; `maxEpisodeSteps` defaults to Acrobot-v1's 500 (`nil`: no limit).
  public init(maxEpisodeSteps: Int? = 500) {
    self.maxEpisodeSteps = maxEpisodeSteps
    let high = [1.0, 1.0, 1.0, 1.0, 4 * Double.pi, 9 * Double.pi].map { Double(Float($0)) }
    observationSpace = .box(low: high.map { -$0 }, high: high)
  }

  /// `[θ₁, θ₂, θ̇₁, θ̇₂]`. Assigning sets ``stateIsSinglePrecision`` to false (a `float64` array).
  public var state: [Double] {
    get { [theta1, theta2, dTheta1, dTheta2] }
    set {
      precondition(newValue.count == 4, "Acrobot state has 4 components, got \(newValue.count)")
      (theta1, theta2, dTheta1, dTheta2) = (newValue[0], newValue[1], newValue[2], newValue[3])
      stateIsSinglePrecision = false
    }
  }

  /// Draws the initial state from `random` (ranges in the type documentation), restarts the time
  /// limit and writes the first observation.
  public func reset(using random: RandomStream, into raw: UnsafeMutableRawBufferPointer) {
    // Deviation: Gymnasium draws from NumPy's PCG64; we draw the same U[−0.1, 0.1) from our stream,
    // then round to float32 as Gymnasium's `.astype(np.float32)` does.
    theta1 = Double(Float(random.uniform(low: -0.1, high: 0.1)))
    theta2 = Double(Float(random.uniform(low: -0.1, high: 0.1)))
    dTheta1 = Double(Float(random.uniform(low: -0.1, high: 0.1)))
    dTheta2 = Double(Float(random.uniform(low: -0.1, high: 0.1)))
    stateIsSinglePrecision = true
    elapsedSteps = 0
    writeObservation(into: raw)
  }

  /// Advances one step with the dynamics in the type documentation and writes the observation.
  public func step(
    _ action: UnsafeBufferPointer<Double>, into raw: UnsafeMutableRawBufferPointer
  ) throws(EnvironmentError) -> StepOutcome {
    try checkAction(action)
    let a = action[0]
    let torque = availableTorque[Int(a)]

    // rk4(self._dsdt, [s, torque], [0, dt]) with Gymnasium's bookkeeping.
    let y0 = (theta1, theta2, dTheta1, dTheta2)
    let dt2 = dt / 2.0
    let k1 = derivatives(y0, torque)
    let k2 = derivatives(
      (y0.0 + dt2 * k1.0, y0.1 + dt2 * k1.1, y0.2 + dt2 * k1.2, y0.3 + dt2 * k1.3), torque)
    let k3 = derivatives(
      (y0.0 + dt2 * k2.0, y0.1 + dt2 * k2.1, y0.2 + dt2 * k2.2, y0.3 + dt2 * k2.3), torque)
    let k4 = derivatives(
      (y0.0 + dt * k3.0, y0.1 + dt * k3.1, y0.2 + dt * k3.2, y0.3 + dt * k3.3), torque)
    let sixth = dt / 6.0
    let n0 = y0.0 + sixth * (k1.0 + 2 * k2.0 + 2 * k3.0 + k4.0)
    let n1 = y0.1 + sixth * (k1.1 + 2 * k2.1 + 2 * k3.1 + k4.1)
    let n2 = y0.2 + sixth * (k1.2 + 2 * k2.2 + 2 * k3.2 + k4.2)
    let n3 = y0.3 + sixth * (k1.3 + 2 * k2.3 + 2 * k3.3 + k4.3)

    theta1 = Acrobot.wrap(n0, -Double.pi, Double.pi)
    theta2 = Acrobot.wrap(n1, -Double.pi, Double.pi)
    dTheta1 = Acrobot.bound(n2, -maxVelocity1, maxVelocity1)
    dTheta2 = Acrobot.bound(n3, -maxVelocity2, maxVelocity2)
    stateIsSinglePrecision = false

    let terminated = -cos(theta1) - cos(theta2 + theta1) > 1.0
    writeObservation(into: raw)
    return StepOutcome(
      reward: terminated ? 0.0 : -1.0, terminated: terminated, truncated: advanceTimeLimit())
  }

  /// Writes the `Float32` observation of the current state.
  public func writeObservation(into raw: UnsafeMutableRawBufferPointer) {
    let observation = raw.float32Components
    precondition(observation.count == 6, "Acrobot observations have 6 components")
    if stateIsSinglePrecision {
      let t1 = Float(theta1), t2 = Float(theta2)
      observation[0] = NumPyFloat32Trigonometry.cos(t1)
      observation[1] = NumPyFloat32Trigonometry.sin(t1)
      observation[2] = NumPyFloat32Trigonometry.cos(t2)
      observation[3] = NumPyFloat32Trigonometry.sin(t2)
    } else {
      observation[0] = Float(cos(theta1))
      observation[1] = Float(sin(theta1))
      observation[2] = Float(cos(theta2))
      observation[3] = Float(sin(theta2))
    }
    observation[4] = Float(dTheta1)
    observation[5] = Float(dTheta2)
  }

  /// Gymnasium's `_dsdt` ("book" variant): `(θ̇₁, θ̇₂, θ̈₁, θ̈₂)` at `s` under torque `a`.
  @inline(__always)
  private func derivatives(
    _ s: (Double, Double, Double, Double), _ a: Double
  ) -> (Double, Double, Double, Double) {
    let m1 = linkMass1, m2 = linkMass2, l1 = linkLength1
    let lc1 = linkCenterOfMass1, lc2 = linkCenterOfMass2
    let i1 = linkMomentOfInertia, i2 = linkMomentOfInertia
    let g = 9.8
    let (theta1, theta2, dtheta1, dtheta2) = s
    // `lc1**2` etc. are Python floats (exact here); `dtheta2**2` and `d2**2` are NumPy scalars → pow.
    let lc1Squared = lc1 * lc1, lc2Squared = lc2 * lc2, l1Squared = l1 * l1
    let cosTheta2 = cos(theta2), sinTheta2 = sin(theta2)
    let d1 = m1 * lc1Squared + m2 * (l1Squared + lc2Squared + 2 * l1 * lc2 * cosTheta2) + i1 + i2
    let d2 = m2 * (lc2Squared + l1 * lc2 * cosTheta2) + i2
    let phi2 = m2 * lc2 * g * cos(theta1 + theta2 - Double.pi / 2.0)
    let phi1 =
      -m2 * l1 * lc2 * numpyPower(dtheta2, 2) * sinTheta2
      - 2 * m2 * l1 * lc2 * dtheta2 * dtheta1 * sinTheta2
      + (m1 * lc1 + m2 * l1) * g * cos(theta1 - Double.pi / 2)
      + phi2
    let ddtheta2 =
      (a + d2 / d1 * phi1 - m2 * l1 * lc2 * numpyPower(dtheta1, 2) * sinTheta2 - phi2)
      / (m2 * lc2Squared + i2 - numpyPower(d2, 2) / d1)
    let ddtheta1 = -(d2 * ddtheta2 + phi1) / d1
    return (dtheta1, dtheta2, ddtheta1, ddtheta2)
  }

  /// Gymnasium's `wrap(x, m, M)`: shifts `x` by `M − m` until `m ≤ x ≤ M`.
  ///
  /// Deviation: Gymnasium loops forever on ±∞; we return non-finite values unchanged.
  static func wrap(_ value: Double, _ m: Double, _ bigM: Double) -> Double {
    guard value.isFinite else { return value }
    let diff = bigM - m
    var x = value
    while x > bigM { x = x - diff }
    while x < m { x = x + diff }
    return x
  }

  /// Gymnasium's `bound(x, m, M)`: Python's `min(max(x, m), M)`.
  static func bound(_ x: Double, _ m: Double, _ bigM: Double) -> Double {
    PythonArithmetic.min(PythonArithmetic.max(x, m), bigM)
  }
}
