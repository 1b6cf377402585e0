internal import CGSL

/// One-time GSL configuration shared by every routine in this module.
///
/// GSL's default error handler calls `abort()`; we switch it off before the first GSL call and
/// validate inputs ourselves instead (style-anchors.md §5.3, pitfall 7).
enum GSLRuntime {
  /// Touch this before calling GSL; the initialiser runs exactly once per process.
  static let configured: Void = { _ = gsl_set_error_handler_off() }()
}
