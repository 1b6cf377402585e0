import BuildInfo
import Foundation
import LinearAlgebra
import Plotting
import Randomness

/// Everything that can change a result bit, written to `results/manifest.json`
/// (design.md §5): the code revision, the toolchain, the BLAS build and kernel, the GSL version
/// and RNG, and the command line.
///
/// The git revision (with `-dirty` for uncommitted changes) and the Swift version are the
/// build's own, embedded at build time (``BuildInfo``), not read from the current directory or
/// PATH when a run starts.
public struct Provenance: Codable, Sendable, Equatable {
  public var layoutVersion: Int
  public var suite: String
  public var commandLine: [String]
  public var gitRevision: String
  public var swiftVersion: String
  public var openBLASConfiguration: String
  public var openBLASCore: String
  public var openBLASThreads: Int
  public var openBLASCoreTypeEnvironment: String
  public var gslVersion: String
  public var randomNumberGenerator: String
  public var libpngVersion: String
  public var operatingSystem: String
  public var createdAt: String
  /// The machine's processor and logical CPU count, e.g. "Intel(R) Xeon(R) … (2 logical CPUs)", for
  /// reading the wall-clock numbers; `nil` in manifests written before it was recorded. Not a
  /// result-changing field (the BLAS kernel is pinned and recorded above).
  public var processor: String? = nil
  /// For a folder written by several sessions (`bench merge`, or `bench run` into a folder that
  /// already holds results): the provenance of every session, oldest first.
  public var shards: [Provenance]? = nil

  /// Reads the provenance of this process.
  public static func current(
    suite: String, commandLine: [String], libpngVersion: String = PNGWriter.libpngVersion
  ) -> Provenance {
    let formatter = ISO8601DateFormatter()
    return Provenance(
      layoutVersion: ResultsStore.layoutVersion, suite: suite, commandLine: commandLine,
      gitRevision: BuildInfo.gitDescription, swiftVersion: BuildInfo.compilerVersion,
      openBLASConfiguration: BLASRuntime.configuration, openBLASCore: BLASRuntime.coreName,
      openBLASThreads: BLASRuntime.threadCount,
      openBLASCoreTypeEnvironment: ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] ?? "unset",
      gslVersion: RandomStream.gslVersion, randomNumberGenerator: RandomStream(seed: 0).algorithmName,
      libpngVersion: libpngVersion, operatingSystem: ProcessInfo.processInfo.operatingSystemVersionString,
      createdAt: formatter.string(from: Date()), processor: processorDescription)
  }

  /// The first `model name` of /proc/cpuinfo and the number of logical CPUs.
  static var processorDescription: String {
    let cpus = ProcessInfo.processInfo.activeProcessorCount
    let info = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
    let model = info.split(separator: "\n").first { $0.hasPrefix("model name") }
      .flatMap { $0.split(separator: ":", maxSplits: 1).last }
      .map { $0.trimmingCharacters(in: .whitespaces) }
    return "\(model ?? "unknown processor") (\(cpus) logical CPU\(cpus == 1 ? "" : "s"))"
  }

  /// Runs a command and returns its trimmed standard output, or nil when it fails.
  static func shell(_ arguments: [String]) -> String? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { return nil }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { return nil }
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
  }
}
