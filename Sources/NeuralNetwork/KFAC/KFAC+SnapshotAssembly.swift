extension KFAC.Snapshot {
  /// A snapshot from its parts, for checkpoint readers outside this module (the synthesised
  /// memberwise initialiser is internal); ``KFAC/restore(_:)`` validates it.
  public static func assembled(
    statisticsStep: Int, factorStep: Int, coldStep: Int, pendingDecompositionStep: Int?, factors: [Factor],
    coldMomentum: [[Float]], kfacMomentum: [[Float]]
  ) -> KFAC.Snapshot {
    KFAC.Snapshot(
      statisticsStep: statisticsStep, factorStep: factorStep, coldStep: coldStep,
      pendingDecompositionStep: pendingDecompositionStep, factors: factors, coldMomentum: coldMomentum,
      kfacMomentum: kfacMomentum)
  }
}

extension KFAC.Snapshot.Factor {
  /// A factor's state from its parts (see ``KFAC/Snapshot/assembled(statisticsStep:factorStep:coldStep:pendingDecompositionStep:factors:coldMomentum:kfacMomentum:)``).
  public static func assembled(
    name: String, dimension: Int, statistics: [Double], eigenvalues: [Double], eigenvectors: [Double],
    pendingEigenvalues: [Double]?, pendingEigenvectors: [Double]?
  ) -> KFAC.Snapshot.Factor {
    KFAC.Snapshot.Factor(
      name: name, dimension: dimension, statistics: statistics, eigenvalues: eigenvalues, eigenvectors: eigenvectors,
      pendingEigenvalues: pendingEigenvalues, pendingEigenvectors: pendingEigenvectors)
  }
}
