import Foundation
import LinearAlgebra

/// ACER's loss for one batch and its gradient with respect to the network outputs (Wang et al.
/// 2017, [arXiv:1611.01224](https://arxiv.org/abs/1611.01224); hill-a/stable-baselines
/// `acer/acer_simple.py`, algorithms.md §4.6–4.7). Discrete actions only.
///
/// With `f = softmax(logits)`, `f̄` the average policy, `Q` the Q head, `μ` the behaviour
/// probabilities, `ε = 1e-6`, `N = E·T` and `V_t = Σ_a f_t(a) Q_t(a)` on all `E·(T+1)` rows:
/// ```
/// ρ_t = f_t / (μ_t + ε),   ρ_t^i = ρ_t[a_t],   q_t^i = Q_t[a_t],   qret = Retrace(r, d, q^i, V, ρ^i)
/// loss_f  = −mean_t log(f_t[a_t] + ε) · sg((qret_t − V_t) · min(c, ρ_t^i))
/// loss_bc = −mean_t Σ_a log(f_t(a) + ε) · sg((Q_t(a) − V_t) · relu(1 − c/(ρ_t(a) + ε)) · f_t(a))
/// loss_q  = mean_t ½ (sg(qret_t) − q_t^i)²
/// loss    = loss_f + loss_bc + q_coef · loss_q − ent_coef · entropy
/// ```
/// The policy part is differentiated with respect to `f` first, `g_t = ∂[−(loss_policy −
/// ent_coef·entropy)·N]/∂f_t`, optionally projected onto the trust region
/// (``projectOntoTrustRegion(gradient:averageProbabilities:probabilities:delta:epsilon:)``), and
/// pulled back through the softmax with cotangent `−g/N` (the kernel of
/// ``Categorical/addProbabilitiesGradient(parameters:cotangent:into:)``). No gradient flows
/// through `V`, `qret` or `ρ`. See ``ACERConfiguration/EntropyVariant`` for where the entropy enters.
public struct ACERLoss {
  /// `ε` of the reference (`eps = 1e-6`) in `ρ`, the logs and the trust region.
  public static let epsilon: Float = 1e-6

  /// γ.
  public var discount: Float
  /// The truncation `c` (`correction_term`).
  public var correctionTerm: Float
  /// `q_coef`.
  public var qCoefficient: Float
  /// `ent_coef`.
  public var entropyCoefficient: Float
  /// The trust-region size δ, or `nil` without the trust region (`trust_region = False`).
  public var trustRegionDelta: Float?
  /// Where the entropy enters.
  public var entropyVariant: ACERConfiguration.EntropyVariant

  /// The loss terms of one batch (stable-baselines' logged names in the comments).
  public struct Terms: Sendable, Equatable {
    /// `loss_policy = loss_f + loss_bc`.
    public var policyLoss: Double
    /// `loss_f`, the truncated importance-sampling term.
    public var truncatedLoss: Double
    /// `loss_bc`, the bias-correction term.
    public var biasCorrectionLoss: Double
    /// `loss_q`.
    public var qLoss: Double
    /// Mean entropy over the `E·T` training rows (of the logits for the SB2 variant; of `f` with
    /// the `1e-6` for the OpenAI baselines variant).
    public var entropy: Double
    /// `explained_variance` of `q^i` against `qret`.
    public var explainedVariance: Double
    /// `mean_t KL(f̄_t ‖ f_t)`, or NaN when no average policy was given.
    public var averageKL: Double
    /// Trust-region statistics, or `nil` without the trust region.
    public var trustRegion: TrustRegionStatistics?
  }

  // MARK: - Intermediate quantities of the last evaluation (reused buffers)

