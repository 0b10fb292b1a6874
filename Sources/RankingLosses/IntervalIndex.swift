/// Finds, for a logit q, its interval k = #{b ≤ q} among ascending break points b, in O(1)
/// expected time: a uniform grid over [b_0, b_last] remembers, for each cell, how many break
/// points lie at or below its edges, and a short scan (or, in a crowded cell, a binary search)
/// inside those few finishes.
///
/// The exact method asks this for every relevant negative, so replacing a full binary search
/// (log₂ 2P unpredictable branches) by a table look-up is most of its speed. The grid has two
/// cells per break point, so a cell of ordinary data holds at most one or two break points and
/// the scan is a comparison or two. The answer is always exactly #{b ≤ q}: rounding in the cell
/// arithmetic can only make the bracket wrong, and a wrong bracket is detected and falls back
/// to a binary search over all break points.
///
/// A loop over many logits uses ``guess(_:)`` and ``isInterval(_:of:)`` instead of
/// ``interval(_:)``: the guess has no data-dependent branch (a clamp, one table read and two
/// comparisons turned into 0/1), and the check that it is right is a branch taken only in
/// crowded cells or where rounding moved the cell — so a mispredicted branch does not throw
/// away the work on the next logits, which is what made the look-up cost ~10 ns.
struct IntervalIndex: Sendable {
  let breaks: [Double]
  private let low: Double
  private let high: Double
  private let inverseWidth: Double
  /// table[c] = #{b ≤ low + c·width} for c in 0...cells; [0] when there is no grid. 16 bits a
  /// cell when the counts fit (up to 32 767 positives), else 32 (`wideTable`; then `table` is
  /// [0]): at P = 30 000 the look-ups of a pass hit half the cache lines.
  private let table: [UInt16]
  private let wideTable: [UInt32]
  /// cells − 1 (the last cell a guess may use), 0 when there is no grid.
  private let lastCell: Double
  /// −∞, the break points, +∞, +∞: padded[k] = b_{k−1}, so k is q's interval exactly when
  /// padded[k] ≤ q < padded[k + 1], and a guess may look two break points past any cell start.
  private let padded: [Double]

  /// Two cells per break point: a cell of ordinary data holds at most two (a guess is wrong
  /// for ~0.1 % of the detector-like logits), and the table stays small enough for the cache.
  private static let cellsPerBreak = 2

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
      span > 0 && span.isFinite
        && (Double(Self.cellsPerBreak * breaks.count) / span).isFinite
        && breaks.count < Int(UInt32.max)
      ? Self.cellsPerBreak * breaks.count : 0
    let width = cells > 0 ? (high - low) / Double(cells) : 0
    self.breaks = breaks
    self.low = low
    self.high = high
    inverseWidth = cells > 0 ? Double(cells) / (high - low) : 0
    lastCell = cells > 0 ? Double(cells - 1) : 0
    padded = [-.infinity] + breaks + [.infinity, .infinity]
    // One merge-like walk instead of a binary search per cell.
    var table: [UInt32] = [0]
    if cells > 0 {
      table = []
      table.reserveCapacity(cells + 1)
      var k = 0
      for c in 0...cells {
        let edge = low + Double(c) * width
        while k < breaks.count && breaks[k] <= edge { k += 1 }
        table.append(UInt32(k))
      }
    }
    if breaks.count <= Int(UInt16.max) {
      self.table = table.map { UInt16(truncatingIfNeeded: $0) }
      wideTable = []
    } else {
      self.table = [0]
      wideTable = table
    }
  }

  /// table[c] (see there), from whichever table holds it.
  @inline(__always)
  private func cellStart(_ c: Int) -> Int {
    if wideTable.isEmpty {
      return table.withUnsafeBufferPointer { Int($0[c]) }
    }
    return wideTable.withUnsafeBufferPointer { Int($0[c]) }
  }

  /// The number of cells (0 when there is no grid).
  private var cells: Int { max(table.count, wideTable.count) - 1 }

  /// #{b ≤ q}.
  @inline(__always)
  func interval(_ q: Double) -> Int {
    if q >= high { return breaks.count }
    if q < low { return 0 }
    guard cells > 0 else { return breaks.upperBound(q) }
    // A position outside the grid (or NaN, which no comparison admits) cannot happen for
    // low ≤ q < high with a finite span; it falls back to a binary search rather than trap.
    let position = (q - low) * inverseWidth
    guard position >= 0 && position < Double(cells) else {
      return breaks.upperBound(q)
    }
    let cell = min(Int(position), cells - 1)
    let lo = cellStart(cell)
    let hi = cellStart(cell + 1)
    return breaks.withUnsafeBufferPointer { b in
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

extension IntervalIndex {
  /// A guess at #{b ≤ q} for a finite q, computed without data-dependent branches: the start of
  /// q's cell plus the break points among the next two that are ≤ q. Always in 0...breaks.count
  /// (a q outside the grid is clamped into its first or last cell; with no grid every guess
  /// starts at 0), right whenever the cell is right and holds at most two break points;
  /// ``isInterval(_:of:)`` tells.
  @inline(__always)
  func guess(_ q: Double) -> Int {
    // min(lastCell, x) is lastCell for a NaN x (an infinite q − low times no grid's 0), and
    // max(0, ·) keeps it ≥ 0; both compile to minsd/maxsd, not to branches.
    let position = Swift.max(0, Swift.min(lastCell, (q - low) * inverseWidth))
    let start = cellStart(Int(position))
    return padded.withUnsafeBufferPointer { b in
      start &+ (b[start &+ 1] <= q ? 1 : 0) &+ (b[start &+ 2] <= q ? 1 : 0)
    }
  }

  /// Whether k (in 0...breaks.count) is #{b ≤ q}: b_{k−1} ≤ q < b_k.
  @inline(__always)
  func isInterval(_ k: Int, of q: Double) -> Bool {
    padded.withUnsafeBufferPointer { b in (b[k] <= q ? 1 : 0) & (q < b[k &+ 1] ? 1 : 0) != 0 }
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
