import ActorCritic
import Foundation
import Testing

/// The committed fuzz corpora (`Fixtures/ModelFiles/corpus/` of format version 3 and `corpus-v2/`
/// of version 2, written by `Tools/model_file_corpus.py` from the tiny models beside them): every
/// file loaded by A2C, ACKTR and ACER must give a typed ``ModelFileError`` or a model, never a
/// crash, and each load must be quick (a hang shows up as a load over the bound).
@Suite struct ModelFileFuzzTests {
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/ModelFiles")

  /// A file that loads must also train: a few updates on CartPole end normally or with a typed
  /// error (a wrong space, a non-finite loss), never with a trap (a K-FAC step counter of
  /// Int.max once loaded and overflowed at the next update).
  func trainBriefly(_ model: any ActorCriticModel, name: String) {
    do {
      try model.setEnvironment(try ModelFileFixtures.cartPole(count: 2, seed: 9))
      try model.learn(totalTimesteps: 40)
    } catch is ConfigurationError {
    } catch is TrainingError {
    } catch {
      Issue.record("\(name): training after loading threw an untyped \(type(of: error)): \(error)")
    }
  }

  @Test(arguments: [("corpus", UInt32(3)), ("corpus-v2", UInt32(2))])
  func everyCorpusFileIsATypedErrorOrAModel(folder: String, version: UInt32) throws {
    let files = try FileManager.default.contentsOfDirectory(
      at: Self.fixtures.appendingPathComponent(folder), includingPropertiesForKeys: nil
    ).filter { $0.pathExtension == "acbm" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
    #expect(files.count >= 500)
    // The corpus is of the version it claims: its unchanged files say so.
    for algorithm in ["a2c", "acktr", "acer"] {
      let unchanged = try #require(files.first { $0.lastPathComponent.hasPrefix("\(algorithm)-") && $0.lastPathComponent.hasSuffix("unchanged.acbm") })
      #expect(ModelFileSurgery.version(try Data(contentsOf: unchanged)) == version)
    }
    let loaders: [(String, (URL) throws -> any ActorCriticModel)] = [
      ("a2c", { try A2C.load(from: $0) }), ("acktr", { try ACKTR.load(from: $0) }),
      ("acer", { try ACER.load(from: $0) }),
    ]
    var loaded: [String] = []
    var slowest = 0.0
    for file in files {
      let name = file.lastPathComponent
      for (algorithm, load) in loaders {
        // The bound catches a hang (a loop over a count read from the file); it is on this
        // thread's CPU time, so a loaded machine does not trip it.
        let start = threadCPUSeconds()
        var model: (any ActorCriticModel)?
        do {
          model = try load(file)
        } catch is ModelFileError {
        } catch {
          Issue.record("\(algorithm) on \(name): untyped error \(type(of: error)): \(error)")
        }
        let elapsed = threadCPUSeconds() - start
        slowest = max(slowest, elapsed)
        #expect(elapsed < 2, "\(algorithm) on \(name) took \(elapsed) s of CPU")
        guard let model else { continue }
        loaded.append("\(algorithm):\(name)")
        // Only files of the loader's own algorithm can load.
        #expect(name.hasPrefix("\(algorithm)-"), "\(algorithm) loaded \(name)")
        trainBriefly(model, name: "\(algorithm) on \(name)")
      }
    }
    // The unchanged files and benign edits (a parameter or hyperparameter changed, with a valid
    // checksum) load; everything else is refused.
    #expect(loaded.contains { $0.hasPrefix("a2c:a2c-") && $0.contains("unchanged") })
    #expect(loaded.count < files.count / 4, "\(loaded)")
    print("model-file corpus \(folder): \(files.count) files × 3 loaders, \(loaded.count) loads (\(loaded.joined(separator: ", "))), slowest \(slowest) s of CPU")
  }
}
