import Environments
import Randomness
import Testing

@Suite struct EnvironmentRegistryTests {
  @Test func makesEveryRegisteredEnvironmentWithGymnasiumLimitsAndSpaces() throws {
    let expected: [(String, Int, Int, Space)] = [
      ("CartPole-v1", 500, 4, .discrete(n: 2)),
      ("Acrobot-v1", 500, 6, .discrete(n: 3)),
      ("MountainCar-v0", 200, 2, .discrete(n: 3)),
      ("Pendulum-v1", 200, 3, .box(low: [-2], high: [2])),
      ("MountainCarContinuous-v0", 999, 2, .box(low: [-1], high: [1])),
      ("CartPoleNoVel-v1", 500, 2, .discrete(n: 2)),
      ("AcrobotNoVel-v1", 500, 4, .discrete(n: 3)),
    ]
    #expect(EnvironmentRegistry.ids == expected.map(\.0))
    for (id, limit, observationSize, actionSpace) in expected {
      let env = try EnvironmentRegistry.make(id)
      #expect(env.id == id)
      #expect(env.maxEpisodeSteps == limit)
      #expect(env.observationSize == observationSize)
      #expect(env.actionSpace == actionSpace)
    }
  }

  @Test func unknownIdListsTheValidIds() {
    #expect(
      throws: EnvironmentError.unknownEnvironment(id: "CartPole-v0", available: EnvironmentRegistry.ids)
    ) { try EnvironmentRegistry.make("CartPole-v0") }
    do {
      _ = try EnvironmentRegistry.make("cartpole")
      Issue.record("expected an error")
    } catch {
      #expect(
        error.description
          == "unknown environment \"cartpole\"; available: CartPole-v1, Acrobot-v1, MountainCar-v0, "
          + "Pendulum-v1, MountainCarContinuous-v0, CartPoleNoVel-v1, AcrobotNoVel-v1")
    }
  }

  @Test("Every episode of a fixed-episode-length environment lasts its time limit")
  func fixedEpisodeLengths() throws {
    #expect(EnvironmentRegistry.fixedEpisodeLengthIDs == ["Pendulum-v1"])
    for id in EnvironmentRegistry.fixedEpisodeLengthIDs.sorted() {
      let environment = try EnvironmentRegistry.make(id)
      let limit = try #require(environment.maxEpisodeSteps)
      guard case .box(let low, let high, _, _) = environment.actionSpace else {
        Issue.record("\(id): a Box action space expected")
        continue
      }
      let random = RandomStream(seed: 4)
      for episode in 0..<20 {
        _ = environment.reset(using: random)
        var length = 0
        var ended = false
        while !ended && length <= limit {
          // Uniform actions, beyond the bounds at times (the environment clips).
          let action = zip(low, high).map { random.uniform(low: 1.2 * $0, high: 1.2 * $1) }
          let outcome = try environment.step(action).outcome
          length += 1
          ended = outcome.done
          #expect(!outcome.terminated, "\(id) terminated at step \(length)")
        }
        #expect(length == limit, "\(id) episode \(episode)")
      }
    }
  }
}

@Suite struct EnvironmentResetTests {
  /// Resets land in Gymnasium's reset ranges, and the same stream state gives the same reset.
  @Test(arguments: EnvironmentRegistry.ids)
  func resetsDrawFromGymnasiumRangesAndAreSeeded(id: String) throws {
    let env = try EnvironmentRegistry.make(id)
    let stream = RandomStream(seed: 99)
    for _ in 0..<200 {
      let copy = stream.copy()
      let observation = env.reset(using: stream)
      let state = env.state
      #expect(env.elapsedSteps == 0)
      #expect(observation == env.observation())
      switch id {
      case "CartPole-v1":
        #expect(state.allSatisfy { $0 >= -0.05 && $0 < 0.05 })
      case "Acrobot-v1":
        #expect(state.allSatisfy { abs($0) <= Double(Float(0.1)) && Double(Float($0)) == $0 })
      case "MountainCar-v0", "MountainCarContinuous-v0":
        #expect(state[0] >= -0.6 && state[0] < -0.4 && state[1] == 0)
      default:
        #expect(abs(state[0]) <= Double.pi && abs(state[1]) <= 1)
      }
      let again = try EnvironmentRegistry.make(id)
      #expect(again.reset(using: copy) == observation)
      #expect(again.state == state)
    }
  }

  /// Gymnasium's TimeLimit: `truncated` once `elapsed ≥ max`, also on a terminating step and on
  /// any step taken afterwards; reset restarts the count.
  @Test func timeLimitTruncatesExactlyLikeGymnasium() throws {
    let env = Pendulum(maxEpisodeSteps: 3)
    _ = env.reset(using: RandomStream(seed: 3))
    let flags = try (0..<5).map { _ in try env.step([0.5]).outcome.truncated }
    #expect(flags == [false, false, true, true, true])
    #expect(env.elapsedSteps == 5)
    _ = env.reset(using: RandomStream(seed: 4))
    #expect(env.elapsedSteps == 0)
    #expect(try !env.step([0]).outcome.truncated)

    let cart = CartPole(maxEpisodeSteps: 1)
    _ = cart.reset(using: RandomStream(seed: 5))
    cart.state = [2.39, 5, 0, 0]
    let outcome = try cart.step([1]).outcome
    #expect(outcome.terminated && outcome.truncated && outcome.done)

    let unlimited = MountainCar(maxEpisodeSteps: nil)
    _ = unlimited.reset(using: RandomStream(seed: 6))
    for _ in 0..<300 { #expect(try !unlimited.step([1]).outcome.truncated) }
  }

  /// Gymnasium rewards a step taken after termination with 0 (CartPole `steps_beyond_terminated`).
  @Test func cartPoleStepsAfterTerminationEarnNothing() throws {
    let cart = CartPole()
    _ = cart.reset(using: RandomStream(seed: 8))
    cart.state = [2.39, 5, 0, 0]
    let first = try cart.step([1]).outcome
    #expect(first.terminated && first.reward == 1)
    #expect(cart.stepsBeyondTerminated == 0)
    let second = try cart.step([1]).outcome
    #expect(second.terminated && second.reward == 0)
    #expect(cart.stepsBeyondTerminated == 1)
    _ = cart.reset(using: RandomStream(seed: 9))
    #expect(cart.stepsBeyondTerminated == nil)
  }
}
