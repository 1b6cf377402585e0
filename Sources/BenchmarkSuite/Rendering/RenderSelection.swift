import ActorCritic
import Environments
import Foundation
import Randomness

/// What `bench render` plays, from its options:
///
/// | given | environment | policy | seeds |
/// | --- | --- | --- | --- |
/// | `--environment E` | E | uniformly random | `SeedSequence(runSeed: --seed)` (default 0) |
/// | `--model M` (+ `--environment E`) | E | M's policy | as above |
/// | `--run R` | R's (`spec.json`), or `--environment` | `R/model.acbm` (or `--model`) | ``EpisodeRecorder/seeds(forRun:)`` of R's seed — the seeds of R's `episode.png` — or `--seed` |
///
/// A model's policy samples its action distribution (SB2 `predict`'s default, and how
/// `summary.json`'s evaluation played it) unless `deterministic`; its normalisation statistics
/// are applied, frozen. So `bench render --run R` with the default steps and frames draws the
/// same strip as the run's `episode.png`.
public struct RenderSelection {
  /// The environment name played.
  public var environment: String
  /// The seeds of the environment copy and of the policy's sampling.
  public var seeds: SeedSequence
  /// The policy.
  public var actor: EpisodeActor
  /// The model's observation statistics, applied frozen.
  public var normalization: NormalizationStatistics?
  /// One line saying which policy plays (`bench render` prints it).
  public var policyDescription: String

  /// Resolves the options as the type's table says.
  ///
  /// - Throws: ``BenchmarkError/invalidOption(name:value:allowed:)`` naming `--environment` when
  ///   neither it nor `--run` is given, `--run` for a folder without `spec.json` or without a
  ///   model (made without `--save-model`), `--seed` outside ``RunLimits/seed``, and
  ///   `--deterministic` without a model; ``ModelFileError`` for a model file that cannot be
  ///   loaded.
  public static func resolve(
    environment: String?, model modelPath: String?, run runFolder: String?, seed: Int?, deterministic: Bool
  ) throws -> RenderSelection {
    if let seed, !RunLimits.seed.contains(seed) {
      throw BenchmarkError.invalidOption(name: "--seed", value: "\(seed)", allowed: RunLimits.describe(RunLimits.seed))
    }
    var spec: RunSpec?
    // Paths are shown as given.
    var modelURL = modelPath.map { URL(fileURLWithPath: $0) }
    var shownModel = modelPath ?? ""
    if let runFolder {
      let folder = URL(fileURLWithPath: runFolder, isDirectory: true)
      let specURL = folder.appendingPathComponent("spec.json")
      do { spec = try JSONCoding.decoder.decode(RunSpec.self, from: Data(contentsOf: specURL)) } catch {
        throw BenchmarkError.invalidOption(
          name: "--run", value: runFolder,
          allowed: "a run folder, runs/<suite>/<env>/<algorithm>/seed-<n>, with a readable spec.json (\(error.localizedDescription))")
      }
      if modelURL == nil {
        let saved = folder.appendingPathComponent(RunArtifacts.modelFileName)
        guard FileManager.default.fileExists(atPath: saved.path) else {
          throw BenchmarkError.invalidOption(
            name: "--run", value: runFolder,
            allowed: "a run folder holding \(RunArtifacts.modelFileName); this run was made without --save-model "
              + "(delete its folder and run the same bench run command with --save-model, or give --model)")
        }
        modelURL = saved
        shownModel = (runFolder as NSString).appendingPathComponent(RunArtifacts.modelFileName)
      }
    }
    guard let name = environment ?? spec?.entry.environment else {
      throw BenchmarkError.invalidOption(
        name: "--environment", value: "", allowed: "an environment name (bench list environments), or --run <run folder>")
    }
    let seeds = seed.map { SeedSequence(runSeed: UInt64($0)) } ?? spec.map { EpisodeRecorder.seeds(forRun: $0.seed) }
      ?? SeedSequence(runSeed: 0)
    guard let modelURL else {
      guard !deterministic else {
        throw BenchmarkError.invalidOption(
          name: "--deterministic", value: "true", allowed: "only with a trained policy (--model or --run)")
      }
      return RenderSelection(
        environment: name, seeds: seeds, actor: .random, normalization: nil, policyDescription: "uniformly random policy")
    }
    let (model, contents) = try SavedModel.load(from: modelURL)
    let mode = deterministic ? "deterministic" : "stochastic"
    return RenderSelection(
      environment: name, seeds: seeds, actor: .model(model, deterministic: deterministic, name: shownModel),
      normalization: contents.normalization,
      policyDescription: "\(contents.algorithm) model \(shownModel) (\(contents.timesteps) steps trained; \(mode))")
  }
}
