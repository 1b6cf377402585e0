import ActorCritic
import Foundation

/// A model file (`.acbm`, ``ModelArchive``) opened without knowing its algorithm: the header
/// names it (``ModelArchive/contents(of:)``), and that algorithm's `load` builds the model.
public enum SavedModel {
  /// Loads the model at `url`, with what its header says.
  /// - Throws: ``ModelFileError`` for a missing, foreign, truncated or corrupt file;
  ///   ``BenchmarkError/unknownAlgorithm(name:available:)`` for an algorithm this build does not
  ///   have.
  public static func load(from url: URL) throws -> (model: any ActorCriticModel, contents: ModelArchive.Contents) {
    let contents = try ModelArchive.contents(of: url)
    guard let algorithm = AlgorithmID(rawValue: contents.algorithm) else {
      throw BenchmarkError.unknownAlgorithm(name: contents.algorithm, available: AlgorithmID.allCases.map(\.rawValue))
    }
    let model: any ActorCriticModel
    switch algorithm {
    case .a2c: model = try A2C.load(from: url)
    case .acktr: model = try ACKTR.load(from: url)
    case .acer: model = try ACER.load(from: url)
    }
    return (model, contents)
  }
}
