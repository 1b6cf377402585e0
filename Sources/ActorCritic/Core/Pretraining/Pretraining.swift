import Environments
import LinearAlgebra
import NeuralNetwork

/// One reported interval of ``ActorCriticModel/pretrain(dataset:epochs:learningRate:adamEpsilon:validationInterval:)``.
public struct PretrainingProgress: Sendable, Equatable {
  /// The epoch (1-based) at the end of which the losses were measured.
  public var epoch: Int
  /// The mean of the epoch's training-batch losses.
  public var trainingLoss: Double
  /// The mean loss over one pass of the validation batches.
  public var validationLoss: Double

  /// SB2's printed lines for this interval.
  public func logLines(epochs: Int) -> String {
    """
    ==== Training progress \(String(format: "%.2f", 100 * Double(epoch) / Double(epochs)))% ====
    Epoch \(epoch)
    Training loss: \(String(format: "%.6f", trainingLoss)), Validation loss: \(String(format: "%.6f", validationLoss))

    """
  }
}

extension ActorCriticModel {
  /// Behaviour cloning: supervised training of the policy on expert (observation, action) pairs
  /// (SB2 `pretrain`, `common/base_class.py`).
  ///
  /// ```
  /// adam = Adam(learning_rate, ε = adam_epsilon)                  (TensorFlow semantics, fresh per call)
  /// for epoch in 1 … n_epochs:
  ///     for _ in 1 … ⌈|train| / batch_size⌉:  one Adam step on BehaviorCloningLoss of the next training batch
  ///     every val_interval epochs: the mean training loss of the epoch and the mean validation loss
  /// ```
  /// Only the variables the loss reaches are trained (the feature extractor, the shared and
  /// policy trunks and the policy head; TensorFlow skips variables without a gradient). The loss
  /// is the softmax cross-entropy for Discrete actions and the squared error of the Gaussian mean
  /// for Box actions (``BehaviorCloningLoss``). With `verbose ≥ 1` the model prints SB2's lines.
  ///
  /// Deviations from SB2:
  /// - SB2 runs `tf.global_variables_initializer()` first, which re-draws every variable of the
  ///   model, so pretraining a trained or loaded model silently starts from a new random network
  ///   (and resets its RMSProp/K-FAC state). Ours trains the model's current parameters and
  ///   leaves its optimiser state alone.
  /// - The losses are measured every `val_interval` epochs whatever the verbosity (SB2 measures
  ///   the validation loss only when it prints); they only read the validation loader, whose
  ///   shuffles have their own stream, so the training is the same either way.
  ///
  /// - Parameters:
  ///   - epochs: passes over the training split (SB2 `n_epochs`, 10).
  ///   - learningRate: Adam's learning rate (1e-4).
  ///   - adamEpsilon: Adam's ε̂ (1e-8).
  ///   - validationInterval: epochs between reports; `nil` for SB2's default `max(1, n_epochs / 10)`.
  /// - Returns: the reported intervals.
  /// - Throws: ``ConfigurationError`` for an argument out of range; ``ExpertDataError`` when the
  ///   action space is neither Discrete nor Box or the data does not fit the model (observation
  ///   width, action width, an action index outside the space); ``TrainingError/nonFinite(quantity:update:timesteps:)``
  ///   when a loss becomes NaN or infinite (the parameters of the last good step are kept).
  @discardableResult
  public func pretrain(
    dataset: ExpertDataset, epochs: Int = 10, learningRate: Double = 1e-4, adamEpsilon: Double = 1e-8,
    validationInterval: Int? = nil
  ) throws -> [PretrainingProgress] {
    try require(epochs >= 0, "n_epochs", epochs, "n_epochs ≥ 0")
    try require(learningRate >= 0 && learningRate.isFinite, "learning_rate", learningRate, "learning_rate ≥ 0")
    try require(adamEpsilon > 0 && adamEpsilon.isFinite, "adam_epsilon", adamEpsilon, "adam_epsilon > 0")
    if let validationInterval { try require(validationInterval >= 1, "val_interval", validationInterval, "val_interval ≥ 1") }
    // SB2's pretrain feeds no state or masks, so it cannot run a recurrent policy's graph.
    guard !policy.isRecurrent else {
      throw ConfigurationError.invalidValue(
        field: "policy", value: "a recurrent (LSTM) policy",
        allowed: "a feed-forward policy (expert transitions carry no recurrent state)")
    }
    let loss = try behaviorCloningLoss(for: dataset)
    let interval = validationInterval ?? max(1, epochs / 10)

    let network = policy.network
    let trained = network.featureExtractor.parameters + network.sharedTrunk.parameters
      + network.policyTrunk.parameters + network.policyHead.parameters
    let adam = Adam(parameters: trained, epsilon: Float(adamEpsilon))
    var inputs = Matrix(rows: 0, columns: 0)
    var gradient = Matrix(rows: 0, columns: 0)
    var saved: [[Float]] = []

    /// The loss of one batch, after a forward pass.
    func batchLoss(_ rows: ArraySlice<Int>) -> (loss: Float, actions: [Float]) {
      let (observations, actions) = dataset.batch(rows)
      policy.preprocess(ObservationBuffer(observations, elementsPerObservation: dataset.observationWidth), into: &inputs)
      network.forward(inputs, computeValue: false)
      return (loss.evaluate(parameters: network.distributionParameters, actions: actions, gradient: &gradient), actions)
    }

    if verbose > 0 { print("Pretraining with Behavior Cloning...") }
    var progress: [PretrainingProgress] = []
    for epoch in stride(from: 1, through: epochs, by: 1) {
      var trainingLoss: Double = 0
      let batches = dataset.batchCount(.train)
      for step in 0..<batches {
        let value = batchLoss(dataset.nextBatch(.train)).loss
        guard value.isFinite else {
          for (p, values) in zip(trained, saved) { p.value.elements = values }
          throw TrainingError.nonFinite(quantity: "pretraining loss", update: (epoch - 1) * batches + step + 1, timesteps: timesteps)
        }
        trainingLoss += Double(value)
        network.backward(distributionParameterGradient: gradient, valueGradient: nil)
        saved = trained.map(\.value.elements)
        adam.step(learningRate: Float(learningRate))
      }
      trainingLoss /= Double(batches)
      if epoch % interval == 0 {
        var validationLoss: Double = 0
        let validationBatches = dataset.batchCount(.validation)
        for _ in 0..<validationBatches { validationLoss += Double(batchLoss(dataset.nextBatch(.validation)).loss) }
        validationLoss /= Double(max(validationBatches, 1))
        let report = PretrainingProgress(epoch: epoch, trainingLoss: trainingLoss, validationLoss: validationLoss)
        progress.append(report)
        if verbose > 0 { print(report.logLines(epochs: epochs)) }
      }
    }
    if verbose > 0 { print("Pretraining done.") }
    return progress
  }

