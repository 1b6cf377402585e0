/// `results/perf/callgrind-baseline.json`: the committed instruction counts of the perf
/// workloads, and the comparison `bench regress` makes with them.
///
/// ```
/// change = (measured − baseline) / baseline
/// regression ⇔ change > tolerance        (default 2 %; less work is reported, never a failure)
/// ```
/// Counts depend on the compiler, the OpenBLAS build and kernel, glibc and valgrind; the file
/// records them so a changed toolchain is recognisable. Rewrite it with
/// `bench regress --update-baseline` after an intended change.
public struct PerfBaseline: Codable, Sendable, Equatable {
  /// One workload's count.
  public struct Workload: Codable, Sendable, Equatable {
    /// The workload.
    public var name: PerfWorkload
    /// What it trains, in words.
    public var description: String
    /// Training steps.
    public var timesteps: Int
    /// Instructions counted by callgrind, start-up included.
    public var instructions: UInt64

    /// A workload's count.
    public init(name: PerfWorkload, description: String, timesteps: Int, instructions: UInt64) {
      self.name = name
      self.description = description
      self.timesteps = timesteps
      self.instructions = instructions
    }
  }

  /// This file's layout version.
  public var formatVersion: Int
  /// Allowed relative increase.
  public var tolerance: Double
  /// How each count was measured.
  public var command: String
  /// The pinned environment.
  public var environment: [String: String]
  /// Toolchain facts at measurement time.
  public var valgrindVersion: String
  /// The Swift compiler that built the measured binary.
  public var swiftVersion: String
  /// The OpenBLAS build.
  public var openBLASConfiguration: String
  /// The code revision measured.
  public var gitRevision: String
  /// The counts.
  public var workloads: [Workload]

  /// A baseline with the default 2 % tolerance.
  public init(
    tolerance: Double = 0.02, valgrindVersion: String, swiftVersion: String, openBLASConfiguration: String,
    gitRevision: String, workloads: [Workload]
  ) {
    self.formatVersion = 1
    self.tolerance = tolerance
    self.command =
      (CallgrindCounter.prefix + ["bench", "perf-workload", "<name>", "--timesteps", "<timesteps>"]).joined(
        separator: " ")
    self.environment = CallgrindCounter.pinnedEnvironment
    self.valgrindVersion = valgrindVersion
    self.swiftVersion = swiftVersion
    self.openBLASConfiguration = openBLASConfiguration
    self.gitRevision = gitRevision
    self.workloads = workloads
  }

  /// The path below the results folder.
  public static let path = "perf/callgrind-baseline.json"

  /// One comparison.
  public struct Comparison: Sendable, Equatable {
    /// The workload.
    public var workload: PerfWorkload
    /// The committed count.
    public var baseline: UInt64
    /// The count now.
    public var measured: UInt64
    /// `(measured − baseline) / baseline`.
    public var change: Double
    /// `change > tolerance`.
    public var isRegression: Bool
  }

  /// Compares a measured count with the baseline's.
  public func compare(_ workload: PerfWorkload, measured: UInt64) -> Comparison? {
    guard let row = workloads.first(where: { $0.name == workload }) else { return nil }
    let change = (Double(measured) - Double(row.instructions)) / Double(row.instructions)
    return Comparison(
      workload: workload, baseline: row.instructions, measured: measured, change: change,
      isRegression: change > tolerance)
  }
}
