/// Derives independent, named random streams from one run seed.
///
/// A stream's seed is a hash of `(runSeed, purpose, index)`:
/// ```
/// h = FNV-1a-64(purpose) ⊕ splitmix64(runSeed) ⊕ splitmix64(index + 0x9E37…)
/// seed = low 32 bits of splitmix64(h)
/// ```
/// so adding a consumer or changing how many numbers one consumer draws never shifts another
/// (design.md §3). The derivation is part of the determinism contract: changing it changes every
/// result, so it is pinned by a golden test.
public struct SeedSequence: Sendable, Hashable, Codable {
  /// The run seed every stream is derived from.
  public let runSeed: UInt64

  /// Creates a seed sequence for one run.
  public init(runSeed: UInt64) { self.runSeed = runSeed }

  /// The 32-bit `mt19937` seed of the stream for `purpose` number `index`.
  public func seed(for purpose: StreamPurpose, index: Int = 0) -> UInt32 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in purpose.rawValue.utf8 {
      h ^= UInt64(byte)
      h = h &* 0x0000_0100_0000_01b3
    }
    h ^= SeedSequence.splitMix64(runSeed)
    h ^= SeedSequence.splitMix64(UInt64(bitPattern: Int64(index)) &+ 0x9e37_79b9_7f4a_7c15)
    return UInt32(truncatingIfNeeded: SeedSequence.splitMix64(h))
  }

  /// A fresh stream for `purpose` number `index` (for example the resets of environment 3).
  public func stream(for purpose: StreamPurpose, index: Int = 0) -> RandomStream {
    RandomStream(seed: seed(for: purpose, index: index))
  }

  /// SplitMix64's finaliser (Steele, Lea & Flood 2014): a bijective 64-bit mixer.
  @inlinable public static func splitMix64(_ value: UInt64) -> UInt64 {
    var z = value &+ 0x9e37_79b9_7f4a_7c15
    z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
    z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
    return z ^ (z >> 31)
  }
}

/// What a random stream is used for. Each purpose gets its own stream family.
public struct StreamPurpose: RawRepresentable, Hashable, Sendable, Codable,
  ExpressibleByStringLiteral
{
  public let rawValue: String
  public init(rawValue: String) { self.rawValue = rawValue }
  public init(stringLiteral value: String) { self.rawValue = value }

  /// Network parameter initialisation.
  public static let initialization: StreamPurpose = "initialization"
  /// Environment resets (index = environment number).
  public static let environment: StreamPurpose = "environment"
  /// Action sampling during rollouts and stochastic `predict`.
  public static let actionSampling: StreamPurpose = "action-sampling"
  /// ACER replay sampling and the Poisson replay counts.
  public static let replay: StreamPurpose = "replay"
  /// K-FAC sampled-Fisher noise and sampled targets.
  public static let fisher: StreamPurpose = "fisher"
  /// Evaluation episodes after training.
  public static let evaluation: StreamPurpose = "evaluation"
  /// Statistical resampling (bootstrap confidence intervals).
  public static let bootstrap: StreamPurpose = "bootstrap"
}
