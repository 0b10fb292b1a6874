/// The two negative sums of ``NegativeModel`` on buckets, as the official bucketed losses
/// (Yavuz et al., ECCV 2024) compute them.
///
/// The relevant negatives that fall between two consecutive positives form one bucket B_b, represented by its size |B_b| and its mean logit
/// m_b. Then
///
///     FP_i ≈ Σ_b |B_b| · H_δ(m_b − p_i)      g_n ≈ Σ_i w_i · H_δ(m_b(n) − p_i)
///
/// and every member of a bucket gets the bucket's gradient.
///
/// **No sort.** The official code sorts the negatives to find the buckets; but bucket k is just
/// the negatives with k positives at or below them, #{p ≤ q}, which an ``IntervalIndex`` over
/// the ascending positives finds in O(1) expected time. So one streaming pass adds each
/// relevant negative to its bucket's count and sum (per chunk, the chunks added in chunk
/// order, so the bits do not depend on the thread count) and stores each element's bucket
/// number (``IntervalNumbers``: 2 bytes an element below 65 535 positives), and the gradient of
/// a range reads them back: a table look-up an element, with neither a relevance test nor a
/// second search (looking the buckets up again made each full gradient cost as much as the
/// binning, and `brl verify` writes one per comparison). Time O(N + P·B) with B ≤ P + 1
/// non-empty buckets, memory O(P) plus the numbers beyond the input: no sorted copy (the
/// official code's `torch.sort` makes sorted logits, 8-byte indices and the targets gathered in
/// that order), never a P×N matrix. The
/// buckets, their sizes and their means are the official ones; only the order in which a
/// bucket's logits are summed differs from a sort's (a difference in the last bits of a mean).
///
/// **Exact at δ = 0.** With the hard step, H_0(q − p_i) is the same for every q in a bucket,
/// because no positive lies strictly inside a bucket's range. A negative whose logit equals a
/// positive's is put in the bucket *above* that positive, so every bucket holds logits in
/// [p_k, p_{k+1}) and H_0(0) = 1 counts the tie as a false positive, as naive does. (The official
/// code leaves ties to torch's unstable sort, so its results on tied logits depend on the sort.)
/// The rounded mean of a bucket is clamped into the bucket's range [p_k, p_{k+1}), where the
/// true mean lies: three copies of −1e30 sum and divide to a neighbour of −1e30, and a mean
/// below a tied positive would lose the tie at δ = 0.
///
/// **Approximate at δ > 0.** H_δ is not constant over a bucket, and H_δ(mean) ≠ mean of H_δ where
/// the bucket straddles a ramp end p_i ± δ.
struct BucketedNegatives<L: ColumnScalar, T: ColumnScalar>: NegativeModel {
  let logits: UnsafeBufferPointer<L>
  let targets: UnsafeBufferPointer<T>
  let partition: Partition
  let step: SmoothStep
  let positives: [Double]
  /// Buckets are the intervals of the positives: bucket k = #{p ≤ q}, k in 0...P.
  let index: IntervalIndex
  /// The non-empty buckets: their number k, mean logit and size.
  let bucketNumbers: [Int]
  let means: [Double]
  let sizes: [Double]
  let relevantCount: Int
  /// Per input element: its bucket + 1 if it is a relevant negative, else 0 (the binning pass
  /// stores it; the gradient pass reads it instead of looking the bucket up again).
  let elementBuckets: IntervalNumbers

  var buckets: Int? { means.count }

