/// The two negative sums of ``NegativeModel`` computed exactly, in O((M + P)·log P) time and
/// O(P) extra memory, without sorting the negatives.
///
/// H_δ(q − p_i) is piecewise linear in q with break points p_i − δ (where its ramp starts) and
/// p_i + δ (where it reaches 1). Sort the 2P break points b_0 ≤ … ≤ b_{2P−1} and call interval k
/// the logits q with k = #{b ≤ q} (an upper bound, found by ``IntervalIndex``). Inside one interval every
/// H_δ(q − p_i) is either 0, 1 or on its ramp, the same for all q of the interval, so:
///
/// **False positives.** Keep per interval the count c_k and T_k = Σ (q − L_k) with L_k = b_{k−1}
/// its lower break point. For positive i let lo = #{b ≤ p_i − δ} and hi = #{b ≤ p_i + δ}:
///
///     FP_i = Σ_{k ≥ hi} c_k + (1/2δ) · Σ_{lo ≤ k < hi} (T_k + c_k·(L_k − (p_i − δ)))
///
/// (negatives above p_i + δ count 1, those on p_i's ramp count (q − p_i + δ)/2δ). With prefix
/// sums over k each FP_i is O(1).
///
/// **Gradients.** Positives whose upper break point is ≤ L_k (a prefix 0..<a_k of the ascending
/// positives) are at 1 over interval k; those whose lower break point is ≤ L_k but not their
/// upper (a_k..<z_k) are on their ramp. So over interval k
///
///     g(q) = A_k + B_k·(q − L_k),  A_k = W_{a_k} + Σ_{a_k ≤ i < z_k} w_i·(L_k − p_i + δ)/2δ,
///                                   B_k = (W_{z_k} − W_{a_k})/2δ
///
/// with W the prefix sums of the weights. Writing g relative to L_k (not as A + B·q) keeps the
/// per-negative arithmetic free of cancellation when logits are large.
///
/// On the ramp H = (q − p_i)/2δ + ½; the code sums it in that form, relative to p_i rather than
/// to p_i − δ, so that the terms stay right when δ is too small to change a large logit (then
/// p_i ± δ rounds to p_i, the ramp is [p_i, next(p_i)), and a tie counts ½ as in naive).
///
/// **δ = 0.** Lower and upper break points coincide at p_i; a negative equal to p_i lands in the
/// interval above it (upper bound), so it counts 1 (the [x ≥ 0] convention) and no ramp exists.
///
/// **Accuracy.** The per-negative sums T_k add terms in [0, b_k − b_{k−1}); the O(P) prefix sums
/// are ``DoubleDouble`` so the differences S_hi − S_lo keep their digits (see there). Where even
/// that is not enough — logits of wildly different sizes, ±1e30 beside O(1), make the prefix
/// sums so large that their rounding is not negligible next to a window's content — the window
/// is summed directly from its own small terms (``isNegligible(_:against:)``), at O(window)
/// instead of O(1) for that positive or interval.
///
/// **Speed.** Two streaming passes over the input, split into fixed chunks over the threads;
/// per-chunk interval sums are added in chunk order, so every thread count gives the same bits.
/// The binning pass finds each relevant negative's interval with an ``IntervalIndex`` look-up
/// and stores it (4 bytes an element, 0 for anything else); the gradient pass is then a
/// branch-free gather a[k] + s[k]·(q − L_k) with no relevance test and no second look-up. It
/// writes every element (0 where irrelevant), so the gradient array needs no zeroing pass.
struct ExactNegatives<L: ColumnScalar, T: ColumnScalar>: NegativeModel {
  let logits: UnsafeBufferPointer<L>
  let targets: UnsafeBufferPointer<T>
  let partition: Partition
  let index: IntervalIndex
  let relevantCount: Int
  let delta: Double
  let positives: [Double]
  /// The 2P break points, ascending.
  let breaks: [Double]
  /// For k in 0...2P: how many of the first k break points are upper (p + δ) or lower (p − δ)
  /// ones.
  let uppersBefore: [Int]
  let lowersBefore: [Int]
  /// Per interval k in 0...2P: count and Σ (q − L_k) of the relevant negatives in it.
  let counts: [Double]
  let offsets: [Double]
  /// Per input element: its interval k ≥ 1 if it is a relevant negative, else 0 (the binning
  /// pass finds it; the gradient pass reads it instead of looking it up again).
  let elementIntervals: [UInt32]

