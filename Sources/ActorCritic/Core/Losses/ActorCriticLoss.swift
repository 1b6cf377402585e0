import LinearAlgebra

/// The A2C/ACKTR training loss and its gradient with respect to the network outputs
/// (algorithms.md §2.3, §3.2):
/// ```
/// L = mean(A · −log π(a|s)) − c_H · mean(H(π(·|s))) + c_V · mean((V(s) − R)²)
/// ∂L/∂params_i = −(A_i/B) ∇log π(a_i) − (c_H/B) ∇H_i;     ∂L/∂V_i = 2 c_V (V_i − R_i)/B
/// ```
/// `A` and `R` are constants: the reference feeds them in as data, so no gradient flows into them.
public struct ActorCriticLoss {
  /// Entropy coefficient c_H.
  public var entropyCoefficient: Float
  /// Value coefficient c_V.
  public var valueCoefficient: Float

  private var logProbabilities: [Float] = []
  private var entropies: [Float] = []
  private var weights: [Float] = []
  private var entropyWeights: [Float] = []

  public init(entropyCoefficient: Float, valueCoefficient: Float) {
    self.entropyCoefficient = entropyCoefficient
    self.valueCoefficient = valueCoefficient
  }

  /// The loss terms, each a batch mean.
  public struct Terms: Sendable, Equatable {
    public var policyLoss: Double
    public var valueLoss: Double
    public var entropy: Double
    /// `policyLoss − c_H·entropy + c_V·valueLoss`.
    public var total: Double
  }

  /// Evaluates the loss and writes `∂L/∂params` (overwritten, `[B, parameterCount]`) and
  /// `∂L/∂V` (overwritten, `B`).
  public mutating func evaluate(
    distribution: AnyActionDistribution, parameters: Matrix, actions: Matrix, values: [Float], returns: [Float],
    advantages: [Float], parameterGradient: inout Matrix, valueGradient: inout [Float]
  ) -> Terms {
    let B = parameters.rows
    let invB = 1 / Float(B)
    distribution.logProbability(parameters: parameters, actions: actions, into: &logProbabilities)
    distribution.entropy(parameters: parameters, into: &entropies)
    if weights.count != B {
      weights = [Float](repeating: 0, count: B)
      entropyWeights = [Float](repeating: 0, count: B)
    }
    if valueGradient.count != B { valueGradient = [Float](repeating: 0, count: B) }
    var policyLoss = 0.0, valueLoss = 0.0, entropy = 0.0
    let entropyWeight = -entropyCoefficient * invB
    let valueScale = 2 * valueCoefficient * invB
    for i in 0..<B {
      weights[i] = -advantages[i] * invB
      entropyWeights[i] = entropyWeight
      let error = values[i] - returns[i]
      valueGradient[i] = valueScale * error
      policyLoss -= Double(advantages[i]) * Double(logProbabilities[i])
      valueLoss += Double(error) * Double(error)
      entropy += Double(entropies[i])
    }
    parameterGradient.reshape(rows: B, columns: distribution.parameterCount)
    parameterGradient.elements.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    distribution.addLogProbabilityGradient(parameters: parameters, actions: actions, weights: weights, into: &parameterGradient)
    distribution.addEntropyGradient(parameters: parameters, weights: entropyWeights, into: &parameterGradient)
    let n = Double(B)
    let terms = Terms(
      policyLoss: policyLoss / n, valueLoss: valueLoss / n, entropy: entropy / n,
      total: (policyLoss - Double(entropyCoefficient) * entropy + Double(valueCoefficient) * valueLoss) / n)
    return terms
  }

  /// `mean_i log π(a_i|s_i)` of the last ``evaluate`` (ACKTR's logged `policy_gradient_fisher_loss`,
  /// `−mean(neglogp)`).
  public var meanLogProbability: Double {
    logProbabilities.isEmpty ? .nan : logProbabilities.reduce(0.0) { $0 + Double($1) } / Double(logProbabilities.count)
  }
}
