import Randomness

/// An environment whose observation keeps only some components of another's: a partially
/// observable task for recurrent policies, the rl-baselines-zoo's "NoVel" idea (velocities hidden,
/// so a policy must infer them from the history of positions).
///
/// ```
/// o_t = (s_t[k₁], s_t[k₂], …)      dynamics, rewards, episode ends and time limit: the wrapped env's
/// ```
/// | id | keeps | of |
/// | --- | --- | --- |
/// | `CartPoleNoVel-v1` | cart position, pole angle | CartPole-v1 `[x, ẋ, θ, θ̇]` |
/// | `AcrobotNoVel-v1` | cos θ₁, sin θ₁, cos θ₂, sin θ₂ | Acrobot-v1 (angular velocities hidden) |
///
/// The observation space is the wrapped Box restricted to the kept components (same dtype).
public final class ObservationSubsetEnvironment: Environment {
  /// The id (e.g. `CartPoleNoVel-v1`).
  public let id: String
  /// The wrapped environment.
  public let wrapped: any Environment
  /// The indices of the kept observation components, in order.
  public let keptComponents: [Int]
  /// The wrapped Box restricted to ``keptComponents``.
  public let observationSpace: Space
  public var actionSpace: Space { wrapped.actionSpace }
  public var maxEpisodeSteps: Int? { wrapped.maxEpisodeSteps }
  public var elapsedSteps: Int {
    get { wrapped.elapsedSteps }
    set { wrapped.elapsedSteps = newValue }
  }
  public var state: [Double] {
    get { wrapped.state }
    set { wrapped.state = newValue }
  }

  private let elementBytes: Int
  private var full: UnsafeMutableRawBufferPointer

  /// Keeps `components` of `wrapped`'s one-dimensional Box observation.
  ///
  /// - Precondition: the wrapped observation space is a one-dimensional Box and every index is in
  ///   range (the registry builds these from fixed tables).
  public init(id: String, wrapping wrapped: any Environment, keeping components: [Int]) {
    guard case .box(let low, let high, let shape, let dtype) = wrapped.observationSpace, shape.count == 1 else {
      preconditionFailure("\(id): only one-dimensional Box observations can be subset")
    }
    precondition(
      !components.isEmpty && components.allSatisfy { low.indices.contains($0) }, "\(id): component out of range")
    self.id = id
    self.wrapped = wrapped
    keptComponents = components
    observationSpace = .box(
      low: components.map { low[$0] }, high: components.map { high[$0] }, shape: [components.count], dtype: dtype)
    elementBytes = dtype.byteCount
    full = .allocate(byteCount: low.count * dtype.byteCount, alignment: 8)
  }

  deinit { full.deallocate() }

  public func reset(using random: RandomStream, into observation: UnsafeMutableRawBufferPointer) {
    wrapped.reset(using: random, into: full)
    copyKept(into: observation)
  }

  public func step(
    _ action: UnsafeBufferPointer<Double>, into observation: UnsafeMutableRawBufferPointer
  ) throws(EnvironmentError) -> StepOutcome {
    let outcome = try wrapped.step(action, into: full)
    copyKept(into: observation)
    return outcome
  }

  public func writeObservation(into observation: UnsafeMutableRawBufferPointer) {
    wrapped.writeObservation(into: full)
    copyKept(into: observation)
  }

  private func copyKept(into observation: UnsafeMutableRawBufferPointer) {
    for (i, k) in keptComponents.enumerated() {
      observation.baseAddress!.advanced(by: i * elementBytes)
        .copyMemory(from: full.baseAddress!.advanced(by: k * elementBytes), byteCount: elementBytes)
    }
  }
}
