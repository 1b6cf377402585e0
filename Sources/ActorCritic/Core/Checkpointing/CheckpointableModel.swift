import Environments
import Foundation
import Randomness

/// A model whose training can be checkpointed between two updates and resumed bit for bit.
///
/// A checkpoint is the model's whole training state in one ``BinaryStateWriter`` stream:
/// ```
/// algorithm String, seed UInt64
/// parameters      n × (name String, values [Float])          policy.network.parameters order
/// training        TrainingState (streams, timesteps, episodes, history)
/// algorithm       section: captureAlgorithmState — the optimiser state (RMSProp slots; K-FAC
///                 statistics, eigenbases, pending decomposition, momentum; ACER's average
///                 network) in binary, the algorithm's own streams and buffers (ACKTR's
///                 Fisher stream; ACER's replay stream and replay buffer) and the runner's
///                 recurrent carry (the LSTM state and masks between rollouts)
/// resume          updates Int, totalTimesteps Int       where the interrupted `learn` stood
/// environment     fidelity Bool exact, section: CheckpointableVectorEnvironment.captureState
/// ```
/// Restoring into a fresh model built from the same configuration and seed, with a fresh
/// environment of the same id and count, and calling `learn` with the same `totalTimesteps`
/// continues at update `updates + 1` exactly as the uninterrupted `learn` would have.
public protocol CheckpointableModel: ActorCriticModel {
  /// Appends the state only this algorithm has: its optimiser state and its random streams and
  /// buffers beyond ``TrainingState``.
  func captureAlgorithmState(into writer: inout BinaryStateWriter)
  /// Restores what ``captureAlgorithmState(into:)`` wrote.
  func restoreAlgorithmState(from reader: inout BinaryStateReader) throws
}

/// What ``CheckpointableModel/captureCheckpoint(updates:totalTimesteps:)`` produced.
public struct ModelCheckpoint: Sendable {
  /// The encoded state, as blocks that share the large arrays they hold (ACER's replay) with
  /// the model: write it out before training goes on.
  public var state: BinaryStateWriter
  /// The encoded state in one array (a copy of ``state``'s blocks).
  public var bytes: [UInt8] { state.bytes }
  /// How faithfully the environment part restores (see ``EnvironmentCaptureFidelity``).
  public var environmentFidelity: EnvironmentCaptureFidelity
}

/// A checkpoint that cannot be taken or does not fit the model it is restored into.
public enum CheckpointError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The attached environment does not implement ``CheckpointableVectorEnvironment``.
  case environmentNotCheckpointable(environment: String)
  /// The model has no environment attached.
  case noEnvironment
  /// The checkpoint belongs to another model, or a field does not fit.
  case mismatch(field: String, reason: String)
  /// The `learn` call that resumes has another `total_timesteps` than the interrupted one.
  case totalTimestepsMismatch(checkpoint: Int, requested: Int)

  public var description: String {
    switch self {
    case .environmentNotCheckpointable(let environment):
      return "the environment \(environment) cannot be checkpointed (it does not implement CheckpointableVectorEnvironment)"
    case .noEnvironment:
      return "the model has no environment; attach one before capturing or restoring a checkpoint"
    case .mismatch(let field, let reason):
      return "checkpoint does not fit this model: \(field): \(reason)"
    case .totalTimestepsMismatch(let checkpoint, let requested):
      return "the checkpoint was taken in a learn call of total_timesteps \(checkpoint); resume it with the same "
        + "total_timesteps, not \(requested)"
    }
  }
}

/// Where a resumed `learn` continues: after update `updates` of a call of `totalTimesteps`.
struct ResumePoint {
  var updates: Int
  var totalTimesteps: Int
}

extension TrainingState {
  /// Takes the pending resume point (if any) for a `learn` of `totalTimesteps`.
  func consumeResumePoint(totalTimesteps: Int) throws(CheckpointError) -> ResumePoint? {
    guard let point = resumePoint else { return nil }
    resumePoint = nil
    guard point.totalTimesteps == totalTimesteps else {
      throw .totalTimestepsMismatch(checkpoint: point.totalTimesteps, requested: totalTimesteps)
    }
    return point
  }
}

