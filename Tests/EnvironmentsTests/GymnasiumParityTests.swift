import Environments
import Randomness
import Testing

/// Replays every transition Gymnasium recorded (Tools/generate_gymnasium_fixtures.py) and demands
/// bit-exact agreement: physics state, observation (Float32), reward, terminated, truncated and the
/// TimeLimit counter.
@Suite struct GymnasiumParityTests {
  static let ids = EnvironmentRegistry.gymnasiumIDs

  /// Exact equality that also treats two NaNs as equal.
  static func same(_ a: Double, _ b: Double) -> Bool { a == b || (a.isNaN && b.isNaN) }
  static func same(_ a: Float, _ b: Float) -> Bool { a == b || (a.isNaN && b.isNaN) }

  /// Puts `env` where a fixture segment starts: reset (clears per-episode bookkeeping such as
  /// CartPole's `steps_beyond_terminated`), then overwrite the state, its dtype and the counter.
  static func prepare(_ env: any Environment, state: [Double], dtype: String, elapsed: Int) {
    _ = env.reset(using: RandomStream(seed: 1))
    env.state = state
    let single = dtype == "float32"
    if let acrobot = env as? Acrobot { acrobot.stateIsSinglePrecision = single }
    if let car = env as? MountainCarContinuous { car.stateIsSinglePrecision = single }
    env.elapsedSteps = elapsed
  }

  @Test(arguments: ids)
  func transitionsMatchGymnasiumExactly(id: String) throws {
    let fixture = try Fixtures.load("\(id).json", as: EnvironmentFixture.self)
    #expect(fixture.env_id == id)
    #expect(fixture.gymnasium_version.hasPrefix("1."))
    #expect(fixture.transitions >= 1000)
    let env = try EnvironmentRegistry.make(id)
    #expect(env.maxEpisodeSteps == fixture.max_episode_steps)

    var replayed = 0, mismatches: [String] = []
    var maxStateError = 0.0
    var terminations = 0, truncations = 0
    let observationBuffer = ObservationBuffer(space: env.observationSpace, count: 1)
    let observation = observationBuffer.typedElements(as: Float.self)
    for (segmentIndex, segment) in fixture.segments.enumerated() {
      Self.prepare(
        env, state: Fixtures.doubles(segment.state), dtype: segment.dtype, elapsed: segment.elapsed)
      for (stepIndex, step) in segment.steps.enumerated() {
        let action = Fixtures.doubles(step.a)
        let outcome = try action.withUnsafeBufferPointer { try env.step($0, into: observationBuffer.observation(0)) }
        replayed += 1
        let expectedState = Fixtures.doubles(step.s)
        let state = env.state
        for (a, b) in zip(state, expectedState) where !(a.isNaN && b.isNaN) {
          maxStateError = max(maxStateError, abs(a - b))
        }
        let stateOK = state.count == expectedState.count && zip(state, expectedState).allSatisfy(Self.same)
        let expectedObservation = Fixtures.floats(step.o)
        let observationOK: Bool = zip(Array(observation), expectedObservation).allSatisfy(Self.same)
        let rewardOK = Self.same(outcome.reward, Fixtures.double(step.r))
        let flagsOK = outcome.terminated == step.te && outcome.truncated == step.tr
        let counterOK = env.elapsedSteps == step.n
        if step.te { terminations += 1 }
        if step.tr { truncations += 1 }
        if !(stateOK && observationOK && rewardOK && flagsOK && counterOK), mismatches.count < 5 {
          mismatches.append(
            "segment \(segmentIndex) step \(stepIndex) action \(action): state \(state) vs \(expectedState), "
              + "obs \(Array(observation)) vs \(expectedObservation), reward \(outcome.reward) vs \(step.r), "
              + "flags \(outcome.terminated)/\(outcome.truncated) vs \(step.te)/\(step.tr), "
              + "elapsed \(env.elapsedSteps) vs \(step.n)")
        }
      }
    }
    #expect(replayed == fixture.transitions)
    #expect(terminations > 0 || id == "Pendulum-v1")  // Pendulum never terminates
    #expect(truncations > 0)
    #expect(mismatches.isEmpty, "\(id): \(mismatches.joined(separator: "\n"))")
    #expect(maxStateError == 0)
  }

  @Test(arguments: ids)
  func firstObservationOfAResetStateMatchesGymnasium(id: String) throws {
    let fixture = try Fixtures.load("\(id).json", as: EnvironmentFixture.self)
    #expect(!fixture.resets.isEmpty)
    let env = try EnvironmentRegistry.make(id)
    var mismatches: [String] = []
    for reset in fixture.resets {
      Self.prepare(env, state: Fixtures.doubles(reset.state), dtype: reset.dtype, elapsed: 0)
      let observation = env.observation()
      let expected = Fixtures.floats(reset.o)
      if !zip(observation, expected).allSatisfy(Self.same), mismatches.count < 5 {
        mismatches.append("state \(reset.state): \(observation) vs \(expected)")
      }
    }
    #expect(mismatches.isEmpty, "\(id): \(mismatches.joined(separator: "\n"))")
  }

  /// NumPy's float32 `sin`/`cos` kernels, reached through Acrobot's float32 reset observation.
  @Test func numpyFloat32SineAndCosineAreReproducedBitForBit() throws {
    let fixture = try Fixtures.load("numpy_float32_trig.json", as: TrigonometryFixture.self)
    #expect(fixture.rows.count > 3000)
    let acrobot = Acrobot()
    var mismatches: [String] = []
    var differsFromRoundedLibm = 0
    for row in fixture.rows {
      let x = Fixtures.float(row[0])
      acrobot.state = [Double(x), 0, 0, 0]
      acrobot.stateIsSinglePrecision = true
      let observation = acrobot.observation()
      let (sine, cosine) = (Fixtures.float(row[1]), Fixtures.float(row[2]))
      if !(Self.same(observation[1], sine) && Self.same(observation[0], cosine)), mismatches.count < 5 {
        mismatches.append("x = \(x): sin \(observation[1]) vs \(sine), cos \(observation[0]) vs \(cosine)")
      }
      acrobot.stateIsSinglePrecision = false
      if acrobot.observation()[0] != cosine { differsFromRoundedLibm += 1 }
    }
    #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
    // The kernels really differ from Float(cos(Double(x))), so this test can fail.
    #expect(differsFromRoundedLibm > 100)
  }
}
