import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Pins OpenBLAS before its first call: one thread and a fixed kernel.
///
/// OpenBLAS reads `OPENBLAS_CORETYPE` when the library loads, so setting it from inside the
/// process is too late; when either variable is missing, bench sets both and re-executes itself
/// (design.md §3). The kernel defaults to `Haswell` on CPUs with AVX2 and `Sandybridge` otherwise;
/// set `OPENBLAS_CORETYPE` yourself to choose another.
enum BLASPinning {
  static func pinOrReexecute() {
    let environment = ProcessInfo.processInfo.environment
    guard environment["OPENBLAS_NUM_THREADS"] != "1" || environment["OPENBLAS_CORETYPE"] == nil else { return }
    guard environment["ACTORCRITICBENCH_REEXEC"] == nil else { return }
    setenv("OPENBLAS_NUM_THREADS", "1", 1)
    if environment["OPENBLAS_CORETYPE"] == nil { setenv("OPENBLAS_CORETYPE", defaultCoreType(), 1) }
    setenv("ACTORCRITICBENCH_REEXEC", "1", 1)
    let arguments = CommandLine.arguments
    var cArguments = arguments.map { strdup($0) } + [nil]
    execv("/proc/self/exe", &cArguments)
    // execv returns only on failure: carry on unpinned; the manifest records what was used.
  }

  static func defaultCoreType() -> String {
    let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
    return cpuinfo.contains(" avx2") ? "Haswell" : "Sandybridge"
  }
}
