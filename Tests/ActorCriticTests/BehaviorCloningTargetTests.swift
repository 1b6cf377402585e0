import ActorCritic
import Environments
import Foundation
import NumPyArchive
import Randomness
import Testing
import _TestSupport

/// The pretraining targets of issue 15: a trained A2C CartPole agent records 10 episodes with
/// `generateExpertTrajectories`; fresh A2C, ACKTR and ACER pretrained on them alone reach a mean
/// evaluation return ≥ 450 on CartPole-v1 before any RL step; Box actions (Pendulum) pretrain to
/// well above a random policy.
@Suite struct BehaviorCloningTargetTests {
  /// The expert's 10 episodes: A2C with the zoo's CartPole settings (8 envs, `ent_coef` 0),
  /// 300,000 steps, seed 2, recorded with SB2's stochastic `predict`. Trained once per test run.
  static let cartPoleExpert: Result<ExpertTrajectories, any Error> = Result {
    var configuration = A2CConfiguration()
    configuration.entropyCoefficient = 0
    let expert = try A2C(environment: try cartPole(count: 8, seed: 2), configuration: configuration, seed: 2)
    try expert.learn(totalTimesteps: 300_000)
    let recording = try VectorEnvironment(id: "CartPole-v1", count: 1, seeds: SeedSequence(runSeed: 100))
    let url = TemporaryFiles.path("expert-cartpole")
    let trajectories = try generateExpertTrajectories(model: expert, savePath: url, environment: recording, episodes: 10)
    // `WRITE_PRETRAINING_FIXTURES=<dir>` keeps the file for Tools/pretraining_reference.py reads-ours.
    if let directory = ProcessInfo.processInfo.environment["WRITE_PRETRAINING_FIXTURES"] {
      try? FileManager.default.removeItem(atPath: directory + "/ours-expert-cartpole.npz")
      try FileManager.default.copyItem(
        at: url.appendingPathExtension("npz"), to: URL(fileURLWithPath: directory + "/ours-expert-cartpole.npz"))
    }
    // What was written is what was returned.
    let back = try ExpertTrajectories(contentsOf: url.appendingPathExtension("npz"))
    guard back.observations == trajectories.observations, back.actions == trajectories.actions,
      back.episodeStarts == trajectories.episodeStarts
    else { throw ExpertDataError.invalidArray(name: "obs", reason: "did not read back as written") }
    return trajectories
  }

  /// Mean return of `episodes` evaluation episodes (environment seeds from 1000, never the
  /// recording's), with `predict`'s stochastic or deterministic actions.
  static func evaluate(
    _ act: (ObservationBuffer) throws -> [Double], environment id: String, episodes: Int = 10
  ) throws -> Double {
    let env = try VectorEnvironment(id: id, count: 1, seeds: SeedSequence(runSeed: 1000))
    env.reset()
    var returns: [Double] = [], current: Double = 0
    while returns.count < episodes {
      try env.step(try act(env.observations))
      current += Double(env.rewards[0])
      if env.dones[0] {
        returns.append(current)
        current = 0
      }
    }
    return returns.reduce(0, +) / Double(episodes)
  }

  @Test func trainedA2CRecordsTenExpertEpisodes() throws {
    let expert = try Self.cartPoleExpert.get()
    #expect(expert.episodeReturns.shape == [10])
    #expect(expert.episodeStarts.bools().filter { $0 }.count == 10)
    #expect(expert.observations.dtype == .float32 && expert.observations.shape == [expert.count, 4])
    #expect(expert.actions.dtype == .int64 && expert.actions.shape == [expert.count, 1])
    // An expert: its 10 episodes average at least 475 (500 is the time limit).
    let returns = expert.episodeReturns.doubles()
    #expect(returns.reduce(0, +) / 10 >= 475, "expert returns \(returns)")
    #expect(Double(expert.count) == returns.reduce(0, +))
  }

