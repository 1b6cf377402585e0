import Randomness
import Statistics
import Testing
import _TestSupport

/// Golden values computed with NumPy 2.4.6 / SciPy 1.17.1 (`np.mean`, `np.std(ddof=1)`,
/// `np.median`, `np.percentile` (linear), `scipy.stats.trim_mean`).
@Suite struct DescriptiveTests {
  let sample = [3.5, 1.25, 9.0, -2.0, 4.75, 6.5, 0.0]

  @Test func meanStandardDeviationMedianMatchNumPy() throws {
    #expect(try Descriptive.mean(sample).isApproximatelyEqual(to: 3.2857142857142856))
    #expect(try Descriptive.standardDeviation(sample).isApproximatelyEqual(to: 3.8308739522588366))
    #expect(
      try Descriptive.variance(sample).isApproximatelyEqual(to: 3.8308739522588366 * 3.8308739522588366))
    #expect(try Descriptive.median(sample) == 3.5)
    #expect(try Descriptive.median([4, 1, 3, 2]) == 2.5)
  }

  @Test func quantilesAreLinearLikeNumPyPercentile() throws {
    let q = try Descriptive.quantiles(sample, [0.025, 0.25, 0.9, 0.975])
    #expect(allApproximatelyEqual(q, [-1.7, 0.625, 7.500000000000001, 8.625]))
    #expect(try Descriptive.quantile(sample, 0) == -2)
    #expect(try Descriptive.quantile(sample, 1) == 9)
    #expect(throws: StatisticsError.outOfRange(field: "probability", value: 1.5, allowed: "[0, 1]")) {
      try Descriptive.quantile(sample, 1.5)
    }
  }

  @Test(arguments: [
    ([3.0, 1, 4, 1, 5, 9], 3.25),  // n = 6: cut int(1.5) = 1 per end (not 1.5)
    ([3.0, 1, 4, 1, 5, 9, 2], 3.0),  // n = 7: cut 1
    ([3.0, 1, 4, 1, 5, 9, 2, 6, 5, 3], 3.6666666666666665),  // n = 10: cut 2
    ([7.0], 7.0),  // n = 1: cut 0
    ([2.0, 7], 4.5),  // n = 2: cut 0
  ])
  func iqmHasScipyTrimMeanSemantics(sample: [Double], expected: Double) throws {
    #expect(try Descriptive.iqm(sample).isApproximatelyEqual(to: expected))
  }

  @Test func trimmedMeanValidatesItsProportion() throws {
    #expect(try Descriptive.trimmedMean([1, 2, 3, 100], proportionToCut: 0) == 26.5)
    #expect(throws: StatisticsError.outOfRange(field: "proportionToCut", value: 0.5, allowed: "[0, 0.5)")) {
      try Descriptive.trimmedMean([1, 2], proportionToCut: 0.5)
    }
  }

  @Test func emptyAndNonFiniteSamplesAreTypedErrors() {
    #expect(throws: StatisticsError.tooFewValues(field: "sample", count: 0, minimum: 1)) {
      try Descriptive.mean([])
    }
    #expect(throws: StatisticsError.tooFewValues(field: "sample", count: 1, minimum: 2)) {
      try Descriptive.standardDeviation([1])
    }
    #expect(throws: StatisticsError.nonFiniteValue(field: "sample", index: 2, value: -.infinity)) {
      try Descriptive.median([1, 2, -.infinity])
    }
    // NaN ≠ NaN, so match the case rather than compare errors.
    #expect {
      try Descriptive.quantile([.nan], 0.5)
    } throws: { error in
      guard case .nonFiniteValue(let field, let index, let value) = error as? StatisticsError
      else { return false }
      return field == "sample" && index == 0 && value.isNaN
    }
    #expect(
      StatisticsError.tooFewValues(field: "sample", count: 1, minimum: 2).description
        == "sample has 1 value(s); at least 2 required")
  }

  @Test func summaryCollectsEverything() throws {
    let s = try SampleSummary(sample)
    #expect(s.count == 7)
    #expect(s.mean.isApproximatelyEqual(to: 3.2857142857142856))
    #expect(try #require(s.standardDeviation).isApproximatelyEqual(to: 3.8308739522588366))
    #expect(try #require(s.standardError).isApproximatelyEqual(to: 3.8308739522588366 / 7.0.squareRoot()))
    #expect(s.median == 3.5 && s.minimum == -2 && s.maximum == 9)
    // sorted: −2, 0, 1.25, 3.5, 4.75, 6.5, 9; cut 1 → mean of 0 … 6.5 = 16/5.
    #expect(s.iqm.isApproximatelyEqual(to: 3.2))
    let single = try SampleSummary([4])
    #expect(single.standardDeviation == nil && single.standardError == nil && single.mean == 4)
  }
}