extension CheckpointableModel {
  /// Captures the training state between two updates: call it from
  /// ``TrainingCallback/onUpdate(_:)`` (or after `learn` returned) with the context's
  /// `updates` and `totalTimesteps`.
  ///
  /// - Throws: ``CheckpointError`` when the environment cannot be checkpointed.
  public func captureCheckpoint(updates: Int, totalTimesteps: Int) throws -> ModelCheckpoint {
    guard let environment = state.environment else { throw CheckpointError.noEnvironment }
    guard let checkpointable = environment as? any CheckpointableVectorEnvironment else {
      throw CheckpointError.environmentNotCheckpointable(environment: environment.environmentID)
    }
    var writer = BinaryStateWriter()
    writer.write(Self.algorithmName)
    writer.write(seed)
    let parameters = policy.network.parameters
    writer.write(parameters.count)
    for p in parameters {
      writer.write(p.name)
      writer.write(p.value.elements)
    }
    state.captureState(into: &writer)
    var algorithm = BinaryStateWriter()
    captureAlgorithmState(into: &algorithm)
    writer.write(section: algorithm)
    writer.write(updates)
    writer.write(totalTimesteps)
    var environmentState = BinaryStateWriter()
    let fidelity = checkpointable.captureState(into: &environmentState)
    writer.write(fidelity == .exact)
    writer.write(section: environmentState)
    return ModelCheckpoint(state: writer, environmentFidelity: fidelity)
  }

  /// Restores a checkpoint into this model, which must be fresh (built from the same
  /// configuration and seed, never trained) with a fresh environment attached; the next `learn`
  /// (with the checkpoint's `totalTimesteps`) continues after the checkpoint's update.
  ///
  /// - Parameter restartSeeds: the streams the environment's copies reset from when their state
  ///   was not captured (then the episodes restart; see ``EnvironmentCaptureFidelity``).
  /// - Returns: the update count and total budget of the interrupted `learn`, and the fidelity.
  /// - Throws: ``CheckpointError``, ``BinaryStateError`` or ``ModelFileError`` when the bytes do
  ///   not fit this model; the model is then half-restored and must be discarded.
  @discardableResult
  public func restoreCheckpoint(
    from reader: inout BinaryStateReader, restartSeeds: SeedSequence
  ) throws -> (updates: Int, totalTimesteps: Int, environmentFidelity: EnvironmentCaptureFidelity) {
    guard let environment = state.environment else { throw CheckpointError.noEnvironment }
    guard let checkpointable = environment as? any CheckpointableVectorEnvironment else {
      throw CheckpointError.environmentNotCheckpointable(environment: environment.environmentID)
    }
    let algorithm = try reader.readString("algorithm")
    guard algorithm == Self.algorithmName else {
      throw CheckpointError.mismatch(field: "algorithm", reason: "checkpoint of \(algorithm), model is \(Self.algorithmName)")
    }
    let savedSeed = try reader.readUInt64("seed")
    guard savedSeed == seed else {
      throw CheckpointError.mismatch(field: "seed", reason: "checkpoint of seed \(savedSeed), model has \(seed)")
    }
    let parameters = policy.network.parameters
    let parameterCount = try reader.readInt("parameters")
    guard parameterCount == parameters.count else {
      throw CheckpointError.mismatch(field: "parameters", reason: "\(parameterCount) tensors, model has \(parameters.count)")
    }
    var values: [[Float]] = []
    for p in parameters {
      let name = try reader.readString("parameter name")
      guard name == p.name else { throw CheckpointError.mismatch(field: "parameter \(p.name)", reason: "found \(name)") }
      let tensor = try reader.readArray(Float.self, p.name, count: p.count)
      guard tensor.allSatisfy(\.isFinite) else { throw ModelFileError.nonFiniteParameter(name: p.name) }
      values.append(tensor)
    }
    for (p, tensor) in zip(parameters, values) { p.value.elements = tensor }
    try state.restoreState(from: &reader)
    var algorithmState = try reader.readSection("algorithm state")
    try restoreAlgorithmState(from: &algorithmState)
    try algorithmState.requireEnd("algorithm state")
    let updates = try reader.readInt("updates")
    let totalTimesteps = try reader.readInt("totalTimesteps")
    guard updates >= 0, totalTimesteps >= 0 else {
      throw CheckpointError.mismatch(field: "resume point", reason: "update \(updates) of total_timesteps \(totalTimesteps)")
    }
    _ = try reader.readBool("environment exact")
    var environmentState = try reader.readSection("environment")
    let fidelity = try checkpointable.restoreState(from: &environmentState, restartSeeds: restartSeeds)
    try environmentState.requireEnd("environment")
    try reader.requireEnd("checkpoint")
    state.needsReset = false
    state.resumePoint = ResumePoint(updates: updates, totalTimesteps: totalTimesteps)
    return (updates, totalTimesteps, fidelity)
  }
}

extension RandomStream {
  /// Replaces the state with `bytes` from a checkpoint, checking the size first.
  func restoreState(_ bytes: [UInt8], field: String) throws(BinaryStateError) {
    guard bytes.count == state.count else {
      throw .invalid(field: field, reason: "\(bytes.count) bytes, a stream state has \(state.count)")
    }
    state = bytes
  }
}
