/// The checks and counts every evaluation starts with, in one place: the input's shape and δ,
/// then one chunked pass that finds non-finite logits and counts positives (target > 0),
/// negatives (target == 0) and ignored examples (anything else).
///
/// ``Partition`` uses it for the batch and keeps the positives' positions; the per-image
/// evaluation uses it for the whole input, so errors and statistics speak of the input.
struct InputScan {
  /// Input positions of the positives, ascending; empty unless they were asked for.
  var positivePositions: [Int]
  /// With `keepingPositiveValues`: the positives' logits, targets and logits'
  /// ``ColumnScalar/descendingSortKey``, in the order of `positivePositions` (read while the
  /// pass streams through the input, so sorting the positives needs no random reads of it).
  var positiveLogits: [Double] = []
  var positiveTargets: [Double] = []
  var positiveKeys: [UInt64] = []
  var positives: Int
  var negatives: Int
  var ignored: Int
  let chunking: Chunking

  /// Throws for logits and targets of different lengths, an empty input or an invalid δ, in that
  /// order.
  static func checkShape(logitCount: Int, targetCount: Int, delta: Double) throws {
    guard logitCount == targetCount else {
      throw RankingLossError.lengthMismatch(logits: logitCount, targets: targetCount)
    }
    guard logitCount > 0 else { throw RankingLossError.emptyInput }
    guard delta.isFinite, delta >= 0 else { throw RankingLossError.invalidDelta(delta) }
  }

  /// What one chunk of the input holds.
  private struct ChunkSummary {
    var positivePositions: [Int] = []
    var positiveLogits: [Double] = []
    var positiveTargets: [Double] = []
    var positiveKeys: [UInt64] = []
    var positives = 0
    var negatives = 0
    var ignored = 0
    var firstNonFinite: Int? = nil
    var nonFinite = 0
  }

  /// Scans inputs of equal length (``checkShape(logitCount:targetCount:delta:)`` first) in fixed
  /// chunks on `parallelism`'s threads; chunk results are joined in chunk order, so nothing
  /// depends on the thread count.
  ///
  /// - Throws: ``RankingLossError/nonFiniteLogits(firstIndex:count:)``.
  init<L: ColumnScalar, T: ColumnScalar>(
    logits: UnsafeBufferPointer<L>, targets: UnsafeBufferPointer<T>, parallelism: Parallelism,
    keepingPositivePositions: Bool, keepingPositiveValues: Bool = false
  ) throws {
    let chunking = Chunking(count: logits.count)
    let summaries = chunking.map(parallelism) { range in
      var summary = ChunkSummary()
      // The counts in locals, added without branches; the only branch is on a positive (rare,
      // so predicted). Kept in the summary, which the appends below pass by reference, each
      // count was a load and a store an element behind branches on the data; this loop made
      // every method 12–21 % faster at P = 10, N = 10⁵ (docs/performance.md, seventh pass).
      var positives = 0
      var negatives = 0
      var nonFinite = 0
      for i in range {
        nonFinite &+= logits[i].isFinite ? 0 : 1
        let t = targets[i]
        negatives &+= t == 0 ? 1 : 0
        if t > 0 {
          if keepingPositivePositions { summary.positivePositions.append(i) }
          if keepingPositiveValues {
            summary.positiveLogits.append(logits[i].double)
            summary.positiveTargets.append(t.double)
            summary.positiveKeys.append(logits[i].descendingSortKey)
          }
          positives &+= 1
        }
      }
      summary.positives = positives
      summary.negatives = negatives
      // Anything else: negative or NaN targets.
      summary.ignored = range.count - positives - negatives
      summary.nonFinite = nonFinite
      // An error: find where it starts (a second look at this chunk only).
      if nonFinite > 0 { summary.firstNonFinite = range.first { !logits[$0].isFinite } }
      return summary
    }
    let nonFinite = summaries.reduce(0) { $0 + $1.nonFinite }
    if nonFinite > 0 {
      let first = summaries.lazy.compactMap(\.firstNonFinite).first!
      throw RankingLossError.nonFiniteLogits(firstIndex: first, count: nonFinite)
    }
    positivePositions = keepingPositivePositions ? summaries.flatMap(\.positivePositions) : []
    if keepingPositiveValues {
      positiveLogits = summaries.flatMap(\.positiveLogits)
      positiveTargets = summaries.flatMap(\.positiveTargets)
      positiveKeys = summaries.flatMap(\.positiveKeys)
    }
    positives = summaries.reduce(0) { $0 + $1.positives }
    negatives = summaries.reduce(0) { $0 + $1.negatives }
    ignored = summaries.reduce(0) { $0 + $1.ignored }
    self.chunking = chunking
  }
}