/// Welch's t-test against SciPy 1.17.1 `ttest_ind(x, y, equal_var=False)`.
@Suite struct WelchTTestTests {
  @Test func matchesScipy() throws {
    let test = try WelchTTest(
      [12.1, 14.3, 9.8, 11.0, 13.7, 10.4], [8.2, 9.9, 7.5, 10.1, 8.8, 9.0, 7.9])
    #expect(test.statistic.isApproximatelyEqual(to: 3.7510884161032534, relativeTolerance: 1e-12))
    #expect(test.degreesOfFreedom.isApproximatelyEqual(to: 7.432072278350182, relativeTolerance: 1e-12))
    #expect(test.pValue.isApproximatelyEqual(to: 0.006417316386635678, relativeTolerance: 1e-9))
  }

  @Test func matchesScipyOnSeedLikeReturns() throws {
    // Final CartPole-like returns of two algorithms over 5 seeds.
    let test = try WelchTTest([500, 480, 500, 350, 499], [200, 310, 150, 500, 275])
    #expect(test.statistic.isApproximatelyEqual(to: 2.673831887454272, relativeTolerance: 1e-12))
    #expect(test.degreesOfFreedom.isApproximatelyEqual(to: 5.785688278856585, relativeTolerance: 1e-12))
    #expect(test.pValue.isApproximatelyEqual(to: 0.03816789237871289, relativeTolerance: 1e-9))
    let reversed = try WelchTTest([200, 310, 150, 500, 275], [500, 480, 500, 350, 499])
    #expect(reversed.statistic == -test.statistic && reversed.pValue == test.pValue)
  }

  @Test func degenerateInputsAreTypedErrors() {
    #expect(throws: StatisticsError.zeroVariance(field: "x, y")) { try WelchTTest([1, 1], [2, 2]) }
    #expect(throws: StatisticsError.tooFewValues(field: "y", count: 1, minimum: 2)) {
      try WelchTTest([1, 2], [3])
    }
  }
}

@Suite struct ConstantSampleQuantileTests {
  /// Every quantile of a constant sample is the constant: GSL's (1 − δ)x + δx rounds one ulp off
  /// for some δ, which put a single seed's 2.5 % bootstrap quantile above its 97.5 % one.
  @Test func quantilesOfAConstantSampleAreTheConstant() throws {
    for x in [0.1, 9.5, -287.53901, 499.9, 1e-7] {
      let sample = [Double](repeating: x, count: 50_000)
      let probabilities = (0...1000).map { Double($0) / 1000 } + [0.025, 0.975]
      for (p, q) in zip(probabilities, try Descriptive.quantiles(sample, probabilities)) {
        #expect(q == x, "x = \(x), p = \(p): \(q)")
      }
    }
  }

  @Test func bootstrapIntervalsOfOneSeedAreOrdered() throws {
    let bootstrap = try StratifiedBootstrap(repetitions: 2_000, confidenceLevel: 0.95)
    for x in [0.1, 9.5, -287.53901, 499.9] {
      let matrix = try ScoreMatrix(tasks: [[x]])
      let estimates = bootstrap.intervals(
        for: matrix, metrics: [.mean, .median, .iqm], using: RandomStream(seed: 1))
      for estimate in estimates {
        #expect(estimate.lower <= estimate.upper)
        #expect(estimate.lower == x && estimate.upper == x)
      }
    }
  }
}
