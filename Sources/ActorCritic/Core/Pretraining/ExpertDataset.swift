import Environments
import Foundation
import Randomness

/// stable-baselines 2's `ExpertDataset` (`gail/dataset/dataset.py`): expert transitions split into
/// a training and a validation set and served in minibatches, for ``ActorCriticModel/pretrain(dataset:epochs:learningRate:adamEpsilon:validationInterval:)``.
///
/// ```
/// keep       the first traj_limitation episodes (all when traj_limitation ≤ 0)
/// flatten    obs, actions to (N, prod(shape[1:]))
/// split      p = permutation(N); train = p[..< ⌊train_fraction·N⌋], validation = the rest
/// loaders    ⌈|split| / batch_size⌉ minibatches per pass (the last one partial), each pass in a
///            freshly shuffled order when randomize (else in the order of p)
/// ```
/// Randomness comes from GSL streams derived from `seed` (the permutation, the training
/// shuffles and the validation shuffles each have their own), not from NumPy's global state.
///
/// Deviations from SB2, each a bug there:
/// - `traj_limitation` keeps whole episodes. SB2 cuts at `idx − 1` where `idx` starts episode
///   `traj_limitation + 1`, dropping the last step of the last kept episode.
/// - ``numberOfTrajectories``, ``averageReturn`` and ``returnStandardDeviation`` describe the kept
///   episodes. SB2 slices `episode_returns` by the step index (keeping every episode's return)
///   and reports `min(traj_limitation, #episodes)` trajectories, −1 without a limit.
/// - `sequential_preprocessing` is accepted and changes nothing: batches are always prepared in
///   this process (SB2's alternative is a subprocess). SB2's sequential mode hands out an empty
///   batch at the start of every pass after the first when `batch_size` divides the split; ours
///   never does.
public final class ExpertDataset {
  /// The two loaders (SB2 `get_next_batch(split)`).
  public enum Split: Sendable { case train, validation }

  /// Observations, flattened: row `i` is `observations[i·observationWidth ..< (i+1)·observationWidth]`.
  public let observations: [Float]
  /// Actions, flattened: `actionWidth` per row (one index per row for Discrete).
  public let actions: [Float]
  /// Components per observation row.
  public let observationWidth: Int
  /// Components per action row.
  public let actionWidth: Int
  /// The returns of the kept episodes.
  public let returns: [Double]
  /// Rows of the training split, in the order of the split's permutation.
  public let trainIndices: [Int]
  /// Rows of the validation split.
  public let validationIndices: [Int]
  /// The minibatch size.
  public let batchSize: Int
  /// Whether every pass is shuffled (SB2 `randomize`).
  public let randomize: Bool
  /// Accepted for SB2 compatibility; see the type's deviations.
  public let sequentialPreprocessing: Bool

  private var trainLoader: MinibatchLoader
  private var validationLoader: MinibatchLoader

  /// The number of kept episodes (SB2 `num_traj`).
  public var numberOfTrajectories: Int { returns.count }
  /// The number of kept transitions (SB2 `num_transition`).
  public var numberOfTransitions: Int { observations.count / max(observationWidth, 1) }
  /// The mean return of the kept episodes (SB2 `avg_ret`).
  public var averageReturn: Double { returns.isEmpty ? .nan : returns.reduce(0, +) / Double(returns.count) }
  /// Their population standard deviation (SB2 `std_ret`, `np.std`).
  public var returnStandardDeviation: Double {
    let mean = averageReturn
    return returns.isEmpty ? .nan : (returns.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(returns.count)).squareRoot()
  }

  /// Minibatches per pass of a split (SB2 `len(dataset.train_loader)`).
  public func batchCount(_ split: Split) -> Int {
    split == .train ? trainLoader.batchCount : validationLoader.batchCount
  }

  /// Loads a `.npz` file written by SB2's `generate_expert_traj` or ours (SB2 `expert_path`).
  public convenience init(
    expertPath: URL, trainFraction: Double = 0.7, batchSize: Int = 64, trajectoryLimit: Int = -1,
    randomize: Bool = true, verbose: Int = 1, sequentialPreprocessing: Bool = false, seed: UInt64 = 0
  ) throws {
    try self.init(
      trajectories: try ExpertTrajectories(contentsOf: expertPath), trainFraction: trainFraction,
      batchSize: batchSize, trajectoryLimit: trajectoryLimit, randomize: randomize, verbose: verbose,
      sequentialPreprocessing: sequentialPreprocessing, seed: seed)
  }

