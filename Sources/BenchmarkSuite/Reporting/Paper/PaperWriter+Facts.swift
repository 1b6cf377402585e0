import ActorCritic
import Environments
import Foundation

/// Statements the report makes about the runs, each derived from the results folder (the runs'
/// files and `manifest.json`), never written in by hand.
extension PaperWriter {
  /// Training wall-clock seconds summed over `runs` (their `timing.json`), or `nil` when some run
  /// has no timing record.
  static func trainingSeconds(_ runs: [RunRecord]) -> Double? {
    var total = 0.0
    for run in runs {
      guard let timing = run.timing else { return nil }
      total += timing.trainingSeconds
    }
    return total
  }

  /// The mean training time per run and the mean steps/s of `runs` as table cells, "–" without
  /// timing records.
  static func timingCells(_ runs: [RunRecord]) -> (perRun: String, stepsPerSecond: String) {
    guard !runs.isEmpty, let seconds = trainingSeconds(runs) else { return ("–", "–") }
    let rates = runs.compactMap { $0.timing?.stepsPerSecond }
    return (Format.duration(seconds / Double(runs.count)), Format.fixed(rates.reduce(0, +) / Double(rates.count), 0))
  }

  /// The achieved arithmetic rate of the runs whose `timing.json` records counted operations
  /// (``RunTiming/arithmetic``): their operations over their training seconds, in GFLOP/s, with
  /// how many of `runs` it covers; `nil` when none of them records it.
  static func countedGigaflops(_ runs: [RunRecord]) -> (rate: Double, counted: Int)? {
    let counts = runs.compactMap { $0.timing?.arithmetic }.filter { $0.trainingSeconds > 0 }
    guard !counts.isEmpty else { return nil }
    let operations = counts.reduce(0.0) { $0 + Double($1.floatingPointOperations) }
    let seconds = counts.reduce(0.0) { $0 + $1.trainingSeconds }
    return (operations / seconds / 1e9, counts.count)
  }

  /// `sessions` grouped by the processor each recorded (`nil`: none recorded), in the order the
  /// processors first appear, each with its sessions' 1-based positions in `sessions` — a long suite
  /// can span machines: the one-build rule pins the code and the BLAS kernel, not the processor.
  static func processorGroups(of sessions: [Provenance]) -> [(processor: String?, sessions: [Int])] {
    var groups: [(processor: String?, sessions: [Int])] = []
    for (index, session) in sessions.enumerated() {
      if let g = groups.firstIndex(where: { $0.processor == session.processor }) {
        groups[g].sessions.append(index + 1)
      } else {
        groups.append((session.processor, [index + 1]))
      }
    }
    return groups
  }

  /// The distinct processors recorded by the sessions that added this suite's runs, in the order
  /// they first appear; all sessions of the folder when none is of this suite.
  var processors: [String] {
    guard let p = catalog.provenance else { return [] }
    let own = p.sessions(suite: catalog.suite)
    return Self.processorGroups(of: own.isEmpty ? p.sessions : own).compactMap(\.processor)
  }

  /// The processors the suite's sessions recorded, e.g. "Intel(R) Xeon(R) … (2 logical CPUs)";
  /// `nil` when none did.
  var processorText: String? { processors.isEmpty ? nil : processors.joined(separator: " and ") }

  /// "; measured on <processor>", or empty.
  var machineText: String { processorText.map { "; measured on \($0)" } ?? "" }

  /// The environments on which the algorithms trained for different budgets, each at its own
  /// published setting (the zoo's Atari ACKTR has 5M steps to A2C's and ACER's 10M), e.g.
  /// "atari:Pong (A2C, ACER 10M steps; ACKTR 5M steps)"; `nil` when each environment has one budget.
  var budgetDifferences: String? {
    let parts = catalog.environments.compactMap { environment -> String? in
      var groups: [(budget: Int, algorithms: [AlgorithmID])] = []
      for algorithm in catalog.algorithms(on: environment) {
        guard let budget = aggregate.cell(environment: environment, algorithm: algorithm)?.trainingTimesteps
        else { continue }
        if let g = groups.firstIndex(where: { $0.budget == budget }) {
          groups[g].algorithms.append(algorithm)
        } else {
          groups.append((budget, [algorithm]))
        }
      }
      guard groups.count > 1 else { return nil }
      return "\(environment) ("
        + groups.sorted { $0.budget > $1.budget }
        .map { $0.algorithms.map(\.displayName).joined(separator: ", ") + " \(Format.steps($0.budget)) steps" }
        .joined(separator: "; ") + ")"
    }
    return parts.isEmpty ? nil : parts.joined(separator: ", ")
  }

