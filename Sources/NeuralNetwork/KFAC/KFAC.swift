import LinearAlgebra

/// Kronecker-factored approximate curvature (K-FAC) with the cold start, KL trust region and
/// momentum of ACKTR, exactly as stable-baselines 2.10's `acktr/kfac.py` runs it.
///
/// Martens & Grosse 2015, "Optimizing Neural Networks with Kronecker-factored Approximate
/// Curvature", [arXiv:1503.05671](https://arxiv.org/abs/1503.05671); Wu et al. 2017, "Scalable
/// trust-region method for deep reinforcement learning using Kronecker-factored approximation"
/// (ACKTR), [arXiv:1708.05144](https://arxiv.org/abs/1708.05144). Semantics: algorithms.md §3.3–3.6.
///
/// One update (``step(learningRate:)``), with `k = statisticsStep`, `η` the current learning rate:
/// ```
/// S      ← k < coldIter ? S + cov/coldIter : statsDecay·S + (1 − statsDecay)·cov;   k += 1
/// if k ≥ coldIter and k % kfacUpdate == 0:  S = Q diag(e) Qᵀ, e ← e·[e > 1e-6], factorStep += 1
/// if coldStep ≤ coldIter:  acc_c ← μ·acc_c + clipGlobalNorm(g, 0.5);  θ ← θ − η·acc_c;  coldStep += 1
/// if coldStep (after the line above) ≥ coldIter:
///   ĝ = factorStep > 0 ? (A ⊗ G + ε)⁻¹ g (per factored parameter; ĝ = g otherwise) : g
///   s = min(1, sqrt(κ / (η² Σ ĝ·g)));  acc ← μ·acc + s·ĝ;  θ ← θ − η(1 − μ)·acc
/// ```
///
/// **Call order per update** (both backward passes write `δ` into the same ``Dense`` caches, so
/// the statistics must be captured between them):
/// 1. forward pass over the batch;
/// 2. backward pass of the batch-mean sampled-Fisher loss with `parameterGradients: .skip`
///    (fills every layer's ``Dense/preActivationGradient``; set the G-only gradient sources too);
/// 3. ``captureStatistics()`` — reads `a` and `δ` now;
/// 4. backward pass of the training loss with `.overwrite` (fills ``Parameter/gradient`` with the
///    raw, unclipped `g`);
/// 5. ``step(learningRate:)``.
///
/// Eigendecompositions and the preconditioning run in `Double` (LAPACK `dsyevd`, `dgemm`), or in
/// `Float` (`ssyevd`, `sgemm`: the reference's precision) with ``Configuration/eigenSolver``.
/// With ``Configuration/asyncEigenDecomposition`` a decomposition of the statistics after update
/// `k` runs on a second thread while training goes on, and is put into use at update `k + L`
/// (`L` = ``Configuration/asyncEigenDecompositionLag``,
/// 1 by default: as the reference's queue thread would at best deliver it); the next one starts
/// then, one in flight at a time like the reference's capacity-1 queue. Its input is a copy and
/// its use waits for it, so runs stay deterministic whatever the thread timing.
public final class KFAC {
  /// A group of parameters with Kronecker-factored Fisher blocks.
  public enum Block {
    /// A dense layer: its weight gets `A` (layer input, no appended 1) and `G`; its bias a G-only
    /// factor. Statistics come from ``Dense/input`` and ``Dense/preActivationGradient``.
    case dense(layer: Dense)
    /// A G-only parameter (e.g. a DiagGaussian log-std). `gradientSource` returns `δ = ∂joint/∂z`,
    /// `[B, d]`, of the batch-mean sampled-Fisher loss (``GOnlyKroneckerBlock``).
    case gOnly(parameter: Parameter, gradientSource: () -> Matrix)
    /// Any other block (e.g. a future convolution block).
    case custom(any KroneckerFactoredBlock)
  }

  /// What one update did.
  public struct StepReport: Sendable, Equatable {
    /// Whether a cold-start momentum-SGD step ran.
    public var coldStepTaken: Bool
    /// Whether a K-FAC momentum step ran.
    public var kfacStepTaken: Bool
    /// Whether the factors were eigendecomposed in this update.
    public var factorsDecomposed: Bool
    /// Whether the K-FAC step used preconditioned gradients (`factorStep > 0`).
    public var preconditioned: Bool
    /// The global norm of `g` before clipping (cold steps only).
    public var gradientNorm: Float?
    /// `v = η² Σ ĝ·g` (K-FAC steps only; the reference's `vFv`).
    public var quadraticForm: Double?
    /// The trust-region scale `s = min(1, sqrt(κ/v))` (K-FAC steps only).
    public var trustRegionScale: Double?
  }

