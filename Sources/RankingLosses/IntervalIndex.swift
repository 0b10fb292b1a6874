/// Finds, for a logit q, its interval k = #{b ≤ q} among ascending break points b, in O(1)
/// expected time: a uniform grid over [b_0, b_last] remembers, for each cell, how many break
/// points lie at or below its edges, and a short scan (or, in a crowded cell, a binary search)
/// inside those few finishes.
///
/// The exact method asks this for every relevant negative, so replacing a full binary search
/// (log₂ 2P unpredictable branches) by a table look-up is most of its speed. The grid has four
/// cells per break point up to a budget (``cellCount(breaks:)``), so a cell of ordinary data
/// holds at most one or two break points and the scan is a comparison or two. The answer is
/// always exactly #{b ≤ q}: rounding in the cell arithmetic can only make the bracket wrong,
/// and a wrong bracket is detected and falls back to a binary search over all break points.
struct IntervalIndex: Sendable {
  let breaks: [Double]
  let low: Double
  let high: Double
  let inverseWidth: Double
  /// table[c] = #{b ≤ low + c·width} for c in 0...cells.
  let table: [UInt32]
  /// −∞, the break points, then ``window`` + 1 times +∞: the branch-free look-up's window and
  /// its two neighbours never leave the array (``forEachRelevantNegative(in:logits:targets:threshold:_:)``).
  let padded: [Double]
  /// How many break points the branch-free look-up compares after a cell's count.
  static let window = 4

  /// The most cells the grid gets for four per break point: 2¹⁶, a table of 256 KiB.
  static let cellBudget = 1 << 16

  /// The grid's cells for `breaks` break points: four per break point while that is within
  /// ``cellBudget``, else the budget, but never fewer than one per break point.
  ///
  /// **Why a budget.** A look-up's first load is the table entry of the query's cell, at a
  /// random place in the table, and the binning pass waits for it. Four cells per break point
  /// at P = 30 000 (60 001 break points) made a table of 960 KB, beyond the 512 KB L2 cache of
  /// a core here: the pass cost 31 ns of CPU per relevant negative against 20 ns at P = 1000,
  /// and `perf annotate` put about 40 % of its samples on the instructions waiting for that
  /// load. With the budget (65 536 cells, 256 KB) the pass took 20.2 ms of CPU a run instead
  /// of 25.5 ms (exact AP, N = 10⁶, 20 runs each), and building the table 0.5 ms instead of
  /// 1.3 ms. Fewer cells per break point only make a crowded cell's check fail more often,
  /// and the fall-back (``interval(_:)``) keeps every answer exact, so no result changes.
  static func cellCount(breaks: Int) -> Int {
    4 * breaks <= cellBudget ? 4 * breaks : max(cellBudget, breaks)
  }

  /// Cells longer than this are searched by bisection instead of a scan.
  private static let scanLimit = 8

  init(breaks: [Double]) {
    let low = breaks.first ?? 0
    let high = breaks.last ?? 0
    // No grid where the span overflows (logits near ±Double.greatestFiniteMagnitude): then
    // every look-up is a binary search.
    // Likewise where it is so small (subnormal break points) that cells/span overflows, or
    // where the counts would not fit the table's 32 bits.
    let span = high - low
    let cells =
      span > 0 && span.isFinite && (Double(4 * breaks.count) / span).isFinite
        && breaks.count < Int(UInt32.max)
      ? Self.cellCount(breaks: breaks.count) : 0
    let width = cells > 0 ? (high - low) / Double(cells) : 0
    self.breaks = breaks
    self.low = low
    self.high = high
    inverseWidth = cells > 0 ? Double(cells) / (high - low) : 0
    // One merge-like walk instead of a binary search per cell, written in place (appending
    // 240 000 cells at P = 30 000 took a millisecond of capacity checks).
    self.table = [UInt32](unsafeUninitializedCapacity: cells > 0 ? cells + 1 : 0) {
      table, written in
      guard cells > 0 else { return }
      breaks.withUnsafeBufferPointer { b in
        var k = 0
        for c in 0...cells {
          let edge = low + Double(c) * width
          while k < b.count && b[k] <= edge { k += 1 }
          table[c] = UInt32(truncatingIfNeeded: k)
        }
      }
      written = cells + 1
    }
    padded = [-.infinity] + breaks + [Double](repeating: .infinity, count: Self.window + 1)
  }

  /// #{b ≤ q}.
  @inline(__always)
  func interval(_ q: Double) -> Int {
    if q >= high { return breaks.count }
    if q < low { return 0 }
    guard !table.isEmpty else { return breaks.upperBound(q) }
    // A position outside the grid (or NaN, which no comparison admits) cannot happen for
    // low ≤ q < high with a finite span; it falls back to a binary search rather than trap.
    let position = (q - low) * inverseWidth
    guard position >= 0 && position < Double(table.count - 1) else {
      return breaks.upperBound(q)
    }
    return breaks.withUnsafeBufferPointer { b in
      table.withUnsafeBufferPointer { t in
        let cell = min(Int(position), t.count - 2)
        let lo = Int(t[cell])
        let hi = Int(t[cell + 1])
        // The answer lies in lo...hi if the cell is right: b[lo − 1] ≤ q < b[hi].
        guard (lo == 0 || b[lo - 1] <= q) && (hi == b.count || b[hi] > q) else {
          return b.upperBound(q)
        }
        guard hi - lo <= Self.scanLimit else { return b[lo..<hi].upperBound(q) }
        var k = lo
        while k < hi && b[k] <= q { k += 1 }
        return k
      }
    }
  }
}

extension Collection where Element == Double, Index == Int {
  /// #{b ≤ x} for an ascending collection, counted from `startIndex`: the index of the first
  /// element greater than `x`.
  @inline(__always)
  func upperBound(_ x: Double) -> Int {
    var low = startIndex
    var count = self.count
    while count > 0 {
      let half = count / 2
      if self[low + half] <= x {
        low += half + 1
        count -= half + 1
      } else {
        count = half
      }
    }
    return low
  }
}