  /// `f` on all `E·(T+1)` rows.
  public private(set) var probabilities = Matrix(rows: 0, columns: 0)
  /// `f` on the `E·T` training rows.
  public private(set) var trainingProbabilities = Matrix(rows: 0, columns: 0)
  /// `f̄` on the `E·T` training rows.
  public private(set) var averageProbabilities = Matrix(rows: 0, columns: 0)
  /// `V` on all `E·(T+1)` rows.
  public private(set) var values: [Float] = []
  /// `V` on the `E·T` training rows.
  public private(set) var trainingValues: [Float] = []
  /// `q^i`.
  public private(set) var actionValues: [Float] = []
  /// `ρ^i` (untruncated).
  public private(set) var importanceWeights: [Float] = []
  /// `ρ = f/(μ + ε)`, `[E·T, n]`.
  public private(set) var ratios = Matrix(rows: 0, columns: 0)
  /// `qret`, the Retrace targets.
  public private(set) var qret: [Float] = []
  /// `w_t = (qret_t − V_t) · min(c, ρ_t^i)`, held constant.
  public private(set) var truncatedWeights: [Float] = []
  /// `w_bc_t(a) = (Q_t(a) − V_t) · relu(1 − c/(ρ_t(a) + ε)) · f_t(a)`, held constant.
  public private(set) var biasCorrectionWeights = Matrix(rows: 0, columns: 0)
  /// `g`, `[E·T, n]`, after the trust-region projection when it is on.
  public private(set) var policyGradient = Matrix(rows: 0, columns: 0)
  private var cotangent = Matrix(rows: 0, columns: 0)
  private var entropyWeights: [Float] = []

  /// A loss with the given hyperparameters; `trustRegionDelta: nil` turns the trust region off.
  public init(
    discount: Float, correctionTerm: Float, qCoefficient: Float, entropyCoefficient: Float,
    trustRegionDelta: Float?,
    entropyVariant: ACERConfiguration.EntropyVariant
  ) {
    self.discount = discount
    self.correctionTerm = correctionTerm
    self.qCoefficient = qCoefficient
    self.entropyCoefficient = entropyCoefficient
    self.trustRegionDelta = trustRegionDelta
    self.entropyVariant = entropyVariant
  }

