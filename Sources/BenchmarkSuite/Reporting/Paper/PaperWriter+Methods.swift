import ActorCritic
import Environments
import Foundation
import GymnasiumBridge
import Statistics

/// §1 Methods: algorithms, hyperparameters, environments, evaluation protocol, statistics.
extension PaperWriter {
  // MARK: Methods

  var methods: String {
    var lines = ["## 1. Methods", "### 1.1 Algorithms"]
    var algorithmList: [String] = []
    for algorithm in catalog.algorithms {
      switch algorithm {
      case .a2c:
        algorithmList.append(
          "- **A2C**, the synchronous advantage actor-critic: \(Citation.a2c.full) (synchronous variant of "
            + "OpenAI baselines and stable-baselines). RMSProp (TensorFlow variant), n-step returns.")
      case .acktr:
        algorithmList.append(
          "- **ACKTR**, actor-critic with a Kronecker-factored trust region: \(Citation.acktr.full). K-FAC "
            + "natural-gradient steps with a trust-region step size.")
      case .acer:
        algorithmList.append(
          "- **ACER**, actor-critic with experience replay: \(Citation.acer.full). Retrace targets, "
            + "truncated importance sampling with bias correction, trust region against an average policy "
            + "network.")
      }
    }
    lines.append(algorithmList.joined(separator: "\n"))
    lines.append(
      "Every algorithm follows stable-baselines 2.10 (SB2), with each SB2 hyperparameter at its SB2 default "
        + "unless the suite overrides it. Policies (the runs' `net_arch`): \(policyText); SB2's orthogonal "
        + "initialisation. Networks compute in `Float`, environments and statistics in `Double`; "
        + "\(blasText); every random draw comes from a named "
        + "GSL mt19937 stream derived from the run seed, so a run is a pure function of (suite entry, seed, "
        + "code, BLAS kernel).")
    lines.append("### 1.2 Hyperparameters")
    lines.append(
      "The settings actually used, read back from the runs' `summary.json` (SB2 names). `n_envs`, "
        + "`n_timesteps` and `normalize` (SB2 `VecNormalize` of observations and rewards) are the suite "
        + "entry's."
    )
    for algorithm in catalog.algorithms {
      lines.append(hyperparameterTable(algorithm))
    }
    lines.append("### 1.3 Environments")
    lines.append(environmentTable)
    var environmentText = ""
    if nonClassicEnvironments.count < catalog.environments.count {
      environmentText +=
        "The native environments reproduce Gymnasium 1.x's dynamics, rewards and time limits exactly (parity "
        + "fixtures recorded from Gymnasium are part of the test suite). "
    }
    if !nonClassicEnvironments.isEmpty {
      environmentText +=
        "\(nonClassicEnvironments.joined(separator: ", ")) run in Python worker processes through the Gymnasium "
        + "bridge (Python/requirements/bridge.txt: gymnasium 1.4.0, ale-py 0.12.1, minatar 1.0.15, mujoco 3.3.7): "
        + providerDescriptions.joined(separator: ", ") + ". "
    }
    lines.append(
      environmentText + "Normalised score: "
        + "`(score − random) / (reference − random)`, with `random` the mean return of a seeded uniform "
        + "random policy over 1,000 episodes (`\(ScoreAnchors.randomCommand)`) and `reference` the best "
        + "rl-baselines-zoo score for the environment among A2C, ACER and ACKTR"
        + (catalog.environments.contains { $0.hasPrefix("minatar:") }
          ? "; for MinAtar, `random` over 100 episodes through the bridge (`\(ScoreAnchors.minAtarRandomCommand)`) "
            + "and `reference` the better of the MinAtar paper's DQN and AC(λ) at 5M frames, read from its figure"
          : "")
        + "."
        + (catalog.environments.allSatisfy { (try? ScoreAnchors.forEnvironment($0)) != nil }
          ? ""
          : " Environments without anchors (Atari, MuJoCo) have no normalised score and take no part in the "
            + "aggregates across environments; their per-environment statistics and P(improvement) use raw scores."))
    lines.append("### 1.4 Evaluation protocol")
    lines.append(
      (evaluationText.map {
        "After training, each run is evaluated as the rl-baselines-zoo benchmark did it (`utils/benchmark.py`, "
          + "`enjoy.py`; published-numbers.md §1.1): one environment, \($0), observation normalisation "
          + "frozen at the training statistics and rewards unnormalised; the score is the mean return of the "
          + "complete episodes. "
      } ?? "The runs of this suite are not evaluated after training; their score is the mean return of the "
        + "last 100 training episodes. ")
        + "We also report the mean return of the last 100 training episodes (the measure of the ACKTR and "
        + "PPO papers). "
        + (zooIsReference
          ? "The zoo evaluated **one** trained agent per (algorithm, environment), i.e. one training seed; we "
          : "We ")
        + "train \(seedText) per cell.")
    lines.append("### 1.5 Statistics and the verdict rule")
    lines.append(
      "Per cell we report the mean, standard deviation (n − 1), median and interquartile mean over seeds, "
        + "with "
        + "95% percentile-bootstrap confidence intervals (\(aggregate.bootstrap.repetitions) replicates). "
        + "Across environments we follow rliable (\(Citation.rliable.short)): "
        + "IQM, mean, median and optimality gap of normalised scores with stratified-bootstrap CIs (seeds "
        + "resampled within each environment), performance profiles, and the probability of improvement "
        + "P(X > Y) for every algorithm pair over the environments both ran; per environment, Welch's t-test "
        + "of the per-seed scores. Every resample draws from a named GSL mt19937 stream of "
        + "`SeedSequence(runSeed: \(aggregate.bootstrap.seed))`, so the statistics are reproducible to the "
        + "bit."
    )
    lines.append(verdictRuleText)
    return lines.joined(separator: "\n\n")
  }

