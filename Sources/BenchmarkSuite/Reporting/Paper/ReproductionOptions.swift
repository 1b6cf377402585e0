import Foundation

/// The `bench run` options that regenerate a folder's runs of one suite, beyond `--suite` and the
/// `--environments`/`--algorithms` filters.
///
/// ```
/// seeds           --seeds (max − min + 1) [--start-seed min]     over every run's seed
/// budget          --timesteps T              when some run's budget ≠ its suite entry's, and all are T
/// evaluation      --evaluation-timesteps E   likewise for the evaluation budget
/// hyperparameters --set name=value …         when every run differs from its entry by the same D ≠ ∅,
///                                            each value one that `--set` parses back to itself
/// extra runs      entries × seeds − runs     the grid the line makes beyond the folder's runs
/// ```
/// Settings that no single command expresses (runs at different budgets, different `--set`s, a
/// value `--set` cannot write, entries the suite no longer has) are listed in ``unexpressed``, and
/// the runs the line would add to a part-filled grid are counted in ``extraRuns``, so the report
/// never presents a command as making exactly the folder's runs when it does not.
struct ReproductionOptions: Equatable {
  /// The options, in command-line order, each value shell-quoted where needed.
  var options: [String] = []
  /// What the options cannot express, one phrase each.
  var unexpressed: [String] = []

  /// The runs the line makes that the folder does not hold (a suite part-way through its seeds).
  var extraRuns = 0

  /// - Parameters:
  ///   - entries: how many suite entries the line's filters select.
  ///   - defaults: the suite entry a run was made from, with the suite's own settings (nil when
  ///     the suite no longer has it).
  init(runs: [RunSpec], entries: Int, defaults: (RunSpec) -> SuiteEntry?) {
    let seeds = runs.map(\.seed)
    if let first = seeds.min(), let last = seeds.max() {
      options += ["--seeds", "\(last - first + 1)"] + (first == 0 ? [] : ["--start-seed", "\(first)"])
      extraRuns = max(0, entries * (last - first + 1) - Set(runs.map(\.identifier)).count)
    }
    let missing = runs.filter { defaults($0) == nil }
    if !missing.isEmpty {
      unexpressed.append(
        "\(missing.count) run(s) of entries the suite no longer has (e.g. \(missing[0].identifier))")
    }
    let known = runs.compactMap { run in defaults(run).map { (run: run.entry, suite: $0) } }
    budget(known.map { ($0.run.timesteps, $0.suite.timesteps) }, option: "--timesteps", what: "training budgets")
    budget(
      known.map { ($0.run.evaluationTimesteps, $0.suite.evaluationTimesteps) }, option: "--evaluation-timesteps",
      what: "evaluation budgets")
    let removed = Set(
      known.flatMap { pair in pair.suite.hyperparameters.keys.filter { pair.run.hyperparameters[$0] == nil } })
    if !removed.isEmpty {
      unexpressed.append("runs without hyperparameters their suite entry now sets (\(removed.sorted().joined(separator: ", ")))")
    }
    let differences = known.map { pair in
      pair.run.hyperparameters.filter { pair.suite.hyperparameters[$0.key] != $0.value }
    }
    guard let shared = differences.first, differences.contains(where: { !$0.isEmpty }) else { return }
    guard differences.allSatisfy({ $0 == shared }) else {
      unexpressed.append("hyperparameters that differ between runs (see each run's configuration.json)")
      return
    }
    for name in shared.keys.sorted() {
      let value = shared[name]!, text = value.description
      // `--set` reads its text back by shape: "1e-3" as a number, "true" as a boolean, "{…" as JSON.
      guard !text.isEmpty, (try? HyperparameterValue(parsing: text, name: name)) == value else {
        unexpressed.append("\(name) = \"\(text)\", which --set would read back as another value")
        continue
      }
      options += ["--set", Self.shellQuoted("\(name)=\(text)")]
    }
  }

  /// Adds `option value` when some run's value differs from its entry's and all runs agree.
  private mutating func budget(_ values: [(run: Int, suite: Int)], option: String, what: String) {
    guard values.contains(where: { $0.run != $0.suite }) else { return }
    let distinct = Set(values.map(\.run))
    if distinct.count == 1 {
      options += [option, "\(distinct.first!)"]
    } else {
      unexpressed.append("\(what) that differ between runs (\(distinct.sorted().map(String.init).joined(separator: ", ")))")
    }
  }

  /// `text` as one POSIX shell word: unchanged when it holds only safe characters, else in single
  /// quotes (a single quote inside written `'\''`).
  static func shellQuoted(_ text: String) -> String {
    let safe = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.=:/+,@")
    if !text.isEmpty, text.unicodeScalars.allSatisfy(safe.contains) { return text }
    return "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }
}
