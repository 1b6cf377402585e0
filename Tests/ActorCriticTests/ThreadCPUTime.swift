import Foundation

/// CPU seconds of the calling thread (`CLOCK_THREAD_CPUTIME_ID`): time bounds that catch a hang or
/// an allocation of gigabytes without tripping when other processes load the machine (wall-clock
/// bounds flaked at load averages of 8–12).
func threadCPUSeconds() -> Double {
  var time = timespec()
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
  return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}
