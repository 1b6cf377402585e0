import Environments

extension VectorizedEnvironment {
  /// The observation and return statistics when this is a normalising environment (saved with
  /// the model, as SB2's VecNormalize statistics are saved beside it).
  public var normalizationStatistics: NormalizationStatistics? {
    (self as? NormalizedVectorEnvironment)?.statistics
  }

  /// Loads saved normalisation statistics.
  ///
  /// - Throws: ``ConfigurationError/environmentMismatch(field:model:environment:)`` when this
  ///   environment does not normalise, or the statistics do not fit it.
  public func setNormalizationStatistics(_ statistics: NormalizationStatistics) throws {
    guard let normalized = self as? NormalizedVectorEnvironment else {
      throw ConfigurationError.environmentMismatch(
        field: "normalization", model: "saved observation/return statistics",
        environment: "an environment without normalisation (wrap it in NormalizedVectorEnvironment)")
    }
    try normalized.loadStatistics(statistics)
  }
}
