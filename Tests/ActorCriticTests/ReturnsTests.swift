import ActorCritic
import Testing

@Suite struct ReturnsTests {
  @Test func discountWithDonesOracle() {
    // algorithms.md §2.2: r = [1,1,1], d = [0,1,0], γ = 0.9, bootstrap 5 → [1.9, 1.0, 5.5].
    let withBootstrap = discountWithDones(rewards: [1, 1, 1, 5], dones: [false, true, false, false], gamma: 0.9)
    #expect(Array(withBootstrap.dropLast()).map { ($0 * 1e5).rounded() / 1e5 } == [1.9, 1.0, 5.5])
  }

  @Test func nStepReturnsMatchSB2BothCases() {
    // Env 0 does not end on its last step (bootstrap); env 1 does (no bootstrap).
    var returns: [Float] = []
    nStepReturns(
      rewards: [1, 1, 1, 1, 1, 1], dones: [false, true, false, false, false, true], lastValues: [5, 100],
      gamma: 0.9, steps: 3, into: &returns)
    let expected0 = Array(discountWithDones(rewards: [1, 1, 1, 5], dones: [false, true, false, false], gamma: 0.9).prefix(3))
    let expected1 = discountWithDones(rewards: [1, 1, 1], dones: [false, false, true], gamma: 0.9)
    #expect(Array(returns[0..<3]) == expected0)
    #expect(Array(returns[3..<6]) == expected1)
    #expect(abs(returns[3] - 2.71) < 1e-6)
  }

  @Test func gaeWithLambdaOneEqualsNStepReturnMinusValue() {
    let rewards: [Float] = [1, 0, 2, 1, 1, 0]
    let values: [Float] = [0.5, 0.2, 0.1, 0.3, 0.4, 0.9]
    let dones = [false, true, false, false, false, false]
    var advantages: [Float] = [], returns: [Float] = []
    generalizedAdvantages(
      rewards: rewards, values: values, dones: dones, lastValues: [3, 4], gamma: 0.9, lambda: 1, steps: 3,
      into: &advantages)
    nStepReturns(rewards: rewards, dones: dones, lastValues: [3, 4], gamma: 0.9, steps: 3, into: &returns)
    for i in 0..<6 { #expect(abs(advantages[i] - (returns[i] - values[i])) < 1e-5) }
  }

  @Test func gaeWithLambdaZeroIsTheOneStepTDError() {
    var advantages: [Float] = []
    generalizedAdvantages(
      rewards: [1, 2], values: [0.5, 0.25], dones: [false, false], lastValues: [2], gamma: 0.5, lambda: 0, steps: 2,
      into: &advantages)
    let expected: [Float] = [0.625, 2.75]  // r + γV' − V: 1 + 0.125 − 0.5, 2 + 1 − 0.25
    #expect(advantages == expected)
  }

  @Test func explainedVarianceEdgeCases() {
    #expect(explainedVariance(predictions: [1, 2, 3], targets: [1, 2, 3]) == 1)
    #expect(explainedVariance(predictions: [0, 0, 0], targets: [1, 2, 3]) == 0)
    #expect(explainedVariance(predictions: [1, 2], targets: [3, 3]).isNaN)
  }
}