  /// "single-threaded" when every session ran one BLAS thread (the manifest), else the counts.
  var threadingText: String {
    guard let p = catalog.provenance else { return "training (BLAS threads not recorded)" }
    let counts = Set(([p] + (p.shards ?? [])).map(\.openBLASThreads)).sorted()
    return counts == [1]
      ? "single-threaded training"
      : "training with \(counts.map(String.init).joined(separator: "/")) BLAS threads"
  }

  /// The BLAS set-up every session recorded, e.g. "one BLAS thread, OpenBLAS kernel Haswell (pinned
  /// with OPENBLAS_CORETYPE)".
  var blasText: String {
    guard let p = catalog.provenance else { return "BLAS set-up not recorded" }
    let sessions = [p] + (p.shards ?? [])
    let threads = Set(sessions.map(\.openBLASThreads)).sorted()
    let cores = Set(sessions.map(\.openBLASCore)).sorted()
    let pinned = sessions.allSatisfy { $0.openBLASCoreTypeEnvironment == $0.openBLASCore }
    let threadText = threads == [1] ? "one BLAS thread" : "\(threads.map(String.init).joined(separator: "/")) BLAS threads"
    return "\(threadText), OpenBLAS kernel \(cores.joined(separator: "/"))"
      + (pinned ? " (pinned with OPENBLAS_CORETYPE)" : " (not pinned in every session)")
  }

  /// The environments that are not this package's native classic-control ones.
  var nonClassicEnvironments: [String] { catalog.environments.filter { !EnvironmentRegistry.ids.contains($0) } }

  /// The evaluation after training, as the runs' specs and summaries record it: how many steps,
  /// whether actions were sampled; `nil` when no run was evaluated.
  var evaluationText: String? {
    let evaluated = catalog.runs.filter { $0.summary.evaluation != nil }
    guard !evaluated.isEmpty else { return nil }
    var budgets: [Int: [String]] = [:]
    for run in evaluated where !(budgets[run.run.entry.evaluationTimesteps]?.contains(run.environment) ?? false) {
      budgets[run.run.entry.evaluationTimesteps, default: []].append(run.environment)
    }
    let steps =
      budgets.count == 1
      ? "\(Format.steps(budgets.keys.first!)) steps"
      : budgets.keys.sorted().map { "\(Format.steps($0)) steps (\(budgets[$0]!.joined(separator: ", ")))" }
        .joined(separator: ", ")
    let modes = Set(evaluated.map { $0.summary.evaluation!.stochastic })
    let policy =
      modes == [true] ? "the **stochastic** policy" : modes == [false] ? "the deterministic policy" : "stochastic and deterministic policies"
    var text = "\(policy) for \(steps)"
    if evaluated.count < catalog.runs.count {
      text += " (\(catalog.runs.count - evaluated.count) of \(catalog.runs.count) runs were not evaluated)"
    }
    return text
  }

  /// The networks the runs used, from their `net_arch` hyperparameter, e.g. "separate policy and
  /// value networks of two 64-unit tanh layers each (SB2 `MlpPolicy`)".
  var policyText: String {
    var descriptions: [String: [String]] = [:]
    for algorithm in catalog.algorithms {
      for environment in catalog.environments(of: algorithm) {
        guard let run = catalog.runs(environment: environment, algorithm: algorithm).first else { continue }
        let text: String
        if let architecture = Self.networkArchitecture(of: run) {
          text = Self.describeNetwork(architecture)
        } else {
          text = "a network not recorded in the summary"
        }
        descriptions[text, default: []].append("\(algorithm.displayName) \(environment)")
      }
    }
    if descriptions.count == 1 { return descriptions.keys.first! }
    return descriptions.keys.sorted().map { "\($0) (\(descriptions[$0]!.joined(separator: ", ")))" }
      .joined(separator: "; ")
  }

