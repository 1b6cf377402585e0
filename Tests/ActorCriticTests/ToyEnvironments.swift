import Environments
import Randomness

/// A one-step-cue task for every action space: the observation is a random sign vector
/// `s ∈ {−1, 1}^k`; the reward is the fraction of action components that match the target the
/// signs encode (Box: `1 − (a − s₀)²/4`). Episodes last 10 steps. A policy that reads the
/// observation earns 1 per step; a random one about `1/n` per component.
final class CueMatchingEnvironment: Environment {
  let id = "CueMatching"
  let observationSpace: Space
  let actionSpace: Space
  let maxEpisodeSteps: Int? = 10
  var elapsedSteps = 0
  private var signs: [Double]
  private let random = RandomStream(seed: 99)

  init(actionSpace: Space) {
    self.actionSpace = actionSpace
    let k: Int
    switch actionSpace {
    case .discrete, .box: k = 1
    case .multiDiscrete(let nvec): k = nvec.count
    case .multiBinary(let n): k = n
    }
    observationSpace = .box(low: [Double](repeating: -1, count: k), high: [Double](repeating: 1, count: k))
    signs = [Double](repeating: 1, count: k)
  }

  var state: [Double] {
    get { signs }
    set { signs = newValue }
  }

  private func draw() { for i in signs.indices { signs[i] = random.uniform() < 0.5 ? -1 : 1 } }

  func reset(using random: RandomStream, into observation: UnsafeMutableBufferPointer<Float>) {
    elapsedSteps = 0
    draw()
    writeObservation(into: observation)
  }

  func step(_ action: UnsafeBufferPointer<Double>, into observation: UnsafeMutableBufferPointer<Float>) -> StepOutcome {
    var reward = 0.0
    switch actionSpace {
    case .discrete: reward = (action[0] == 1) == (signs[0] > 0) ? 1 : 0
    case .box: reward = 1 - (action[0] - signs[0]) * (action[0] - signs[0]) / 4
    case .multiDiscrete(let nvec):
      for (i, n) in nvec.enumerated() { reward += Int(action[i]) == (signs[i] > 0 ? n - 1 : 0) ? 1 : 0 }
      reward /= Double(nvec.count)
    case .multiBinary(let n):
      for i in 0..<n { reward += (action[i] == 1) == (signs[i] > 0) ? 1 : 0 }
      reward /= Double(n)
    }
    elapsedSteps += 1
    draw()
    writeObservation(into: observation)
    return StepOutcome(reward: reward, terminated: false, truncated: elapsedSteps >= 10)
  }

  func writeObservation(into observation: UnsafeMutableBufferPointer<Float>) {
    for i in signs.indices { observation[i] = Float(signs[i]) }
  }
}

func cueEnvironment(_ actionSpace: Space, count: Int = 4, seed: UInt64 = 0) throws -> VectorEnvironment {
  try VectorEnvironment(
    environments: (0..<count).map { _ in CueMatchingEnvironment(actionSpace: actionSpace) },
    seeds: SeedSequence(runSeed: seed))
}

func cartPole(count: Int = 8, seed: UInt64 = 0) throws -> VectorEnvironment {
  try VectorEnvironment(id: "CartPole-v1", count: count, seeds: SeedSequence(runSeed: seed))
}
