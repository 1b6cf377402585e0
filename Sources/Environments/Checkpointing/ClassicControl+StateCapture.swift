/// The classic-control environments' complete state (``StateCapturingEnvironment``):
///
/// ```
/// every one   state [Double] (Gymnasium's order), elapsedSteps Int
/// CartPole    + stepsBeyondTerminated Int?
/// Acrobot, MountainCarContinuous
///             + stateIsSinglePrecision Bool   (assigned after `state`, whose setter clears it)
/// ```
extension Environment {
  /// Appends `state` and `elapsedSteps`.
  func captureCommonState(into writer: inout BinaryStateWriter) {
    writer.write(state)
    writer.write(elapsedSteps)
  }

  /// Restores `state` (checking its length, so the setter's precondition cannot trap) and
  /// `elapsedSteps`.
  func restoreCommonState(from reader: inout BinaryStateReader) throws(BinaryStateError) {
    let values = try reader.readArray(Double.self, "\(id).state", count: state.count)
    let steps = try reader.readInt("\(id).elapsedSteps")
    guard steps >= 0 else { throw .invalid(field: "\(id).elapsedSteps", reason: "negative (\(steps))") }
    state = values
    elapsedSteps = steps
  }
}

extension CartPole: StateCapturingEnvironment {
  public func captureState(into writer: inout BinaryStateWriter) {
    captureCommonState(into: &writer)
    writer.write(stepsBeyondTerminated)
  }

  public func restoreState(from reader: inout BinaryStateReader) throws(BinaryStateError) {
    try restoreCommonState(from: &reader)
    stepsBeyondTerminated = try reader.readOptionalInt("CartPole-v1.stepsBeyondTerminated")
  }
}

extension Acrobot: StateCapturingEnvironment {
  public func captureState(into writer: inout BinaryStateWriter) {
    captureCommonState(into: &writer)
    writer.write(stateIsSinglePrecision)
  }

  public func restoreState(from reader: inout BinaryStateReader) throws(BinaryStateError) {
    try restoreCommonState(from: &reader)
    stateIsSinglePrecision = try reader.readBool("Acrobot-v1.stateIsSinglePrecision")
  }
}

extension MountainCar: StateCapturingEnvironment {
  public func captureState(into writer: inout BinaryStateWriter) { captureCommonState(into: &writer) }

  public func restoreState(from reader: inout BinaryStateReader) throws(BinaryStateError) {
    try restoreCommonState(from: &reader)
  }
}

extension Pendulum: StateCapturingEnvironment {
  public func captureState(into writer: inout BinaryStateWriter) { captureCommonState(into: &writer) }

  public func restoreState(from reader: inout BinaryStateReader) throws(BinaryStateError) {
    try restoreCommonState(from: &reader)
  }
}

extension MountainCarContinuous: StateCapturingEnvironment {
  public func captureState(into writer: inout BinaryStateWriter) {
    captureCommonState(into: &writer)
    writer.write(stateIsSinglePrecision)
  }

  public func restoreState(from reader: inout BinaryStateReader) throws(BinaryStateError) {
    try restoreCommonState(from: &reader)
    stateIsSinglePrecision = try reader.readBool("MountainCarContinuous-v0.stateIsSinglePrecision")
  }
}

/// A velocity-hidden environment (`CartPoleNoVel-v1`, …) is its wrapped environment's state: the
/// observation subset is computed from it.
extension ObservationSubsetEnvironment: StateCapturingEnvironment {
  public var canCaptureState: Bool { (wrapped as? any StateCapturingEnvironment)?.canCaptureState ?? false }

  public func captureState(into writer: inout BinaryStateWriter) {
    (wrapped as? any StateCapturingEnvironment)?.captureState(into: &writer)
  }

  public func restoreState(from reader: inout BinaryStateReader) throws(BinaryStateError) {
    guard let inner = wrapped as? any StateCapturingEnvironment else {
      throw .invalid(field: id, reason: "\(wrapped.id) cannot restore a captured state")
    }
    try inner.restoreState(from: &reader)
  }
}
