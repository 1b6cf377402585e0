import Environments
import LinearAlgebra
import Randomness

/// One synchronous rollout of `T` steps in `E` environments, stored env-major
/// (row `env·T + t`), as stable-baselines' `A2CRunner` lays it out (algorithms.md §1.2).
///
/// At step `t` the runner records the current observation, samples `a ~ π(·|s)` and `V(s)`, then
/// steps the environments, which reset themselves after an episode ends. `dones[env·T + t]` says
/// the episode ended after action `t`; ``lastValues`` holds `V(s_T)` for bootstrapping.
///
/// With a recurrent policy the rollout also carries the runner's state across rollouts, as
/// `A2CRunner` does (algorithms.md §2.4): the policy steps with `(s_t, state, done_{t−1})`, the
/// state at the start of the rollout and the masks `done_{t−1}` (env-major) are kept for the
/// update, which unrolls the same `T` steps from them (``sequence``).
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
  /// Recurrent policies: the state at the start of this rollout, `[E, 2n]` (SB2 `mb_states`).
  public private(set) var initialStates: Matrix
  /// Recurrent policies: `done_{t−1}` for every row (SB2 `mb_masks`), 1 where an episode began.
  public private(set) var masks: [Float]
  /// Recurrent policies: the runner's current state, carried from rollout to rollout.
  public internal(set) var currentStates: Matrix
  /// Recurrent policies: the dones of the last step (SB2 `runner.dones`, initially `False`).
  var previousDones: [Float]

  /// Called with `t` right after the policy's forward pass of step `t` (not the bootstrap pass
  /// after the last step), while the network still holds that step's activations; A2C and
  /// ACKTR record them there (``ForwardPassRecording``).
  public var afterStepForward: ((Int) -> Void)?

  private var stepObservations: Matrix
  private var stepActions: Matrix
  private var environmentActions: [Double] = []

  /// - Parameter stateCount: state values per environment of a recurrent policy (0 for none).
  public init(
    environmentCount: Int, steps: Int, observationSpace: Space, inputs: Int, actionDimension: Int, stateCount: Int = 0
  ) {
    self.environmentCount = environmentCount
    self.steps = steps
    let batch = environmentCount * steps
    observations = ObservationBuffer(space: observationSpace, count: batch)
    actions = Matrix(rows: batch, columns: actionDimension)
    values = [Float](repeating: 0, count: batch)
    rewards = [Float](repeating: 0, count: batch)
    dones = [Bool](repeating: false, count: batch)
    lastValues = [Float](repeating: 0, count: environmentCount)
    initialStates = Matrix(rows: environmentCount, columns: stateCount)
    currentStates = initialStates
    masks = stateCount > 0 ? [Float](repeating: 0, count: batch) : []
    previousDones = [Float](repeating: 0, count: stateCount > 0 ? environmentCount : 0)
    stepObservations = Matrix(rows: environmentCount, columns: inputs)
    stepActions = Matrix(rows: environmentCount, columns: actionDimension)
  }

  /// `E·T`.
  public var batchSize: Int { environmentCount * steps }

  /// Whether the rollout carries a recurrent state.
  public var isRecurrent: Bool { initialStates.columns > 0 }

  /// What the update unrolls: `T` steps of the `E` environments from ``initialStates`` with
  /// ``masks`` (`nil` for a feed-forward policy).
  public var sequence: RecurrentSequence? {
    isRecurrent ? RecurrentSequence(initialState: initialStates, masks: masks, steps: steps) : nil
  }

  /// One step of every environment from the carried state (`nil` for a feed-forward policy).
  private var stepSequence: RecurrentSequence? {
    isRecurrent ? RecurrentSequence(initialState: currentStates, masks: previousDones, steps: 1) : nil
  }

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
    let recurrent = isRecurrent
    if recurrent { copyElements(of: currentStates, into: &initialStates) }
    for t in 0..<T {
      // 1. π(·|s_t) and V(s_t) for every environment (recurrent: from the carried state, reset
      //    where the previous step ended an episode).
      policy.preprocess(environment.observations, into: &stepObservations)
      network.forward(stepObservations, sequence: stepSequence)
      afterStepForward?(t)
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
      if recurrent {
        for env in 0..<E { masks[env * T + t] = previousDones[env] }
        copyElements(of: network.recurrentLayer!.finalState, into: &currentStates)
      }

      // 3. Step the environments (Box actions clipped on the way out).
      policy.environmentActions(stepActions, into: &environmentActions)
      do { try environment.step(environmentActions) } catch { throw .environment(error) }
      for env in 0..<E {
        rewards[env * T + t] = environment.rewards[env]
        dones[env * T + t] = environment.dones[env]
      }
      if recurrent { for env in 0..<E { previousDones[env] = environment.dones[env] ? 1 : 0 } }
      if !onStep(environment.completedEpisodes) { return false }
    }
    // 4. Bootstrap values V(s_T) of the observations after the last step.
    policy.preprocess(environment.observations, into: &stepObservations)
    network.forward(stepObservations, sequence: stepSequence)
    for env in 0..<E { lastValues[env] = network.values[env] }
    return true
  }
}

/// `destination ← source` element by element, keeping the destination's storage (no allocation
/// once sized, and no storage shared with the source's owner).
func copyElements(of source: Matrix, into destination: inout Matrix) {
  destination.reshape(rows: source.rows, columns: source.columns)
  destination.elements.withUnsafeMutableBufferPointer { dst in
    source.elements.withUnsafeBufferPointer { src in _ = dst.update(fromContentsOf: src) }
  }
}