  @Test(arguments: ["a2c", "acktr", "acer"])
  func pretrainingAloneReachesExpertLevelOnCartPole(algorithm: String) throws {
    let dataset = try ExpertDataset(trajectories: try Self.cartPoleExpert.get(), verbose: 0, seed: 0)
    let env = try cartPole(count: 1, seed: 0)
    let model: any ActorCriticModel
    switch algorithm {
    case "a2c": model = try A2C(environment: env, seed: 0)
    case "acktr": model = try ACKTR(environment: env, seed: 0)
    default: model = try ACER(environment: env, seed: 0)
    }
    let before = try Self.evaluate({ try model.predict(observations: $0) }, environment: "CartPole-v1")
    let progress = try model.pretrain(dataset: dataset, epochs: 30, learningRate: 1e-3)
    #expect(model.timesteps == 0 && model.history.isEmpty)  // no RL step
    let stochastic = try Self.evaluate({ try model.predict(observations: $0) }, environment: "CartPole-v1")
    let deterministic = try Self.evaluate({ try model.predict(observations: $0, deterministic: true) }, environment: "CartPole-v1")
    print("\(algorithm) pretraining on CartPole: before \(before), after \(stochastic) stochastic, \(deterministic) deterministic; losses \(progress.map { ($0.trainingLoss, $0.validationLoss) })")
    #expect(before < 100)
    #expect(stochastic >= 450, "\(algorithm): \(stochastic)")
    #expect(deterministic >= 450, "\(algorithm): \(deterministic)")
    #expect(progress.last!.validationLoss < progress.first!.validationLoss)
  }

  /// A swing-up controller for Pendulum-v1 (energy pumping far from the top, a PD law near it),
  /// averaging ≈ −140 where random torques average ≈ −1200.
  static func pendulumController(_ observations: ObservationBuffer) -> [Double] {
    let o = observations.floats()
    return stride(from: 0, to: o.count, by: 3).map { k in
      let (c, s, velocity) = (Double(o[k]), Double(o[k + 1]), Double(o[k + 2]))
      let angle = atan2(s, c)
      let u: Double
      if c > 0.8 {
        u = -(12 * angle + 2.5 * velocity)
      } else {
        let energy = 0.5 * velocity * velocity + 15 * c
        u = 2 * (velocity >= 0 ? 1 : -1) * (energy < 15 ? 1 : -1)
      }
      return min(max(u, -2), 2)
    }
  }

  @Test func boxActionsPretrainWellAboveRandomOnPendulum() throws {
    let recording = try VectorEnvironment(id: "Pendulum-v1", count: 1, seeds: SeedSequence(runSeed: 100))
    let trajectories = try generateExpertTrajectories(
      expert: Self.pendulumController, environment: recording, savePath: nil, episodes: 20)
    #expect(trajectories.actions.dtype == .float32 && trajectories.actions.shape == [4000, 1])
    let dataset = try ExpertDataset(trajectories: trajectories, verbose: 0, seed: 0)
    let model = try A2C(environment: try VectorEnvironment(id: "Pendulum-v1", count: 1, seeds: SeedSequence(runSeed: 0)), seed: 0)
    try model.pretrain(dataset: dataset, epochs: 60, learningRate: 1e-3)
    let random = RandomStream(seed: 9)
    let randomReturn = try Self.evaluate({ _ in [random.uniform(low: -2, high: 2)] }, environment: "Pendulum-v1")
    let expertReturn = try Self.evaluate({ Self.pendulumController($0) }, environment: "Pendulum-v1")
    let pretrained = try Self.evaluate({ try model.predict(observations: $0, deterministic: true) }, environment: "Pendulum-v1")
    print("Pendulum: random \(randomReturn), expert \(expertReturn), pretrained A2C \(pretrained)")
    #expect(randomReturn < -1000)
    #expect(pretrained > -500 && pretrained > randomReturn + 500, "pretrained \(pretrained), random \(randomReturn)")
  }
}
