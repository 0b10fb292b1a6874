#if canImport(Glibc)
  import Glibc
#endif

/// How the C allocator hands back freed memory, set once at start.
///
/// An evaluation allocates and frees many arrays of O(P) to O(N) elements one after the other
/// (per-interval sums, prefix sums, gradient blocks). glibc serves each of more than 128 KiB
/// with a fresh `mmap` and unmaps it when freed, so the next one faults every page in again:
/// about 2.7 µs a 4 KiB page on this machine kind, 0.7 ms a megabyte. Keeping freed memory
/// below 64 MiB in the heap lets the next array reuse it (exact AP at P = 30 000, N = 10⁶, min
/// of 7 in one sitting: 36 and 32 ms against 40 and 51 ms without). Larger arrays (the mapped
/// input, gradients at N = 10⁸) are still mapped and unmapped, and the heap still returns memory
/// once more than 256 MiB at its top is free: `brl verify` at N = 10⁸ peaked at 1395 MB with it
/// (1554 MB before, with 4-byte interval numbers then).
enum MemoryReuse {
  static func configure() {
    #if canImport(Glibc)
      // `mallopt` is glibc's (malloc.h, which the Glibc module does not export); looked up by
      // name, and nothing changes where it is missing (another C library).
      typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
      guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
      let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
      let trimThreshold: Int32 = -1  // M_TRIM_THRESHOLD
      let mmapThreshold: Int32 = -3  // M_MMAP_THRESHOLD
      _ = mallopt(mmapThreshold, 64 << 20)
      _ = mallopt(trimThreshold, 256 << 20)
    #endif
  }
}
