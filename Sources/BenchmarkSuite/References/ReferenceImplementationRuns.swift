import Environments
import Foundation
import Statistics

/// One run of another implementation of the same algorithm (e.g. stable-baselines 2.10.2), trained
/// with the suite's settings on our environments and evaluated with our protocol.
///
/// Written by `Tools/stable_baselines_reference.py train` to
/// `<results>/reference/<implementation>/<environment>/<algorithm>/seed-<n>/summary.json`.
public struct ReferenceImplementationRun: Sendable, Equatable {
  /// The implementation, as its folder is named (`stable-baselines-2.10.2`).
  public var implementation: String
  /// The environment id.
  public var environment: String
  /// The algorithm.
  public var algorithm: AlgorithmID
  /// The training seed of that implementation (its own random streams, not ours).
  public var seed: Int
  /// Environment steps trained.
  public var timesteps: Int
  /// Mean return of the last 100 training episodes.
  public var lastHundredMeanReturn: Double
  /// Mean return of the evaluation episodes.
  public var evaluationMeanReturn: Double
  /// Evaluation episodes.
  public var evaluationEpisodes: Int
  /// How the run was evaluated, as its summary states it (e.g. "stochastic policy, episodes
  /// completed within 150000 steps (50 envs)"); empty when the summary does not say.
  public var evaluationProtocol: String

  /// A run with the given values.
  public init(
    implementation: String, environment: String, algorithm: AlgorithmID, seed: Int, timesteps: Int,
    lastHundredMeanReturn: Double, evaluationMeanReturn: Double, evaluationEpisodes: Int,
    evaluationProtocol: String = ""
  ) {
    self.implementation = implementation
    self.environment = environment
    self.algorithm = algorithm
    self.seed = seed
    self.timesteps = timesteps
    self.lastHundredMeanReturn = lastHundredMeanReturn
    self.evaluationMeanReturn = evaluationMeanReturn
    self.evaluationEpisodes = evaluationEpisodes
    self.evaluationProtocol = evaluationProtocol
  }

  private struct File: Decodable {
    struct Evaluation: Decodable {
      var episodes: Int
      var meanReturn: Double
      var `protocol`: String?
    }
    var environment: String
    var seed: Int
    var timesteps: Int
    var lastHundredMeanReturn: Double
    var evaluation: Evaluation
  }

