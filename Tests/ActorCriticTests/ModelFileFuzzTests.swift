import ActorCritic
import Foundation
import Testing

/// The committed fuzz corpus (`Fixtures/ModelFiles/corpus/`, written by
/// `Tools/model_file_corpus.py` from the tiny models beside it): every file loaded by A2C, ACKTR
/// and ACER must give a typed ``ModelFileError`` or a model, never a crash, and each load must be
/// quick (a hang shows up as a load over the bound).
@Suite struct ModelFileFuzzTests {
  static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/ModelFiles/corpus")

  @Test func everyCorpusFileIsATypedErrorOrAModel() throws {
    let files = try FileManager.default.contentsOfDirectory(at: Self.corpus, includingPropertiesForKeys: nil)
      .filter { $0.pathExtension == "acbm" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
    #expect(files.count >= 500)
    let loaders: [(String, (URL) throws -> Void)] = [
      ("a2c", { _ = try A2C.load(from: $0) }), ("acktr", { _ = try ACKTR.load(from: $0) }),
      ("acer", { _ = try ACER.load(from: $0) }),
    ]
    let clock = ContinuousClock()
    var loaded: [String] = []
    var slowest: Duration = .zero
    for file in files {
      let name = file.lastPathComponent
      for (algorithm, load) in loaders {
        let start = clock.now
        do {
          try load(file)
          loaded.append("\(algorithm):\(name)")
          // Only files of the loader's own algorithm can load.
          #expect(name.hasPrefix("\(algorithm)-"), "\(algorithm) loaded \(name)")
        } catch is ModelFileError {
        } catch {
          Issue.record("\(algorithm) on \(name): untyped error \(type(of: error)): \(error)")
        }
        let elapsed = clock.now - start
        slowest = max(slowest, elapsed)
        #expect(elapsed < .seconds(2), "\(algorithm) on \(name) took \(elapsed)")
      }
    }
    // The unchanged files and benign edits (a parameter or hyperparameter changed, with a valid
    // checksum) load; everything else is refused.
    #expect(loaded.contains { $0.hasPrefix("a2c:a2c-") && $0.contains("unchanged") })
    #expect(loaded.count < files.count / 4, "\(loaded)")
    print("model-file corpus: \(files.count) files × 3 loaders, \(loaded.count) loads (\(loaded.joined(separator: ", "))), slowest \(slowest)")
  }
}
