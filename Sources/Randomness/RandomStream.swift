internal import CGSL

/// One independent stream of pseudo-random numbers: GSL's `mt19937` (Matsumoto & Nishimura 1998).
///
/// Every random draw in ActorCriticBench comes from a `RandomStream` derived from the run's seed
/// by ``SeedSequence``, one stream per consumer (network initialisation, each environment's resets,
/// action sampling, replay sampling, Fisher noise, bootstrap), so changing one consumer never
/// shifts another (design.md §3).
///
/// A stream is a reference type because it owns a C generator; it is deliberately not `Sendable`:
/// give each thread its own stream.
public final class RandomStream {
  private let generator: UnsafeMutablePointer<gsl_rng>

  /// The seed the stream was created with.
  public let seed: UInt32

  /// Creates a stream seeded with `seed`: Matsumoto and Nishimura's `init_genrand(seed)`,
  ///
  /// ```
  /// mt[0] = seed,   mt[i] = 1812433253 · (mt[i−1] ⊕ (mt[i−1] ≫ 30)) + i  (mod 2³²),   i = 1 … 623
  /// ```
  ///
  /// which is what `gsl_rng_set` computes for every seed but 0. GSL replaces seed 0 by 4357 (a relic
  /// of the 1998 initialiser, for which 0 gave an all-zero state), so seeds 0 and 4357 would be the
  /// same stream; we set seed 0's state ourselves instead. With that, distinct seeds never give the
  /// same stream: mt[1] = 1812433253 · (s ⊕ (s ≫ 30)) + 1 is a bijection of s (an invertible
  /// xor-shift times an odd constant), so the 2³² initial states differ, and a Mersenne Twister's
  /// output determines its state. Seed 0 is then `std::mt19937(0)` and NumPy's `RandomState(0)`.
  public init(seed: UInt32) {
    RandomStream.configureGSLOnce
    guard let generator = gsl_rng_alloc(cgsl_rng_mt19937()) else {
      preconditionFailure("gsl_rng_alloc failed: out of memory")
    }
    self.generator = generator
    self.seed = seed
    if seed == 0 {
      // Deviation: GSL's mt19937_set maps 0 to 4357; we keep MT's own init_genrand(0) (see above).
      setInitialState(seed: 0)
    } else {
      gsl_rng_set(generator, UInt(seed))
    }
  }

  /// Writes `init_genrand(seed)` into GSL's `mt19937_state_t { unsigned long mt[624]; int mti; }`.
  private func setInitialState(seed: UInt32) {
    let n = 624
    let size = gsl_rng_size(generator)
    precondition(
      size >= n * MemoryLayout<UInt>.stride + MemoryLayout<Int32>.size,
      "GSL's mt19937 state is \(size) bytes, smaller than mt[624] and mti")
    let raw = UnsafeMutableRawPointer(gsl_rng_state(generator)!)
    let words = raw.bindMemory(to: UInt.self, capacity: n)
    var previous = seed
    words[0] = UInt(previous)
    for i in 1..<n {
      previous = 1_812_433_253 &* (previous ^ (previous >> 30)) &+ UInt32(i)
      words[i] = UInt(previous)
    }
    (raw + n * MemoryLayout<UInt>.stride).storeBytes(of: Int32(n), as: Int32.self)
  }

  deinit { gsl_rng_free(generator) }

  /// GSL aborts the process on errors by default; we check return codes instead (style-anchors §5.3).
  private static let configureGSLOnce: Void = { _ = gsl_set_error_handler_off() }()

  /// The generator's name as GSL reports it (`"mt19937"`), for provenance.
  public var algorithmName: String { String(cString: gsl_rng_name(generator)) }

  /// The GSL library version, for provenance.
  public static var gslVersion: String { String(cString: cgsl_version()) }

  // MARK: - Raw draws

  /// A raw 32-bit draw (`gsl_rng_get`).
  @inlinable public func nextUInt32() -> UInt32 { UInt32(truncatingIfNeeded: _get()) }

  @usableFromInline func _get() -> UInt { gsl_rng_get(generator) }

  /// A double uniform on `[0, 1)` (`gsl_rng_uniform`).
  public func uniform() -> Double { gsl_rng_uniform(generator) }

  /// A double uniform on the open interval `(0, 1)` (`gsl_rng_uniform_pos`).
  public func uniformPositive() -> Double { gsl_rng_uniform_pos(generator) }

  /// A double uniform on `[low, high)`.
  public func uniform(low: Double, high: Double) -> Double {
    low + (high - low) * gsl_rng_uniform(generator)
  }

  /// An integer uniform on `0 ..< upperBound` (`gsl_rng_uniform_int`, unbiased).
  public func uniformInt(below upperBound: Int) -> Int {
    precondition(upperBound > 0, "upperBound must be positive, got \(upperBound)")
    return Int(gsl_rng_uniform_int(generator, UInt(upperBound)))
  }

  // MARK: - Distributions

  /// A Gaussian draw with mean 0 and standard deviation `sigma` (`gsl_ran_gaussian_ziggurat`).
  public func gaussian(sigma: Double = 1) -> Double { gsl_ran_gaussian_ziggurat(generator, sigma) }

  /// A Poisson draw with the given mean (`gsl_ran_poisson`). ACER draws its replay count this way.
  public func poisson(mean: Double) -> Int {
    precondition(mean >= 0 && mean.isFinite, "Poisson mean must be finite and ≥ 0, got \(mean)")
    return Int(gsl_ran_poisson(generator, mean))
  }

  /// An index drawn with the given probabilities (which need not be normalised).
  ///
  /// ```
  /// u ~ U[0, Σp);  return the first i with p₀ + … + pᵢ > u
  /// ```
  /// Falls back to the last index with positive weight when rounding leaves `u` past the total.
  public func categorical<C: Collection>(weights: C) -> Int where C.Element: BinaryFloatingPoint {
    var total = 0.0
    for w in weights { total += Double(w) }
    precondition(total > 0 && total.isFinite, "categorical weights must have a finite positive sum")
    let u = uniform() * total
    var cumulative = 0.0
    var index = 0
    var lastPositive = 0
    for w in weights {
      let weight = Double(w)
      if weight > 0 { lastPositive = index }
      cumulative += weight
      if u < cumulative && weight > 0 { return index }
      index += 1
    }
    return lastPositive
  }

  // MARK: - State

  /// The generator's full internal state, so a stream can be saved and resumed exactly.
  public var state: [UInt8] {
    get {
      let size = gsl_rng_size(generator)
      let raw = gsl_rng_state(generator)!
      return Array(UnsafeRawBufferPointer(start: raw, count: size))
    }
    set {
      let size = gsl_rng_size(generator)
      precondition(newValue.count == size, "state must be \(size) bytes, got \(newValue.count)")
      let raw = gsl_rng_state(generator)!
      newValue.withUnsafeBytes { raw.copyMemory(from: $0.baseAddress!, byteCount: size) }
    }
  }

  /// An independent copy with the same state: both produce the same sequence from here on.
  public func copy() -> RandomStream {
    let other = RandomStream(seed: seed)
    gsl_rng_memcpy(other.generator, generator)
    return other
  }
}