  /// The settings.
  public let configuration: Configuration
  /// Every parameter stepped by this optimiser, in a fixed order (momentum slots follow it).
  public let parameters: [Parameter]
  /// The registered blocks.
  public let blocks: [any KroneckerFactoredBlock]
  /// Every factor of every block, in registration order.
  public let factors: [KroneckerFactor]

  /// Statistics updates so far (SB2 `stats_step`).
  public internal(set) var statisticsStep = 0
  /// Decompositions put into use so far (SB2 `factor_step`); preconditioning starts when it is > 0.
  public internal(set) var factorStep = 0
  /// Cold-start steps so far (SB2 `sgd_step`).
  public internal(set) var coldStep = 0
  /// Whether statistics were captured since the last ``step(learningRate:)``.
  public internal(set) var hasCapturedStatistics = false

  /// The asynchronous decomposition started and not yet in use: the statistics step it read, and
  /// the job computing it (`nil` once its result is stashed as the factors' pending decomposition).
  var inFlight: (startedAt: Int, job: BackgroundJob?)?
  /// An asynchronous decomposition that failed while a snapshot waited for it; thrown by the next step.
  private var inFlightFailure: KFACError?

  /// Per parameter: its factored form, or `nil` (ĝ = g).
  private let targets: [KroneckerFactoredParameter?]
  private var directions: [[Float]]
  private var coldDirections: [[Float]]
  private let coldOptimizer: MomentumSGD
  private let kfacOptimizer: MomentumSGD

  /// Creates the optimiser.
  ///
  /// - Parameters:
  ///   - parameters: every trainable parameter with a gradient (ACKTR leaves out the unused `q`
  ///     head). Parameters not covered by `blocks` are stepped with `ĝ = g`.
  ///   - blocks: the factored blocks; each registered parameter must be in `parameters`, once.
  ///   - configuration: the settings (stable-baselines' by default).
  /// - Throws: ``KFACError/invalidValue(field:value:allowed:)`` for a bad configuration.
  public init(parameters: [Parameter], blocks: [Block], configuration: Configuration = .reference) throws {
    try configuration.validate()
    self.configuration = configuration
    self.parameters = parameters
    let blocks: [any KroneckerFactoredBlock] = blocks.map { block in
      switch block {
      case .dense(let layer): return DenseKroneckerBlock(layer: layer)
      case .gOnly(let parameter, let source):
        return GOnlyKroneckerBlock(parameter: parameter, gradientSource: source)
      case .custom(let block): return block
      }
    }
    self.blocks = blocks
    var factors: [KroneckerFactor] = []
    var targets = [KroneckerFactoredParameter?](repeating: nil, count: parameters.count)
    for block in blocks {
      for factor in block.factors {
        precondition(!factors.contains { $0 === factor }, "factor \(factor.name) is registered twice")
        factors.append(factor)
      }
      for target in block.factoredParameters {
        guard let index = parameters.firstIndex(where: { $0 === target.parameter }) else {
          preconditionFailure("\(target.parameter.name) is registered with K-FAC but not in `parameters`")
        }
        precondition(targets[index] == nil, "\(target.parameter.name) is registered with K-FAC twice")
        targets[index] = target
      }
    }
    precondition(
      Set(factors.map(\.name)).count == factors.count, "K-FAC factor names must be unique")
    self.factors = factors
    self.targets = targets
    directions = parameters.map { [Float](repeating: 0, count: $0.count) }
    coldDirections = directions
    let mu = Float(configuration.momentum)
    coldOptimizer = MomentumSGD(parameters: parameters, momentum: mu)
    kfacOptimizer = MomentumSGD(parameters: parameters, momentum: mu)
  }

  // MARK: - Statistics

