import Foundation
import Statistics
import Testing
import _TestSupport

/// Golden numbers from google-research/rliable `tests/rliable/metrics_test.py` and from SciPy.
@Suite struct AggregateMetricTests {
  // rliable's fixtures, verbatim (runs × tasks).
  let x = try! ScoreMatrix(runs: [[1, 2], [2, 2], [1, 1], [2, 1]])
  let y = try! ScoreMatrix(runs: [[1, 1], [2, 2], [3, 3]])

  @Test func rliableMetricsFixture() throws {
    #expect(x.median == 1.5)
    #expect(x.mean == 1.5)
    #expect(x.iqm == 1.5)
    #expect(y.median == 2)
    #expect(y.mean == 2)
    #expect(y.iqm == 2)
  }

  @Test func rliableProbabilityOfImprovementFixture() throws {
    // metrics_test.py: probability_of_improvement(x, y) ≈ 1/3. Per task, x = {1,2,1,2} against
    // y = {1,2,3}: U = 2·(½) + 2·(1 + ½) = 4 of 12 pairs.
    let p = try probabilityOfImprovement(x, y)
    #expect(p.isApproximatelyEqual(to: 1.0 / 3))
    #expect(try y.probabilityOfImprovement(over: x).isApproximatelyEqual(to: 2.0 / 3))
  }

  @Test func probabilityOfImprovementMatchesScipyMannWhitney() throws {
    // Golden: rliable's formula evaluated with scipy 1.17.1 mannwhitneyu(alternative="greater"):
    // per task 0.6, 0.4, 2/3 → 0.5555555555555555; reversed 0.4444444444444444.
    let a = try ScoreMatrix(runs: [
      [0.3, 5.0, 1.0], [0.9, 2.5, 1.0], [0.1, 4.0, 1.0], [0.7, 4.0, 1.0], [0.5, 1.5, 1.0],
    ])
    let b = try ScoreMatrix(runs: [[0.2, 4.0, 0.0], [0.6, 3.0, 0.5], [0.4, 4.5, 2.0]])
    #expect(try a.probabilityOfImprovement(over: b).isApproximatelyEqual(to: 0.5555555555555555))
    #expect(try b.probabilityOfImprovement(over: a).isApproximatelyEqual(to: 0.4444444444444444))
    // Golden (scipy trim_mean axis=None; numpy means): IQM 1.1777…, mean 1.6333…, median 1.
    #expect(a.iqm.isApproximatelyEqual(to: 1.1777777777777778))
    #expect(a.mean.isApproximatelyEqual(to: 1.6333333333333335))
    #expect(a.median == 1)
    #expect(a.optimalityGap(gamma: 1).isApproximatelyEqual(to: 0.16666666666666663))
  }

  @Test func identicalColumnsCountAsOneHalf() throws {
    #expect(try x.probabilityOfImprovement(over: x) == 0.5)
    let wide = try ScoreMatrix(runs: [[1, 2, 3]])
    #expect(throws: StatisticsError.taskCountMismatch(field: "other", expected: 2, actual: 3)) {
      try x.probabilityOfImprovement(over: wide)
    }
  }

  @Test func strictDominanceGivesOne() throws {
    let low = try ScoreMatrix(runs: [[0, 0], [1, 1]])
    let high = try ScoreMatrix(runs: [[2, 5], [3, 6], [4, 7]])
    #expect(try high.probabilityOfImprovement(over: low) == 1)
    #expect(try low.probabilityOfImprovement(over: high) == 0)
  }

  @Test func optimalityGapClipsAtTheThreshold() throws {
    // min(scores, 1) = [[0.5, 1], [1, 0]] → mean 0.625 → gap 0.375.
    let m = try ScoreMatrix(runs: [[0.5, 3], [1.2, 0]])
    #expect(m.optimalityGap() == 0.375)
    // γ = 2: min = [[0.5, 2], [1.2, 0]] → mean 0.925 → gap 1.075.
    #expect(m.optimalityGap(gamma: 2).isApproximatelyEqual(to: 1.075))
  }

  @Test func metricsAgreeWithTheirEnumForm() throws {
    let m = try ScoreMatrix(runs: [[0.1, 4, 2], [7, 3, 1], [5, 5, 0.5], [2, 8, 1]])
    #expect(AggregateMetric.mean.value(of: m) == m.mean)
    #expect(AggregateMetric.median.value(of: m) == m.median)
    #expect(AggregateMetric.iqm.value(of: m) == m.iqm)
    #expect(AggregateMetric.optimalityGap(gamma: 4).value(of: m) == m.optimalityGap(gamma: 4))
    #expect(m.taskMeans == [3.525, 5, 1.125])
    #expect(try m.mean == Descriptive.mean(m.taskMeans))
    #expect(AggregateMetric.standard.map(\.description) == ["Median", "IQM", "Mean", "Optimality gap"])
  }
}

