import Environments
import NeuralNetwork

/// Optimiser state in checkpoints and (from format version 3) model files, binary: as JSON text, at
/// pixel scale — a 3137² K-FAC factor — it was hundreds of MB and over a minute to encode.
///
/// ```
/// slots          n Int, n × [Float]                       RMSProp slots, momentum, average network
/// K-FAC          statisticsStep, factorStep, coldStep Int, pendingDecompositionStep Int?
///                factors n, n × (name String, dimension Int, statistics, eigenvalues, eigenvectors
///                [Double], pending Bool, [pendingEigenvalues, pendingEigenvectors [Double]])
///                coldMomentum slots, kfacMomentum slots
/// ```
extension BinaryStateWriter {
  mutating func write(slots: [[Float]]) {
    write(slots.count)
    for slot in slots { write(slot) }
  }

  mutating func write(_ snapshot: KFAC.Snapshot) {
    write(snapshot.statisticsStep)
    write(snapshot.factorStep)
    write(snapshot.coldStep)
    write(snapshot.pendingDecompositionStep)
    write(snapshot.factors.count)
    for f in snapshot.factors {
      write(f.name)
      write(f.dimension)
      write(f.statistics)
      write(f.eigenvalues)
      write(f.eigenvectors)
      write(f.pendingEigenvalues != nil)
      if let values = f.pendingEigenvalues, let vectors = f.pendingEigenvectors {
        write(values)
        write(vectors)
      }
    }
    write(slots: snapshot.coldMomentum)
    write(slots: snapshot.kfacMomentum)
  }
}

extension BinaryStateReader {
  /// Slots shaped like `reference` (same count, same sizes), all finite.
  mutating func readSlots(_ field: String, like reference: [[Float]]) throws(BinaryStateError) -> [[Float]] {
    let count = try readInt(field)
    guard count == reference.count else {
      throw .invalid(field: field, reason: "\(count) tensors, the model has \(reference.count)")
    }
    var slots: [[Float]] = []
    for (i, shape) in reference.enumerated() {
      let slot = try readArray(Float.self, "\(field)[\(i)]", count: shape.count)
      guard slot.allSatisfy(\.isFinite) else { throw .invalid(field: "\(field)[\(i)]", reason: "NaN or infinity") }
      slots.append(slot)
    }
    return slots
  }

  /// A K-FAC snapshot shaped like `reference` (``KFAC/restore(_:)`` checks the values).
  mutating func readSnapshot(like reference: KFAC.Snapshot) throws(BinaryStateError) -> KFAC.Snapshot {
    let statisticsStep = try readInt("kfac.statisticsStep")
    let factorStep = try readInt("kfac.factorStep")
    let coldStep = try readInt("kfac.coldStep")
    let pendingStep = try readOptionalInt("kfac.pendingDecompositionStep")
    let count = try readInt("kfac.factors")
    guard count == reference.factors.count else {
      throw .invalid(field: "kfac.factors", reason: "\(count) factors, the optimiser has \(reference.factors.count)")
    }
    var factors: [KFAC.Snapshot.Factor] = []
    for own in reference.factors {
      let name = try readString("kfac.factor.name")
      let n = try readInt("kfac.factor.dimension")
      guard name == own.name, n == own.dimension else {
        throw .invalid(field: "kfac.factor", reason: "\(name) of dimension \(n), expected \(own.name) of \(own.dimension)")
      }
      let statistics = try readArray(Double.self, "\(name).statistics", count: n * n)
      let eigenvalues = try readArray(Double.self, "\(name).eigenvalues", count: n)
      let eigenvectors = try readArray(Double.self, "\(name).eigenvectors", count: n * n)
      var pendingValues: [Double]?
      var pendingVectors: [Double]?
      if try readBool("\(name).pending") {
        pendingValues = try readArray(Double.self, "\(name).pendingEigenvalues", count: n)
        pendingVectors = try readArray(Double.self, "\(name).pendingEigenvectors", count: n * n)
      }
      factors.append(
        KFAC.Snapshot.Factor.assembled(
          name: name, dimension: n, statistics: statistics, eigenvalues: eigenvalues, eigenvectors: eigenvectors,
          pendingEigenvalues: pendingValues, pendingEigenvectors: pendingVectors))
    }
    let cold = try readSlots("kfac.coldMomentum", like: reference.coldMomentum)
    let momentum = try readSlots("kfac.kfacMomentum", like: reference.kfacMomentum)
    return KFAC.Snapshot.assembled(
      statisticsStep: statisticsStep, factorStep: factorStep, coldStep: coldStep, pendingDecompositionStep: pendingStep,
      factors: factors, coldMomentum: cold, kfacMomentum: momentum)
  }
}
