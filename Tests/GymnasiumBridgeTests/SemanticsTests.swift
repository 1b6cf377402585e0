import Environments
import Foundation
import Randomness
import Testing

@testable import GymnasiumBridge

extension BridgeSuite {
  /// SB2 auto-reset through the bridge: bit-identical when repeated, and the same trajectories as
  /// Gymnasium's own `SyncVectorEnv(autoreset_mode=SAME_STEP)` with the same seeds and actions.
  @Suite struct SemanticsTests {
    /// Everything a step exposes, as bytes and numbers, for `==`.
    struct Trace: Equatable {
      var observations: [[UInt8]] = []
      var terminals: [[UInt8]] = []
      var rewards: [[Float]] = []
      var terminated: [[Bool]] = []
      var truncated: [[Bool]] = []
      var episodes: [EpisodeRecord] = []
    }

    /// Deterministic actions: copy `i` at step `t`.
    static func actions(_ space: Space, step t: Int, count: Int) -> [Double] {
      (0..<count).flatMap { i -> [Double] in
        switch space {
        case .discrete(let n): return [Double((t * 7 + i * 3 + t / 5) % n)]
        case .box(let low, _, _, _): return low.indices.map { k in sin(Double(t) * 0.37 + Double(i) + Double(k)) * 2.5 }
        default: return []
        }
      }
    }

    static func trace(_ id: String, count: Int, workers: Int, steps: Int, seed: UInt64) throws -> Trace {
      let vector = try BridgeTestSupport.make(.gym(id), count: count, seed: seed, workers: workers)
      defer { vector.close() }
      var trace = Trace()
      vector.reset()
      trace.observations.append(Array(vector.observations.bytes))
      for t in 0..<steps {
        try vector.step(actions(vector.actionSpace, step: t, count: count))
        trace.observations.append(Array(vector.observations.bytes))
        for i in 0..<count where vector.dones[i] { trace.terminals.append(Array(vector.terminalObservations.observation(i))) }
        trace.rewards.append(vector.rewards)
        trace.terminated.append(vector.terminated)
        trace.truncated.append(vector.truncated)
        trace.episodes += vector.completedEpisodes
      }
      return trace
    }

    @Test func sameSeedTwiceIsBitIdentical() throws {
      let first = try Self.trace("CartPole-v1", count: 4, workers: 2, steps: 300, seed: 3)
      let second = try Self.trace("CartPole-v1", count: 4, workers: 2, steps: 300, seed: 3)
      #expect(first == second)
      #expect(first.episodes.count >= 10)
      // The worker split does not change anything either.
      let oneWorker = try Self.trace("CartPole-v1", count: 4, workers: 1, steps: 300, seed: 3)
      #expect(first == oneWorker)
      let otherSeed = try Self.trace("CartPole-v1", count: 4, workers: 2, steps: 300, seed: 4)
      #expect(first.observations[0] != otherSeed.observations[0])
    }

    struct Reference: Decodable {
      struct Step: Decodable {
        var obs: [[Double]]
        var rewards: [Double]
        var terminated: [Bool]
        var truncated: [Bool]
        var final: [String: [Double]]
      }
      var reset: [[Double]]
      var steps: [Step]
    }

    /// CartPole (Discrete, float32), Pendulum (Box actions, truncation at 200), LunarLander
    /// (Box2D) and HalfCheetah (MuJoCo, float64 observations).
    @Test(arguments: [("CartPole-v1", 250), ("Pendulum-v1", 420), ("LunarLander-v3", 250), ("HalfCheetah-v5", 60)])
    func matchesGymnasiumSyncVectorEnvSameStepAutoreset(id: String, steps: Int) throws {
      let count = 3
      let seeds = SeedSequence(runSeed: 21)
      let vector = try SubprocessVectorEnvironment(.gym(id), count: count, seeds: seeds, configuration: .init(workerCount: 2))
      defer { vector.close() }
      let actions = (0..<steps).map { Self.actions(vector.actionSpace, step: $0, count: count) }
      let dimension = vector.actionDimension
      let request: [String: Any] = [
        "id": id,
        "seeds": (0..<count).map { Int(SubprocessVectorEnvironment.seed(of: $0, generation: 0, seeds: seeds)) },
        "actions": actions.map { step in (0..<count).map { Array(step[($0 * dimension)..<(($0 + 1) * dimension)]) } },
      ]
      let file = FileManager.default.temporaryDirectory.appendingPathComponent("sync-\(UUID().uuidString).json")
      try JSONSerialization.data(withJSONObject: request).write(to: file)
      defer { try? FileManager.default.removeItem(at: file) }
      let reference = try JSONDecoder().decode(
        Reference.self, from: try BridgeTestSupport.runPythonTool("sync_vector_reference.py", arguments: [file.path]))

      func values(_ buffer: ObservationBuffer, _ i: Int) -> [Double] {
        buffer.elementType.withSwiftType { type in Self.doubles(buffer, i, type) }
      }
      vector.reset()
      for i in 0..<count { #expect(values(vector.observations, i) == reference.reset[i]) }
      var dones = 0
      for (t, expected) in reference.steps.enumerated() {
        try vector.step(actions[t])
        #expect(vector.terminated == expected.terminated, "step \(t)")
        #expect(vector.truncated == expected.truncated, "step \(t)")
        #expect(vector.rewards == expected.rewards.map { Float($0) }, "step \(t)")
        for i in 0..<count {
          #expect(values(vector.observations, i) == expected.obs[i], "step \(t) copy \(i)")
          if vector.dones[i] {
            dones += 1
            #expect(values(vector.terminalObservations, i) == expected.final["\(i)"], "step \(t) copy \(i) terminal")
          }
        }
      }
      if id != "HalfCheetah-v5" { #expect(dones >= 3, "the comparison should cross episode ends") }
    }

    static func doubles<T: ObservationElement>(_ buffer: ObservationBuffer, _ i: Int, _ type: T.Type) -> [Double] {
      let all = buffer.typedElements(as: type)
      let n = buffer.elementsPerObservation
      return (0..<n).map { all[i * n + $0].doubleValue }
    }
  }
}
