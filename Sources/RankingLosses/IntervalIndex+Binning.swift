extension IntervalIndex {
  /// Calls `body(i, q, k)` for every relevant negative i in `range` (target exactly 0, logit q
  /// at least `threshold`: ``Partition/relevance(logit:target:threshold:)``) with its interval
  /// k = #{b ≤ q}, in ascending i.
  ///
  /// This is the binning pass of exact and bucketed, so its cost per element is most of theirs.
  /// Written as a loop with a relevance test and ``interval(_:)`` it ran at 10–12 ns an element
  /// at P = 1000 (detector-like data, about 45 % relevant): the relevance test and the scan
  /// inside a grid cell are branches on the data, each mispredicted about as often as not, at
  /// some 15–20 cycles each. Here neither is a branch:
  ///
  /// 1. A block of up to 1024 elements is tested for relevance with no branch: every position
  ///    is written to a small buffer and the write cursor advances by 0 or 1.
  /// 2. The relevant ones are looked up with no branch on their values: the grid cell's count
  ///    f = t[c] plus a fixed window of ``window`` comparisons b[f + j] ≤ q (break points padded
  ///    with −∞ before and +∞ after). When the cell holds more break points than the window, or
  ///    rounding put q in a neighbouring cell, the check b[f − 1] ≤ q < b[f + window] fails (a
  ///    branch almost always taken the same way, so predicted) and ``interval(_:)`` answers
  ///    instead. So the result is always exactly #{b ≤ q}. The check reads the window's
  ///    neighbours, not b[k − 1] and b[k]: loads that wait for the comparisons made the
  ///    look-up a chain of four dependent loads and cost a quarter of the pass.
  ///
  /// The accumulators `body` updates stay a dependency chain only where consecutive relevant
  /// negatives share an interval, which is what the data does, not the code.
  @inline(__always)
  func forEachRelevantNegative<L: ColumnScalar, T: ColumnScalar>(
    in range: Range<Int>, logits: UnsafeBufferPointer<L>, targets: UnsafeBufferPointer<T>,
    threshold: Double, _ body: (Int, Double, Int) -> Void
  ) {
    guard !table.isEmpty else {
      // No grid (a span that overflows or underflows): binary searches.
      for i in range {
        let q = logits[i].double
        guard q >= threshold && targets[i] == 0 else { continue }
        body(i, q, interval(q))
      }
      return
    }
    table.withUnsafeBufferPointer { t in
      padded.withUnsafeBufferPointer { padded in
        // b[j] = padded[j + 1]: b[−1] = −∞, b[count...] = +∞.
        let b = UnsafePointer(padded.baseAddress! + 1)
        let lastCell = Double(t.count - 2)
        forEachSelected(in: range) { i in
          Partition.relevance(logit: logits[i].double, target: targets[i], threshold: threshold)
        } _: { i in
          let q = logits[i].double
          body(i, q, lookUp(q, table: t, breaks: b, lastCell: lastCell))
        }
      }
    }
  }

  /// The look-up of step 2: `b` points at the first break point of ``padded`` (b[−1] = −∞,
  /// b[count...] = +∞), `lastCell` is the grid's last cell.
  @inline(__always)
  private func lookUp(
    _ q: Double, table t: UnsafeBufferPointer<UInt32>, breaks b: UnsafePointer<Double>,
    lastCell: Double
  ) -> Int {
    let position = (q - low) * inverseWidth
    // q ≥ low gives position ≥ 0; anything else (below low, NaN) goes to cell 0 and is settled
    // by the selects and the check below.
    let cell = Int(position >= 0 ? min(position, lastCell) : 0)
    let first = Int(t[cell])
    var k = first
    for w in 0..<Self.window { k &+= b[first + w] <= q ? 1 : 0 }
    // Exact when b[first − 1] ≤ q < b[first + window] (the ascending break points then put
    // exactly k of them at or below q), or 0 below the lowest. These loads depend on the cell
    // only, not on the comparisons, so they run beside them.
    let below = q < low ? 1 : 0
    let bracketed = (b[first - 1] <= q ? 1 : 0) & (q < b[first + Self.window] ? 1 : 0)
    k = below == 1 ? 0 : k
    if below | bracketed == 0 { k = interval(q) }
    return k
  }
}

/// Calls `body(i)` for every i in `range` whose `selected(i)` is 1 (0 or 1, computed without a
/// branch), in ascending order: step 1 of
/// ``IntervalIndex/forEachRelevantNegative(in:logits:targets:threshold:_:)``, for every
/// binning pass. A block of up to 1024 is tested first, every position written to a small
/// buffer and the cursor advanced by the result, so the test is never a mispredicted branch;
/// then `body` runs on the selected ones.
///
/// **Sparse stretches.** Where few are selected (a block under 1/16: at P = 10 about 3 % of
/// a detector-like input is relevant) a branch on the test is predicted almost always right,
/// and the branch-free write of every position is the dearer of the two: in one `perf`
/// comparison at P = 10, N = 10⁵, exact's binning took about 30 % more CPU than the plain loop
/// with a branch it had replaced, and with this switch about 15 % less than without it. So
/// after a sparse block the next is a plain loop (`where selected(i) != 0`), and a block that
/// turns out dense switches back. Either way `body` sees the same i in the same order, so
/// nothing it computes changes.
@inline(__always)
func forEachSelected(
  in range: Range<Int>, _ selected: (Int) -> Int, _ body: (Int) -> Void
) {
  let blockSize = 1024
  // A block with fewer than blockSize >> sparseShift selected is sparse.
  let sparseShift = 4
  // Not `withUnsafeTemporaryAllocation`: inside its closure, `body` was outlined and called
  // once an element in bucketed's binning pass (exact's happened to inline it), which made
  // that pass about 1.6 times exact's at N = 10⁸.
  let picked = UnsafeMutablePointer<Int32>.allocate(capacity: blockSize)
  defer { picked.deallocate() }
  var start = range.lowerBound
  var sparse = false
  while start < range.upperBound {
    let end = min(start + blockSize, range.upperBound)
    var found = 0
    if sparse {
      for i in start..<end where selected(i) != 0 {
        found &+= 1
        body(i)
      }
    } else {
      for i in start..<end {
        picked[found] = Int32(truncatingIfNeeded: i - start)
        found &+= selected(i)
      }
      for j in 0..<found { body(start + Int(picked[j])) }
    }
    sparse = found << sparseShift < end - start
    start = end
  }
}

/// Per input element, a small number a binning pass stored (exact: its interval, bucketed: its
/// bucket + 1; 0 for anything but a relevant negative), so the gradient pass reads it instead
/// of testing relevance and looking the interval up again.
///
/// 16 bits while the numbers fit, else 32. The array is the one O(N) thing exact and bucketed
/// allocate, and a fresh 4 KiB page costs about 2.7 µs to fault in here: 32-bit numbers for
/// N = 10⁶ were about 2.8 ms of CPU in a pass of 10, and half the bytes is half of that (and
/// half the memory at N = 10⁸).
enum IntervalNumbers {
  case narrow([UInt16])
  case wide([UInt32])
}
