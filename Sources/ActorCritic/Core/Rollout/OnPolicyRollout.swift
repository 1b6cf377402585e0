import Environments
import LinearAlgebra
import Randomness

/// One synchronous rollout of `T` steps in `E` environments, stored env-major
/// (row `env·T + t`), as stable-baselines' `A2CRunner` lays it out (algorithms.md §1.2).
///
/// At step `t` the runner records the current observation, samples `a ~ π(·|s)` and `V(s)`, then
/// steps the environments, which reset themselves after an episode ends. `dones[env·T + t]` says
/// the episode ended after action `t`; ``lastValues`` holds `V(s_T)` for bootstrapping.
public final class OnPolicyRollout {
  /// `E`.
  public let environmentCount: Int
  /// `T` (`n_steps`).
  public let steps: Int
  /// Raw observations `s_t` in the environment's element type (uint8 frames stay uint8), row
  /// `env·T + t`; the policy preprocesses them for the update.
  public let observations: ObservationBuffer
  /// Sampled (unclipped) actions, `[E·T, actionDimension]`.
  public private(set) var actions: Matrix
  /// `V(s_t)` at rollout time.
  public private(set) var values: [Float]
  /// Rewards as the (possibly normalised) environment returned them.
  public private(set) var rewards: [Float]
  /// Episode ended after action `t`.
  public private(set) var dones: [Bool]
  /// `V(s_T)` per environment.
  public private(set) var lastValues: [Float]

  private var stepObservations: Matrix
  private var stepActions: Matrix
  private var environmentActions: [Double] = []

  public init(environmentCount: Int, steps: Int, observationSpace: Space, inputs: Int, actionDimension: Int) {
    self.environmentCount = environmentCount
    self.steps = steps
    let batch = environmentCount * steps
    observations = ObservationBuffer(space: observationSpace, count: batch)
    actions = Matrix(rows: batch, columns: actionDimension)
    values = [Float](repeating: 0, count: batch)
    rewards = [Float](repeating: 0, count: batch)
    dones = [Bool](repeating: false, count: batch)
    lastValues = [Float](repeating: 0, count: environmentCount)
    stepObservations = Matrix(rows: environmentCount, columns: inputs)
    stepActions = Matrix(rows: environmentCount, columns: actionDimension)
  }

  /// `E·T`.
  public var batchSize: Int { environmentCount * steps }

  /// Collects `T` steps with the current policy.
  ///
  /// - Parameters:
  ///   - onStep: called after every vectorised step with the episodes completed in it; returning
  ///     `false` stops the rollout early (the rollout is then incomplete and must not be trained on).
  /// - Returns: `false` when `onStep` asked to stop.
  /// - Throws: ``TrainingError/environment(_:)`` when the environment refuses a step.
  public func collect(
    policy: ActorCriticPolicy, environment: any VectorizedEnvironment, random: RandomStream,
    onStep: ([EpisodeRecord]) -> Bool
  ) throws(TrainingError) -> Bool {
    let network = policy.network
    let distribution = policy.distribution
    let actionDimension = distribution.actionDimension
    let E = environmentCount, T = steps
    for t in 0..<T {
      // 1. π(·|s_t) and V(s_t) for every environment.
      policy.preprocess(environment.observations, into: &stepObservations)
      network.forward(stepObservations)
      distribution.sample(parameters: network.distributionParameters, random: random, into: &stepActions)

      // 2. Record s_t, a_t, V(s_t) at rows env·T + t.
      for env in 0..<E { observations.copyObservation(env * T + t, from: environment.observations, at: env) }
      actions.elements.withUnsafeMutableBufferPointer { dst in
        stepActions.elements.withUnsafeBufferPointer { src in
          for env in 0..<E {
            (dst.baseAddress! + (env * T + t) * actionDimension)
              .update(from: src.baseAddress! + env * actionDimension, count: actionDimension)
          }
        }
      }
      for env in 0..<E { values[env * T + t] = network.values[env] }

      // 3. Step the environments (Box actions clipped on the way out).
      policy.environmentActions(stepActions, into: &environmentActions)
      do { try environment.step(environmentActions) } catch { throw .environment(error) }
      for env in 0..<E {
        rewards[env * T + t] = environment.rewards[env]
        dones[env * T + t] = environment.dones[env]
      }
      if !onStep(environment.completedEpisodes) { return false }
    }
    // 4. Bootstrap values V(s_T) of the observations after the last step.
    policy.preprocess(environment.observations, into: &stepObservations)
    network.forward(stepObservations)
    for env in 0..<E { lastValues[env] = network.values[env] }
    return true
  }
}