  init(
    logits: UnsafeBufferPointer<L>, targets: UnsafeBufferPointer<T>, partition: Partition,
    step: SmoothStep
  ) {
    self.logits = logits
    self.targets = targets
    self.partition = partition
    self.delta = step.delta
    let positives = partition.positives.logits
    self.positives = positives
    let delta = step.delta

    // Merge the lower (p − δ) and upper (p + δ) break points, both ascending since p is.
    // On equal values the lower one goes first; the order within a tie never matters for the
    // counts at the end of the tie, which are the only ones a non-empty interval uses.
    let P = positives.count
    var breaks: [Double] = []
    var uppersBefore = [0]
    var lowersBefore = [0]
    breaks.reserveCapacity(2 * P)
    uppersBefore.reserveCapacity(2 * P + 1)
    lowersBefore.reserveCapacity(2 * P + 1)
    var lower = 0
    var upper = 0
    while lower < P || upper < P {
      let nextLower = lower < P ? Self.lowerBreak(positives[lower], delta) : .infinity
      let nextUpper = upper < P ? Self.upperBreak(positives[upper], delta) : .infinity
      if lower < P && nextLower <= nextUpper {
        breaks.append(nextLower)
        lower += 1
      } else {
        breaks.append(nextUpper)
        upper += 1
      }
      uppersBefore.append(upper)
      lowersBefore.append(lower)
    }
    self.breaks = breaks
    self.uppersBefore = uppersBefore
    self.lowersBefore = lowersBefore
    let index = IntervalIndex(breaks: breaks)
    self.index = index

    // Per chunk: count and Σ (q − L_k) per interval, side by side (one cache line for both
    // updates of a negative). At most ~2¹⁸ accumulators in all (2 MB), but at least two chunks
    // for two threads: with many positives fewer, larger chunks, so allocating (fresh pages),
    // zeroing and adding the accumulators stays small next to the pass. The chunks depend only
    // on the sizes, never on the thread count.
    let intervals = breaks.count + 1
    let chunking = Chunking(count: logits.count, maximumChunks: max(2, (1 << 17) / intervals))
    var parts: [[Double]] = []
    elementIntervals = [UInt32](unsafeUninitializedCapacity: logits.count) { slots, initialized in
      let slots = UncheckedSendable(slots)
      parts = chunking.map(partition.parallelism) { range in
        var sums = [Double](repeating: 0, count: 2 * intervals)
        sums.withUnsafeMutableBufferPointer { acc in
          breaks.withUnsafeBufferPointer { b in
            for i in range {
              let q = logits[i].double
              guard partition.isRelevantNegative(logit: q, target: targets[i]) else {
                slots.value[i] = 0
                continue
              }
              // k ≥ 1 for a relevant negative: b_0 = min p − δ is the relevance threshold.
              let k = index.interval(q)
              slots.value[i] = UInt32(truncatingIfNeeded: k)
              acc[2 * k] += 1
              acc[2 * k + 1] += q - b[k - 1]
            }
          }
        }
        return sums
      }
      initialized = logits.count
    }
    // Chunk results added in chunk order: the same bits for any thread count.
    var total = [Double](repeating: 0, count: 2 * intervals)
    total.withUnsafeMutableBufferPointer { t in
      for part in parts {
        part.withUnsafeBufferPointer { p in
          for k in 0..<(2 * intervals) { t[k] += p[k] }
        }
      }
    }
    let counts = (0..<intervals).map { total[2 * $0] }
    self.counts = counts
    self.offsets = (0..<intervals).map { total[2 * $0 + 1] }
    self.relevantCount = Int(counts.reduce(0, +))
  }

  var writesEveryElement: Bool { true }

  func falsePositives() -> [Double] {
    let intervals = counts.count
    // Prefix sums over intervals: C (counts, exact in Double), T (offsets), and
    // CL = Σ c_k·(L_k − r) with r = b_0, all but C as double-doubles.
    var prefixCount = [Double](repeating: 0, count: intervals + 1)
    var prefixOffset = [DoubleDouble](repeating: .zero, count: intervals + 1)
    var prefixCountLevel = [DoubleDouble](repeating: .zero, count: intervals + 1)
    let r = breaks.first ?? 0
    for k in 0..<intervals {
      prefixCount[k + 1] = prefixCount[k] + counts[k]
      prefixOffset[k + 1] = prefixOffset[k] + offsets[k]
      let level = k == 0 ? 0 : breaks[k - 1] - r
      prefixCountLevel[k + 1] = prefixCountLevel[k] + DoubleDouble(product: counts[k], level)
    }
    let total = prefixCount[intervals]
    return positives.map { p in
      let hi = index.interval(Self.upperBreak(p, delta))
      var fp = total - prefixCount[hi]
      guard delta > 0 else { return fp }
      let lo = index.interval(Self.lowerBreak(p, delta))
      let count = prefixCount[hi] - prefixCount[lo]
      // Σ over the ramp of q − p, from the prefix sums when their rounding (double-double,
      // ~2⁻¹⁰⁴ of the largest term) is negligible, else interval by interval.
      let magnitude =
        abs(prefixOffset[hi].head) + abs(prefixCountLevel[hi].head)
        + abs(prefixCountLevel[lo].head) + count * abs(p - r)
      var ramp: Double
      if Self.isNegligible(magnitude, against: delta * max(1, count)) {
        ramp =
          ((prefixOffset[hi] - prefixOffset[lo]) + (prefixCountLevel[hi] - prefixCountLevel[lo])
          - DoubleDouble(product: count, p - r)).value
      } else {
        var sum = DoubleDouble.zero
        for k in lo..<hi {
          sum = sum + offsets[k] + DoubleDouble(product: counts[k], breaks[k - 1] - p)
        }
        ramp = sum.value
      }
      // Σ over the ramp of H = (q − p)/2δ + ½.
      fp += ramp / (2 * delta) + count / 2
      return fp
    }
  }

