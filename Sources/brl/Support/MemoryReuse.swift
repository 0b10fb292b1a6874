#if canImport(Glibc)
  import Glibc
#endif

/// How the C allocator hands out and back memory, set once at start, before any thread.
///
/// An evaluation allocates and frees many arrays of O(P) to O(N) elements one after the other
/// (per-interval sums, prefix sums, tables, gradient blocks), and every fresh 4 KiB page it
/// touches is a page fault: about 2.7 µs a page on this machine kind, 0.7 ms a megabyte. At
/// P = 30 000 an exact evaluation touches some 10 MB of such arrays, which was about as much
/// time as its binning pass. Three settings make those pages fewer and cheaper:
///
/// - **Reuse.** glibc serves each array of more than 128 KiB with a fresh `mmap` and unmaps it
///   when freed, so the next one faults every page in again. Keeping arrays below 64 MiB in
///   the heap, and freed memory there (up to 256 MiB at its top), lets the next array reuse it
///   (exact AP at P = 30 000, N = 10⁶, min of 7 in one sitting: 36 and 32 ms against 40 and
///   51 ms without). Larger arrays (the mapped input, gradients at N = 10⁸) are still mapped
///   and unmapped: `brl verify` at N = 10⁸ peaked at 1395 MB with it (1554 MB before, with
///   4-byte interval numbers then).
/// - **One arena.** glibc gives each thread its own arena, so an array freed by a worker
///   thread could only be reused by that thread. brl's threads allocate little inside their
///   loops; with one arena, memory freed anywhere is reused everywhere.
/// - **Huge pages for the heap.** 60 MiB at the start of the heap are advised as
///   transparent huge pages (`MADV_HUGEPAGE`, where the kernel allows it: here THP is
///   "madvise"). A 2 MiB page is one fault that zeroes 2 MiB (well under a tenth of a
///   millisecond) instead of 512 faults (1.4 ms). The range is only advised, not touched, so
///   it costs no memory until used, and then at most 2 MiB beyond what is used per page.
enum MemoryReuse {
  /// The heap range advised as huge pages.
  static let hugePageHeap = 60 << 20

  static func configure() {
    #if canImport(Glibc)
      // `mallopt` is glibc's (malloc.h, which the Glibc module does not export); looked up by
      // name, and nothing changes where it is missing (another C library).
      typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
      guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
      let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
      let trimThreshold: Int32 = -1  // M_TRIM_THRESHOLD
      let mmapThreshold: Int32 = -3  // M_MMAP_THRESHOLD
      let arenaMaximum: Int32 = -8  // M_ARENA_MAX
      _ = mallopt(arenaMaximum, 1)
      _ = mallopt(mmapThreshold, 64 << 20)
      _ = mallopt(trimThreshold, 256 << 20)
      adviseHugePages()
    #endif
  }

  #if canImport(Glibc)
    /// Grows the heap by ``hugePageHeap`` (one block below the mapping threshold, so it comes
    /// from the heap, untouched), advises its whole 2 MiB pages as huge pages and frees it
    /// back to the heap, which keeps it (below the trim threshold) for the arrays to come.
    private static func adviseHugePages() {
      let hugePage = 2 << 20
      guard let block = malloc(hugePageHeap) else { return }
      let start = (Int(bitPattern: block) + hugePage - 1) & ~(hugePage - 1)
      let end = (Int(bitPattern: block) + hugePageHeap) & ~(hugePage - 1)
      if end > start, let range = UnsafeMutableRawPointer(bitPattern: start) {
        _ = madvise(range, end - start, MADV_HUGEPAGE)
      }
      free(block)
    }
  #endif
}
