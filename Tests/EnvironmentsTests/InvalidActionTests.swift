import Environments
import Foundation
import Randomness
import Testing

/// An action outside the action space is a typed error the caller can handle (Gymnasium raises),
/// never a process-ending precondition, and it changes nothing.
@Suite struct InvalidActionTests {
  @Test(arguments: [
    ("CartPole-v1", [2.0]), ("CartPole-v1", [-1]), ("CartPole-v1", [.nan]), ("CartPole-v1", [0.5]),
    ("CartPole-v1", [0, 1]), ("CartPole-v1", []), ("Acrobot-v1", [-1]), ("Acrobot-v1", [3]),
    ("Acrobot-v1", [.nan]), ("Acrobot-v1", [.infinity]), ("MountainCar-v0", [3]), ("MountainCar-v0", [1.5]),
    ("Pendulum-v1", [0, 0]), ("Pendulum-v1", []), ("MountainCarContinuous-v0", [1, 1]),
  ])
  func outOfSpaceActionsAreTypedErrors(id: String, action: [Double]) throws {
    let env = try EnvironmentRegistry.make(id)
    _ = env.reset(using: RandomStream(seed: 7))
    let state = env.state
    let observation = env.observation()
    do {
      _ = try env.step(action)
      Issue.record("\(id) accepted \(action)")
    } catch {
      guard case .invalidAction(let environment, let refused, let space) = error else {
        Issue.record("\(error)"); return
      }
      #expect(environment == id)
      #expect(refused.count == action.count && zip(refused, action).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) })
      #expect(space == env.actionSpace)
      #expect(error.description.contains(id) && error.description.contains("\(env.actionSpace)"))
    }
    #expect(env.state == state && env.elapsedSteps == 0 && env.observation() == observation)
  }

  /// Box actions out of bounds, and NaN, are not errors: Pendulum clips them as Gymnasium does
  /// (`np.clip`, which passes NaN through).
  @Test func boxActionsAreClippedNotRefused() throws {
    let env = try EnvironmentRegistry.make("Pendulum-v1")
    _ = env.reset(using: RandomStream(seed: 7))
    _ = try env.step([100])
    _ = try env.step([.nan])
    #expect(env.elapsedSteps == 2)
  }

  /// A vectorised step checks every copy's action before any copy steps: a bad action or a wrong
  /// count is thrown to the caller and nothing changes.
  @Test func vectorStepRefusesBeforeAnyCopySteps() throws {
    let vector = try VectorEnvironment(id: "CartPole-v1", count: 3, seeds: SeedSequence(runSeed: 2))
    vector.reset()
    let before = vector.observations.floats()
    let states = vector.environments.map(\.state)
    #expect(throws: EnvironmentError.invalidAction(environment: "CartPole-v1", action: [2], space: .discrete(n: 2))) {
      try vector.step([0, 2, 1])
    }
    #expect(throws: EnvironmentError.invalidActionCount(environment: "CartPole-v1", expected: 3, actual: 2)) {
      try vector.step([0, 1])
    }
    #expect(vector.observations.floats() == before)
    #expect(vector.environments.map(\.state) == states)
    #expect(vector.monitor.totalSteps == 0)
    try vector.step([0, 1, 1])
    #expect(vector.monitor.totalSteps == 3)

    let normalized = try NormalizedVectorEnvironment(
      wrapping: try VectorEnvironment(id: "Acrobot-v1", count: 2, seeds: SeedSequence(runSeed: 2)))
    normalized.reset()
    let statistics = normalized.statistics
    #expect(throws: EnvironmentError.self) { try normalized.step([-1, 0]) }
    #expect(normalized.statistics == statistics)
  }
}