  /// What each bridged provider present in the suite runs, e.g. "`minatar:<Game>` is MinAtar's
  /// `-v0` game (…)".
  var providerDescriptions: [String] {
    let providers: [(prefix: String, text: String)] = [
      ("atari:", "`atari:<Game>` is SB2's Atari pipeline (`make_atari`, Monitor, `wrap_deepmind`, 4-frame stack; "
        + "the Monitor's full-game unclipped score is the episode return)"),
      ("minatar:", "`minatar:<Game>` is MinAtar's `-v0` game (sticky actions 0.1, difficulty ramping, 6 actions)"),
      ("gym:", "`gym:<id>` is the Gymnasium environment"),
    ]
    return providers.filter { provider in nonClassicEnvironments.contains { $0.hasPrefix(provider.prefix) } }
      .map(\.text)
  }

  func hyperparameterTable(_ algorithm: AlgorithmID) -> String {
    let environments = catalog.environments(of: algorithm)
    let firstRuns = environments.compactMap { catalog.runs(environment: $0, algorithm: algorithm).first }
    var names = Set<String>()
    for run in firstRuns { names.formUnion(run.summary.hyperparameters.keys) }
    var table = MarkdownTable(
      ["\(algorithm.displayName)"] + environments, alignments: [.left] + environments.map { _ in .right })
    let entryRows: [(String, (RunRecord) -> String)] = [
      ("n_envs", { "\($0.run.entry.environmentCount)" }),
      ("n_timesteps", { Format.steps($0.run.entry.timesteps) }),
      ("normalize", { $0.run.entry.normalize ? "true" : "false" }),
    ]
    for (name, value) in entryRows { table.append([name] + firstRuns.map(value)) }
    for name in names.sorted() {
      table.append(
        [name]
          + firstRuns.map { run in
            guard let value = run.summary.hyperparameters[name] else { return "–" }
            let text = value.description
            return text.contains("{") || text.contains("[") ? "`\(text)`" : text
          })
    }
    let sources = Set(firstRuns.map(\.run.entry.source)).sorted()
    var text = "**\(algorithm.displayName)**\n\n" + table.text + "\n\nSource: " + sources.joined(separator: "; ") + "."
    if firstRuns.contains(where: { Self.activationUnused(in: $0) }) {
      text += " `net_arch.activation` sets the dense trunks (`shared`, `policy`, `value`) only; where they are "
        + "empty it is unused, and the convolutional features are ReLU, as SB2's `cnn_extractor` is."
    }
    return text
  }

  /// Whether a run's `net_arch` names an activation no layer uses: convolutional features (always
  /// ReLU) and no dense trunk.
  static func activationUnused(in run: RunRecord) -> Bool {
    guard let architecture = networkArchitecture(of: run), case .convolutional = architecture.featureExtractor
    else { return false }
    return architecture.shared.isEmpty && architecture.policy.isEmpty && architecture.value.isEmpty
  }

  var environmentTable: String {
    var table = MarkdownTable(
      ["environment", "observation", "action", "time limit", "random policy", "reference (normalised 1)"],
      alignments: [.left, .left, .left, .right, .right, .right])
    for environment in catalog.environments {
      let made = try? EnvironmentRegistry.make(environment)
      let spaces = Self.spaces(of: environment)
      let anchors = try? ScoreAnchors.forEnvironment(environment)
      table.append([
        environment, spaces.map { Self.describe($0.0) } ?? "(reported by the Python worker)",
        spaces.map { Self.describe($0.1) } ?? "(reported by the Python worker)",
        made.map { $0.maxEpisodeSteps.map { "\($0)" } ?? "none" } ?? EnvironmentCatalog.documentedTimeLimit(of: environment)
          ?? "the provider's",
        anchors.map { Format.score($0.random) } ?? "–",
        anchors.map { "\(Format.score($0.reference)) (\($0.referenceSource))" } ?? "–",
      ])
    }
    return table.text
  }

  /// An environment's spaces: the native environment's, else (bridged) the ones the pinned packages
  /// give, which are checked when the workers start; nil for a bridged name not documented.
  static func spaces(of environment: String) -> (observation: Space, action: Space)? {
    (try? EnvironmentRegistry.make(environment)).map { ($0.observationSpace, $0.actionSpace) }
      ?? EnvironmentCatalog.documentedSpaces(of: environment)
  }

  static func describe(_ space: Space) -> String {
    switch space {
    case .discrete(let n): return "Discrete(\(n))"
    case .box(let low, _, let shape, let dtype):
      // Classic control's flat float32 boxes by their size; frames and other dtypes by shape and dtype.
      return shape.count == 1 && dtype == .float32
        ? "Box(\(low.count))" : "Box(\(shape.map(String.init).joined(separator: "×")), \(dtype))"
    case .multiDiscrete(let nvec): return "MultiDiscrete(\(nvec.count))"
    case .multiBinary(let n): return "MultiBinary(\(n))"
    }
  }
}
