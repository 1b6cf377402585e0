import LinearAlgebra

// Deviation: TensorFlow kept the statistics and ran `self_adjoint_eig` in float32; `Double` avoids
// the NaN/garbage eigenpairs reported for badly scaled statistics (algorithms.md §3.9 item 1).

/// One Kronecker factor of K-FAC: running second-moment statistics `S` and their eigendecomposition.
///
/// ```
/// cov = scale · XᵀX                                  (this batch, X = the factor's rows)
/// S   ← S + cov / coldIter                          while statisticsStep < coldIter
/// S   ← decay·S + (1 − decay)·cov                   afterwards
/// S   = Q diag(e) Qᵀ,   e ← e·[e > eigenvalueClip]  (when an eigendecomposition is due)
/// ```
/// An activation factor `A` is `(1/B) Σ_i a_i a_iᵀ` over the layer inputs; an output-gradient factor
/// `G` is `(1/B) Σ_i g_i g_iᵀ` over the per-sample output gradients (algorithms.md §3.4). Martens &
/// Grosse 2015, [arXiv:1503.05671](https://arxiv.org/abs/1503.05671), §3.
///
/// Statistics, eigenvalues and eigenvectors are kept in `Double`; the eigendecomposition is
/// LAPACK's `dsyevd`, or `ssyevd` on the statistics rounded to `Float` (``KFAC/EigenSolver``), whose
/// outputs the single-precision preconditioning reads back as `Float`
/// (``singlePrecisionDecomposition()``).
public final class KroneckerFactor {
  /// Which side of the Kronecker product a factor is.
  public enum Role: String, Codable, Sendable, Equatable, CustomStringConvertible {
    /// `A`, from the layer inputs (activations).
    case activation
    /// `G`, from the per-sample gradients of the layer outputs (pre-activations).
    case outputGradient

    /// `"A"` or `"G"`.
    public var description: String { self == .activation ? "A" : "G" }
  }

  /// The factor's name, `<parameter name>/A` or `<parameter name>/G` (e.g. `model/pi_fc0/w:0/A`).
  public let name: String
  /// The name of the parameter this factor preconditions.
  public let parameterName: String
  /// `A` or `G`.
  public let role: Role
  /// The side length `n` of the `n × n` factor.
  public let dimension: Int

  /// The running statistics `S`, row-major `n × n`.
  public internal(set) var statistics: [Double]
  /// This update's covariance `cov`, row-major `n × n`, written by the block's capture.
  public internal(set) var batchCovariance: [Double]
  /// The clipped eigenvalues `e` used for preconditioning (ascending; `1` before the first
  /// decomposition, as the reference initialises them).
  public private(set) var eigenvalues: [Double]
  /// The eigenvectors `Q` used for preconditioning, as the columns of a row-major `n × n` matrix
  /// (the identity before the first decomposition).
  public private(set) var eigenvectors: [Double]
  /// The decomposition computed at the last update but not yet in use (asynchronous mode only).
  public internal(set) var pendingEigenvalues: [Double]?
  /// Eigenvectors belonging to ``pendingEigenvalues``.
  public internal(set) var pendingEigenvectors: [Double]?

  // Scratch, reused every update (swapped with the state above on commit, never reallocated).
  var candidateStatistics: [Double]
  /// The statistics an asynchronous decomposition works on (allocated on first use).
  var asynchronousInput: [Double] = []
  var scratchEigenvalues: [Double]
  var scratchEigenvectors: [Double]
  private var spareEigenvalues: [Double]
  private var spareEigenvectors: [Double]
  private var floatCovariance: Matrix
  /// Counts the changes of the decomposition in use (activations and restores).
  private var decompositionChanges = 0
  /// The decomposition in use rounded to `Float` (``singlePrecisionDecomposition()``), and the
  /// ``decompositionChanges`` it was rounded at.
  private var floatEigenvalues: [Float] = []
  private var floatEigenvectors: [Float] = []
  private var floatDecompositionChanges = -1

