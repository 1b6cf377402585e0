/// A vector environment whose observations keep only some components of another's: the
/// vector-level form of ``ObservationSubsetEnvironment``, for wrapping an environment built
/// elsewhere (a Gymnasium bridge twin rendered for a policy trained on a `NoVel` task).
///
/// ```
/// observations[i]         = (wrapped.observations[i][k₁], wrapped.observations[i][k₂], …)
/// terminalObservations[i] = the same subset of wrapped.terminalObservations[i]
/// everything else         = the wrapped environment's (``ObservationWrapper``)
/// ```
/// The observation space is the wrapped one-dimensional Box restricted to the kept components
/// (same dtype), as ``ObservationSubsetEnvironment`` builds it.
public final class ObservationSubsetVectorEnvironment: ObservationWrapper {
  /// The wrapped environment.
  public let wrapped: any VectorizedEnvironment
  /// The indices of the kept observation components, in order.
  public let keptComponents: [Int]
  /// The wrapped Box restricted to ``keptComponents``.
  public let observationSpace: Space
  /// The kept components of the wrapped observations.
  public let observations: ObservationBuffer
  /// The kept components of the wrapped terminal observations.
  public let terminalObservations: ObservationBuffer

  private let elementBytes: Int

  /// Keeps `components` of `wrapped`'s one-dimensional Box observations.
  ///
  /// - Throws: ``EnvironmentError/invalidSpace(field:reason:)`` naming `observationSpace` when
  ///   the wrapped observation is not a one-dimensional Box, or `keptComponents` when an index
  ///   lies outside it (or none is given).
  public init(wrapping wrapped: any VectorizedEnvironment, keeping components: [Int]) throws(EnvironmentError) {
    guard case .box(let low, let high, let shape, let dtype) = wrapped.observationSpace, shape.count == 1 else {
      throw .invalidSpace(
        field: "observationSpace",
        reason: "\(wrapped.environmentID): only a one-dimensional Box observation can be subset, got \(wrapped.observationSpace)")
    }
    guard !components.isEmpty, components.allSatisfy({ low.indices.contains($0) }) else {
      throw .invalidSpace(
        field: "keptComponents",
        reason: "\(wrapped.environmentID): \(components) must be a non-empty list of indices in 0..<\(low.count)")
    }
    self.wrapped = wrapped
    keptComponents = components
    observationSpace = .box(
      low: components.map { low[$0] }, high: components.map { high[$0] }, shape: [components.count], dtype: dtype)
    elementBytes = dtype.byteCount
    observations = ObservationBuffer(space: observationSpace, count: wrapped.count)
    terminalObservations = ObservationBuffer(space: observationSpace, count: wrapped.count)
  }

  /// Components per observation: the kept ones.
  public var observationSize: Int { keptComponents.count }

  public func reset() {
    wrapped.reset()
    copyKept(from: wrapped.observations, into: observations)
  }

  public func step(_ actions: [Double]) throws(EnvironmentError) {
    try wrapped.step(actions)
    copyKept(from: wrapped.observations, into: observations)
    copyKept(from: wrapped.terminalObservations, into: terminalObservations)
  }

  private func copyKept(from source: ObservationBuffer, into target: ObservationBuffer) {
    for i in 0..<count {
      let from = source.observation(i)
      let to = target.observation(i)
      for (j, k) in keptComponents.enumerated() {
        to.baseAddress!.advanced(by: j * elementBytes)
          .copyMemory(from: from.baseAddress!.advanced(by: k * elementBytes), byteCount: elementBytes)
      }
    }
  }
}
