internal import COpenBLAS

/// The OpenBLAS runtime: thread count, selected kernel ("core") and build configuration.
///
/// Results are a pure function of (spec, seed, code, BLAS core type) (design.md §3): `bench` pins
/// one thread and a fixed core type before the first BLAS call and writes ``provenance`` into
/// every results manifest.
public enum BLASRuntime {
  /// The number of threads OpenBLAS uses.
  public static var threadCount: Int { Int(openblas_get_num_threads()) }

  /// Sets the number of OpenBLAS threads (1 for reproducible, single-threaded runs).
  public static func setThreadCount(_ count: Int) {
    precondition(count >= 1, "BLAS thread count must be ≥ 1, got \(count)")
    openblas_set_num_threads(Int32(count))
  }

  /// The kernel OpenBLAS selected for this CPU (`openblas_get_corename`), e.g. `"Haswell"`.
  public static var coreName: String { String(cString: openblas_get_corename()) }

  /// The OpenBLAS build configuration (`openblas_get_config`).
  public static var configuration: String { String(cString: openblas_get_config()) }

  /// Everything about the BLAS that can change a result bit, as key–value pairs.
  public static var provenance: [String: String] {
    [
      "openblas_config": configuration,
      "openblas_core": coreName,
      "openblas_threads": String(threadCount),
    ]
  }
}
