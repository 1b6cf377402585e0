import Environments
import LinearAlgebra
import Randomness

/// Collects one ACER rollout: `T` steps in `E` environments into an ``ACERBatch``, as
/// stable-baselines' ACER `_Runner` does (algorithms.md §4.3).
///
/// At step `t` it records the current observation `s_t`, samples `a_t ~ π(·|s_t)` and records the
/// behaviour probabilities `μ_t = softmax(logits(s_t))`, then steps the environments (which reset
/// themselves after an episode ends) and records `r_t` and `d_t`. After the loop it appends the
/// final observation `s_T`, so each environment has `T+1` observations.
///
/// A recurrent policy steps from the carried state with the previous dones as masks (SB2 calls
/// `step` and `proba_step` with the same state); the batch records the state before `s_0` and the
/// masks `[d_{−1}, d_0, …, d_{T−1}]` of every segment, and the state carries over to the next rollout.
public final class ACERRollout {
  /// The collected data (overwritten by every ``collect(policy:environment:random:onStep:)``).
  public let batch: ACERBatch

  private var stepObservations = Matrix(rows: 0, columns: 0)
  private var stepActions = Matrix(rows: 0, columns: 0)
  private var stepProbabilities = Matrix(rows: 0, columns: 0)
  private var environmentActions: [Double] = []
  /// Recurrent policies: the state carried to the next step (and rollout), `[E, 2n]`.
  var currentStates: Matrix
  /// Recurrent policies: the dones of the last step, the next step's masks.
  var previousDones: [Float]

  /// A rollout of `steps` steps in `environmentCount` environments.
  /// - Parameter stateCount: state values per environment of a recurrent policy (0 for none).
  public init(environmentCount: Int, steps: Int, observationSpace: Space, actionCount: Int, stateCount: Int = 0) {
    batch = ACERBatch(
      environmentCount: environmentCount, steps: steps, observationSpace: observationSpace, actionCount: actionCount,
      stateCount: stateCount)
    environmentActions = [Double](repeating: 0, count: environmentCount)
    currentStates = Matrix(rows: environmentCount, columns: stateCount)
    previousDones = [Float](repeating: 0, count: stateCount > 0 ? environmentCount : 0)
  }

  /// Collects `T` steps with the current policy.
  ///
  /// - Parameters:
  ///   - onStep: called after every vectorised step with the episodes completed in it; returning
  ///     `false` stops the rollout early (the batch is then incomplete and must not be used).
  /// - Returns: `false` when `onStep` asked to stop.
  /// - Throws: ``TrainingError/environment(_:)`` when the environment refuses a step.
  public func collect(
    policy: ActorCriticPolicy, environment: any VectorizedEnvironment, random: RandomStream,
    onStep: ([EpisodeRecord]) -> Bool
  ) throws(TrainingError) -> Bool {
    let network = policy.network
    let distribution = policy.distribution
    let E = batch.environmentCount
    let T = batch.steps
    let n = batch.actionCount
    precondition(
      environment.count == E, "ACERRollout: environment has \(environment.count) copies, expected \(E)")
    let recurrent = batch.isRecurrent
    if recurrent { copyElements(of: currentStates, into: &batch.initialStates) }
    for t in 0..<T {
      // 1. Record s_t at row env·(T+1) + t (recurrent: and its mask d_{t−1}).
      recordObservations(environment.observations, step: t)

      // 2. a_t ~ π(·|s_t) and μ_t = softmax(logits(s_t)) (SB2 `step` and `proba_step`).
      policy.preprocess(environment.observations, into: &stepObservations)
      network.forward(stepObservations, computeValue: false, sequence: stepSequence)
      if recurrent { copyElements(of: network.recurrentLayer!.finalState, into: &currentStates) }
      distribution.sample(parameters: network.distributionParameters, random: random, into: &stepActions)
      distribution.probabilities(parameters: network.distributionParameters, into: &stepProbabilities)
      for env in 0..<E {
        let i = env * T + t
        let a = Int32(stepActions.elements[env])
        batch.actions[i] = a
        environmentActions[env] = Double(a)
        for j in 0..<n { batch.behaviourProbabilities[i * n + j] = stepProbabilities.elements[env * n + j] }
      }

      // 3. Step the environments; r_t and d_t (the episode ended after a_t).
      do { try environment.step(environmentActions) } catch { throw .environment(error) }
      let rewards = environment.rewards
      let dones = environment.dones
      for env in 0..<E {
        batch.rewards[env * T + t] = rewards[env]
        batch.dones[env * T + t] = dones[env]
      }
      if recurrent { for env in 0..<E { previousDones[env] = dones[env] ? 1 : 0 } }
      if !onStep(environment.completedEpisodes) { return false }
    }
    // 4. The final observation s_T of every environment.
    recordObservations(environment.observations, step: T)
    return true
  }

  private func recordObservations(_ observations: ObservationBuffer, step t: Int) {
    let E = batch.environmentCount
    let T = batch.steps
    precondition(observations.count == E, "ACERRollout: expected observations of \(E) environments")
    for env in 0..<E { batch.observations.copyObservation(env * (T + 1) + t, from: observations, at: env) }
    if batch.isRecurrent { for env in 0..<E { batch.masks[env * (T + 1) + t] = previousDones[env] } }
  }

  /// One step of every environment from the carried state (`nil` for a feed-forward policy).
  private var stepSequence: RecurrentSequence? {
    batch.isRecurrent ? RecurrentSequence(initialState: currentStates, masks: previousDones, steps: 1) : nil
  }
}