  /// Builds the dataset from trajectories in memory (SB2 `traj_data`).
  ///
  /// - Parameters:
  ///   - trainFraction: the share of transitions for training (SB2 `train_fraction`, 0.7).
  ///   - batchSize: minibatch size (SB2 `batch_size`, 64).
  ///   - trajectoryLimit: the number of episodes to keep, all when ≤ 0 (SB2 `traj_limitation`, −1).
  ///   - randomize: shuffle every pass (SB2 `randomize`, true).
  ///   - verbose: 1 prints the arrays' shapes and the dataset summary as SB2 does.
  ///   - seed: derives the split's permutation and the shuffles.
  /// - Throws: ``ConfigurationError`` for an option out of range or a split that leaves a side
  ///   empty; ``ExpertDataError`` for non-finite observations or actions.
  public convenience init(
    trajectories: ExpertTrajectories, trainFraction: Double = 0.7, batchSize: Int = 64, trajectoryLimit: Int = -1,
    randomize: Bool = true, verbose: Int = 1, sequentialPreprocessing: Bool = false, seed: UInt64 = 0
  ) throws {
    try require(trainFraction > 0 && trainFraction < 1, "train_fraction", trainFraction, "0 < train_fraction < 1")
    try require(batchSize >= 1, "batch_size", batchSize, "batch_size ≥ 1")
    let kept = Self.keptSteps(trajectories, limit: trajectoryLimit)
    let seeds = SeedSequence(runSeed: seed)
    let permutation = shuffled(Array(0..<kept), random: seeds.stream(for: .expertData, index: 0))
    // SB2: int(train_fraction * len(indices)).
    let trainCount = Int((trainFraction * Double(kept)).rounded(.towardZero))
    guard trainCount > 0, trainCount < kept else {
      throw ConfigurationError.invalidValue(
        field: "train_fraction", value: "\(trainFraction)",
        allowed: "a fraction that leaves at least one of the \(kept) transitions for training and one for validation")
    }
    try self.init(
      trajectories: trajectories, keptSteps: kept, trainIndices: Array(permutation[..<trainCount]),
      validationIndices: Array(permutation[trainCount...]), batchSize: batchSize, randomize: randomize,
      sequentialPreprocessing: sequentialPreprocessing, seeds: seeds)
    if verbose > 0 {
      for (name, shape) in [
        ("actions", trajectories.actions.shape), ("obs", trajectories.observations.shape),
        ("rewards", trajectories.rewards?.shape), ("episode_returns", trajectories.episodeReturns.shape),
        ("episode_starts", trajectories.episodeStarts.shape),
      ] {
        if let shape { print(name, pythonTuple(shape)) }
      }
      print("Total trajectories: \(numberOfTrajectories)")
      print("Total transitions: \(numberOfTransitions)")
      print("Average returns: \(averageReturn)")
      print("Std for returns: \(returnStandardDeviation)")
    }
  }

  /// The dataset with a given split (the reference-replay tests use SB2's recorded split).
  init(
    trajectories: ExpertTrajectories, keptSteps kept: Int, trainIndices: [Int], validationIndices: [Int],
    batchSize: Int, randomize: Bool, sequentialPreprocessing: Bool, seeds: SeedSequence
  ) throws {
    let observationWidth = Self.rowWidth(trajectories.observations.shape)
    let actionWidth = Self.rowWidth(trajectories.actions.shape)
    let observations = Array(trajectories.observations.floats().prefix(kept * observationWidth))
    let actions = Array(trajectories.actions.floats().prefix(kept * actionWidth))
    if let i = observations.firstIndex(where: { !$0.isFinite }) {
      throw ExpertDataError.invalidArray(name: "obs", reason: "holds \(observations[i]) at step \(i / max(observationWidth, 1)) (values must be finite)")
    }
    if let i = actions.firstIndex(where: { !$0.isFinite }) {
      throw ExpertDataError.invalidArray(name: "actions", reason: "holds \(actions[i]) at step \(i / max(actionWidth, 1)) (values must be finite)")
    }
    self.observations = observations
    self.actions = actions
    self.observationWidth = observationWidth
    self.actionWidth = actionWidth
    let starts = trajectories.episodeStarts.bools().prefix(kept)
    let episodes = max(starts.filter { $0 }.count, 1)
    returns = Array(trajectories.episodeReturns.doubles().prefix(episodes))
    self.trainIndices = trainIndices
    self.validationIndices = validationIndices
    self.batchSize = batchSize
    self.randomize = randomize
    self.sequentialPreprocessing = sequentialPreprocessing
    trainLoader = MinibatchLoader(
      indices: trainIndices, batchSize: batchSize, shuffle: randomize, random: seeds.stream(for: .expertData, index: 1))
    validationLoader = MinibatchLoader(
      indices: validationIndices, batchSize: batchSize, shuffle: randomize, random: seeds.stream(for: .expertData, index: 2))
  }

