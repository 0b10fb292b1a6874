import Foundation

/// The process's peak resident set size, from Linux's `/proc/self/status` (VmHWM).
///
/// VmHWM is process-wide and only ever grows, so by itself it would report the largest point so
/// far for every later point. Writing `5` to `/proc/self/clear_refs` resets it to the current
/// RSS (Linux ≥ 4.0; it works in brl's containers); ``BenchRunner`` does that before each point,
/// after generating the input, so a point's peak covers its input arrays plus what the method
/// allocates. Where the reset is refused, the value is the process peak so far, an upper bound,
/// and ``reset()`` says so by returning `false`. Elsewhere than Linux both are unavailable.
public enum PeakMemory {
  /// Resets the high-water mark to the current RSS; `false` if the kernel refused.
  @discardableResult
  public static func reset() -> Bool {
    #if os(Linux)
      let fd = open("/proc/self/clear_refs", O_WRONLY)
      guard fd >= 0 else { return false }
      defer { close(fd) }
      return write(fd, "5", 1) == 1
    #else
      return false
    #endif
  }

  /// The peak RSS in bytes since the last reset (or process start), or `nil` if unknown.
  public static func current() -> Int? {
    #if os(Linux)
      guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else {
        return nil
      }
      for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard fields.count >= 2, let kib = Int(fields[1]) else { return nil }
        return kib * 1024
      }
      return nil
    #else
      return nil
    #endif
  }
}
