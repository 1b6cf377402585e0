/// The two scores that map a task's raw returns onto a common scale.
///
/// ```
/// normalised(s) = (s − random) / (reference − random)
/// ```
/// so `random ↦ 0` and `reference ↦ 1`: the human-normalised score of Mnih et al. 2015 with
/// "human" replaced by whatever reference the caller documents (for example a published
/// rl-baselines-zoo score, or the environment's solved threshold). The anchors are data supplied
/// by the caller, one per environment, and should be written next to the results they
/// normalise; this type only checks them and applies the formula. A reference below random (as
/// when lower is better) is allowed: the scale then runs the other way.
public struct NormalizationAnchor: Sendable, Hashable, Codable {
  /// The score of a uniformly random policy on the task.
  public let random: Double
  /// The score that normalises to 1.
  public let reference: Double

  /// An anchor pair.
  /// - Throws: ``StatisticsError`` if either score is not finite or `reference == random`.
  public init(random: Double, reference: Double) throws(StatisticsError) {
    try StatisticsError.checkFinite([random, reference], field: "[random, reference]")
    guard reference != random else { throw .degenerateAnchor(random: random, reference: reference) }
    self.random = random
    self.reference = reference
  }

  /// Decodes and validates an anchor.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    try self.init(
      random: container.decode(Double.self, forKey: .random),
      reference: container.decode(Double.self, forKey: .reference))
  }

  /// `(score − random) / (reference − random)`.
  public func normalize(_ score: Double) -> Double { (score - random) / (reference - random) }
}

extension ScoreMatrix {
  /// The matrix with task `m`'s scores normalised by `anchors[m]`.
  /// - Throws: ``StatisticsError/taskCountMismatch(field:expected:actual:)`` unless there is one
  ///   anchor per task.
  public func normalized(by anchors: [NormalizationAnchor]) throws(StatisticsError) -> ScoreMatrix {
    guard anchors.count == taskCount else {
      throw .taskCountMismatch(field: "anchors", expected: taskCount, actual: anchors.count)
    }
    var values = scores
    for run in 0..<runCount {
      for task in 0..<taskCount {
        values[run * taskCount + task] = anchors[task].normalize(values[run * taskCount + task])
      }
    }
    return try ScoreMatrix(runCount: runCount, taskCount: taskCount, scores: values)
  }
}
