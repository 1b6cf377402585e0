/// Adam (Kingma & Ba 2015, [arXiv:1412.6980](https://arxiv.org/abs/1412.6980)) with TensorFlow 1
/// semantics, as stable-baselines' `pretrain` uses it (`tf.train.AdamOptimizer`).
///
/// TensorFlow's `ApplyAdam` kernel (core/kernels/training_ops.cc), in float32, at step t ≥ 1:
/// ```
/// lr_t = lr · sqrt(1 − β₂ᵗ) / (1 − β₁ᵗ)
/// m   ← m + (g − m)·(1 − β₁)
/// v   ← v + (g² − v)·(1 − β₂)
/// θ   ← θ − (m · lr_t) / (sqrt(v) + ε̂)
/// ```
/// ε is the paper's "epsilon hat": added outside the square root, to the bias-uncorrected `v`
/// (PyTorch's Adam adds it to the bias-corrected one). The powers β₁ᵗ and β₂ᵗ are float32
/// accumulators multiplied by β after every step (TensorFlow's `beta1_power`, `beta2_power`);
/// `m` and `v` start at zero.
public final class Adam {
  /// β₁ (TensorFlow default 0.9).
  public let beta1: Float
  /// β₂ (TensorFlow default 0.999).
  public let beta2: Float
  /// ε̂ (SB2 `adam_epsilon`, 1e-8).
  public let epsilon: Float
  private let parameters: [Parameter]
  private var firstMoment: [[Float]]
  private var secondMoment: [[Float]]
  /// β₁ᵗ, β₂ᵗ for the next step, in float32.
  public private(set) var beta1Power: Float
  public private(set) var beta2Power: Float

  /// Creates the optimiser for a fixed list of parameters.
  public init(parameters: [Parameter], beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8) {
    self.parameters = parameters
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    beta1Power = beta1
    beta2Power = beta2
    firstMoment = parameters.map { [Float](repeating: 0, count: $0.count) }
    secondMoment = parameters.map { [Float](repeating: 0, count: $0.count) }
  }

  /// Applies one step with learning rate `learningRate` along the stored gradients.
  public func step(learningRate: Float) {
    let alpha = learningRate * (1 - beta2Power).squareRoot() / (1 - beta1Power)
    let oneMinusBeta1 = 1 - beta1, oneMinusBeta2 = 1 - beta2, eps = epsilon
    for (index, p) in parameters.enumerated() {
      p.value.elements.withUnsafeMutableBufferPointer { theta in
        p.gradient.elements.withUnsafeBufferPointer { g in
          firstMoment[index].withUnsafeMutableBufferPointer { m in
            secondMoment[index].withUnsafeMutableBufferPointer { v in
              for i in 0..<theta.count {
                let gi = g[i]
                m[i] += (gi - m[i]) * oneMinusBeta1
                v[i] += (gi * gi - v[i]) * oneMinusBeta2
                theta[i] -= (m[i] * alpha) / (v[i].squareRoot() + eps)
              }
            }
          }
        }
      }
    }
    beta1Power *= beta1
    beta2Power *= beta2
  }
}