  /// Whether a double-double sum whose terms reach `magnitude` is accurate to far better than
  /// the tolerance (1e-13 relative) for a result of size `scale`.
  ///
  /// Prefix sums cancel: with logits of very different sizes (±1e30 beside O(1)) the prefix
  /// sums reach 1e30·N and their ~2⁻¹⁰⁴ rounding is no longer small next to a ramp's content.
  /// Then the sum is taken directly over the window, whose terms are all small (O(window),
  /// at most O(P) per positive or interval; ordinary inputs never get here).
  @inline(__always)
  static func isNegligible(_ magnitude: Double, against scale: Double) -> Bool {
    magnitude * 0x1p-100 <= 1e-13 * scale
  }

  /// Where p's ramp starts: p − δ, rounded.
  @inline(__always)
  static func lowerBreak(_ p: Double, _ delta: Double) -> Double { p - delta }

  /// Where p's ramp ends: p + δ, rounded, but above p when δ > 0. For logits so large that δ is
  /// below half their spacing (|p| ≳ 2⁵²·δ), p ± δ rounds to p; naive then still gives a tie
  /// H(0) = ½, so the ramp must keep p inside it: [p, next(p)) holds exactly the ties.
  @inline(__always)
  static func upperBreak(_ p: Double, _ delta: Double) -> Double {
    delta > 0 ? max(p + delta, p.nextUp) : p
  }

  func writeGradients(weights: [Double], into gradient: UnsafeMutableBufferPointer<Double>) {
    let (value, slope) = intervalLines(weights: weights)
    // L_k per interval, with L_0 = 0: interval 0 (anything not a relevant negative) has
    // A_0 = B_0 = 0, so its gradient is 0·(q − 0) + 0 = 0 for the finite q of a valid input.
    let lower = [0] + breaks
    let output = UncheckedSendable(gradient)
    let partition = partition
    // Branch-free: every element is a[k] + s[k]·(q − L_k) with the interval the binning pass
    // stored, so there is neither a relevance test nor a second look-up here.
    partition.chunking.forEach(partition.parallelism) { _, range in
      value.withUnsafeBufferPointer { a in
        slope.withUnsafeBufferPointer { s in
          lower.withUnsafeBufferPointer { b in
            elementIntervals.withUnsafeBufferPointer { intervals in
              for i in range {
                let k = Int(intervals[i])
                // q − L_k is finite except past the top break point of an input spanning
                // nearly ±Double.greatestFiniteMagnitude, where the slope is 0 (0·∞ = NaN).
                output.value[i] =
                  a[k] + s[k] * min(logits[i].double - b[k], .greatestFiniteMagnitude)
              }
            }
          }
        }
      }
    }
  }

  /// A_k and B_k of every interval (see the type's documentation).
  func intervalLines(weights: [Double]) -> (value: [Double], slope: [Double]) {
    let P = positives.count
    let r = breaks.first ?? 0
    // W: prefix sums of w; V: prefix sums of w·(p − r); both double-doubles.
    var w = [DoubleDouble](repeating: .zero, count: P + 1)
    var v = [DoubleDouble](repeating: .zero, count: P + 1)
    for i in 0..<P {
      w[i + 1] = w[i] + weights[i]
      v[i + 1] = v[i] + DoubleDouble(product: weights[i], positives[i] - r)
    }
    let totalWeight = weights.reduce(0) { $0 + abs($1) }
    var value = [Double](repeating: 0, count: breaks.count + 1)
    var slope = [Double](repeating: 0, count: breaks.count + 1)
    for k in 1..<max(1, breaks.count + 1) {
      let a = uppersBefore[k]
      let z = lowersBefore[k]
      guard delta > 0, z > a else {
        value[k] = w[a].value
        continue
      }
      let active = w[z] - w[a]
      // Σ_{a ≤ i < z} w_i·H(L_k − p_i) with H = (L_k − p_i)/2δ + ½ on the ramp, where
      // Σ w_i (L_k − p_i) = (L_k − r)·ΣW − Σ w_i (p_i − r) from the prefix sums when their
      // rounding is negligible, else positive by positive.
      let level = breaks[k - 1] - r
      let magnitude =
        abs(level) * (abs(w[z].head) + abs(w[a].head)) + abs(v[z].head) + abs(v[a].head)
      var ramp: Double
      if Self.isNegligible(magnitude, against: delta * totalWeight) {
        ramp =
          (DoubleDouble(product: active.head, level) + active.tail * level - (v[z] - v[a])).value
      } else {
        var sum = DoubleDouble.zero
        for i in a..<z {
          sum = sum + DoubleDouble(product: weights[i], breaks[k - 1] - positives[i])
        }
        ramp = sum.value
      }
      value[k] = (w[a] + (ramp / (2 * delta) + active.value / 2)).value
      slope[k] = active.value / (2 * delta)
    }
    return (value, slope)
  }
}