  init(
    logits: UnsafeBufferPointer<L>, targets: UnsafeBufferPointer<T>, partition: Partition,
    step: SmoothStep
  ) {
    self.logits = logits
    self.targets = targets
    self.partition = partition
    self.step = step
    let positives = partition.positives.logits
    self.positives = positives
    let index = IntervalIndex(breaks: positives)
    self.index = index

    // Per chunk: count and Σ q per bucket, side by side. At most ~2¹⁸ accumulators in all,
    // and the chunks depend only on the sizes, never on the thread count (as in
    // ``ExactNegatives``).
    let intervals = positives.count + 1
    let chunking = Chunking(count: logits.count, maximumChunks: max(2, (1 << 17) / intervals))
    // Bucket k is stored as k + 1, so 0 marks everything else.
    let parts: [[Double]]
    if intervals <= Int(UInt16.max) {
      let (numbers, sums) = Self.bin(
        UInt16.self, logits: logits, targets: targets, partition: partition, index: index,
        intervals: intervals, chunking: chunking)
      (elementBuckets, parts) = (.narrow(numbers), sums)
    } else {
      let (numbers, sums) = Self.bin(
        UInt32.self, logits: logits, targets: targets, partition: partition, index: index,
        intervals: intervals, chunking: chunking)
      (elementBuckets, parts) = (.wide(numbers), sums)
    }
    var total = [Double](repeating: 0, count: 2 * intervals)
    for part in parts { for k in 0..<(2 * intervals) { total[k] += part[k] } }

    var bucketNumbers: [Int] = []
    var means: [Double] = []
    var sizes: [Double] = []
    for k in 0..<intervals where total[2 * k] > 0 {
      let size = total[2 * k]
      // Bucket k holds logits in [p_{k−1}, p_k) (from the threshold for k = 0).
      let lowest = k > 0 ? positives[k - 1] : partition.threshold
      let highest = k < positives.count ? positives[k].nextDown : .infinity
      bucketNumbers.append(k)
      means.append(min(max(total[2 * k + 1] / size, lowest), highest))
      sizes.append(size)
    }
    self.bucketNumbers = bucketNumbers
    self.means = means
    self.sizes = sizes
    self.relevantCount = Int(sizes.reduce(0, +))
  }

  /// The binning pass: every element's bucket + 1 (0 unless a relevant negative) and, per
  /// chunk, the count and Σ q of every bucket side by side.
  ///
  /// The same frame as exact's binning pass, on purpose: one generic pass with the two sums
  /// passed in (as a closure, or as a type conforming to a protocol) was not inlined into the
  /// look-up loop, and exact at P = 1000, N = 10⁶ went from 10–11 ms to 13–20 ms.
  private static func bin<I: FixedWidthInteger & UnsignedInteger>(
    _: I.Type, logits: UnsafeBufferPointer<L>, targets: UnsafeBufferPointer<T>,
    partition: Partition, index: IntervalIndex, intervals: Int, chunking: Chunking
  ) -> (numbers: [I], parts: [[Double]]) {
    var parts: [[Double]] = []
    let numbers = [I](unsafeUninitializedCapacity: logits.count) { slots, initialized in
      let slots = UncheckedSendable(slots)
      parts = chunking.map(partition.parallelism) { range in
        var sums = [Double](repeating: 0, count: 2 * intervals)
        sums.withUnsafeMutableBufferPointer { acc in
          UnsafeMutableBufferPointer(rebasing: slots.value[range]).initialize(repeating: 0)
          index.forEachRelevantNegative(
            in: range, logits: logits, targets: targets, threshold: partition.threshold
          ) { i, q, k in
            slots.value[i] = I(truncatingIfNeeded: k + 1)
            acc[2 * k] += 1
            acc[2 * k + 1] += q
          }
        }
        return sums
      }
      initialized = logits.count
    }
    return (numbers, parts)
  }

  func falsePositives() -> [Double] {
    positives.map { p in
      var sum = 0.0
      for (m, size) in zip(means, sizes) { sum += step(m - p) * size }
      return sum
    }
  }

  func gradientWriter(weights: [Double]) -> GradientWriter {
    // The gradient of every bucket, indexed by stored number: 0 for anything but a relevant
    // negative, bucket k at k + 1 (0 for the empty ones).
    var table = [Double](repeating: 0, count: positives.count + 2)
    for (b, k) in bucketNumbers.enumerated() {
      var g = 0.0
      for (p, w) in zip(positives, weights) where w != 0 { g += step(means[b] - p) * w }
      table[k + 1] = g
    }
    switch elementBuckets {
    case .narrow(let numbers):
      return { range, output in Self.gather(range, numbers: numbers, table: table, into: output) }
    case .wide(let numbers):
      return { range, output in Self.gather(range, numbers: numbers, table: table, into: output) }
    }
  }

  /// The gradient pass over `range`: element i gets its stored number's entry of `table`, with
  /// neither a relevance test nor a look-up.
  static func gather<I: FixedWidthInteger & UnsignedInteger>(
    _ range: Range<Int>, numbers: [I], table: [Double],
    into gradient: UnsafeMutableBufferPointer<Double>
  ) {
    numbers.withUnsafeBufferPointer { numbers in
      table.withUnsafeBufferPointer { table in
        for i in range { gradient[i - range.lowerBound] = table[Int(numbers[i])] }
      }
    }
  }
}