  /// Every run under `<results>/reference/`, sorted by implementation, environment, algorithm, seed.
  /// Files beside the folders (a README, say) and folders not named `seed-<n>` (the
  /// `seed-<n>.checkpoint` of a run still training, `Tools/sb2_reference_checkpoint.py`) are ignored.
  ///
  /// - Returns: an empty array when the folder does not exist.
  /// - Throws: ``BenchmarkError/io(path:reason:)`` for an unreadable folder or a missing summary;
  ///   ``BenchmarkError/incompatibleResults(path:reason:)`` for a malformed summary, a folder whose
  ///   name is not an algorithm id, or a summary whose environment or seed is not its folder's.
  public static func load(resultsFolder: URL) throws(BenchmarkError) -> [ReferenceImplementationRun] {
    let root = resultsFolder.appendingPathComponent("reference", isDirectory: true)
    let manager = FileManager.default
    guard manager.fileExists(atPath: root.path) else { return [] }
    /// The sub-folders of `url`, sorted.
    func children(_ url: URL) throws(BenchmarkError) -> [String] {
      let names: [String]
      do {
        names = try manager.contentsOfDirectory(atPath: url.path)
      } catch {
        throw .io(path: url.path, reason: error.localizedDescription)
      }
      return names.filter { name in
        var isDirectory: ObjCBool = false
        return !name.hasPrefix(".")
          && manager.fileExists(atPath: url.appendingPathComponent(name).path, isDirectory: &isDirectory)
          && isDirectory.boolValue
      }.sorted()
    }
    var runs: [ReferenceImplementationRun] = []
    for implementation in try children(root) {
      let implementationFolder = root.appendingPathComponent(implementation, isDirectory: true)
      for environment in try children(implementationFolder) {
        let environmentFolder = implementationFolder.appendingPathComponent(environment, isDirectory: true)
        for algorithmName in try children(environmentFolder) {
          let algorithmFolder = environmentFolder.appendingPathComponent(algorithmName, isDirectory: true)
          guard let algorithm = AlgorithmID(rawValue: algorithmName) else {
            throw .incompatibleResults(
              path: algorithmFolder.path,
              reason: "not an algorithm (allowed: \(AlgorithmID.allCases.map(\.rawValue).joined(separator: ", ")))")
          }
          // `seed-<n>` only: a run still training keeps its checkpoint beside, in `seed-<n>.checkpoint`.
          for seedFolder in try children(algorithmFolder) where RunFolderName.seed(of: seedFolder) != nil {
            let url = algorithmFolder.appendingPathComponent(seedFolder).appendingPathComponent("summary.json")
            let data: Data
            do {
              data = try Data(contentsOf: url)
            } catch {
              throw .io(path: url.path, reason: "cannot read the run's summary: \(error.localizedDescription)")
            }
            let file: File
            do {
              file = try JSONDecoder().decode(File.self, from: data)
            } catch {
              throw .incompatibleResults(path: url.path, reason: "not a reference-run summary: \(error)")
            }
            guard file.environment == environment, "seed-\(file.seed)" == seedFolder else {
              throw .incompatibleResults(
                path: url.path,
                reason: "the summary is of \(file.environment) seed \(file.seed), the folder of \(environment) \(seedFolder)")
            }
            runs.append(
              ReferenceImplementationRun(
                implementation: implementation, environment: environment, algorithm: algorithm, seed: file.seed,
                timesteps: file.timesteps, lastHundredMeanReturn: file.lastHundredMeanReturn,
                evaluationMeanReturn: file.evaluation.meanReturn, evaluationEpisodes: file.evaluation.episodes,
                evaluationProtocol: file.evaluation.protocol ?? ""))
          }
        }
      }
    }
    return runs.sorted {
      ($0.implementation, $0.environment, $0.algorithm.rawValue, $0.seed)
        < ($1.implementation, $1.environment, $1.algorithm.rawValue, $1.seed)
    }
  }
}

/// One (implementation, environment, algorithm) cell of the reference runs, ordered by those names.
struct ImplementationCell: Hashable, Comparable {
  var implementation: String
  var environment: String
  var algorithm: AlgorithmID

  static func < (a: Self, b: Self) -> Bool {
    (a.implementation, a.environment, a.algorithm.rawValue) < (b.implementation, b.environment, b.algorithm.rawValue)
  }
}

extension ReferenceImplementationRun {
  /// The evaluation budget the run's protocol states, in the tool's words "… within <steps> steps
  /// (<copies> env[s])"; nil when it states none that reads so.
  public var statedEvaluation: (timesteps: Int, copies: Int)? {
    guard let within = evaluationProtocol.range(of: "within ") else { return nil }
    let words = evaluationProtocol[within.upperBound...].split(separator: " ")
    guard words.count >= 3, let steps = Int(words[0]), words[1] == "steps", words[2].hasPrefix("("),
      let copies = Int(words[2].dropFirst())
    else { return nil }
    return (steps, copies)
  }

  /// The cell the run belongs to.
  var cell: ImplementationCell { .init(implementation: implementation, environment: environment, algorithm: algorithm) }
}

