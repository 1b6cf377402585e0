import ActorCritic
import Environments
import GymnasiumBridge
import Randomness

/// The environment an episode of a named environment is played and rendered in: one renderable
/// copy in a Gymnasium bridge worker, seen by the policy as training saw it.
///
/// | name | rendered as | the policy sees |
/// | --- | --- | --- |
/// | `gym:<id>`, `atari:<Game>`, `minatar:<Game>` | itself | its observations (Atari: the 4-frame stack) |
/// | `CartPole-v1`, `Acrobot-v1`, … (native) | its Gymnasium twin `gym:<id>` | the twin's observations |
/// | `CartPoleNoVel-v1`, `AcrobotNoVel-v1` | the twin of the wrapped task, `gym:CartPole-v1`, `gym:Acrobot-v1` | the kept components (``ObservationSubsetVectorEnvironment``) |
///
/// The native environments have no renderer, but each reproduces its Gymnasium twin bit for bit
/// (the parity fixtures of `EnvironmentsTests`), so an episode of the twin is an episode of the
/// native task; the twin needs the project's Python environment (`scripts/setup.sh`). With
/// normalisation statistics (a model trained under SB2's `VecNormalize`), the policy's view is
/// normalised with them, frozen, as in ``Evaluation``.
public struct EpisodeEnvironment {
  /// What the policy steps: the rendered copy under the subset and normalisation wrappers.
  public let environment: any VectorizedEnvironment
  /// The bridge that renders the copy (`rgb_array`).
  public let bridge: SubprocessVectorEnvironment
  /// The bridged name rendered (`gym:CartPole-v1` for `CartPole-v1`).
  public let renderedName: String

  /// The bridged environment that renders `name`, and the observation components the policy
  /// keeps (nil: all), per the type's table.
  /// - Throws: ``BenchmarkError/unknownEnvironment(name:available:)`` for an unknown name;
  ///   ``BenchmarkError/cannotRender(environment:reason:)`` for a native id without a Gymnasium
  ///   twin.
  public static func rendering(_ name: String) throws -> (name: String, keptComponents: [Int]?) {
    let parsed: EnvironmentCatalog.Name
    do { parsed = try EnvironmentCatalog.parse(name) } catch {
      if case .unknownEnvironment(_, let available) = error {
        throw BenchmarkError.unknownEnvironment(name: name, available: available)
      }
      throw error
    }
    if parsed.bridged != nil { return (name, nil) }
    let native = try EnvironmentRegistry.make(parsed.id)
    let subset = native as? ObservationSubsetEnvironment
    let twin = subset?.wrapped.id ?? parsed.id
    guard EnvironmentRegistry.gymnasiumIDs.contains(twin) else {
      throw BenchmarkError.cannotRender(
        environment: name,
        reason: "it is native, has no renderer and no Gymnasium twin (twins: \(EnvironmentRegistry.gymnasiumIDs.joined(separator: ", ")))")
    }
    return ("gym:" + twin, subset?.keptComponents)
  }

  /// Checks, without starting Python, that `name` can be rendered here: ``rendering(_:)`` and
  /// the project's Python environment.
  /// - Throws: as ``rendering(_:)``; ``BenchmarkError/cannotRender(environment:reason:)`` when
  ///   Python is missing, saying to run `scripts/setup.sh` (for a native environment: that it
  ///   renders through its twin).
  public static func checkAvailable(_ name: String) throws {
    let rendered = try rendering(name)
    do { _ = try PythonRuntime.locate(for: rendered.name) } catch {
      throw BenchmarkError.cannotRender(environment: name, reason: pythonMissing(name, rendered: rendered.name, error))
    }
  }

  private static func pythonMissing(_ name: String, rendered: String, _ error: EnvironmentError) -> String {
    let via = rendered == name ? "" : "it is native and renders through its Gymnasium twin \(rendered), which runs in Python; "
    return via + "\(error)"
  }

  /// The spaces a trained policy needs, and how errors name it.
  public struct PolicySpaces {
    /// The model, as errors name it (its file, or the run it ended).
    public var name: String
    /// The observation space it was trained on (after normalisation, if any).
    public var observationSpace: Space
    /// Its action space.
    public var actionSpace: Space

    public init(name: String, observationSpace: Space, actionSpace: Space) {
      self.name = name
      self.observationSpace = observationSpace
      self.actionSpace = actionSpace
    }
  }

  /// One renderable copy of `name`, seeded `seeds` (copy 0), with the policy's view wrapped as
  /// the type's table says.
  ///
  /// - Parameter policy: the trained policy's spaces, checked against the environment's before
  ///   its statistics are applied (a normalised observation is the same Box in `float32`).
  /// - Throws: as ``checkAvailable(_:)``; the bridge's ``EnvironmentError`` when the worker fails;
  ///   ``BenchmarkError/modelDoesNotFit(model:environment:reason:)`` naming both spaces when the
  ///   policy's observation or action space is not the environment's, or when `normalization`
  ///   does not fit the observations.
  public static func make(
    _ name: String, seeds: SeedSequence, normalization: NormalizationStatistics?, policy: PolicySpaces? = nil
  ) throws -> EpisodeEnvironment {
    let rendered = try rendering(name)
    let made: any VectorizedEnvironment
    do {
      made = try EnvironmentCatalog.makeVectorEnvironment(
        rendered.name, count: 1, seeds: seeds, configuration: .init(workerCount: 1, renderable: true))
    } catch {
      if case .hosted(let failure) = error, failure.kind == .pythonUnavailable {
        throw BenchmarkError.cannotRender(environment: name, reason: pythonMissing(name, rendered: rendered.name, error))
      }
      throw error
    }
    guard let bridge = RunExecutor.bridgedEnvironment(in: made) else {
      throw BenchmarkError.cannotRender(environment: name, reason: "\(rendered.name) is not a bridged environment")
    }
    var environment = made
    do {
      if let kept = rendered.keptComponents {
        environment = try ObservationSubsetVectorEnvironment(wrapping: environment, keeping: kept)
      }
      let shown = rendered.name == name ? name : "\(name) (rendered as \(rendered.name))"
      if let policy {
        var observed = environment.observationSpace
        if normalization != nil, case .box(let low, let high, let shape, _) = observed {
          observed = .box(low: low, high: high, shape: shape, dtype: .float32)
        }
        for (field, trained, here) in [
          ("observation space", policy.observationSpace, observed), ("action space", policy.actionSpace, environment.actionSpace),
        ] where trained != here {
          throw BenchmarkError.modelDoesNotFit(
            model: policy.name, environment: shown, reason: "its \(field) is \(trained), the environment's is \(here)")
        }
      }
      if let normalization {
        do { environment = try Evaluation.frozenNormalization(of: environment, statistics: normalization) } catch {
          throw BenchmarkError.modelDoesNotFit(
            model: policy?.name ?? "normalisation statistics", environment: shown, reason: "its normalisation statistics: \(error)")
        }
      }
    } catch {
      bridge.close()
      throw error
    }
    return EpisodeEnvironment(environment: environment, bridge: bridge, renderedName: rendered.name)
  }

  /// Stops the worker.
  public func close() { bridge.close() }
}
