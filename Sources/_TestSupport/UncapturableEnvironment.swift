import Environments
import Randomness

/// An environment that behaves exactly like `inner` but offers no state capture (it is not a
/// `StateCapturingEnvironment`): what a bridged simulator that cannot save its state looks like to
/// checkpoints, for the tests of their "restart the episodes" path.
public final class UncapturableEnvironment: Environment {
  public let inner: any Environment

  public init(_ inner: any Environment) { self.inner = inner }

  public var id: String { inner.id }
  public var observationSpace: Space { inner.observationSpace }
  public var actionSpace: Space { inner.actionSpace }
  public var maxEpisodeSteps: Int? { inner.maxEpisodeSteps }
  public var elapsedSteps: Int {
    get { inner.elapsedSteps }
    set { inner.elapsedSteps = newValue }
  }
  public var state: [Double] {
    get { inner.state }
    set { inner.state = newValue }
  }

  public func reset(using random: RandomStream, into observation: UnsafeMutableRawBufferPointer) {
    inner.reset(using: random, into: observation)
  }

  public func step(
    _ action: UnsafeBufferPointer<Double>, into observation: UnsafeMutableRawBufferPointer
  ) throws(EnvironmentError) -> StepOutcome {
    try inner.step(action, into: observation)
  }

  public func writeObservation(into observation: UnsafeMutableRawBufferPointer) { inner.writeObservation(into: observation) }
}
