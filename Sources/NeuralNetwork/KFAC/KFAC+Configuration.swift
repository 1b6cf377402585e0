extension KFAC {
  /// How the cold-start momentum-SGD phase hands over to K-FAC (algorithms.md §3.6).
  ///
  /// With `coldIter = 10` and `kfacUpdate = 1` (synchronous decompositions, the first at update 10):
  ///
  /// | handoff | cold steps | K-FAC steps |
  /// | --- | --- | --- |
  /// | ``stableBaselines`` | 1…11 | from 10 |
  /// | ``overlapping`` | 1…11 | from 11 |
  /// | ``exclusive`` | 1…10 | from 11 |
  public enum ColdStartHandoff: String, Codable, Sendable, CaseIterable {
    /// What stable-baselines 2.10.2 executes with synchronous decompositions, measured by replaying
    /// its updates (`ACKTRReferenceParityTests`): the cold step runs while `sgd_step ≤ coldIter`,
    /// and the K-FAC step's gate `sgd_step ≥ coldIter` reads `sgd_step` *after* this update's
    /// cold-step increment. The two are unordered in the graph, but the gate waits for the
    /// statistics and eigendecomposition ops while the increment waits for nothing, and every
    /// recorded run took its first K-FAC step at update `coldIter`. So updates `coldIter` and
    /// `coldIter + 1` run both steps, and the first K-FAC step uses the decomposition made in that
    /// update. (With asynchronous decompositions the gate has no eigendecomposition to wait for and
    /// no decomposition is in use yet at update `coldIter`; that order was not measured.)
    case stableBaselines
    /// The reading of algorithms.md §3.6 (derived from the graph, not measured): cold steps while
    /// `coldStep ≤ coldIter`, K-FAC once `coldStep ≥ coldIter` *before* the update, so only update
    /// `coldIter + 1` runs both.
    case overlapping
    /// Cold steps for updates `1…coldIter`, K-FAC alone from update `coldIter + 1`.
    case exclusive
  }

  /// The precision of the factors' eigendecompositions and of the preconditioning that uses them
  /// (``KroneckerFactoredParameter``'s projections `Q_Aᵀ g Q_G`, the division by `e_A e_Gᵀ + ε`
  /// and the projection back).
  ///
  /// Measured at nature_cnn's `fc1` `A` factor (n = 3136, one core, thread CPU time; see
  /// `SinglePrecisionSymmetricEigendecomposition`): `dsyevd` 6.1 s, `ssyevd` 2.7 s; the single
  /// precision preconditioned gradient differs by 2.1e-3 in relative norm, `vFv` by 6e-7.
  public enum EigenSolver: String, Codable, Sendable, CaseIterable {
    /// LAPACK `dsyevd` on the statistics in `Double`, and the preconditioning in `Double`
    /// (`dgemm`; the default; bit-stable classic results).
    // Deviation: the reference decomposes and preconditions in float32 (TensorFlow
    // `self_adjoint_eig`, float32 `matmul`s); Double avoids the NaN eigenpairs reported for badly
    // scaled statistics (algorithms.md §3.9).
    case double
    /// LAPACK `ssyevd` on the statistics rounded to `Float`, and the preconditioning in `Float`
    /// (`sgemm`) on its outputs: the reference's own precision (TensorFlow's float32 K-FAC), 2.3×
    /// faster decompositions at pixel scale and projections at `sgemm`'s rate.
    case single
  }

  /// Every knob of stable-baselines' `KfacOptimizer` as ACKTR constructs it (algorithms.md §3.1).
  ///
  /// The learning rate η is not here: ACKTR schedules it (`learning_rate` 0.25, linear), and
  /// ``KFAC/step(learningRate:)`` takes the current value.
  public struct Configuration: Codable, Sendable, Equatable {
    /// Momentum μ of both the cold-start and the K-FAC momentum optimisers (SB2 `momentum`).
    public var momentum: Double
    /// KL trust-region size κ (SB2 `kfac_clip`): `s = min(1, sqrt(κ / (η² Σ ĝ·g)))`.
    public var clipKL: Double
    /// Damping ε added to the eigenvalue products `e_A e_G` (SB2 `epsilon`).
    public var damping: Double
    /// Decay of the running factor statistics after the cold phase (SB2 `stats_decay`).
    public var statsDecay: Double
    /// Eigendecompose every `kfacUpdate` statistics steps (SB2 `kfac_update`).
    public var kfacUpdate: Int
    /// Cold-start updates; also the number of batches plainly averaged into the statistics and the
    /// first statistics step with an eigendecomposition (SB2 `cold_iter` = `stats_accum_iter`).
    public var coldIter: Int
    /// Global-norm clip of the cold-start gradients; `nil` disables it (SB2 `max_grad_norm`).
    /// K-FAC steps are never norm-clipped.
    public var maxGradNorm: Double?
    /// Use each decomposition late, computed beside training on a second thread, as the
    /// reference's queue thread does (SB2 `async_eigen_decomp`; OpenAI baselines `is_async`).
    /// Emulated deterministically: see ``asyncEigenDecompositionLag``.
    public var asyncEigenDecomposition: Bool
    /// With ``asyncEigenDecomposition``: a decomposition of the statistics after update `k` is
    /// used from update `k + L`, and the next one starts then (one in flight at a time, like the
    /// reference's capacity-1 queue). `L = 1` is the reference's best case (the queue delivers by
    /// the next update); a larger `L` models a decomposition that takes `L` updates of wall time —
    /// nature_cnn's 3136×3136 `fc1` A factor takes ≈8 s in `dsyevd` against a fraction of a second
    /// per update — and lets the second core do it without stalling training.
    // Deviation: the reference's lag is wall-clock timing, so not reproducible; ours is a fixed
    // number of updates.
    public var asyncEigenDecompositionLag: Int
    /// The eigendecomposition's precision (``EigenSolver/double`` by default).
    public var eigenSolver: EigenSolver
    /// Eigenvalues `≤` this are set to 0 before damping (`clipoutNeg` threshold).
    public var eigenvalueClip: Double
    /// Which updates around `coldIter` run a cold step, a K-FAC step, or both.
    public var coldStartHandoff: ColdStartHandoff

    /// Creates a configuration; the defaults are stable-baselines ACKTR's.
    public init(
      momentum: Double = 0.9, clipKL: Double = 0.001, damping: Double = 0.01, statsDecay: Double = 0.99,
      kfacUpdate: Int = 1, coldIter: Int = 10, maxGradNorm: Double? = 0.5,
      asyncEigenDecomposition: Bool = false, asyncEigenDecompositionLag: Int = 1, eigenvalueClip: Double = 1e-6,
      coldStartHandoff: ColdStartHandoff = .stableBaselines, eigenSolver: EigenSolver = .double
    ) {
      self.asyncEigenDecompositionLag = asyncEigenDecompositionLag
      self.eigenSolver = eigenSolver
      self.momentum = momentum
      self.clipKL = clipKL
      self.damping = damping
      self.statsDecay = statsDecay
      self.kfacUpdate = kfacUpdate
      self.coldIter = coldIter
      self.maxGradNorm = maxGradNorm
      self.asyncEigenDecomposition = asyncEigenDecomposition
      self.eigenvalueClip = eigenvalueClip
      self.coldStartHandoff = coldStartHandoff
    }

    /// stable-baselines 2.10 ACKTR (`acktr/acktr.py`): synchronous eigendecompositions.
    public static let reference = Configuration()

    /// OpenAI baselines ACKTR (`acktr/acktr.py`, `is_async=True`): stale-by-one decompositions.
    public static let openAIBaselines = Configuration(asyncEigenDecomposition: true)

    private enum CodingKeys: String, CodingKey {
      case momentum, clipKL, damping, statsDecay, kfacUpdate, coldIter, maxGradNorm, asyncEigenDecomposition
      case asyncEigenDecompositionLag, eigenvalueClip, coldStartHandoff, eigenSolver
    }

    /// Decodes every field; `asyncEigenDecompositionLag` defaults to 1 (files written before it existed).
    public init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      momentum = try c.decode(Double.self, forKey: .momentum)
      clipKL = try c.decode(Double.self, forKey: .clipKL)
      damping = try c.decode(Double.self, forKey: .damping)
      statsDecay = try c.decode(Double.self, forKey: .statsDecay)
      kfacUpdate = try c.decode(Int.self, forKey: .kfacUpdate)
      coldIter = try c.decode(Int.self, forKey: .coldIter)
      maxGradNorm = try c.decodeIfPresent(Double.self, forKey: .maxGradNorm)
      asyncEigenDecomposition = try c.decode(Bool.self, forKey: .asyncEigenDecomposition)
      asyncEigenDecompositionLag = try c.decodeIfPresent(Int.self, forKey: .asyncEigenDecompositionLag) ?? 1
      eigenvalueClip = try c.decode(Double.self, forKey: .eigenvalueClip)
      coldStartHandoff = try c.decode(ColdStartHandoff.self, forKey: .coldStartHandoff)
      eigenSolver = try c.decodeIfPresent(EigenSolver.self, forKey: .eigenSolver) ?? .double
    }

    /// Checks every field.
    /// - Throws: ``KFACError/invalidValue(field:value:allowed:)`` naming the first bad field.
    public func validate() throws {
      func check(_ ok: Bool, _ field: String, _ value: Any, _ allowed: String) throws {
        if !ok { throw KFACError.invalidValue(field: field, value: "\(value)", allowed: allowed) }
      }
      try check(momentum >= 0 && momentum < 1, "momentum", momentum, "0 ≤ momentum < 1")
      try check(clipKL > 0 && clipKL.isFinite, "clipKL", clipKL, "a finite value > 0")
      try check(damping > 0 && damping.isFinite, "damping", damping, "a finite value > 0")
      try check(statsDecay >= 0 && statsDecay <= 1, "statsDecay", statsDecay, "0 ≤ statsDecay ≤ 1")
      try check(kfacUpdate >= 1, "kfacUpdate", kfacUpdate, "an integer ≥ 1")
      try check(coldIter >= 1, "coldIter", coldIter, "an integer ≥ 1")
      try check(
        asyncEigenDecompositionLag >= 1 && asyncEigenDecompositionLag <= 1_000_000, "asyncEigenDecompositionLag",
        asyncEigenDecompositionLag, "an integer in 1…1000000")
      if let maxGradNorm {
        try check(
          maxGradNorm > 0 && maxGradNorm.isFinite, "maxGradNorm", maxGradNorm, "nil or a finite value > 0")
      }
      try check(
        eigenvalueClip >= 0 && eigenvalueClip.isFinite, "eigenvalueClip", eigenvalueClip, "a finite value ≥ 0"
      )
    }
  }
}
