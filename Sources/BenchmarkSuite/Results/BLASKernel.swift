import LinearAlgebra

/// Checks that OpenBLAS runs the kernel and thread count a run records (design.md §3).
///
/// ```
/// OPENBLAS_CORETYPE = c   ⇒   openblas_get_corename() must equal c (case-insensitively)
/// threads                      openblas_get_num_threads() must be 1
/// ```
/// OpenBLAS ignores a core type it does not know (or cannot run on this CPU) and silently picks
/// another kernel, which changes every curve; so the loaded library is asked what it runs,
/// rather than trusting the environment.
public enum BLASKernel {
  /// The kernel OpenBLAS runs.
  public static var coreName: String { BLASRuntime.coreName }

  /// Throws ``BenchmarkError/invalidOption(name:value:allowed:)`` when OpenBLAS does not run the
  /// requested core type or more than one thread.
  public static func verify(requestedCoreType: String?) throws(BenchmarkError) {
    if let requested = requestedCoreType, requested.lowercased() != coreName.lowercased() {
      throw .invalidOption(
        name: "OPENBLAS_CORETYPE", value: requested,
        allowed: "a kernel this OpenBLAS runs on this CPU (it chose '\(coreName)' instead; e.g. Haswell, "
          + "Sandybridge, SkylakeX, Zen), or unset to let bench pin its default")
    }
    if BLASRuntime.threadCount != 1 {
      throw .invalidOption(
        name: "OPENBLAS_NUM_THREADS", value: "\(BLASRuntime.threadCount) threads running", allowed: "1")
    }
  }
}
