import BenchmarkSuite
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Pins OpenBLAS before its first call: one thread and a fixed kernel, then verifies both.
///
/// OpenBLAS reads `OPENBLAS_CORETYPE` when the library loads, so setting it from inside the
/// process is too late; when either variable is missing, bench sets both and re-executes itself
/// (design.md §3). The kernel defaults to `Haswell` on CPUs with AVX2 and `Sandybridge` otherwise;
/// set `OPENBLAS_CORETYPE` yourself to choose another.
///
/// ```
/// marker  ACTORCRITICBENCH_REEXEC = <pid of the process that re-executed>
/// ```
/// `execv` keeps the pid, so the re-executed process recognises its own marker; one inherited
/// from another process names another pid and is ignored. Whatever the environment claims, the
/// loaded OpenBLAS is then asked which kernel and how many threads it runs
/// (``BLASKernel/verify(requestedCoreType:)``): an unknown core type is refused (exit 64).
enum BLASPinning {
  static let marker = "ACTORCRITICBENCH_REEXEC"

  static func pinOrReexecute() {
    let environment = ProcessInfo.processInfo.environment
    let pinned = environment["OPENBLAS_NUM_THREADS"] == "1" && environment["OPENBLAS_CORETYPE"] != nil
    let reexecuted = environment[marker] == String(getpid())
    unsetenv(marker)  // never pass a marker on to children
    if !pinned && !reexecuted {
      setenv("OPENBLAS_NUM_THREADS", "1", 1)
      if environment["OPENBLAS_CORETYPE"] == nil { setenv("OPENBLAS_CORETYPE", defaultCoreType(), 1) }
      setenv(marker, String(getpid()), 1)
      let arguments = CommandLine.arguments
      var cArguments = arguments.map { strdup($0) } + [nil]
      execv("/proc/self/exe", &cArguments)
      // execv returns only on failure: the verification below reports what is running.
    }
    do {
      try BLASKernel.verify(requestedCoreType: ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"])
    } catch {
      FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
      exit(64)
    }
  }

  static func defaultCoreType() -> String {
    let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
    return cpuinfo.contains(" avx2") ? "Haswell" : "Sandybridge"
  }
}