extension ReferenceImplementationComparison {
  /// Why `runs` (one cell's) were not evaluated as ours are — one copy for `oursTimesteps` steps, the
  /// mean of the episodes completed within them — or nil when they were, or do not say.
  ///
  /// Another budget differs outright. More copies within the same budget differ by censoring: each
  /// copy drops the episode still running when its share of the budget ends, and that episode is
  /// length-biased (renewal theory: its expected return is E[R] + Cov(L, R)/E[L]), so with c copies
  /// and N completed episodes the mean moves by about −(c/N)·Cov(L, R)/E[L] — small for CartPole at
  /// 6 episodes per copy, large when a good agent's episodes outlast its share. The one exception
  /// is exact: where every episode lasts the time limit T (``EnvironmentRegistry/fixedEpisodeLengthIDs``)
  /// and each run completed budget/T episodes, no episode was cut off under either protocol.
  public static func evaluationMismatch(of runs: [ReferenceImplementationRun], oursTimesteps: Int?) -> String? {
    for run in runs {
      guard let stated = run.statedEvaluation else { continue }
      let described =
        "evaluated for \(stated.timesteps) steps of \(stated.copies) cop\(stated.copies == 1 ? "y" : "ies"), ours for "
        + "\(oursTimesteps.map(String.init) ?? "?") steps of 1 copy"
      if let oursTimesteps, stated.timesteps != oursTimesteps { return described }
      guard stated.copies != 1 else { continue }
      let limit =
        EnvironmentRegistry.fixedEpisodeLengthIDs.contains(run.environment)
        ? (try? EnvironmentRegistry.make(run.environment))?.maxEpisodeSteps : nil
      guard let limit, run.evaluationEpisodes * limit == stated.timesteps, stated.timesteps % (limit * stated.copies) == 0
      else {
        return described + " (episodes running at the end of each copy's share are dropped, and they are length-biased)"
      }
    }
    return nil
  }
}

/// Our seeds against another implementation's seeds in one (environment, algorithm) cell.
public struct ReferenceImplementationComparison: Sendable, Equatable {
  /// The other implementation.
  public var implementation: String
  /// The environment id.
  public var environment: String
  /// The algorithm.
  public var algorithm: AlgorithmID
  /// Its evaluation means, by seed.
  public var referenceEvaluation: [Double]
  /// Its last-100 training means, by seed.
  public var referenceLastHundred: [Double]
  /// Our evaluation means, by seed.
  public var oursEvaluation: [Double]
  /// Our last-100 training means, by seed.
  public var oursLastHundred: [Double]
  /// Welch's t-test of the evaluation means (ours − reference); `nil` with fewer than 2 seeds a side.
  public var welch: WelchTTest?
  /// Why their evaluation is not ours, when a run's stated protocol says so (another budget, or
  /// more than one copy); nil when it matches or is not stated.
  public var evaluationMismatch: String? = nil
  /// Their evaluation protocols as the compared runs state them, each once ("" where one does not).
  public var referenceEvaluationProtocols: [String] = []

  /// The cell compared.
  var cell: ImplementationCell { .init(implementation: implementation, environment: environment, algorithm: algorithm) }

  /// One comparison per (implementation, environment, algorithm) with runs on both sides and the
  /// same training budget (other budgets are left out).
  public static func compare(
    _ runs: [ReferenceImplementationRun], with aggregate: SuiteAggregate
  ) -> [ReferenceImplementationComparison] {
    let groups = Dictionary(grouping: runs, by: \.cell)
    return groups.keys.sorted().compactMap { key in
      let first = groups[key]![0]
      guard let cell = aggregate.cell(environment: first.environment, algorithm: first.algorithm),
        let ours = cell.evaluation?.values, let oursLast = cell.lastHundred?.values
      else { return nil }
      let group = groups[key]!.filter { $0.timesteps == cell.trainingTimesteps }
      guard !group.isEmpty else { return nil }
      let theirs = group.map(\.evaluationMeanReturn)
      let mismatch = evaluationMismatch(of: group, oursTimesteps: cell.evaluationTimesteps)
      return ReferenceImplementationComparison(
        implementation: first.implementation, environment: first.environment, algorithm: first.algorithm,
        referenceEvaluation: theirs, referenceLastHundred: group.map(\.lastHundredMeanReturn),
        oursEvaluation: ours, oursLastHundred: oursLast, welch: try? WelchTTest(ours, theirs),
        evaluationMismatch: mismatch, referenceEvaluationProtocols: Array(Set(group.map(\.evaluationProtocol))).sorted())
    }
  }
}
