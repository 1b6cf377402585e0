import Environments
import LinearAlgebra

/// One ACER training batch: `E` trajectory segments of `T` steps, env-major, as stable-baselines'
/// ACER `_Runner` returns them and its `Buffer.get()` samples them (algorithms.md §4.3–4.4).
///
/// ```
/// observations            [E, T+1, width]   s_0 … s_T (raw, in the environment's element type)
/// actions, rewards, dones [E, T]            a_t, r_t, d_t (d_t: the episode ended after a_t)
/// behaviourProbabilities  [E, T, n]         μ_t = π_behaviour(·|s_t)
/// masks                   [E, T+1]          recurrent policies: d_{t−1} before s_t (SB2 `mb_masks`)
/// initialStates           [E, 2n]           recurrent policies: the LSTM state before s_0
/// ```
/// Row `env·(T+1) + t` of the observations pairs with row `env·T + t` of the rest; the extra last
/// observation per segment gives `V(s_T)` for the Retrace target. After an episode ends at step
/// `t`, `s_{t+1}` is already the first observation of the next episode (auto-reset), which the
/// `1 − d_t` in Retrace accounts for (openai/baselines#332). The arrays are public so batches can
/// be built by hand; their sizes must not change.
public final class ACERBatch {
  /// `E`.
  public let environmentCount: Int
  /// `T` (`n_steps`).
  public let steps: Int
  /// Components per raw observation.
  public let observationWidth: Int
  /// Number of discrete actions `n`.
  public let actionCount: Int

  /// `[E, T+1, width]`, observation `env·(T+1) + t`, raw (uint8 frames stay uint8).
  public let observations: ObservationBuffer
  /// `[E, T]` action indices, row `env·T + t`.
  public var actions: [Int32]
  /// `[E, T]` rewards as the (possibly normalised) environment returned them.
  public var rewards: [Float]
  /// `[E, T, n]` behaviour-policy probabilities μ.
  public var behaviourProbabilities: [Float]
  /// `[E, T]`: the episode ended after action `t`.
  public var dones: [Bool]
  /// Recurrent policies: `[E, T+1]`, 1 where an episode began at `s_t` (empty otherwise).
  public var masks: [Float]
  /// Recurrent policies: `[E, stateCount]`, the state the segment started from.
  public var initialStates: Matrix

  /// An all-zero batch of `float32` observations of `observationWidth` components.
  public convenience init(
    environmentCount: Int, steps: Int, observationWidth: Int, actionCount: Int, stateCount: Int = 0
  ) {
    self.init(
      environmentCount: environmentCount, steps: steps, observationElementType: .float32,
      observationWidth: observationWidth, actionCount: actionCount, stateCount: stateCount)
  }

  /// An all-zero batch for observations of `observationSpace`.
  public convenience init(
    environmentCount: Int, steps: Int, observationSpace: Space, actionCount: Int, stateCount: Int = 0
  ) {
    self.init(
      environmentCount: environmentCount, steps: steps, observationElementType: observationSpace.observationElementType,
      observationWidth: observationSpace.observationElementCount, actionCount: actionCount, stateCount: stateCount)
  }

  /// An all-zero batch of the given shape and observation element type.
  public init(
    environmentCount: Int, steps: Int, observationElementType: ElementType, observationWidth: Int, actionCount: Int,
    stateCount: Int = 0
  ) {
    precondition(
      environmentCount >= 1 && steps >= 1 && observationWidth >= 1 && actionCount >= 1,
      "ACERBatch needs positive sizes, got E=\(environmentCount) T=\(steps) width=\(observationWidth) "
        + "n=\(actionCount)")
    self.environmentCount = environmentCount
    self.steps = steps
    self.observationWidth = observationWidth
    self.actionCount = actionCount
    let rows = environmentCount * steps
    observations = ObservationBuffer(
      elementType: observationElementType, elementsPerObservation: observationWidth,
      count: environmentCount * (steps + 1))
    actions = [Int32](repeating: 0, count: rows)
    rewards = [Float](repeating: 0, count: rows)
    behaviourProbabilities = [Float](repeating: 0, count: rows * actionCount)
    dones = [Bool](repeating: false, count: rows)
    masks = [Float](repeating: 0, count: stateCount > 0 ? environmentCount * (steps + 1) : 0)
    initialStates = Matrix(rows: environmentCount, columns: stateCount)
  }

  /// Whether the batch carries a recurrent state.
  public var isRecurrent: Bool { initialStates.columns > 0 }

  /// `E·T`, the number of training rows (`n_batch`).
  public var batchSize: Int { environmentCount * steps }

  /// `E·(T+1)`, the number of observations the networks are evaluated on.
  public var observationRows: Int { environmentCount * (steps + 1) }
}