  /// Creates a factor of side `dimension` with zero statistics and the identity decomposition.
  public init(parameterName: String, role: Role, dimension: Int) {
    precondition(dimension > 0, "a Kronecker factor needs a positive dimension, got \(dimension)")
    self.parameterName = parameterName
    self.role = role
    self.dimension = dimension
    name = "\(parameterName)/\(role)"
    let n = dimension
    var identity = [Double](repeating: 0, count: n * n)
    for i in 0..<n { identity[i * n + i] = 1 }
    statistics = [Double](repeating: 0, count: n * n)
    batchCovariance = [Double](repeating: 0, count: n * n)
    eigenvalues = [Double](repeating: 1, count: n)
    eigenvectors = identity
    candidateStatistics = [Double](repeating: 0, count: n * n)
    floatCovariance = Matrix(rows: n, columns: n)
    scratchEigenvalues = [Double](repeating: 0, count: n)
    scratchEigenvectors = [Double](repeating: 0, count: n * n)
    spareEigenvalues = [Double](repeating: 0, count: n)
    spareEigenvectors = [Double](repeating: 0, count: n * n)
  }

  // MARK: - Batch covariance

  /// Sets this update's covariance from a batch of rows (`cblas_sgemm`, widened to `Double`).
  ///
  /// ```
  /// cov = scale · XᵀX,   X = rows  [m, n]
  /// ```
  /// The dense `A` uses `scale = 1/B`; the dense `G` uses the batch-mean gradients `δ = g/B` with
  /// `scale = B`, which gives `(1/B) Σ_i g_i g_iᵀ` (the reference multiplies `δ` by `B` and divides
  /// `XᵀX` by the row count).
  ///
  /// The product runs in `Float`, as the reference's float32 `matmul` did: for the CartPole MLP
  /// (`[160, 64]` rows) `sgemm` took 12 µs against 41 µs for widening and `dgemm`; only the running
  /// statistics are accumulated in `Double`.
  /// - Parameters:
  ///   - rows: `X`, one row per sample (or per sample and position), `n` columns.
  ///   - scale: the factor in front of `XᵀX`.
  public func setBatchCovariance(rows: Matrix, scale: Double) {
    precondition(
      rows.columns == dimension, "\(name): rows have \(rows.columns) columns, expected \(dimension)")
    gemm(rows, rows, into: &floatCovariance, transposeA: .transposed, alpha: Float(scale))
    batchCovariance.withUnsafeMutableBufferPointer { dst in
      floatCovariance.elements.withUnsafeBufferPointer { src in
        for i in 0..<dst.count { dst[i] = Double(src[i]) }
      }
    }
  }

  /// Sets this update's covariance from a batch of rows with a symmetric rank-k update
  /// (`cblas_ssyrk`, widened to `Double`): the same `cov = scale · XᵀX` as
  /// ``setBatchCovariance(rows:scale:)`` in half the flops, rounded differently. (The dense blocks
  /// keep ``setBatchCovariance(rows:scale:)``, so their results stay bit-identical.)
  public func setBatchCovarianceBySymmetricUpdate(rows: Matrix, scale: Double) {
    precondition(
      rows.columns == dimension, "\(name): rows have \(rows.columns) columns, expected \(dimension)")
    syrk(rows, into: &floatCovariance, transpose: .transposed, alpha: Float(scale))
    setBatchCovariance(gramian: floatCovariance, scale: 1)
  }

  /// Sets this update's covariance from a precomputed Gramian `XᵀX` (`Float`, full symmetric
  /// `n × n`), for rows that are never stored whole, such as a convolution's patches
  /// (``Conv2D/patchGramian(into:)``):
  /// ```
  /// cov = scale · gramian
  /// ```
  public func setBatchCovariance(gramian: Matrix, scale: Double) {
    precondition(
      gramian.rows == dimension && gramian.columns == dimension,
      "\(name): the Gramian is \(gramian.rows)×\(gramian.columns), expected \(dimension)×\(dimension)")
    batchCovariance.withUnsafeMutableBufferPointer { dst in
      gramian.elements.withUnsafeBufferPointer { src in
        for i in 0..<dst.count { dst[i] = scale * Double(src[i]) }
      }
    }
  }

