import Environments
import Foundation

extension ModelArchive {
  /// What a model file holds, read from its checked header without building the model: which
  /// algorithm's `load` opens it, and the spaces and statistics an environment must fit.
  public struct Contents: Sendable, Equatable {
    /// The algorithm's name (`a2c`, `acktr`, `acer`; ``ActorCriticModel/algorithmName``).
    public var algorithm: String
    /// The observation space the model was trained on.
    public var observationSpace: Space
    /// The action space the model acts in.
    public var actionSpace: Space
    /// Environment steps trained.
    public var timesteps: Int
    /// The run seed.
    public var seed: UInt64
    /// The observation/return normalisation statistics (SB2 `VecNormalize`), when it was trained
    /// on a normalising environment.
    public var normalization: NormalizationStatistics?
    /// The file's size in bytes.
    public var fileBytes: Int
  }

  /// Reads and checks `url` exactly as ``ActorCriticModel/load(from:environment:customObjects:)``
  /// does (framing, whole-file checksum, every size, both spaces, the statistics), for any
  /// algorithm, and returns its header's description.
  ///
  /// - Throws: ``ModelFileError`` for a missing, foreign, truncated, corrupt or out-of-range file.
  public static func contents(of url: URL) throws(ModelFileError) -> Contents {
    let bytes: [UInt8]
    do { bytes = Array(try Data(contentsOf: url)) } catch {
      throw .cannotRead(path: url.path, reason: error.localizedDescription)
    }
    let header = try read(bytes, path: url.path, algorithm: nil).header
    return Contents(
      algorithm: header.algorithm, observationSpace: header.observationSpace, actionSpace: header.actionSpace,
      timesteps: header.timesteps, seed: header.seed, normalization: header.normalization, fileBytes: bytes.count)
  }
}