  /// Reads every block's sampled-Fisher caches (layer inputs `a`, `δ` of the batch-mean sampled
  /// Fisher loss, G-only gradient sources) and keeps this batch's covariances for the next
  /// ``step(learningRate:)``.
  ///
  /// Call it after the sampled-Fisher backward pass (`parameterGradients: .skip`) and before the
  /// training-loss backward pass overwrites `δ`. Exactly one capture per step.
  public func captureStatistics() {
    precondition(!hasCapturedStatistics, "K-FAC statistics were captured twice without a step in between")
    for block in blocks { block.captureBatchCovariances() }
    hasCapturedStatistics = true
  }

  // MARK: - Update

  /// One ACKTR update from the raw loss gradients stored in ``parameters`` (algorithms.md §3.6).
  ///
  /// Runs, in order: running-statistics update, eigendecomposition when due, the cold-start step
  /// (clipped momentum SGD at lr η) while `coldStep ≤ coldIter`, and the K-FAC step (trust-region
  /// scaled, momentum at lr `η(1 − μ)`) once `coldStep ≥ coldIter` (read after the cold step; see
  /// ``ColdStartHandoff`` for the variants). The stored gradients are read, never modified.
  /// - Parameter learningRate: the current (scheduled) learning rate η.
  /// - Returns: what the update did.
  /// - Throws: ``KFACError``; then nothing has changed except that the captured statistics are
  ///   discarded (capture again for the next update) and, when an asynchronous decomposition
  ///   failed, that decomposition is dropped (the next due update starts a new one).
  @discardableResult
  public func step(learningRate: Float) throws -> StepReport {
    precondition(hasCapturedStatistics, "call captureStatistics() after the sampled-Fisher backward pass")
    hasCapturedStatistics = false
    let config = configuration
    guard learningRate.isFinite && learningRate >= 0 else {
      throw KFACError.invalidValue(
        field: "learningRate", value: "\(learningRate)", allowed: "a finite value ≥ 0")
    }

    // 1. Candidate running statistics (nothing is committed before step 4).
    // Deviation: the reference lets NaN/inf statistics flow into the eigendecomposition and the
    // parameters (hill-a/stable-baselines#591, openai/baselines#127); we refuse the update.
    let accumulating = statisticsStep < config.coldIter
    let coefficient = 1 / Double(config.coldIter)
    for factor in factors {
      let finite = factor.prepareStatistics(
        accumulating: accumulating, accumulationCoefficient: coefficient, decay: config.statsDecay)
      if !finite { throw KFACError.nonFiniteStatistics(parameter: factor.parameterName, factor: factor.role) }
    }
    // 2. Validate the gradients.
    for p in parameters {
      let finite = p.gradient.elements.withUnsafeBufferPointer { g in
        for x in g where !x.isFinite { return false }
        return true
      }
      if !finite { throw KFACError.nonFiniteGradient(parameter: p.name) }
    }
    let nextStatisticsStep = statisticsStep + 1
    let decompositionDue =
      nextStatisticsStep >= config.coldIter && nextStatisticsStep % config.kfacUpdate == 0

    // 3. Candidate eigendecompositions (a factor whose statistics equal an earlier one's, e.g. a
    //    dense bias's G, reuses that decomposition: dsyevd would return the same bits). In
    //    asynchronous mode, instead wait for the decomposition in flight if it is due now.
    var activateInFlight = false
    if config.asyncEigenDecomposition {
      if let failure = inFlightFailure {
        inFlightFailure = nil
        inFlight = nil
        throw failure
      }
      if let flight = inFlight, nextStatisticsStep - flight.startedAt >= config.asyncEigenDecompositionLag {
        try settleInFlightDecomposition()
        activateInFlight = true
      }
    } else if decompositionDue {
      try Self.decompose(factors, .candidate, eigenvalueClip: config.eigenvalueClip, solver: config.eigenSolver)
    }

    // 4. Commit statistics and decompositions (nothing below throws).
    for factor in factors { factor.commitStatistics() }
    statisticsStep = nextStatisticsStep
    var startedDecomposition = false
    if config.asyncEigenDecomposition {
      // The decomposition started `L` updates ago goes into use now; a new one starts when due and
      // none is in flight.
      if activateInFlight {
        var activated = false
        for factor in factors where factor.activatePendingDecomposition() { activated = true }
        if activated { factorStep += 1 }
        inFlight = nil
      }
      if decompositionDue && inFlight == nil {
        startAsynchronousDecomposition()
        startedDecomposition = true
      }
    } else if decompositionDue {
      for factor in factors { factor.activateScratchDecomposition() }
      factorStep += 1
    }
    var report = StepReport(
      coldStepTaken: false, kfacStepTaken: false,
      factorsDecomposed: config.asyncEigenDecomposition ? startedDecomposition : decompositionDue, preconditioned: false)

    // 5. Cold-start step: clipped momentum SGD at lr η with its own slots.
    let coldBefore = coldStep
    let runCold = config.coldStartHandoff == .exclusive ? coldBefore < config.coldIter : coldBefore <= config.coldIter
    if runCold {
      report.gradientNorm = coldStepAlongClippedGradient(learningRate: learningRate)
      coldStep += 1
      report.coldStepTaken = true
    }

    // 6. K-FAC step. stable-baselines' gate reads the cold-step counter after this update's
    //    increment (see ``ColdStartHandoff/stableBaselines``).
    let gate = config.coldStartHandoff == .stableBaselines ? coldStep : coldBefore
    if gate >= config.coldIter {
      let (v, s) = computeKFACDirections(learningRate: learningRate)
      // Reference: TensorFlow `MomentumOptimizer(lr·(1 − momentum), momentum)`; `1. − 0.9` is a
      // Python double rounded to float32.
      kfacOptimizer.step(directions: directions, learningRate: learningRate * Float(1 - config.momentum))
      report.kfacStepTaken = true
      report.preconditioned = factorStep > 0
      report.quadraticForm = v
      report.trustRegionScale = s
    }
    return report
  }