  /// Copies another factor's batch covariance (the G-only factor of a dense bias has the same values
  /// as the weight's `G`, in separate statistics, algorithms.md §3.3).
  public func setBatchCovariance(copying other: KroneckerFactor) {
    precondition(other.dimension == dimension, "\(name): cannot copy \(other.name) of another dimension")
    batchCovariance.withUnsafeMutableBufferPointer { dst in
      other.batchCovariance.withUnsafeBufferPointer { src in _ = dst.update(fromContentsOf: src) }
    }
  }

  // MARK: - Update (called by KFAC)

  /// Computes the next statistics into ``candidateStatistics`` without changing ``statistics``.
  ///
  /// - Returns: whether every element of the candidate is finite.
  func prepareStatistics(accumulating: Bool, accumulationCoefficient: Double, decay: Double) -> Bool {
    var finite = true
    candidateStatistics.withUnsafeMutableBufferPointer { next in
      statistics.withUnsafeBufferPointer { s in
        batchCovariance.withUnsafeBufferPointer { cov in
          if accumulating {
            for i in 0..<next.count { next[i] = s[i] + accumulationCoefficient * cov[i] }
          } else {
            for i in 0..<next.count { next[i] = s[i] * decay + (1 - decay) * cov[i] }
          }
          for x in next where !x.isFinite {
            finite = false
            break
          }
        }
      }
    }
    return finite
  }

  /// Which statistics a decomposition reads.
  enum DecompositionInput {
    /// ``candidateStatistics`` (synchronous mode, before they are committed).
    case candidate
    /// The copy ``copyStatisticsForAsynchronousDecomposition()`` made (on the decomposition thread;
    /// the training thread touches neither it nor the scratch buffers until the job is joined).
    case asynchronous
  }

  /// Eigendecomposes `input` into the scratch eigen buffers and clips the eigenvalues.
  func decompose(_ input: DecompositionInput, eigenvalueClip: Double, solver: KFAC.EigenSolver) throws {
    try decompose(input == .candidate ? candidateStatistics : asynchronousInput, eigenvalueClip: eigenvalueClip, solver: solver)
  }

  /// Copies the committed ``statistics`` as the input of an asynchronous decomposition (the
  /// training thread goes on changing ``statistics``; the decomposition thread reads this copy).
  func copyStatisticsForAsynchronousDecomposition() {
    if asynchronousInput.count != statistics.count {
      asynchronousInput = statistics
    } else {
      asynchronousInput.withUnsafeMutableBufferPointer { dst in
        statistics.withUnsafeBufferPointer { src in _ = dst.update(fromContentsOf: src) }
      }
    }
  }

  /// Whether this factor's `input` is bitwise equal to `other`'s.
  func hasSameInput(_ input: DecompositionInput, as other: KroneckerFactor) -> Bool {
    guard other.dimension == dimension else { return false }
    let mine = input == .candidate ? candidateStatistics : asynchronousInput
    let theirs = input == .candidate ? other.candidateStatistics : other.asynchronousInput
    return mine.withUnsafeBufferPointer { a in
      theirs.withUnsafeBufferPointer { b in
        for i in 0..<a.count where a[i].bitPattern != b[i].bitPattern { return false }
        return true
      }
    }
  }

  private func decompose(_ matrix: [Double], eigenvalueClip: Double, solver: KFAC.EigenSolver) throws {
    let values: [Double], vectors: [Double]
    switch solver {
    case .double:
      let decomposition = try SymmetricEigendecomposition(symmetric: matrix, dimension: dimension)
      (values, vectors) = (decomposition.eigenvalues, decomposition.eigenvectors)
    case .single:
      let decomposition = try SinglePrecisionSymmetricEigendecomposition(
        symmetric: matrix.map { Float($0) }, dimension: dimension)
      (values, vectors) = (decomposition.eigenvalues.map(Double.init), decomposition.eigenvectors.map(Double.init))
    }
    scratchEigenvectors.withUnsafeMutableBufferPointer { q in
      vectors.withUnsafeBufferPointer { src in _ = q.update(fromContentsOf: src) }
    }
    scratchEigenvalues.withUnsafeMutableBufferPointer { e in
      values.withUnsafeBufferPointer { src in
        // Reference: openai/baselines acktr/kfac_utils.py `clipoutNeg` — e·[e > 1e-6].
        for i in 0..<e.count { e[i] = src[i] > eigenvalueClip ? src[i] : 0 }
      }
    }
  }

