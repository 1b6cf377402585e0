import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Ends a `bench run-one` child when the `bench run --jobs N` that started it is gone.
///
/// ```
/// parent = the pid `bench run` passed (else getppid() at start)
/// at start and every `period`: getppid() ≠ parent  ⇒  SIGKILL self
/// ```
/// A parent killed with SIGKILL (not the whole process group, as Slurm does) releases the results
/// folder's lock at once — the kernel drops its `flock` — while its children would train on
/// until their next write to the closed pipe. A second `bench run` started in that gap would
/// train the same run beside them, and each one's checkpoint deletes the other's. Orphaned, a
/// child is re-parented (to init or a subreaper), which is what the watch sees; SIGKILL leaves its
/// last checkpoint as it was, and the next `bench run` resumes from it. The parent passes its pid
/// (`--parent-pid`): a parent killed before the child got here would otherwise already be replaced
/// by the reaper in `getppid()`. The Gymnasium workers watch their own parent the same way.
public enum ParentWatch {
  /// Checks on a background thread at once and then every `period` seconds.
  public static func start(parent expected: Int32? = nil, period: Double = 0.5) {
    let parent = expected ?? getppid()
    Thread.detachNewThread {
      while true {
        if getppid() != parent { kill(getpid(), SIGKILL) }
        Thread.sleep(forTimeInterval: period)
      }
    }
  }
}
