extension KFAC {
  /// Everything K-FAC carries from one update to the next, for checkpoints and tests.
  ///
  /// Captured batch statistics are transient and not included: take snapshots between updates.
  /// (stable-baselines saves none of this; restoring it makes a resumed run continue exactly.)
  public struct Snapshot: Codable, Sendable, Equatable {
    /// The state of one ``KroneckerFactor``.
    public struct Factor: Codable, Sendable, Equatable {
      /// ``KroneckerFactor/name``.
      public var name: String
      /// ``KroneckerFactor/dimension``.
      public var dimension: Int
      /// ``KroneckerFactor/statistics``.
      public var statistics: [Double]
      /// ``KroneckerFactor/eigenvalues`` (clipped).
      public var eigenvalues: [Double]
      /// ``KroneckerFactor/eigenvectors``.
      public var eigenvectors: [Double]
      /// ``KroneckerFactor/pendingEigenvalues`` (asynchronous mode).
      public var pendingEigenvalues: [Double]?
      /// ``KroneckerFactor/pendingEigenvectors`` (asynchronous mode).
      public var pendingEigenvectors: [Double]?
    }

    /// ``KFAC/statisticsStep``.
    public var statisticsStep: Int
    /// ``KFAC/factorStep``.
    public var factorStep: Int
    /// ``KFAC/coldStep``.
    public var coldStep: Int
    /// The statistics step the pending asynchronous decomposition read (`nil`: none pending, or a
    /// snapshot from before lags existed, whose pending decomposition read the last step).
    public var pendingDecompositionStep: Int?
    /// Every factor, in ``KFAC/factors`` order.
    public var factors: [Factor]
    /// The cold-start momentum accumulators, one per parameter.
    public var coldMomentum: [[Float]]
    /// The K-FAC momentum accumulators, one per parameter.
    public var kfacMomentum: [[Float]]
  }

  /// The current state (waits for an asynchronous decomposition still running).
  public func snapshot() -> Snapshot {
    finishPendingDecomposition()
    return Snapshot(
      statisticsStep: statisticsStep, factorStep: factorStep, coldStep: coldStep,
      pendingDecompositionStep: factors.first?.pendingEigenvalues != nil ? inFlight?.startedAt : nil,
      factors: factors.map { f in
        Snapshot.Factor(
          name: f.name, dimension: f.dimension, statistics: f.statistics, eigenvalues: f.eigenvalues,
          eigenvectors: f.eigenvectors, pendingEigenvalues: f.pendingEigenvalues,
          pendingEigenvectors: f.pendingEigenvectors)
      },
      coldMomentum: coldMomentumState, kfacMomentum: kfacMomentumState)
  }

  /// The largest step counter a snapshot may hold, 2⁵³ (more updates than any run makes, far from
  /// overflowing when training continues).
  public static let maximumStep = 1 << 53

  /// Replaces the state with `snapshot` (parameters themselves are not part of it).
  ///
  /// Any captured but unused batch statistics are discarded.
  /// - Throws: ``KFACError/snapshotMismatch(field:expected:found:)`` when the snapshot belongs to
  ///   other layers or settings, or holds non-finite values; then nothing changes.
  public func restore(_ snapshot: Snapshot) throws {
    func mismatch(_ field: String, _ expected: Any, _ found: Any) -> KFACError {
      .snapshotMismatch(field: field, expected: "\(expected)", found: "\(found)")
    }
    for (field, value) in [
      ("statisticsStep", snapshot.statisticsStep), ("factorStep", snapshot.factorStep),
      ("coldStep", snapshot.coldStep),
    ] where !(0...Self.maximumStep).contains(value) {
      // A step near Int.max would trap when the next update increments it.
      throw mismatch(field, "0…\(Self.maximumStep)", value)
    }
    guard snapshot.factors.count == factors.count else {
      throw mismatch("factors.count", factors.count, snapshot.factors.count)
    }
    for (index, (state, factor)) in zip(snapshot.factors, factors).enumerated() {
      let field = "factors[\(index)]"
      let n = factor.dimension
      guard state.name == factor.name else { throw mismatch("\(field).name", factor.name, state.name) }
      guard state.dimension == n else { throw mismatch("\(field).dimension", n, state.dimension) }
      let arrays: [(String, [Double]?, Int)] = [
        ("statistics", state.statistics, n * n), ("eigenvalues", state.eigenvalues, n),
        ("eigenvectors", state.eigenvectors, n * n), ("pendingEigenvalues", state.pendingEigenvalues, n),
        ("pendingEigenvectors", state.pendingEigenvectors, n * n),
      ]
      for (name, array, count) in arrays {
        guard let array else { continue }
        guard array.count == count else { throw mismatch("\(field).\(name).count", count, array.count) }
        guard array.allSatisfy(\.isFinite) else {
          throw mismatch("\(field).\(name)", "finite values", "NaN or infinity")
        }
      }
      guard (state.pendingEigenvalues == nil) == (state.pendingEigenvectors == nil) else {
        throw mismatch("\(field).pendingEigenvectors", "present exactly when pendingEigenvalues is", "not")
      }
      if state.pendingEigenvalues != nil && !configuration.asyncEigenDecomposition {
        throw mismatch("\(field).pendingEigenvalues", "nil (asyncEigenDecomposition is false)", "present")
      }
    }
    for (name, momentum) in [
      ("coldMomentum", snapshot.coldMomentum), ("kfacMomentum", snapshot.kfacMomentum),
    ] {
      guard momentum.count == parameters.count else {
        throw mismatch("\(name).count", parameters.count, momentum.count)
      }
      for (slot, p) in zip(momentum, parameters) where slot.count != p.count {
        throw mismatch("\(name) slot of \(p.name)", "\(p.count) elements", "\(slot.count) elements")
      }
    }

    let pendingCount = snapshot.factors.filter { $0.pendingEigenvalues != nil }.count
    guard pendingCount == 0 || pendingCount == factors.count else {
      throw mismatch("pendingEigenvalues", "on every factor or on none", "on \(pendingCount) of \(factors.count)")
    }
    if let step = snapshot.pendingDecompositionStep {
      guard pendingCount > 0, step >= 0, step <= snapshot.statisticsStep else {
        throw mismatch(
          "pendingDecompositionStep", "0…statisticsStep (\(snapshot.statisticsStep)) with a pending decomposition",
          step)
      }
    }

    // Validated: apply, after any decomposition still running in the background is done with.
    discardInFlightDecomposition()
    statisticsStep = snapshot.statisticsStep
    factorStep = snapshot.factorStep
    coldStep = snapshot.coldStep
    hasCapturedStatistics = false
    for (state, factor) in zip(snapshot.factors, factors) {
      factor.statistics = state.statistics
      factor.setDecompositionInUse(eigenvalues: state.eigenvalues, eigenvectors: state.eigenvectors)
      factor.pendingEigenvalues = state.pendingEigenvalues
      factor.pendingEigenvectors = state.pendingEigenvectors
    }
    coldMomentumState = snapshot.coldMomentum
    kfacMomentumState = snapshot.kfacMomentum
    inFlight =
      snapshot.factors.first?.pendingEigenvalues != nil
      ? (startedAt: snapshot.pendingDecompositionStep ?? snapshot.statisticsStep, job: nil) : nil
  }
}
