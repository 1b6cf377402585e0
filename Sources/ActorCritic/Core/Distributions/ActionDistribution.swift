import LinearAlgebra
import Randomness

/// A batch of action distributions given by flat distribution parameters, one row per sample
/// (stable-baselines 2 `common/distributions.py`, `ProbabilityDistribution`).
///
/// ```
/// parameters : [B, parameterCount]   (logits, or (μ, log σ) concatenated)
/// actions    : [B, actionDimension]  (discrete actions are stored as exact Float integers)
/// ```
/// All functions work on caller-provided buffers and allocate nothing once those buffers have the
/// right size:
/// * **Outputs** (`into actions`, `into result`) are *overwritten*; a buffer of the wrong shape is
///   resized first (which allocates only when it has to grow).
/// * **Gradients** (`add…Gradient`) *accumulate*: `gradient += ∂(…)/∂parameters`. The gradient
///   matrix must already have the shape of `parameters`; zero it yourself when you want a fresh
///   gradient. Accumulating lets the policy-gradient and entropy terms share one buffer.
///
/// Log-probabilities, entropies and KL divergences are computed in `Float` with the max-shift
/// (log-sum-exp) and `log1p` forms, so they stay finite for logits of magnitude 50 and more.
public protocol ActionDistribution: Sendable {
  /// The description this distribution was built from (round-trips through `makeDistribution`).
  var kind: DistributionKind { get }

  /// Columns of the parameter matrix (the width of the policy's output layer).
  var parameterCount: Int { get }

  /// Columns of the action matrix: 1 (Categorical), d (DiagonalGaussian), `nvec.count`
  /// (MultiCategorical), n (Bernoulli).
  var actionDimension: Int { get }

  /// Draws one action per row from `random` and writes them into `actions` (`[B, actionDimension]`).
  ///
  /// ```
  /// a_i ~ π(· | parameters_i)
  /// ```
  /// The draws are consumed row by row, component by component, so the same stream state gives the
  /// same actions.
  func sample(parameters: Matrix, random: RandomStream, into actions: inout Matrix)

  /// The most likely action of every row (`deterministic=True` in SB2's `predict`).
  ///
  /// ```
  /// a_i = argmax_a π(a | parameters_i)
  /// ```
  func mode(parameters: Matrix, into actions: inout Matrix)

  /// The log-probability of `actions` under every row, `result[i] = log π(a_i)` (= −neglogp).
  ///
  /// ```
  /// result_i = log π(a_i | parameters_i)
  /// ```
  func logProbability(parameters: Matrix, actions: Matrix, into result: inout [Float])

  /// The entropy of every row, `result[i] = H(π_i)`.
  ///
  /// ```
  /// H(π) = −Σ_a π(a) log π(a)      (differential entropy for the Gaussian)
  /// ```
  func entropy(parameters: Matrix, into result: inout [Float])

  /// The KL divergence of every row, `result[i] = KL(p_i ‖ q_i)`.
  ///
  /// ```
  /// KL(p ‖ q) = Σ_a p(a) (log p(a) − log q(a))
  /// ```
  func kl(from p: Matrix, to q: Matrix, into result: inout [Float])

  /// SB2's `proba_step` output, flattened to `[B, parameterCount]`: softmax (Categorical, and
  /// MultiCategorical as the concatenated per-component softmaxes), `[μ, σ]` (DiagonalGaussian),
  /// `sigmoid(l)` (Bernoulli).
  func probabilities(parameters: Matrix, into result: inout Matrix)

  /// Accumulates the gradient of a weighted sum of log-probabilities (the policy-gradient term).
  ///
  /// ```
  /// gradient += ∂/∂parameters Σ_i w_i · log π(a_i | parameters_i)
  /// ```
  /// A2C's `pg_loss = mean(A · neglogp)` uses `w_i = −A_i / B` (algorithms.md §2.3).
  func addLogProbabilityGradient(
    parameters: Matrix, actions: Matrix, weights: [Float], into gradient: inout Matrix)

  /// Accumulates the gradient of a weighted sum of entropies (the entropy bonus).
  ///
  /// ```
  /// gradient += ∂/∂parameters Σ_i w_i · H(π_i)
  /// ```
  /// A2C's `−ent_coef · mean(H)` uses `w_i = −ent_coef / B`.
  func addEntropyGradient(parameters: Matrix, weights: [Float], into gradient: inout Matrix)

  /// Accumulates the gradient of a weighted sum of KL divergences with respect to one argument.
  ///
  /// ```
  /// gradient += ∂/∂p Σ_i w_i · KL(p_i ‖ q_i)     (argument == .from)
  /// gradient += ∂/∂q Σ_i w_i · KL(p_i ‖ q_i)     (argument == .to)
  /// ```
  func addKLGradient(
    from p: Matrix, to q: Matrix, weights: [Float], withRespectTo argument: KLArgument,
    into gradient: inout Matrix)

  /// Accumulates the vector–Jacobian product of ``probabilities(parameters:into:)``.
  ///
  /// ```
  /// gradient += ∂/∂parameters Σ_ij c_ij · proba_ij(parameters)
  /// ```
  /// ACER back-propagates its trust-region-corrected gradient with respect to the probabilities
  /// `f` this way (`tf.gradients(f, θ, grad_ys=−g/N)`, algorithms.md §4.7). `cotangent` has the
  /// shape of the probabilities, `[B, parameterCount]`.
  func addProbabilitiesGradient(parameters: Matrix, cotangent: Matrix, into gradient: inout Matrix)
}

/// An action distribution that provides the per-sample output gradients of ACKTR's sampled-Fisher
/// loss (algorithms.md §3.2; Martens & Grosse 2015, Wu et al. 2017).
///
/// Only ``Categorical`` and ``DiagonalGaussian`` conform: SB2's ACKTR supports Discrete and Box
/// action spaces only, so MultiCategorical and Bernoulli deliberately do not.
public protocol FisherSampling: ActionDistribution {
  /// Accumulates the per-sample output gradients of the sampled-Fisher loss `mean_i log π(a_i)`,
  /// before its `1/B`, scaled by `scale`; row `i` of `gradient` belongs to sample `i`.
  ///
  /// ```
  /// gradient_i += scale · ∂ log π(a_i | parameters_i) / ∂parameters_i,   a_i ~ π(· | parameters_i)
  /// categorical logits : onehot(a_i) − softmax_i
  /// Gaussian mean      : (a − μ) / σ²
  /// Gaussian log σ     : (a − μ)² / σ² − 1
  /// ```
  func addFisherOutputGradients(
    parameters: Matrix, actions: Matrix, scale: Float, into gradient: inout Matrix)
}

/// Which argument of `KL(p ‖ q)` a KL gradient is taken with respect to.
public enum KLArgument: Sendable, Hashable {
  /// The first argument `p` (the distribution the expectation is taken under).
  case from
  /// The second argument `q`.
  case to
}