  /// The rows of the next minibatch of a split (SB2 `get_next_batch`): passes follow one another,
  /// each reshuffled when ``randomize`` is set.
  public func nextBatch(_ split: Split) -> ArraySlice<Int> {
    split == .train ? trainLoader.next() : validationLoader.next()
  }

  /// The observations and actions of rows `rows`, flattened.
  public func batch(_ rows: ArraySlice<Int>) -> (observations: [Float], actions: [Float]) {
    var o: [Float] = [], a: [Float] = []
    o.reserveCapacity(rows.count * observationWidth)
    a.reserveCapacity(rows.count * actionWidth)
    for r in rows {
      o += observations[(r * observationWidth)..<((r + 1) * observationWidth)]
      a += actions[(r * actionWidth)..<((r + 1) * actionWidth)]
    }
    return (o, a)
  }

  /// The number of steps the first `limit` episodes span (all steps when `limit ≤ 0` or there are
  /// no more episodes).
  static func keptSteps(_ trajectories: ExpertTrajectories, limit: Int) -> Int {
    guard limit > 0 else { return trajectories.count }
    var episodes = 0
    for (i, start) in trajectories.episodeStarts.bools().enumerated() where start {
      episodes += 1
      // Deviation: SB2 keeps `..< i − 1`, dropping the last step of episode `limit` (see the type).
      if episodes == limit + 1 { return i }
    }
    return trajectories.count
  }

  /// Components per row after SB2's flattening (`prod(shape[1:])`, 1 for a 1-d array).
  static func rowWidth(_ shape: [Int]) -> Int { shape.dropFirst().reduce(1, *) }
}

/// SB2's `DataLoader`: minibatches of a fixed index set, pass after pass.
struct MinibatchLoader {
  private var order: [Int]
  let batchSize: Int
  let shuffle: Bool
  let random: RandomStream
  private var position = 0

  init(indices: [Int], batchSize: Int, shuffle: Bool, random: RandomStream) {
    order = indices
    self.batchSize = batchSize
    self.shuffle = shuffle
    self.random = random
  }

  /// `⌈count / batch_size⌉` (SB2 `partial_minibatch=True`).
  var batchCount: Int { (order.count + batchSize - 1) / batchSize }

  mutating func next() -> ArraySlice<Int> {
    guard !order.isEmpty else { return [] }
    if position == 0 && shuffle { order = shuffled(order, random: random) }
    let start = position * batchSize
    let batch = order[start..<min(start + batchSize, order.count)]
    position = (position + 1) % batchCount
    return batch
  }
}

/// A uniformly random permutation of `values` (Fisher–Yates from the back, as NumPy's `shuffle`).
func shuffled(_ values: [Int], random: RandomStream) -> [Int] {
  var out = values
  var i = out.count - 1
  while i > 0 {
    out.swapAt(i, random.uniformInt(below: i + 1))
    i -= 1
  }
  return out
}

/// Python's `repr` of a shape tuple: `(3,)`, `(3, 4)`, `()`.
func pythonTuple(_ shape: [Int]) -> String {
  shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
}

extension StreamPurpose {
  /// The expert dataset's split and shuffles (index 0 the permutation, 1 training, 2 validation).
  public static let expertData: StreamPurpose = "expert-data"
}
