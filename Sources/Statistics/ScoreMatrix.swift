/// Final scores of one algorithm: `runCount` runs (seeds) × `taskCount` tasks (environments).
///
/// ```
/// scores[run · taskCount + task] = score of run `run` on task `task`
/// ```
/// The layout of rliable's score arrays, documented there as "(`num_runs` x `num_tasks`)"
/// (Agarwal et al. 2021, https://arxiv.org/abs/2108.13264). A matrix always has at least one run
/// and one task, and only finite scores, so the aggregate metrics on it cannot fail.
public struct ScoreMatrix: Sendable, Hashable {
  /// Number of runs (rows).
  public let runCount: Int
  /// Number of tasks (columns).
  public let taskCount: Int
  /// The scores in row-major order: `scores[run * taskCount + task]`.
  public private(set) var scores: [Double]

  /// A matrix from nested rows, one row per run: `runs[run][task]`.
  /// - Throws: ``StatisticsError`` if there is no run or no task, rows differ in length, or a
  ///   score is not finite.
  public init(runs: [[Double]]) throws(StatisticsError) {
    guard let first = runs.first else {
      throw .countTooSmall(field: "runs", value: 0, minimum: 1)
    }
    for (row, values) in runs.enumerated() where values.count != first.count {
      throw .raggedRows(field: "runs", row: row, expected: first.count, actual: values.count)
    }
    try self.init(runCount: runs.count, taskCount: first.count, scores: runs.flatMap { $0 })
  }

  /// A matrix from nested columns, one column per task: `tasks[task][run]`. This is the natural
  /// shape when scores are collected per environment across seeds.
  /// - Throws: ``StatisticsError`` if there is no run or no task, columns differ in length, or a
  ///   score is not finite.
  public init(tasks: [[Double]]) throws(StatisticsError) {
    guard let first = tasks.first else {
      throw .countTooSmall(field: "tasks", value: 0, minimum: 1)
    }
    for (column, values) in tasks.enumerated() where values.count != first.count {
      throw .raggedRows(field: "tasks", row: column, expected: first.count, actual: values.count)
    }
    var flat = [Double](repeating: 0, count: first.count * tasks.count)
    for (task, column) in tasks.enumerated() {
      for (run, score) in column.enumerated() { flat[run * tasks.count + task] = score }
    }
    try self.init(runCount: first.count, taskCount: tasks.count, scores: flat)
  }

  /// A matrix over a flat row-major buffer.
  /// - Throws: ``StatisticsError`` if a dimension is below 1, `scores.count != runCount ·
  ///   taskCount`, or a score is not finite.
  public init(runCount: Int, taskCount: Int, scores: [Double]) throws(StatisticsError) {
    guard runCount >= 1 else { throw .countTooSmall(field: "runCount", value: runCount, minimum: 1) }
    guard taskCount >= 1 else {
      throw .countTooSmall(field: "taskCount", value: taskCount, minimum: 1)
    }
    guard scores.count == runCount * taskCount else {
      throw .shapeMismatch(field: "scores", expected: runCount * taskCount, actual: scores.count)
    }
    try StatisticsError.checkFinite(scores, field: "scores")
    self.runCount = runCount
    self.taskCount = taskCount
    self.scores = scores
  }

  /// An unvalidated matrix for resampling buffers inside this module.
  init(uncheckedRunCount runCount: Int, taskCount: Int, scores: [Double]) {
    self.runCount = runCount
    self.taskCount = taskCount
    self.scores = scores
  }

  /// The score of run `run` on task `task`.
  public subscript(run: Int, task: Int) -> Double {
    precondition(run >= 0 && run < runCount, "run \(run) out of 0..<\(runCount)")
    precondition(task >= 0 && task < taskCount, "task \(task) out of 0..<\(taskCount)")
    return scores[run * taskCount + task]
  }

  /// All runs' scores on one task (a column).
  public func scores(onTask task: Int) -> [Double] {
    precondition(task >= 0 && task < taskCount, "task \(task) out of 0..<\(taskCount)")
    return (0..<runCount).map { scores[$0 * taskCount + task] }
  }

  /// One run's scores on every task (a row).
  public func scores(ofRun run: Int) -> [Double] {
    precondition(run >= 0 && run < runCount, "run \(run) out of 0..<\(runCount)")
    return Array(scores[(run * taskCount)..<((run + 1) * taskCount)])
  }

  /// Mutable access to the storage for the bootstrap's reusable resample buffer.
  mutating func withUnsafeMutableScores<R>(_ body: (UnsafeMutableBufferPointer<Double>) -> R) -> R {
    scores.withUnsafeMutableBufferPointer { body($0) }
  }
}

extension ScoreMatrix: Codable {
  private enum CodingKeys: String, CodingKey { case runCount, taskCount, scores }

  /// Decodes and validates a matrix (a corrupt file is an error, not a malformed matrix).
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    try self.init(
      runCount: container.decode(Int.self, forKey: .runCount),
      taskCount: container.decode(Int.self, forKey: .taskCount),
      scores: container.decode([Double].self, forKey: .scores))
  }

  /// Encodes the shape and the row-major scores.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(runCount, forKey: .runCount)
    try container.encode(taskCount, forKey: .taskCount)
    try container.encode(scores, forKey: .scores)
  }
}
