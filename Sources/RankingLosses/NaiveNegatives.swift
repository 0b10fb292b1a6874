/// The two negative sums of ``NegativeModel`` evaluated term by term: O(P·M) for M relevant
/// negatives. This is the definition, and the reference the other methods are checked against.
///
/// The relevant negatives are gathered once into a contiguous array. FP_i is one pass over them
/// per positive; a negative's gradient adds w_i·H(q − p_i) over the positives in ascending
/// order, the order in which the official loop accumulates it. Positives (for FP) and negatives
/// (for gradients) are split among threads; each sum stays whole on one thread, so the bits do
/// not depend on the thread count.
struct NaiveNegatives: NegativeModel {
  let step: SmoothStep
  let positives: [Double]
  let negatives: RelevantNegatives
  let parallelism: Parallelism

  var relevantCount: Int { negatives.count }

  init<L: ColumnScalar, T: ColumnScalar>(
    logits: UnsafeBufferPointer<L>, targets: UnsafeBufferPointer<T>, partition: Partition,
    step: SmoothStep
  ) {
    self.step = step
    self.positives = partition.positives.logits
    self.negatives = RelevantNegatives(logits: logits, targets: targets, partition: partition)
    self.parallelism = partition.parallelism
  }

  func falsePositives() -> [Double] {
    let q = negatives.logits
    let split = Chunking(
      count: positives.count, minimumChunkSize: max(1, (1 << 16) / max(1, q.count)))
    return split.map(parallelism) { range in
      range.map { i in
        let p = positives[i]
        var sum = 0.0
        for value in q { sum += step(value - p) }
        return sum
      }
    }.flatMap { $0 }
  }

  func writeGradients(weights: [Double], into gradient: UnsafeMutableBufferPointer<Double>) {
    let active = zip(positives, weights).filter { $0.1 != 0 }
    let q = negatives.logits
    let index = negatives.index
    let split = Chunking(count: q.count, minimumChunkSize: max(1, (1 << 16) / max(1, active.count)))
    let output = UncheckedSendable(gradient)
    split.forEach(parallelism) { _, range in
      for n in range {
        var sum = 0.0
        for (p, w) in active { sum += step(q[n] - p) * w }
        output.value[index[n]] = sum
      }
    }
  }
}
