import ActorCritic
import Foundation
import Testing

@Suite struct ACERConfigurationTests {
  /// Every default of algorithms.md §4.1, under its SB2 name.
  @Test func defaultsEncodeUnderStableBaselinesNames() throws {
    let data = try JSONEncoder().encode(ACERConfiguration())
    let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let expected: [String: Double] = [
      "gamma": 0.99, "n_steps": 20, "q_coef": 0.5, "ent_coef": 0.01, "max_grad_norm": 10,
      "learning_rate": 7e-4,
      "rprop_alpha": 0.99, "rprop_epsilon": 1e-5, "buffer_size": 5000, "replay_ratio": 4,
      "replay_start": 1000,
      "correction_term": 10, "alpha": 0.99, "delta": 1, "verbose": 0,
    ]
    for (key, value) in expected { #expect((object[key] as? NSNumber)?.doubleValue == value, "\(key)") }
    #expect(object["lr_schedule"] as? String == "linear")
    #expect(object["trust_region"] as? Bool == true)
    #expect(object["entropy_variant"] as? String == "stable_baselines")
    #expect(object["rmsprop_variant"] as? String == "tensorFlow")
    #expect(object["net_arch"] != nil)
    #expect(try JSONDecoder().decode(ACERConfiguration.self, from: data) == ACERConfiguration())
  }

  @Test func openAIBaselinesVariantChangesBufferAndEntropy() {
    let oab = ACERConfiguration.openAIBaselines
    #expect(oab.bufferSize == 50_000 && oab.replayStart == 10_000 && oab.entropyVariant == .openAIBaselines)
    #expect(oab.networkArchitecture == .openAIBaselinesShared)
  }

  @Test func validationNamesTheField() {
    func message(_ change: (inout ACERConfiguration) -> Void) -> String {
      var c = ACERConfiguration()
      change(&c)
      do {
        try c.validate()
        return "valid"
      } catch { return error.description }
    }
    #expect(message { _ in } == "valid")
    #expect(message { $0.stepsPerUpdate = 0 } == "invalid n_steps: 0 (allowed: n_steps ≥ 1)")
    #expect(
      message { $0.bufferSize = 19 }.hasPrefix("invalid buffer_size: 19 (allowed: buffer_size ≥ n_steps (20)")
    )
    #expect(
      message {
        $0.bufferSize = 0
        $0.replayRatio = 0
      } == "valid")
    #expect(message { $0.replayRatio = -1 }.hasPrefix("invalid replay_ratio: -1.0"))
    #expect(message { $0.correctionTerm = 0 }.hasPrefix("invalid correction_term: 0.0"))
    #expect(message { $0.averageDecay = 1.5 }.hasPrefix("invalid alpha: 1.5"))
    #expect(message { $0.delta = -.infinity }.hasPrefix("invalid delta"))
    #expect(message { $0.rmsPropEpsilon = 0 }.hasPrefix("invalid rprop_epsilon"))
    #expect(message { $0.learningRate = .nan }.hasPrefix("invalid learning_rate"))
  }
}