  /// Copies another factor's scratch decomposition (its candidate statistics were bit-identical).
  func copyScratchDecomposition(from other: KroneckerFactor) {
    scratchEigenvalues.withUnsafeMutableBufferPointer { dst in
      other.scratchEigenvalues.withUnsafeBufferPointer { src in _ = dst.update(fromContentsOf: src) }
    }
    scratchEigenvectors.withUnsafeMutableBufferPointer { dst in
      other.scratchEigenvectors.withUnsafeBufferPointer { src in _ = dst.update(fromContentsOf: src) }
    }
  }

  /// Makes the candidate statistics current (O(1) buffer swap).
  func commitStatistics() { swap(&statistics, &candidateStatistics) }

  /// Makes the scratch decomposition the one in use (synchronous mode).
  func activateScratchDecomposition() {
    swap(&eigenvalues, &scratchEigenvalues)
    swap(&eigenvectors, &scratchEigenvectors)
    decompositionChanges += 1
  }

  /// Replaces the decomposition in use (a restored snapshot; the caller has checked the sizes).
  func setDecompositionInUse(eigenvalues values: [Double], eigenvectors vectors: [Double]) {
    eigenvalues = values
    eigenvectors = vectors
    decompositionChanges += 1
  }

  /// The decomposition in use, ``eigenvalues`` and ``eigenvectors``, rounded to `Float`, for the
  /// single-precision preconditioning (``KFAC/EigenSolver/single``):
  /// ```
  /// (ê, Q̂) = (fl32(e), fl32(Q))
  /// ```
  /// Exact when the decomposition came from `ssyevd` (its `Float` outputs, widened to `Double`
  /// and clipped, round back to themselves). Rounded once per decomposition, on first use after
  /// it went into use; the buffers are reused.
  func singlePrecisionDecomposition() -> (eigenvalues: [Float], eigenvectors: [Float]) {
    if floatDecompositionChanges != decompositionChanges {
      Self.round(eigenvalues, into: &floatEigenvalues)
      Self.round(eigenvectors, into: &floatEigenvectors)
      floatDecompositionChanges = decompositionChanges
    }
    return (floatEigenvalues, floatEigenvectors)
  }

  private static func round(_ source: [Double], into destination: inout [Float]) {
    if destination.count != source.count { destination = [Float](repeating: 0, count: source.count) }
    destination.withUnsafeMutableBufferPointer { dst in
      source.withUnsafeBufferPointer { src in
        for i in 0..<src.count { dst[i] = Float(src[i]) }
      }
    }
  }

  /// Moves the pending decomposition into use, if there is one (asynchronous mode).
  /// - Returns: whether a pending decomposition was activated.
  func activatePendingDecomposition() -> Bool {
    guard var values = pendingEigenvalues, var vectors = pendingEigenvectors else { return false }
    pendingEigenvalues = nil
    pendingEigenvectors = nil
    swap(&eigenvalues, &values)
    swap(&eigenvectors, &vectors)
    decompositionChanges += 1
    // Keep the retired buffers for the next pending decomposition.
    spareEigenvalues = values
    spareEigenvectors = vectors
    return true
  }

  /// Moves the scratch decomposition into the pending slot (asynchronous mode).
  ///
  /// The three slots (in use, pending, scratch) rotate through `swap`, so every buffer stays
  /// uniquely referenced and later in-place writes never copy.
  func stashScratchDecompositionAsPending() {
    precondition(pendingEigenvalues == nil, "\(name): a pending decomposition was not activated")
    var values =
      spareEigenvalues.count == dimension ? spareEigenvalues : [Double](repeating: 0, count: dimension)
    var vectors =
      spareEigenvectors.count == dimension * dimension
      ? spareEigenvectors : [Double](repeating: 0, count: dimension * dimension)
    spareEigenvalues = []
    spareEigenvectors = []
    swap(&values, &scratchEigenvalues)
    swap(&vectors, &scratchEigenvectors)
    pendingEigenvalues = values
    pendingEigenvectors = vectors
  }
}
