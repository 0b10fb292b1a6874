/// The two negative sums of ``NegativeModel`` evaluated term by term: O(P·M) for M relevant
/// negatives. This is the definition, and the reference the other methods are checked against.
///
/// The loops follow the official code: for each positive (ascending), a pass over all relevant
/// negatives. The relevant negatives are gathered once into a contiguous array so that each pass
/// streams through memory without touching targets or irrelevant examples.
struct NaiveNegatives: NegativeModel {
  let step: SmoothStep
  let positives: [Double]
  /// Relevant negatives' logits and input positions, in input order.
  let logits: [Double]
  let index: [Int]

  init<L: ColumnScalar, T: ColumnScalar>(
    logits: UnsafeBufferPointer<L>, targets: UnsafeBufferPointer<T>, partition: Partition,
    step: SmoothStep
  ) {
    self.step = step
    self.positives = partition.positives.logits
    var q: [Double] = []
    var index: [Int] = []
    q.reserveCapacity(partition.relevantNegatives)
    index.reserveCapacity(partition.relevantNegatives)
    logits.forEachRelevantNegative(targets: targets, threshold: partition.threshold) { i, value in
      q.append(value)
      index.append(i)
    }
    self.logits = q
    self.index = index
  }

  func falsePositives() -> [Double] {
    positives.map { p in
      var sum = 0.0
      for q in logits { sum += step(q - p) }
      return sum
    }
  }

  func writeGradients(weights: [Double], into gradient: UnsafeMutableBufferPointer<Double>) {
    var accumulated = [Double](repeating: 0, count: logits.count)
    for (p, w) in zip(positives, weights) where w != 0 {
      for n in logits.indices { accumulated[n] += step(logits[n] - p) * w }
    }
    for (i, g) in zip(index, accumulated) { gradient[i] = g }
  }
}