  // MARK: - Decompositions

  /// Eigendecomposes every factor's `input` statistics into its scratch buffers. A factor whose
  /// input equals an earlier one's bit for bit (e.g. a dense bias's G, which has the weight's G
  /// values) reuses that decomposition: `dsyevd` would return the same bits.
  /// - Throws: ``KFACError/eigendecompositionFailed(parameter:factor:reason:)``.
  static func decompose(
    _ factors: [KroneckerFactor], _ input: KroneckerFactor.DecompositionInput, eigenvalueClip: Double,
    solver: EigenSolver
  ) throws(KFACError) {
    var duplicateOf = [Int?](repeating: nil, count: factors.count)
    for (index, factor) in factors.enumerated() {
      for earlier in 0..<index where duplicateOf[earlier] == nil {
        if factor.hasSameInput(input, as: factors[earlier]) {
          duplicateOf[index] = earlier
          break
        }
      }
      if let earlier = duplicateOf[index] {
        factor.copyScratchDecomposition(from: factors[earlier])
      } else {
        do {
          try factor.decompose(input, eigenvalueClip: eigenvalueClip, solver: solver)
        } catch {
          throw .eigendecompositionFailed(parameter: factor.parameterName, factor: factor.role, reason: "\(error)")
        }
      }
    }
  }

  /// Copies every factor's committed statistics and decomposes the copies on a background thread
  /// into the factors' scratch buffers (identical inputs share one decomposition, as in step 3).
  private func startAsynchronousDecomposition() {
    for factor in factors { factor.copyStatisticsForAsynchronousDecomposition() }
    let factors = self.factors
    let clip = configuration.eigenvalueClip
    let solver = configuration.eigenSolver
    let job = BackgroundJob {
      try Self.decompose(factors, .asynchronous, eigenvalueClip: clip, solver: solver)
    }
    inFlight = (startedAt: statisticsStep, job: job)
  }

  /// Waits for the decomposition in flight, if its job is still running, and stashes its result
  /// as every factor's pending decomposition.
  /// - Throws: ``KFACError/eigendecompositionFailed(parameter:factor:reason:)``; then nothing is in flight.
  private func settleInFlightDecomposition() throws {
    guard let flight = inFlight, let job = flight.job else { return }
    do {
      try job.wait()
    } catch {
      inFlight = nil
      throw error as? KFACError
        ?? KFACError.eigendecompositionFailed(parameter: "?", factor: .activation, reason: "\(error)")
    }
    for factor in factors { factor.stashScratchDecompositionAsPending() }
    inFlight = (startedAt: flight.startedAt, job: nil)
  }

  /// Waits for an asynchronous decomposition still running, so that the factors' pending
  /// decomposition is its result (snapshots call this; a failure is thrown by the next step).
  public func finishPendingDecomposition() {
    do { try settleInFlightDecomposition() } catch { inFlightFailure = error as? KFACError }
  }