  /// SB2's loss for this model's action space, after checking that `dataset` fits the model.
  func behaviorCloningLoss(for dataset: ExpertDataset) throws(ExpertDataError) -> BehaviorCloningLoss {
    guard dataset.observationWidth == policy.rawObservationCount else {
      throw .incompatible(
        field: "obs",
        reason: "has \(dataset.observationWidth) components per step, the model's observation space \(policy.observationSpace) has \(policy.rawObservationCount)")
    }
    switch policy.actionSpace {
    case .discrete(let n):
      guard dataset.actionWidth == 1 else {
        throw .incompatible(field: "actions", reason: "has \(dataset.actionWidth) components per step, Discrete(\(n)) needs one index")
      }
      if let i = dataset.actions.firstIndex(where: { $0 < 0 || $0 >= Float(n) || $0 != $0.rounded() }) {
        throw .incompatible(field: "actions", reason: "holds \(dataset.actions[i]) at step \(i), outside Discrete(\(n)) (0 … \(n - 1))")
      }
      return .crossEntropy(actionCount: n)
    case .box(let low, _, _, _):
      guard dataset.actionWidth == low.count else {
        throw .incompatible(
          field: "actions", reason: "has \(dataset.actionWidth) components per step, the action space \(policy.actionSpace) has \(low.count)")
      }
      return .meanSquaredError(dimension: low.count)
    default:
      throw .unsupportedSpace(field: "action space", space: "\(policy.actionSpace)", supported: "Discrete, Box (as SB2's pretrain)")
    }
  }
}
