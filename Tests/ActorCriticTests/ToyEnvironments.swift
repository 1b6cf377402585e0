import Environments
import Randomness

/// How ``CueMatchingEnvironment`` shows its cue: every observation space, raw in its own type.
enum CueObservation: CaseIterable {
  /// `Box(−1, 1, (k,), float32)`: the signs.
  case box
  /// `Discrete(2^k)`: the signs as the bits of one index (int64).
  case discrete
  /// `MultiDiscrete([2] · k)`: one 0/1 index per sign (int64).
  case multiDiscrete
  /// `MultiBinary(k)`: one 0/1 bit per sign (int8).
  case multiBinary
}

/// A one-step-cue task for every action space: the observation is a random sign vector
/// `s ∈ {−1, 1}^k`; the reward is the fraction of action components that match the target the
/// signs encode (Box: `1 − (a − s₀)²/4`). Episodes last 10 steps. A policy that reads the
/// observation earns 1 per step; a random one about `1/n` per component.
final class CueMatchingEnvironment: Environment {
  let id = "CueMatching"
  let observationSpace: Space
  let actionSpace: Space
  let cue: CueObservation
  let maxEpisodeSteps: Int? = 10
  var elapsedSteps = 0
  private var signs: [Double]
  private let random = RandomStream(seed: 99)

  init(actionSpace: Space, cue: CueObservation = .box) {
    self.actionSpace = actionSpace
    self.cue = cue
    let k: Int
    switch actionSpace {
    case .discrete, .box: k = 1
    case .multiDiscrete(let nvec): k = nvec.count
    case .multiBinary(let n): k = n
    }
    switch cue {
    case .box: observationSpace = .box(low: [Double](repeating: -1, count: k), high: [Double](repeating: 1, count: k))
    case .discrete: observationSpace = .discrete(n: 1 << k)
    case .multiDiscrete: observationSpace = .multiDiscrete(nvec: [Int](repeating: 2, count: k))
    case .multiBinary: observationSpace = .multiBinary(n: k)
    }
    signs = [Double](repeating: 1, count: k)
  }

  var state: [Double] {
    get { signs }
    set { signs = newValue }
  }

  private func draw() { for i in signs.indices { signs[i] = random.uniform() < 0.5 ? -1 : 1 } }

  func reset(using random: RandomStream, into observation: UnsafeMutableRawBufferPointer) {
    elapsedSteps = 0
    draw()
    writeObservation(into: observation)
  }

  func step(_ action: UnsafeBufferPointer<Double>, into observation: UnsafeMutableRawBufferPointer) -> StepOutcome {
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

  func writeObservation(into observation: UnsafeMutableRawBufferPointer) {
    switch cue {
    case .box:
      let x = observation.float32Components
      for i in signs.indices { x[i] = Float(signs[i]) }
    case .discrete:
      var index: Int64 = 0
      for i in signs.indices where signs[i] > 0 { index |= 1 << Int64(i) }
      observation.storeBytes(of: index, as: Int64.self)
    case .multiDiscrete:
      for i in signs.indices { observation.storeBytes(of: Int64(signs[i] > 0 ? 1 : 0), toByteOffset: 8 * i, as: Int64.self) }
    case .multiBinary:
      for i in signs.indices { observation.storeBytes(of: Int8(signs[i] > 0 ? 1 : 0), toByteOffset: i, as: Int8.self) }
    }
  }
}

func cueEnvironment(
  _ actionSpace: Space, cue: CueObservation = .box, count: Int = 4, seed: UInt64 = 0
) throws -> VectorEnvironment {
  try VectorEnvironment(
    environments: (0..<count).map { _ in CueMatchingEnvironment(actionSpace: actionSpace, cue: cue) },
    seeds: SeedSequence(runSeed: seed))
}

func cartPole(count: Int = 8, seed: UInt64 = 0) throws -> VectorEnvironment {
  try VectorEnvironment(id: "CartPole-v1", count: count, seeds: SeedSequence(runSeed: seed))
}

/// A memory task: each step shows a random bit and rewards the action that equals the bit shown
/// one step **earlier** (the first step of an episode rewards nothing). Episodes last 10 steps.
/// A memoryless policy earns half of the 9 rewarded steps on average; one that remembers the
/// previous observation earns all 9.
final class PreviousCueEnvironment: Environment {
  let id = "PreviousCue"
  let observationSpace: Space = .box(low: [-1], high: [1])
  let actionSpace: Space = .discrete(n: 2)
  let maxEpisodeSteps: Int? = 10
  var elapsedSteps = 0
  private var current = 1.0, previous = 1.0
  private let random = RandomStream(seed: 17)

  var state: [Double] {
    get { [current, previous] }
    set { (current, previous) = (newValue[0], newValue[1]) }
  }

  func reset(using random: RandomStream, into observation: UnsafeMutableRawBufferPointer) {
    elapsedSteps = 0
    current = self.random.uniform() < 0.5 ? -1 : 1
    writeObservation(into: observation)
  }

  func step(_ action: UnsafeBufferPointer<Double>, into observation: UnsafeMutableRawBufferPointer) -> StepOutcome {
    let reward = elapsedSteps > 0 && (action[0] == 1) == (previous > 0) ? 1.0 : 0.0
    elapsedSteps += 1
    previous = current
    current = random.uniform() < 0.5 ? -1 : 1
    writeObservation(into: observation)
    return StepOutcome(reward: reward, terminated: false, truncated: elapsedSteps >= 10)
  }

  func writeObservation(into observation: UnsafeMutableRawBufferPointer) {
    observation.storeBytes(of: Float(current), toByteOffset: 0, as: Float.self)
  }
}

func previousCueEnvironment(count: Int = 8, seed: UInt64 = 0) throws -> VectorEnvironment {
  try VectorEnvironment(environments: (0..<count).map { _ in PreviousCueEnvironment() }, seeds: SeedSequence(runSeed: seed))
}
