import Environments
import Randomness
import Testing

@Suite struct PartialObservabilityTests {
  @Test(arguments: [("CartPoleNoVel-v1", "CartPole-v1", [0, 2]), ("AcrobotNoVel-v1", "Acrobot-v1", [0, 1, 2, 3])])
  func keepsTheChosenComponentsAndTheDynamics(ids: (String, String, [Int])) throws {
    let (hiddenID, fullID, kept) = ids
    let hidden = try EnvironmentRegistry.make(hiddenID), full = try EnvironmentRegistry.make(fullID)
    #expect(hidden.observationSize == kept.count)
    guard case .box(let low, let high, _, let dtype) = full.observationSpace else {
      Issue.record("\(fullID) has a Box observation")
      return
    }
    #expect(hidden.observationSpace == .box(low: kept.map { low[$0] }, high: kept.map { high[$0] }, shape: [kept.count], dtype: dtype))
    guard case .discrete(let actionCount) = hidden.actionSpace else {
      Issue.record("\(hiddenID) has discrete actions")
      return
    }
    var a = hidden.reset(using: RandomStream(seed: 4)), b = full.reset(using: RandomStream(seed: 4))
    let random = RandomStream(seed: 9)
    for _ in 0..<300 {
      #expect(a == kept.map { b[$0] })
      let action = [Double(random.uniformInt(below: actionCount))]
      let (oa, sa) = try hidden.step(action), (ob, sb) = try full.step(action)
      #expect(sa == sb)
      #expect(hidden.state == full.state && hidden.elapsedSteps == full.elapsedSteps)
      if sa.terminated || sa.truncated {
        a = hidden.reset(using: RandomStream(seed: 5))
        b = full.reset(using: RandomStream(seed: 5))
      } else {
        (a, b) = (oa, ob)
      }
    }
  }
}