  /// The network a run used, decoded from its `net_arch` hyperparameter; nil when not recorded.
  static func networkArchitecture(of run: RunRecord) -> NetworkArchitecture? {
    guard case .string(let json)? = run.summary.hyperparameters["net_arch"] else { return nil }
    return try? JSONDecoder().decode(NetworkArchitecture.self, from: Data(json.utf8))
  }

  /// Whether rl-baselines-zoo rows are among the suite's published references (their one-agent
  /// design and standard errors are then worth a sentence).
  var zooIsReference: Bool { comparisons.contains { $0.published.label == "rl-baselines-zoo" } }

  /// One architecture in words, input to heads, e.g. "a shared trunk of two 64-unit tanh layers,
  /// then an LSTM of 256 units, shared by both heads (SB2 `MlpLstmPolicy`)". Convolutional
  /// features are described as ReLU whatever `activation` says: it sets the dense trunks only.
  static func describeNetwork(_ a: NetworkArchitecture) -> String {
    func stack(_ widths: [Int]) -> String {
      guard let first = widths.first else { return "no hidden layer" }
      let words = ["no", "one", "two", "three", "four"]
      let count = widths.count < words.count ? words[widths.count] : "\(widths.count)"
      return Set(widths).count == 1
        ? "\(count) \(first)-unit \(a.activation.rawValue) layer\(widths.count == 1 ? "" : "s")"
        : "\(a.activation.rawValue) layers of \(widths.map(String.init).joined(separator: ", ")) units"
    }
    // What both heads read, input first.
    var common: [String] = []
    if case .convolutional(let features) = a.featureExtractor {
      let convolutions = features.convolutions.map {
        "\($0.filters) filters \($0.kernel)×\($0.kernel) stride \($0.stride) \($0.padding.rawValue.uppercased())"
      }
      common.append(
        "ReLU convolutions (\(convolutions.joined(separator: "; "))) and a \(features.hidden)-unit ReLU layer")
    }
    if !a.shared.isEmpty { common.append("a shared trunk of \(stack(a.shared))") }
    if let cell = a.recurrent {
      common.append("\(cell.layerNormalized ? "a layer-normalised LSTM" : "an LSTM") of \(cell.units) units")
    }
    var text = common.joined(separator: ", then ")
    if a.policy == a.value {
      if !a.policy.isEmpty {
        text += (text.isEmpty ? "" : ", then ") + "separate policy and value networks of \(stack(a.policy)) each"
      } else if a.featureExtractor != .flatten || a.recurrent != nil {
        text += ", shared by both heads"
      }
    } else {
      text += (text.isEmpty ? "" : ", then ")
        + "a policy network of \(stack(a.policy)) and a value network of \(stack(a.value))"
    }
    let names: [(NetworkArchitecture, String)] = [
      (.stableBaselines, "SB2 `MlpPolicy`"), (.natureCNN, "SB2 `CnnPolicy`, `nature_cnn`"),
      (.minAtarCNN, "MinAtar's network"), (.mlpLSTM, "SB2 `MlpLstmPolicy`"),
      (.mlpLayerNormLSTM, "SB2 `MlpLnLstmPolicy`"), (.cnnLSTM, "SB2 `CnnLstmPolicy`"),
      (.cnnLayerNormLSTM, "SB2 `CnnLnLstmPolicy`"),
    ]
    if let name = names.first(where: { $0.0 == a })?.1 { text += " (\(name))" }
    return text
  }

  /// Where the hyperparameters come from, from the suite entries' `source` fields.
  var hyperparameterSourceText: String {
    let sources = Set(catalog.runs.map(\.run.entry.source))
    return sources.allSatisfy { $0.contains("rl-baselines-zoo") }
      ? "the rl-baselines-zoo hyperparameters" : "the hyperparameters of the suite's entries (sources in §1.2)"
  }
}
