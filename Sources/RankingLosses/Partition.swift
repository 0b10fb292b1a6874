/// The positives of an input, sorted by ascending logit, with what every loss needs to know
/// about them.
///
/// Ties between positive logits are broken by input position so the order, and so every sum
/// over positives, never depends on how a sort treats equal keys.
struct Positives: Sendable {
  /// Logits, ascending.
  var logits: [Double]
  /// Targets in the same order (the IoU for RS; AP and aLRP ignore the value).
  var targets: [Double]
  /// Position of each positive in the input.
  var inputIndex: [Int]
  /// Rank of each positive among the positives in input order (0 for the first positive of the
  /// input): the index into per-positive inputs such as aLRP's regression losses.
  var ordinal: [Int]

  var count: Int { logits.count }
}

/// One pass over an input: the positives, the relevance threshold, and counts.
///
/// A negative is *relevant* when its logit is at least min(positive logits) − δ: below that,
/// H_δ(q − p_i) = 0 for every positive, so it cannot change the loss and gets a zero gradient.
/// The comparison is ≥, like the official code: a negative exactly at the threshold is relevant
/// but its relations are 0.
struct Partition: Sendable {
  var positives: Positives
  var count: Int
  var negatives: Int
  var relevantNegatives: Int
  var ignored: Int
  /// min(positive logits) − δ; +∞ when there is no positive (nothing is relevant).
  var threshold: Double

  init<L: ColumnScalar, T: ColumnScalar>(
    logits: UnsafeBufferPointer<L>, targets: UnsafeBufferPointer<T>, delta: Double
  ) throws {
    guard logits.count == targets.count else {
      throw RankingLossError.lengthMismatch(logits: logits.count, targets: targets.count)
    }
    guard !logits.isEmpty else { throw RankingLossError.emptyInput }
    guard delta.isFinite, delta >= 0 else { throw RankingLossError.invalidDelta(delta) }

    var positiveIndex: [Int] = []
    var negatives = 0
    var ignored = 0
    var firstNonFinite = -1
    var nonFinite = 0
    for i in 0..<logits.count {
      let s = logits[i]
      if !s.isFinite {
        if firstNonFinite < 0 { firstNonFinite = i }
        nonFinite += 1
      }
      let t = targets[i]
      if t > 0 {
        positiveIndex.append(i)
      } else if t == 0 {
        negatives += 1
      } else {
        ignored += 1
      }
    }
    if nonFinite > 0 {
      throw RankingLossError.nonFiniteLogits(firstIndex: firstNonFinite, count: nonFinite)
    }

    // Sort positives by (logit, input position).
    let order = positiveIndex.indices.sorted { a, b in
      let la = logits[positiveIndex[a]]
      let lb = logits[positiveIndex[b]]
      return la < lb || (la == lb && a < b)
    }
    positives = Positives(
      logits: order.map { logits[positiveIndex[$0]].double },
      targets: order.map { targets[positiveIndex[$0]].double },
      inputIndex: order.map { positiveIndex[$0] },
      ordinal: order
    )
    threshold = (positives.logits.first ?? .infinity) - delta

    var relevant = 0
    if !positives.logits.isEmpty {
      let threshold = self.threshold
      for i in 0..<logits.count where targets[i] == 0 && logits[i].double >= threshold {
        relevant += 1
      }
    }
    self.count = logits.count
    self.negatives = negatives
    self.ignored = ignored
    self.relevantNegatives = relevant
  }
}

extension UnsafeBufferPointer where Element: ColumnScalar {
  /// Calls `body(index, logit)` for every relevant negative, in input order.
  @inline(__always)
  func forEachRelevantNegative<T: ColumnScalar>(
    targets: UnsafeBufferPointer<T>, threshold: Double, _ body: (Int, Double) -> Void
  ) {
    for i in 0..<count {
      let q = self[i].double
      if q >= threshold && targets[i] == 0 { body(i, q) }
    }
  }
}
