/// The two negative sums of ``NegativeModel`` on buckets, as the official bucketed losses
/// (Yavuz et al., ECCV 2024) compute them.
///
/// The relevant negatives are sorted by descending logit; those that fall between two
/// consecutive positives form one bucket B_b, represented by its size |B_b| and its mean logit
/// m_b. Then
///
///     FP_i ≈ Σ_b |B_b| · H_δ(m_b − p_i)      g_n ≈ Σ_i w_i · H_δ(m_b(n) − p_i)
///
/// and every member of a bucket gets the bucket's gradient. Time O(M·k + P·B) for M relevant
/// negatives sorted by a k-byte radix sort, with B ≤ P + 1 buckets; memory O(M): never a P×N
/// matrix.
///
/// **Exact at δ = 0.** With the hard step, H_0(q − p_i) is the same for every q in a bucket,
/// because no positive lies strictly inside a bucket's range. A negative whose logit equals a
/// positive's is put in the bucket *above* that positive, so every bucket holds logits in
/// [p_k, p_{k+1}) and H_0(0) = 1 counts the tie as a false positive, as naive does. (The official
/// code leaves ties to torch's unstable sort, so its results on tied logits depend on the sort.)
///
/// **Approximate at δ > 0.** H_δ is not constant over a bucket, and H_δ(mean) ≠ mean of H_δ where
/// the bucket straddles a ramp end p_i ± δ.
struct BucketedNegatives: NegativeModel {
  let step: SmoothStep
  let positives: [Double]
  /// Non-empty buckets: their mean logit and their size.
  let means: [Double]
  let sizes: [Double]
  /// The relevant negatives sorted by descending logit (ties by position), so that bucket b is
  /// `bucketStart[b]..<bucketStart[b + 1]` of it.
  let members: SortedNegatives
  let bucketStart: [Int]

  var buckets: Int? { means.count }
  var relevantCount: Int { members.count }

  init<L: ColumnScalar, T: ColumnScalar>(
    logits: UnsafeBufferPointer<L>, targets: UnsafeBufferPointer<T>, partition: Partition,
    step: SmoothStep
  ) {
    self.step = step
    let positives = partition.positives.logits
    self.positives = positives

    // The relevant negatives, sorted by descending logit; the sort is stable, so equal logits
    // stay in input order and the result never depends on the sort.
    let members = Self.sortedRelevantNegatives(
      logits: logits, targets: targets, partition: partition)

    // Walk down the sorted negatives with a pointer into the ascending positives: bucket k holds
    // the negatives in [p_{k-1}, p_k), so a negative equal to p_{k-1} stays above it.
    var means: [Double] = []
    var sizes: [Double] = []
    var bucketStart: [Int] = [0]
    var k = positives.count
    var sum = 0.0
    var size = 0
    var highest = 0.0
    var lowest = 0.0
    // The mean of a bucket lies between its extremes; the rounded quotient might not (three
    // copies of −1e30 sum and divide to a neighbour of −1e30), and a mean below a tied positive
    // would lose the tie at δ = 0. So the quotient is clamped to the bucket's range.
    func close() {
      means.append(min(max(sum / Double(size), lowest), highest))
      sizes.append(Double(size))
    }
    for position in 0..<members.count {
      let q = L.fromDescendingSortKey(members.key(position))
      var bucket = k
      while bucket > 0 && q < positives[bucket - 1] { bucket -= 1 }
      if bucket != k && size > 0 {
        close()
        bucketStart.append(position)
        sum = 0
        size = 0
      }
      k = bucket
      if size == 0 { highest = q }
      lowest = q
      sum += q
      size += 1
    }
    if size > 0 {
      close()
      bucketStart.append(members.count)
    }
    self.means = means
    self.sizes = sizes
    self.bucketStart = bucketStart
    self.members = members
  }

  /// (sort key, input position) of every relevant negative, by descending logit.
  private static func sortedRelevantNegatives<L: ColumnScalar, T: ColumnScalar>(
    logits: UnsafeBufferPointer<L>, targets: UnsafeBufferPointer<T>, partition: Partition
  ) -> SortedNegatives {
    if L.sortKeyBytes <= 4 && logits.count <= Int(UInt32.max) {
      // float32 and bfloat16: key in the high half, position in the low half of one UInt64
      // (a 2-byte bfloat16 key leaves the top digit constant, and that pass is skipped).
      var packed = partition.mapRelevantNegatives(logits: logits, targets: targets) { i, value in
        value.descendingSortKey << 32 | UInt64(i)
      }
      RadixSort.sortByHigh32(&packed)
      return SortedNegatives(packed: packed)
    }
    let gathered = partition.mapRelevantNegatives(logits: logits, targets: targets) { i, value in
      (value.descendingSortKey, i)
    }
    var keys = gathered.map(\.0)
    var positions = gathered.map(\.1)
    RadixSort.sort(keys: &keys, values: &positions, keyBytes: L.sortKeyBytes)
    return SortedNegatives(keys: keys, positions: positions)
  }

  func falsePositives() -> [Double] {
    positives.map { p in
      var sum = 0.0
      for (m, size) in zip(means, sizes) { sum += step(m - p) * size }
      return sum
    }
  }

  func writeGradients(weights: [Double], into gradient: UnsafeMutableBufferPointer<Double>) {
    for b in means.indices {
      var g = 0.0
      for (p, w) in zip(positives, weights) where w != 0 { g += step(means[b] - p) * w }
      for j in bucketStart[b]..<bucketStart[b + 1] { gradient[members.position(j)] = g }
    }
  }
}

/// Sort keys and input positions of the relevant negatives, in sorted order. For float32 logits
/// each element is one UInt64 (key in the high half, position in the low half), so the sort
/// moves and the walks read half the bytes; for float64 keys and positions are separate.
struct SortedNegatives {
  private let items: [UInt64]
  private let keys: [UInt64]?

  init(packed: [UInt64]) {
    items = packed
    keys = nil
  }

  init(keys: [UInt64], positions: [Int]) {
    items = positions.map { UInt64($0) }
    self.keys = keys
  }

  var count: Int { items.count }

  @inline(__always)
  func key(_ i: Int) -> UInt64 { keys?[i] ?? items[i] >> 32 }

  @inline(__always)
  func position(_ i: Int) -> Int { Int(keys == nil ? items[i] & 0xFFFF_FFFF : items[i]) }
}
