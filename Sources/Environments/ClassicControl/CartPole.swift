#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Randomness

/// CartPole-v1: balance a pole on a cart by pushing it left or right (Barto, Sutton & Anderson 1983).
///
/// A bit-exact port of Gymnasium 1.x `envs/classic_control/cartpole.py` (default
/// `sutton_barto_reward=False`, Euler integrator), in `Double`, with the same operation order:
/// ```
/// F      = ±10                                  (action 1 pushes right)
/// temp   = (F + m_p·l·θ̇²·sin θ) / (m_c + m_p)
/// θ̈      = (g·sin θ − cos θ·temp) / (l·(4/3 − m_p·cos²θ/(m_c + m_p)))
/// ẍ      = temp − m_p·l·θ̈·cos θ/(m_c + m_p)
/// x ← x + τẋ,  ẋ ← ẋ + τẍ,  θ ← θ + τθ̇,  θ̇ ← θ̇ + τθ̈          (τ = 0.02, l = 0.5 = half length)
/// terminated = |x| > 2.4 or |θ| > 12·2π/360;  reward = 1 (0 for steps after termination)
/// ```
/// Observation `[x, ẋ, θ, θ̇]` as `Float32`; 500 steps per episode; reset draws each state
/// component uniformly from `[−0.05, 0.05)`.
public final class CartPole: Environment {
  /// The Gymnasium id.
  public let id = "CartPole-v1"
  /// Gymnasium's registered time limit (or the one passed to `init`); `nil`: no limit.
  public let maxEpisodeSteps: Int?
  /// Steps since the last reset (Gymnasium `TimeLimit._elapsed_steps`).
  public var elapsedSteps = 0

  /// Gymnasium's `steps_beyond_terminated`: `nil` until the episode terminates, then the number of
  /// steps taken after that; such steps earn reward 0 (Gymnasium also logs a warning).
  public var stepsBeyondTerminated: Int?

  // Constants, written as Gymnasium computes them.
  let gravity = 9.8
  let massCart = 1.0
  let massPole = 0.1
  let totalMass: Double
  let length = 0.5
  let poleMassLength: Double
  let forceMagnitude = 10.0
  let tau = 0.02
  let thetaThresholdRadians = 12 * 2 * Double.pi / 360
  let xThreshold = 2.4

  var x = 0.0, xDot = 0.0, theta = 0.0, thetaDot = 0.0

  /// `Box(-high, high)` with `high = [4.8, inf, 24·2π/360, inf]` in `float32`.
  public let observationSpace: Space
  /// `Discrete(2)`: 0 pushes left, 1 pushes right.
  public let actionSpace: Space = .discrete(n: 2)

  /// Creates the environment; `maxEpisodeSteps` defaults to CartPole-v1's 500 (`nil`: no limit).
  public init(maxEpisodeSteps: Int? = 500) {
    self.maxEpisodeSteps = maxEpisodeSteps
    totalMass = massPole + massCart
    poleMassLength = massPole * length
    let high = [xThreshold * 2, .infinity, thetaThresholdRadians * 2, .infinity]
      .map { Double(Float($0)) }
    observationSpace = .box(low: high.map { -$0 }, high: high)
  }

  /// `[x, ẋ, θ, θ̇]`.
  public var state: [Double] {
    get { [x, xDot, theta, thetaDot] }
    set {
      precondition(newValue.count == 4, "CartPole state has 4 components, got \(newValue.count)")
      (x, xDot, theta, thetaDot) = (newValue[0], newValue[1], newValue[2], newValue[3])
    }
  }

  /// Draws the initial state from `random` (ranges in the type documentation), restarts the time
  /// limit and writes the first observation.
  public func reset(using random: RandomStream, into raw: UnsafeMutableRawBufferPointer) {
    // Deviation: Gymnasium draws from NumPy's PCG64; we draw the same U[−0.05, 0.05) from our stream.
    x = random.uniform(low: -0.05, high: 0.05)
    xDot = random.uniform(low: -0.05, high: 0.05)
    theta = random.uniform(low: -0.05, high: 0.05)
    thetaDot = random.uniform(low: -0.05, high: 0.05)
    stepsBeyondTerminated = nil
    elapsedSteps = 0
    writeObservation(into: raw)
  }

  /// Advances one step with the dynamics in the type documentation and writes the observation.
  public func step(
    _ action: UnsafeBufferPointer<Double>, into raw: UnsafeMutableRawBufferPointer
  ) throws(EnvironmentError) -> StepOutcome {
    try checkAction(action)
    let a = action[0]
    let force = a == 1 ? forceMagnitude : -forceMagnitude
    let cosTheta = cos(theta)
    let sinTheta = sin(theta)
    let temp = (force + poleMassLength * (thetaDot * thetaDot) * sinTheta) / totalMass
    let thetaAcc = (gravity * sinTheta - cosTheta * temp)
      / (length * (4.0 / 3.0 - massPole * (cosTheta * cosTheta) / totalMass))
    let xAcc = temp - poleMassLength * thetaAcc * cosTheta / totalMass
    x = x + tau * xDot
    xDot = xDot + tau * xAcc
    theta = theta + tau * thetaDot
    thetaDot = thetaDot + tau * thetaAcc

    let terminated =
      x < -xThreshold || x > xThreshold || theta < -thetaThresholdRadians
      || theta > thetaThresholdRadians
    let reward: Double
    if !terminated {
      reward = 1
    } else if let beyond = stepsBeyondTerminated {
      stepsBeyondTerminated = beyond + 1
      reward = 0
    } else {
      stepsBeyondTerminated = 0
      reward = 1
    }
    writeObservation(into: raw)
    return StepOutcome(reward: reward, terminated: terminated, truncated: advanceTimeLimit())
  }

  /// Writes the `Float32` observation of the current state.
  public func writeObservation(into raw: UnsafeMutableRawBufferPointer) {
    let observation = raw.float32Components
    precondition(observation.count == 4, "CartPole observations have 4 components")
    observation[0] = Float(x)
    observation[1] = Float(xDot)
    observation[2] = Float(theta)
    observation[3] = Float(thetaDot)
  }
}