  /// Evaluates the loss on `batch` and writes `∂loss/∂logits` and `∂loss/∂Q`, both
  /// `[E·(T+1), n]` (overwritten; the last row of each segment gets only the SB2 entropy term).
  ///
  /// - Parameters:
  ///   - logits: the current policy's logits on the batch observations, `[E·(T+1), n]`.
  ///   - averageLogits: the average policy's logits, `[E·(T+1), n]`; required with the trust
  ///     region, otherwise only used for ``Terms/averageKL``.
  ///   - q: the Q head's output, `[E·(T+1), n]`.
  public mutating func evaluate(
    batch: ACERBatch, logits: Matrix, averageLogits: Matrix?, q: Matrix, logitGradient: inout Matrix,
    qGradient: inout Matrix
  ) -> Terms {
    let E = batch.environmentCount
    let T = batch.steps
    let n = batch.actionCount
    let N = E * T
    let rows = E * (T + 1)
    let eps = ACERLoss.epsilon
    let c = correctionTerm
    precondition(logits.rows == rows && logits.columns == n, "ACERLoss: logits must be [E·(T+1), n]")
    precondition(q.rows == rows && q.columns == n, "ACERLoss: Q must be [E·(T+1), n]")
    precondition(
      trustRegionDelta == nil || averageLogits != nil,
      "ACERLoss: the trust region needs the average policy's logits")
    if let averageLogits {
      precondition(
        averageLogits.rows == rows && averageLogits.columns == n,
        "ACERLoss: average logits must be [E·(T+1), n]")
    }
    resize(rows: rows, training: N, actions: n)

    // 1. f = softmax(logits) and V = Σ_a f(a)·Q(a) on all E·(T+1) rows.
    logits.elements.withUnsafeBufferPointer { l in
      probabilities.elements.withUnsafeMutableBufferPointer { f in
        q.elements.withUnsafeBufferPointer { qv in
          for r in 0..<rows {
            LogitsSegment.softmax(l.baseAddress! + r * n, n, into: f.baseAddress! + r * n)
            var v: Float = 0
            for j in 0..<n { v += f[r * n + j] * qv[r * n + j] }
            values[r] = v
          }
        }
      }
    }

    // 2. The E·T training rows (SB2 `strip`): f, V, q^i, ρ = f/(μ + ε) and ρ^i.
    for env in 0..<E {
      for t in 0..<T {
        let i = env * T + t
        let r = env * (T + 1) + t
        let a = Int(batch.actions[i])
        precondition(a >= 0 && a < n, "ACERLoss: action \(a) outside 0..<\(n)")
        for j in 0..<n {
          let f = probabilities.elements[r * n + j]
          trainingProbabilities.elements[i * n + j] = f
          ratios.elements[i * n + j] = f / (batch.behaviourProbabilities[i * n + j] + eps)
        }
        trainingValues[i] = values[r]
        actionValues[i] = q.elements[r * n + a]
        importanceWeights[i] = ratios.elements[i * n + a]
      }
    }

    // 3. f̄ = softmax(average logits) on the training rows, and mean KL(f̄ ‖ f).
    var averageKL = Double.nan
    if let averageLogits {
      var klSum = 0.0
      averageLogits.elements.withUnsafeBufferPointer { lBar in
        logits.elements.withUnsafeBufferPointer { l in
          averageProbabilities.elements.withUnsafeMutableBufferPointer { fBar in
            for env in 0..<E {
              for t in 0..<T {
                let i = env * T + t
                let r = env * (T + 1) + t
                LogitsSegment.softmax(lBar.baseAddress! + r * n, n, into: fBar.baseAddress! + i * n)
                klSum += Double(LogitsSegment.kl(lBar.baseAddress! + r * n, l.baseAddress! + r * n, n))
              }
            }
          }
        }
      }
      averageKL = klSum / Double(N)
    }

    // 4. Retrace targets qret (truncation 1).
    retraceTargets(
      rewards: batch.rewards, dones: batch.dones, actionValues: actionValues, values: values,
      importanceWeights: importanceWeights, gamma: discount, steps: T, into: &qret)

    // 5. Losses and g = ∂[−(loss_policy − ent_coef·entropy)·N]/∂f, row by row.
    var lossF = 0.0
    var lossBC = 0.0
    var lossQ = 0.0
    var entropy = 0.0
    let openAIEntropy = entropyVariant == .openAIBaselines
    let entropyCoefficient = self.entropyCoefficient
    for env in 0..<E {
      for t in 0..<T {
        let i = env * T + t
        let r = env * (T + 1) + t
        let a = Int(batch.actions[i])
        let v = trainingValues[i]
        // 5a. Truncated importance sampling: w = (qret − V)·min(c, ρ^i).
        let w = (qret[i] - v) * min(c, importanceWeights[i])
        truncatedWeights[i] = w
        lossF -= Double(log(trainingProbabilities.elements[i * n + a] + eps)) * Double(w)
        // 5b. Bias correction: w_bc(a) = (Q(a) − V)·relu(1 − c/(ρ(a) + ε))·f(a).
        var h: Float = 0
        for j in 0..<n {
          let f = trainingProbabilities.elements[i * n + j]
          let correction = max(0, 1 - c / (ratios.elements[i * n + j] + eps))
          let wbc = (q.elements[r * n + j] - v) * correction * f
          biasCorrectionWeights.elements[i * n + j] = wbc
          let logF = log(f + eps)
          lossBC -= Double(logF) * Double(wbc)
          var gj = wbc / (f + eps)
          if openAIEntropy {
            // 5c. OpenAI baselines: entropy −Σ f log(f + 1e-6) of f, inside g.
            h -= f * logF
            gj += entropyCoefficient * -(logF + f / (f + eps))
          }
          policyGradient.elements[i * n + j] = gj
        }
        policyGradient.elements[i * n + a] += w / (trainingProbabilities.elements[i * n + a] + eps)
        if !openAIEntropy {
          // Deviation: SB2 logs Σ H over all E·(T+1) rows; we log the mean over the training rows
          // so the column reads like A2C's and ACKTR's. The loss itself uses SB2's sum (step 8).
          h = logits.elements.withUnsafeBufferPointer { LogitsSegment.entropy($0.baseAddress! + r * n, n) }
        }
        entropy += Double(h)
        // 5d. Q loss ½(qret − q^i)².
        let error = qret[i] - actionValues[i]
        lossQ += 0.5 * Double(error) * Double(error)
      }
    }
    let invN = 1 / Double(N)

    // 6. Trust region: g ← g − max(0, (k·g − δ)/(‖k‖² + ε))·k with k = −f̄/(f + ε).
    var trustRegion: TrustRegionStatistics? = nil
    if let delta = trustRegionDelta {
      trustRegion = projectOntoTrustRegion(
        gradient: &policyGradient, averageProbabilities: averageProbabilities,
        probabilities: trainingProbabilities,
        delta: delta, epsilon: eps)
    }

    // 7. ∂loss/∂logits: the softmax VJP of the cotangent −g/N on the training rows.
    let scale = -1 / Float(N)
    cotangent.elements.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    for env in 0..<E {
      for t in 0..<T {
        let i = env * T + t
        let r = env * (T + 1) + t
        for j in 0..<n { cotangent.elements[r * n + j] = scale * policyGradient.elements[i * n + j] }
      }
    }
    logitGradient.reshape(rows: rows, columns: n)
    logitGradient.elements.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    logits.elements.withUnsafeBufferPointer { l in
      cotangent.elements.withUnsafeBufferPointer { cot in
        logitGradient.elements.withUnsafeMutableBufferPointer { dl in
          for r in 0..<rows {
            LogitsSegment.addSoftmaxVJP(
              l.baseAddress! + r * n, n, cotangent: cot.baseAddress! + r * n, into: dl.baseAddress! + r * n)
          }
        }
      }
    }

    // 8. SB2 without the trust region: −ent_coef·Σ H(logits) over all E·(T+1) rows (a sum). With
    //    the trust region SB2's entropy never reaches g (it is not a function of f), so nothing.
    if trustRegionDelta == nil && !openAIEntropy && entropyCoefficient != 0 {
      for r in 0..<rows { entropyWeights[r] = -entropyCoefficient }
      logits.elements.withUnsafeBufferPointer { l in
        logitGradient.elements.withUnsafeMutableBufferPointer { dl in
          for r in 0..<rows {
            LogitsSegment.addEntropyGradient(
              l.baseAddress! + r * n, n, weight: entropyWeights[r], into: dl.baseAddress! + r * n)
          }
        }
      }
    }

    // 9. ∂(q_coef·loss_q)/∂Q: q_coef·(q^i − qret)/N at the taken action of each training row.
    qGradient.reshape(rows: rows, columns: n)
    qGradient.elements.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    let qScale = qCoefficient / Float(N)
    for env in 0..<E {
      for t in 0..<T {
        let i = env * T + t
        let r = env * (T + 1) + t
        qGradient.elements[r * n + Int(batch.actions[i])] = qScale * (actionValues[i] - qret[i])
      }
    }

    return Terms(
      policyLoss: (lossF + lossBC) * invN, truncatedLoss: lossF * invN, biasCorrectionLoss: lossBC * invN,
      qLoss: lossQ * invN, entropy: entropy * invN,
      explainedVariance: explainedVariance(predictions: actionValues, targets: qret),
      averageKL: averageKL, trustRegion: trustRegion)
  }

  private mutating func resize(rows: Int, training: Int, actions n: Int) {
    probabilities.reshape(rows: rows, columns: n)
    trainingProbabilities.reshape(rows: training, columns: n)
    averageProbabilities.reshape(rows: training, columns: n)
    ratios.reshape(rows: training, columns: n)
    biasCorrectionWeights.reshape(rows: training, columns: n)
    policyGradient.reshape(rows: training, columns: n)
    cotangent.reshape(rows: rows, columns: n)
    if values.count != rows { values = [Float](repeating: 0, count: rows) }
    if entropyWeights.count != rows { entropyWeights = [Float](repeating: 0, count: rows) }
    if trainingValues.count != training {
      trainingValues = [Float](repeating: 0, count: training)
      actionValues = [Float](repeating: 0, count: training)
      importanceWeights = [Float](repeating: 0, count: training)
      qret = [Float](repeating: 0, count: training)
      truncatedWeights = [Float](repeating: 0, count: training)
    }
  }
}