@Suite struct ScoreMatrixTests {
  @Test func rowsAndColumnsAgree() throws {
    let byRuns = try ScoreMatrix(runs: [[1, 2, 3], [4, 5, 6]])
    let byTasks = try ScoreMatrix(tasks: [[1, 4], [2, 5], [3, 6]])
    #expect(byRuns == byTasks)
    #expect(byRuns.runCount == 2 && byRuns.taskCount == 3)
    #expect(byRuns[1, 0] == 4)
    #expect(byRuns.scores(onTask: 2) == [3, 6])
    #expect(byRuns.scores(ofRun: 1) == [4, 5, 6])
  }

  @Test func badShapesAreTypedErrors() {
    #expect(throws: StatisticsError.raggedRows(field: "runs", row: 1, expected: 2, actual: 1)) {
      try ScoreMatrix(runs: [[1, 2], [3]])
    }
    #expect(throws: StatisticsError.countTooSmall(field: "runs", value: 0, minimum: 1)) {
      try ScoreMatrix(runs: [])
    }
    #expect(throws: StatisticsError.countTooSmall(field: "taskCount", value: 0, minimum: 1)) {
      try ScoreMatrix(runs: [[], []])
    }
    #expect(throws: StatisticsError.shapeMismatch(field: "scores", expected: 6, actual: 5)) {
      try ScoreMatrix(runCount: 2, taskCount: 3, scores: [1, 2, 3, 4, 5])
    }
    #expect(throws: StatisticsError.nonFiniteValue(field: "scores", index: 1, value: .infinity)) {
      try ScoreMatrix(runs: [[1, .infinity]])
    }
    let message = StatisticsError.raggedRows(field: "runs", row: 1, expected: 2, actual: 1)
      .description
    #expect(message == "runs row 1 has 1 value(s); every row must have 2")
  }

  @Test func codableRoundTripValidates() throws {
    let m = try ScoreMatrix(runs: [[1, 2.5], [3, -4]])
    let data = try JSONEncoder().encode(m)
    #expect(try JSONDecoder().decode(ScoreMatrix.self, from: data) == m)
    let corrupt = Data(#"{"runCount":2,"taskCount":2,"scores":[1,2,3]}"#.utf8)
    #expect(throws: StatisticsError.shapeMismatch(field: "scores", expected: 4, actual: 3)) {
      try JSONDecoder().decode(ScoreMatrix.self, from: corrupt)
    }
  }

  @Test func normalisationMapsAnchorsToZeroAndOne() throws {
    // CartPole-like task: random 22, reference 500; a task where lower is better: random 0,
    // reference −1 (the scale runs the other way).
    let anchors = [
      try NormalizationAnchor(random: 22, reference: 500),
      try NormalizationAnchor(random: 0, reference: -1),
    ]
    let raw = try ScoreMatrix(runs: [[22, 0], [500, -1], [261, -0.25]])
    let normalised = try raw.normalized(by: anchors)
    #expect(normalised.scores == [0, 0, 1, 1, 0.5, 0.25])
    #expect(throws: StatisticsError.degenerateAnchor(random: 3, reference: 3)) {
      try NormalizationAnchor(random: 3, reference: 3)
    }
    #expect(throws: StatisticsError.taskCountMismatch(field: "anchors", expected: 2, actual: 1)) {
      try raw.normalized(by: [anchors[0]])
    }
  }
}