  /// Waits for a decomposition still running and forgets it and any stored failure (restore).
  func discardInFlightDecomposition() {
    _ = try? inFlight?.job?.wait()
    inFlight = nil
    inFlightFailure = nil
  }

  deinit {
    // The job holds the factors alive by itself; waiting keeps its CPU time out of whatever runs next.
    _ = try? inFlight?.job?.wait()
  }

  /// The statistics step the pending (or running) asynchronous decomposition read, if any.
  public var pendingDecompositionStep: Int? { inFlight?.startedAt }

  /// `acc_c ← μ·acc_c + clip(g);  θ ← θ − η·acc_c`; returns the global norm of `g`.
  private func coldStepAlongClippedGradient(learningRate: Float) -> Float {
    let norm = globalNorm(parameters)
    if let maxNorm = configuration.maxGradNorm.map(Float.init), norm > maxNorm {
      // Same arithmetic as `clipByGlobalNorm`, into scratch so the stored g stays raw for K-FAC.
      let factor = maxNorm / norm
      for (index, p) in parameters.enumerated() {
        coldDirections[index].withUnsafeMutableBufferPointer { d in
          p.gradient.elements.withUnsafeBufferPointer { g in
            for i in 0..<g.count { d[i] = g[i] * factor }
          }
        }
      }
      coldOptimizer.step(directions: coldDirections, learningRate: learningRate)
    } else {
      coldOptimizer.step(learningRate: learningRate)
    }
    return norm
  }

  /// Fills ``directions`` with `u = s·ĝ` and returns `(v, s)`.
  private func computeKFACDirections(learningRate: Float) -> (Double, Double) {
    let usePreconditioner = factorStep > 0
    let damping = configuration.damping
    var inner = 0.0
    for (index, p) in parameters.enumerated() {
      if usePreconditioner, let target = targets[index] {
        inner += target.writePreconditionedGradient(
          into: &directions[index], damping: damping, precision: configuration.eigenSolver)
      } else {
        directions[index].withUnsafeMutableBufferPointer { d in
          p.gradient.elements.withUnsafeBufferPointer { g in
            for i in 0..<g.count {
              d[i] = g[i]
              inner += Double(g[i]) * Double(g[i])
            }
          }
        }
      }
    }
    let eta = Double(learningRate)
    let v = eta * eta * inner
    // Deviation: the reference computes sqrt(κ/v) unguarded; v ≤ 0 (g = 0, or rounding with a
    // positive-definite preconditioner) would give inf or NaN there. We take s = 1.
    let s = v > 0 ? min(1, (configuration.clipKL / v).squareRoot()) : 1
    if s < 1 {
      let scale = Float(s)
      for index in directions.indices {
        directions[index].withUnsafeMutableBufferPointer { d in
          for i in 0..<d.count { d[i] *= scale }
        }
      }
    }
    return (v, s)
  }

  // MARK: - Inspection

  /// The preconditioned gradient `ĝ` of `parameter`'s stored gradient with the decompositions in
  /// use now (`g` itself when the parameter is not factored or no decomposition is in use yet).
  /// Allocates; for tests and diagnostics.
  public func preconditionedGradient(of parameter: Parameter) -> [Float] {
    guard let index = parameters.firstIndex(where: { $0 === parameter }) else {
      preconditionFailure("\(parameter.name) is not stepped by this K-FAC optimiser")
    }
    guard factorStep > 0, let target = targets[index] else { return parameter.gradient.elements }
    var result = [Float](repeating: 0, count: parameter.count)
    _ = target.writePreconditionedGradient(
      into: &result, damping: configuration.damping, precision: configuration.eigenSolver)
    return result
  }

  /// The cold-start momentum accumulators (for snapshots).
  var coldMomentumState: [[Float]] {
    get { coldOptimizer.state }
    set { coldOptimizer.state = newValue }
  }

  /// The K-FAC momentum accumulators (for snapshots).
  var kfacMomentumState: [[Float]] {
    get { kfacOptimizer.state }
    set { kfacOptimizer.state = newValue }
  }

  /// The factor with the given name (`<parameter name>/A` or `<parameter name>/G`).
  public func factor(named name: String) -> KroneckerFactor? { factors.first { $0.name == name } }
}
