import ActorCritic
import Environments
import Foundation
import GymnasiumBridge
import Randomness

/// Builds environments and models for a suite entry.
public enum ModelFactory {
  /// The training environment: `n` copies seeded from the run seed, normalised when the entry says.
  ///
  /// Normalisation is SB2's `VecNormalize` with its defaults (γ = 0.99 for the return statistics,
  /// whatever the algorithm's γ), as rl-baselines-zoo's `train.py` builds it. Bridged names
  /// (`gym:`, `atari:`, `minatar:`; ``EnvironmentCatalog``) start Python worker processes.
  public static func makeEnvironment(for entry: SuiteEntry, seed: Int) throws -> any VectorizedEnvironment {
    let base = try makeBaseEnvironment(entry.environment, count: entry.environmentCount, seeds: SeedSequence(runSeed: UInt64(seed)))
    guard entry.normalize else { return base }
    return try NormalizedVectorEnvironment(wrapping: base)
  }

  /// `count` copies of the named environment from ``EnvironmentCatalog``; an unknown name is
  /// ``BenchmarkError/unknownEnvironment(name:available:)``, a bridge failure its
  /// ``EnvironmentError``.
  static func makeBaseEnvironment(_ name: String, count: Int, seeds: SeedSequence) throws -> any VectorizedEnvironment {
    do { return try EnvironmentCatalog.makeVectorEnvironment(name, count: count, seeds: seeds) } catch {
      if case .unknownEnvironment(_, let available) = error {
        throw BenchmarkError.unknownEnvironment(name: name, available: available)
      }
      throw error
    }
  }

  /// The algorithm's configuration: its stable-baselines defaults with the entry's overrides.
  public static func configurationJSON(for entry: SuiteEntry) throws -> Data {
    let defaults: Data
    switch entry.algorithm {
    case .a2c: defaults = try JSONEncoder().encode(A2CConfiguration())
    case .acktr: defaults = try JSONEncoder().encode(ACKTRConfiguration())
    case .acer: defaults = try JSONEncoder().encode(ACERConfiguration())
    }
    guard var object = try JSONSerialization.jsonObject(with: defaults) as? [String: Any] else {
      throw BenchmarkError.invalidHyperparameter(algorithm: entry.algorithm.rawValue, name: "*", reason: "not an object")
    }
    let optional = optionalHyperparameters(entry.algorithm)
    for (name, value) in entry.hyperparameters.sorted(by: { $0.key < $1.key }) {
      guard object[name] != nil || optional.contains(name) else {
        throw BenchmarkError.unknownHyperparameter(
          algorithm: entry.algorithm.rawValue, name: name, available: (Array(object.keys) + optional).sorted())
      }
      object[name] = value.jsonObject
    }
    return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
  }

  /// The settable fields a configuration writes only when they differ from their default (so that
  /// the configuration files of runs made before they existed keep their bytes): ACKTR's
  /// `async_eigen_decomp_lag` (1) and `eigen_solver` (`double`). They are accepted by `--set` and
  /// in suite entries, and appear in `configuration.json` only when set.
  public static func optionalHyperparameters(_ algorithm: AlgorithmID) -> [String] {
    switch algorithm {
    case .acktr: return ["async_eigen_decomp_lag", "eigen_solver"]
    case .a2c, .acer: return []
    }
  }

  /// A fresh model for the entry, trained on `environment`.
  public static func makeModel(
    for entry: SuiteEntry, seed: Int, environment: any VectorizedEnvironment
  ) throws -> any ActorCriticModel {
    let json = try configurationJSON(for: entry)
    let model: any ActorCriticModel
    do {
      switch entry.algorithm {
      case .a2c:
        model = try A2C.make(
          configurationJSON: json, observationSpace: environment.observationSpace,
          actionSpace: environment.actionSpace, seed: UInt64(seed))
      case .acktr:
        model = try ACKTR.make(
          configurationJSON: json, observationSpace: environment.observationSpace,
          actionSpace: environment.actionSpace, seed: UInt64(seed))
      case .acer:
        model = try ACER.make(
          configurationJSON: json, observationSpace: environment.observationSpace,
          actionSpace: environment.actionSpace, seed: UInt64(seed))
      }
    } catch let error as ConfigurationError {
      throw BenchmarkError.invalidHyperparameter(algorithm: entry.algorithm.rawValue, name: "configuration", reason: "\(error)")
    }
    try model.setEnvironment(environment)
    return model
  }
}
