import ActorCritic
import BenchmarkSuite
import Environments
import Foundation
import Testing

@Suite struct PartialObservabilitySuiteTests {
  @Test func pomdpSuitesPairEveryEntryWithItsMemorylessTwin() throws {
    let lstm = try Suite.named("pomdp"), mlp = try Suite.named("pomdp-mlp")
    #expect(Set(lstm.entries.map(\.environment)) == Set(EnvironmentRegistry.partiallyObservableIDs))
    #expect(lstm.entries.count == 2 * AlgorithmID.allCases.count)
    for (recurrent, memoryless) in zip(lstm.entries, mlp.entries) {
      // The same task and settings; only the policy differs.
      var twin = recurrent
      twin.hyperparameters["net_arch"] = nil
      #expect(twin == memoryless)
      let environment = try ModelFactory.makeEnvironment(for: recurrent, seed: 0)
      let a = try ModelFactory.makeModel(for: recurrent, seed: 0, environment: environment)
      let b = try ModelFactory.makeModel(for: memoryless, seed: 0, environment: environment)
      #expect(a.policy.isRecurrent && a.policy.stateCount == 512, "\(recurrent.environment) \(recurrent.algorithm)")
      #expect(!b.policy.isRecurrent)
    }
  }

  @Test func aPomdpEntryTrainsAndEvaluatesWithTheState() throws {
    let entry = try #require(try Suite.named("pomdp").entries.first { $0.algorithm == .a2c })
    let environment = try ModelFactory.makeEnvironment(for: entry, seed: 0)
    let model = try ModelFactory.makeModel(for: entry, seed: 0, environment: environment)
    try model.learn(totalTimesteps: 400)
    // Evaluation steps the policy with its state, reset at episode starts; reproducible by seed.
    let first = try Evaluation.run(model: model, entry: entry, seed: 0, timesteps: 300)
    let again = try Evaluation.run(model: model, entry: entry, seed: 0, timesteps: 300)
    #expect(first.episodes > 0 && first.meanReturn.isFinite)
    #expect(first == again)
  }
}
