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
/// The break points are p_i ∓ δ rounded *upwards* (``SmoothStep/rampStart(_:)``,
/// ``SmoothStep/rampEnd(_:)``), so a logit lies in [lower, upper) exactly when H_δ(q − p_i) is
/// on its ramp in real numbers, whatever δ is next to the logits' spacing: when δ is too small
/// to change a large logit (or subnormal) the ramp is [p_i, next(p_i)), which holds exactly
/// the ties, and a tie counts ½ as in naive. On the ramp H = (q − p_i)/2δ + ½; the code sums
/// it in that form, relative to p_i rather than to p_i − δ, and divides by 2δ with
/// the step's scaled differences: every logit difference above (q − L_k, L_k − r, p_i − r,
/// …) is formed as (a − b)·s with the step's power of two s, and the sums are multiplied by
/// 1/(2δ·s) at the end (``SmoothStep``, "Scaled differences"). So no 1/(2δ) is ever formed
/// (it overflows for a subnormal δ), weights times differences do not underflow at a subnormal
/// δ, counts times differences do not overflow at a huge one, and the gradient slopes B_k,
/// kept per unit of (q − L_k)·s, are finite even for a ramp of subnormal width. For an
/// ordinary δ the scaling is exact, so the results are the bits of the unscaled formulas.
///
/// **δ = 0.** Lower and upper break points coincide at p_i; a negative equal to p_i lands in the
/// interval above it (upper bound), so it counts 1 (the [x ≥ 0] convention) and no ramp exists.
///
/// **Accuracy.** The per-negative sums T_k add terms in [0, b_k − b_{k−1}); the O(P) prefix sums
/// are ``DoubleDouble`` so the differences S_hi − S_lo keep their digits (see there). Where even
/// that is not enough — logits of wildly different sizes, ±1e30 beside O(1), make the prefix
/// sums so large that their rounding is not negligible next to a window's content — the window
/// is summed directly from its own small terms (``DoubleDouble/isNegligible(_:against:)``), at
/// O(window) instead of O(1) for that positive or interval.
///
/// **Speed.** Two streaming passes over the input, split into fixed chunks over the threads;
/// per-chunk interval sums are added in chunk order, so every thread count gives the same bits.
/// The binning pass finds each relevant negative's interval with an ``IntervalIndex`` look-up
/// without data-dependent branches (``IntervalIndex/forEachRelevantNegative(in:logits:targets:threshold:_:)``)
/// and stores it (2 bytes an element up to P = 32 767, else 4; 0 for anything else); the
/// gradient pass is then a
/// branch-free gather a[k] + s[k]·(q − L_k) with no relevance test and no second look-up, for
/// any range of elements (``LossEvaluation``), 0 where irrelevant.
struct ExactNegatives<L: ColumnScalar, T: ColumnScalar>: NegativeModel {
  let logits: UnsafeBufferPointer<L>
  let targets: UnsafeBufferPointer<T>
  let partition: Partition
  let index: IntervalIndex
  let relevantCount: Int
  let step: SmoothStep
  let positives: [Double]
  /// The 2P break points, ascending.
  let breaks: [Double]
  /// For k in 0...2P: how many of the first k break points are upper (p + δ) ones (the other
  /// k − uppersBefore[k] are lower ones, p − δ).
  let uppersBefore: [Int]
  /// Per interval k in 0...2P: count and Σ (q − L_k)·s of the relevant negatives in it.
  var counts: [Double]
  var offsets: [Double]
  /// Per input element: its interval k ≥ 1 if it is a relevant negative, else 0 (the binning
  /// pass finds it; the gradient pass reads it instead of looking it up again). 16 bits while
  /// the 2P + 1 intervals fit (P < 32 768).
  let elementIntervals: IntervalNumbers

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

    // Merge the lower (p − δ) and upper (p + δ) break points, both ascending since p is (and
    // rounding upwards is monotone).
    // On equal values the lower one goes first; the order within a tie never matters for the
    // counts at the end of the tie, which are the only ones a non-empty interval uses.
    let P = positives.count
    var uppersBefore: [Int] = []
    // Written in place, not appended: at P = 30 000 the appends' capacity checks were a
    // millisecond.
    let breaks = [Double](unsafeUninitializedCapacity: 2 * P) { b, written in
      uppersBefore = [Int](unsafeUninitializedCapacity: 2 * P + 1) { u, counted in
        positives.withUnsafeBufferPointer { p in
          u[0] = 0
          var lower = 0
          var upper = 0
          var nextLower = P > 0 ? step.rampStart(p[0]) : .infinity
          var nextUpper = P > 0 ? step.rampEnd(p[0]) : .infinity
          for k in 0..<(2 * P) {
            if lower < P && nextLower <= nextUpper {
              b[k] = nextLower
              lower += 1
              nextLower = lower < P ? step.rampStart(p[lower]) : .infinity
            } else {
              b[k] = nextUpper
              upper += 1
              nextUpper = upper < P ? step.rampEnd(p[upper]) : .infinity
            }
            u[k + 1] = upper
          }
        }
        counted = 2 * P + 1
      }
      written = 2 * P
    }
    self.breaks = breaks
    self.uppersBefore = uppersBefore
    let index = IntervalIndex(breaks: breaks)
    self.index = index
    // (q − L)·s as (q·f − L·f)·g (``SmoothStep/differenceScaling``), L·f per interval.
    let (preScale, postScale) = step.differenceScaling
    let scaledBreaks = breaks.map { $0 * preScale }

    // Per chunk: count and Σ (q − L_k) per interval, side by side (one cache line for both
    // updates of a negative). At most ~2¹⁸ accumulators in all (2 MB), but at least two chunks
    // for two threads: with many positives fewer, larger chunks, so allocating (fresh pages),
    // zeroing and adding the accumulators stays small next to the pass. The chunks depend only
    // on the sizes, never on the thread count.
    let intervals = breaks.count + 1
    let chunking = Chunking(count: logits.count, maximumChunks: max(2, (1 << 17) / intervals))
    let parts: [[Double]]
    if intervals <= Int(UInt16.max) + 1 {
      let (numbers, sums) = Self.bin(
        UInt16.self, logits: logits, targets: targets, partition: partition, index: index,
        scaledBreaks: scaledBreaks, preScale: preScale, postScale: postScale, chunking: chunking)
      (elementIntervals, parts) = (.narrow(numbers), sums)
    } else {
      let (numbers, sums) = Self.bin(
        UInt32.self, logits: logits, targets: targets, partition: partition, index: index,
        scaledBreaks: scaledBreaks, preScale: preScale, postScale: postScale, chunking: chunking)
      (elementIntervals, parts) = (.wide(numbers), sums)
    }
    // Chunk results added in chunk order (0 + part 0 + part 1 + …, each interval on its own,
    // on either thread): the same bits for any thread count.
    var counts = [Double](repeating: 0, count: intervals)
    var offsets = [Double](repeating: 0, count: intervals)
    counts.withUnsafeMutableBufferPointer { c in
      offsets.withUnsafeMutableBufferPointer { o in
        let out = UncheckedSendable((c, o))
        partition.parallelism.halves(intervals) { range in
          for part in parts {
            part.withUnsafeBufferPointer { p in
              for k in range {
                out.value.0[k] += p[2 * k]
                out.value.1[k] += p[2 * k + 1]
              }
            }
          }
        }
      }
    }
    self.counts = counts
    self.offsets = offsets
    self.relevantCount = Int(counts.reduce(0, +))
  }

  /// The binning pass: every element's interval number (0 unless a relevant negative) and,
  /// per chunk, the count and Σ (q − L_k)·s of every interval side by side.
  private static func bin<I: FixedWidthInteger & UnsignedInteger>(
    _: I.Type, logits: UnsafeBufferPointer<L>, targets: UnsafeBufferPointer<T>,
    partition: Partition, index: IntervalIndex, scaledBreaks: [Double], preScale: Double,
    postScale: Double, chunking: Chunking
  ) -> (numbers: [I], parts: [[Double]]) {
    let intervals = scaledBreaks.count + 1
    var parts: [[Double]] = []
    let numbers = [I](unsafeUninitializedCapacity: logits.count) { slots, initialized in
      let slots = UncheckedSendable(slots)
      parts = chunking.map(partition.parallelism) { range in
        var sums = [Double](repeating: 0, count: 2 * intervals)
        sums.withUnsafeMutableBufferPointer { acc in
          scaledBreaks.withUnsafeBufferPointer { b in
            // Irrelevant elements are 0; the relevant ones get their interval.
            UnsafeMutableBufferPointer(rebasing: slots.value[range]).initialize(repeating: 0)
            // k ≥ 1 for a relevant negative: b_0 = rampStart(min p) is the relevance threshold.
            index.forEachRelevantNegative(
              in: range, logits: logits, targets: targets, threshold: partition.threshold
            ) { i, q, k in
              slots.value[i] = I(truncatingIfNeeded: k)
              acc[2 * k] += 1
              acc[2 * k + 1] += (q * preScale - b[k - 1]) * postScale
            }
          }
        }
        return sums
      }
      initialized = logits.count
    }
    return (numbers, parts)
  }

  func falsePositives() -> [Double] {
    let intervals = counts.count
    // Prefix sums over intervals: C (counts, exact in Double), T (offsets), and
    // CL = Σ c_k·(L_k − r)·s with r = b_0, all but C as double-doubles.
    let scale = step.scale
    var prefixCount = [Double](repeating: 0, count: intervals + 1)
    var prefixOffset = [DoubleDouble](repeating: .zero, count: intervals + 1)
    var prefixCountLevel = [DoubleDouble](repeating: .zero, count: intervals + 1)
    let r = breaks.first ?? 0
    for k in 0..<intervals {
      prefixCount[k + 1] = prefixCount[k] + counts[k]
      // An empty interval adds nothing; skipping it also keeps 0·∞ out of the sums (the
      // level of an interval above +∞ or beyond the scaled range is ∞, and only empty
      // intervals have such levels inside a window). Its offset sum is +0, and adding +0 to a
      // (normalised) double-double leaves its bits, so the copy is what the addition gave.
      // Most intervals are empty where the positives are dense (70 % at P = 30 000 on
      // detector-like data), and this loop is serial.
      guard counts[k] != 0 else {
        prefixOffset[k + 1] = prefixOffset[k]
        prefixCountLevel[k + 1] = prefixCountLevel[k]
        continue
      }
      prefixOffset[k + 1] = prefixOffset[k] + offsets[k]
      // L_k − r exactly (the double difference could be off by more than a ramp's content
      // when the logits span many times δ).
      let level = k == 0 ? .zero : DoubleDouble(difference: breaks[k - 1], r).scaled(by: scale)
      prefixCountLevel[k + 1] = prefixCountLevel[k] + DoubleDouble(product: counts[k], level)
    }
    let total = prefixCount[intervals]
    let delta = step.delta
    // δ·s, in [½, 1) (at least 2⁻⁵¹): the size of a ramp in scaled units.
    let halfWidth = delta * scale
    // Each FP_i on its own (halves on two threads at large P: the same bits). The positives
    // ascend, so lo and hi only grow: after one look-up each half walks the break points.
    var result = [Double](repeating: 0, count: positives.count)
    result.withUnsafeMutableBufferPointer { result in
      let out = UncheckedSendable(result)
      partition.parallelism.halves(positives.count) { range in
        guard let first = range.first else { return }
        var hi = index.interval(step.rampEnd(positives[first]))
        var lo = index.interval(step.rampStart(positives[first]))
        for i in range {
          hi = Self.count(atOrBelow: step.rampEnd(positives[i]), in: breaks, from: hi)
          lo = Self.count(atOrBelow: step.rampStart(positives[i]), in: breaks, from: lo)
          out.value[i] = falsePositive(
            positives[i], lo: lo, hi: hi, total: total, prefixCount: prefixCount,
            prefixOffset: prefixOffset, prefixCountLevel: prefixCountLevel, r: r,
            halfWidth: halfWidth)
        }
      }
    }
    return result
  }

  /// #{b ≤ x} for ascending `breaks`, given that at least `start` of them are ≤ x.
  @inline(__always)
  private static func count(atOrBelow x: Double, in breaks: [Double], from start: Int) -> Int {
    var k = start
    while k < breaks.count && breaks[k] <= x { k += 1 }
    return k
  }

  /// FP_i of the positive at logit `p` (the type's documentation), with lo = #{b ≤ p − δ} and
  /// hi = #{b ≤ p + δ} and the prefix sums over the intervals.
  @inline(__always)
  private func falsePositive(
    _ p: Double, lo: Int, hi: Int, total: Double, prefixCount: [Double],
    prefixOffset: [DoubleDouble], prefixCountLevel: [DoubleDouble], r: Double, halfWidth: Double
  ) -> Double {
    let scale = step.scale
    let slope = step.slope
    let delta = step.delta
    var fp = total - prefixCount[hi]
    guard delta > 0 else { return fp }
    let count = prefixCount[hi] - prefixCount[lo]
    // Σ over the ramp of (q − p)·s, from the prefix sums when their rounding (double-double,
    // ~2⁻¹⁰⁴ of the largest term) is negligible, else interval by interval.
    let level = DoubleDouble(difference: p, r).scaled(by: scale)
    let magnitude =
      abs(prefixOffset[hi].head) + abs(prefixCountLevel[hi].head)
      + abs(prefixCountLevel[lo].head) + count * abs(level.head)
    var ramp: Double
    if DoubleDouble.isNegligible(magnitude, against: halfWidth * max(1, count)) {
      ramp =
        ((prefixOffset[hi] - prefixOffset[lo]) + (prefixCountLevel[hi] - prefixCountLevel[lo])
        - DoubleDouble(product: count, level)).value
    } else {
      var sum = DoubleDouble.zero
      for k in lo..<hi where counts[k] != 0 {
        sum = sum + offsets[k] + DoubleDouble(product: counts[k], (breaks[k - 1] - p) * scale)
      }
      ramp = sum.value
    }
    // Σ over the ramp of H = (q − p)/2δ + ½ = (q − p)·s·slope + ½.
    fp += ramp * slope + count / 2
    return fp
  }

  func gradientWriter(weights: [Double]) -> GradientWriter {
    let (value, slope) = intervalLines(weights: weights)
    // L_k per interval, with L_0 = −greatestFiniteMagnitude: interval 0 (anything not a
    // relevant negative) has A_0 = B_0 = 0, and q − L_0 ≥ 0, so its gradient is 0·(finite) = 0.
    // (q − L)·s as (q·f − L·f)·g (``SmoothStep/differenceScaling``), L·f per interval.
    let (preScale, postScale) = step.differenceScaling
    let lower = [-.greatestFiniteMagnitude * preScale] + breaks.map { $0 * preScale }
    let logits = logits
    switch elementIntervals {
    case .narrow(let numbers):
      return { range, gradient in
        Self.gather(
          range, logits: logits, intervals: numbers, value: value, slope: slope,
          lower: lower, preScale: preScale, postScale: postScale, into: gradient)
      }
    case .wide(let numbers):
      return { range, gradient in
        Self.gather(
          range, logits: logits, intervals: numbers, value: value, slope: slope,
          lower: lower, preScale: preScale, postScale: postScale, into: gradient)
      }
    }
  }

  /// The gradient pass over `range`: element i is (a[k] + s[k]·((q·preScale − lower[k])·
  /// postScale)) / `divisor` with k its stored interval (per image, the divisor is the number
  /// of images; dividing by 1 leaves the bits as they are).
  static func gather<I: FixedWidthInteger & UnsignedInteger>(
    _ range: Range<Int>, logits: UnsafeBufferPointer<L>, intervals: [I], value: [Double],
    slope: [Double], lower: [Double], preScale: Double, postScale: Double,
    divisor: Double = 1, into gradient: UnsafeMutableBufferPointer<Double>
  ) {
    // Branch-free: every element is a[k] + s[k]·((q − L_k)·s) with the interval the binning
    // pass stored, so there is neither a relevance test nor a second look-up here.
    value.withUnsafeBufferPointer { a in
      slope.withUnsafeBufferPointer { s in
        lower.withUnsafeBufferPointer { b in
          intervals.withUnsafeBufferPointer { intervals in
            // q − L_k ≥ 0. Scaled, it is below 2 on a ramp (q and L_k both lie within
            // [p − δ, p + δ) of every active positive); elsewhere the slope is 0, and the
            // product is clamped to a finite value (past the top break point of an input
            // spanning nearly ±Double.greatestFiniteMagnitude, or where the scaling of a
            // tiny δ overflows it), since 0·∞ would be NaN.
            @inline(__always)
            func value(_ i: Int) -> Double {
              let k = Int(intervals[i])
              let run = (logits[i].double * preScale - b[k]) * postScale
              return a[k] + s[k] * min(run, .greatestFiniteMagnitude)
            }
            // Dividing by 1 leaves the bits as they are, so the batch skips the division (a
            // third of this loop's time).
            if divisor == 1 {
              for i in range { gradient[i - range.lowerBound] = value(i) }
            } else {
              for i in range { gradient[i - range.lowerBound] = value(i) / divisor }
            }
          }
        }
      }
    }
  }

  /// A_k and B_k/s of every interval that holds a relevant negative (see the type's
  /// documentation): the gradient over interval k is value[k] + slope[k]·((q − L_k)·s) with the
  /// step's power of two s.
  ///
  /// **Empty intervals are left at 0.** The gradient pass reads only the interval the binning
  /// pass stored for an element, so an interval without a relevant negative (count 0) is never
  /// read. Where the positives are dense most intervals are empty: at P = 30 000, N = 10⁶ on
  /// detector-like data the break points lie closer together than the negatives there, and
  /// computing every line (a few double-double products each) was most of this function's time.
  func intervalLines(weights: [Double]) -> (value: [Double], slope: [Double]) {
    let r = breaks.first ?? 0
    // W: prefix sums of w; V: prefix sums of w·(p − r)·s (p − r exact); both double-doubles.
    let sums = PrefixSums(
      logits: positives, weights: weights, origin: r, scale: step.scale, withLevels: false)
    var value = [Double](repeating: 0, count: breaks.count + 1)
    var slope = [Double](repeating: 0, count: breaks.count + 1)
    // Every interval on its own (halves on two threads at large P: the same bits).
    value.withUnsafeMutableBufferPointer { value in
      slope.withUnsafeMutableBufferPointer { slope in
        let out = UncheckedSendable((value, slope))
        partition.parallelism.halves(breaks.count) { range in
          for k in (range.lowerBound + 1)..<(range.upperBound + 1) where counts[k] != 0 {
            (out.value.0[k], out.value.1[k]) = intervalLine(
              k, weights: weights, sums: sums, r: r)
          }
        }
      }
    }
    return (value, slope)
  }

  /// A_k and B_k/s of interval k ≥ 1 (``intervalLines(weights:)``), from the prefix sums W and
  /// V of the weights (`sums`, origin r).
  @inline(__always)
  private func intervalLine(
    _ k: Int, weights: [Double], sums: PrefixSums, r: Double
  ) -> (value: Double, slope: Double) {
    let delta = step.delta
    let scale = step.scale
    let w = sums.weights
    let a = uppersBefore[k]
    let z = k - a
    // No logit reaches an interval starting at +∞ (a ramp end beyond every double).
    guard delta > 0, z > a, breaks[k - 1].isFinite else {
      return (w[a].value, 0)
    }
    let active = w[z] - w[a]
    // Σ_{a ≤ i < z} w_i·H(L_k − p_i) with H = (L_k − p_i)·s·slope + ½ on the ramp, where
    // Σ w_i (L_k − p_i)·s = (L_k − r)·s·ΣW − Σ w_i (p_i − r)·s from the prefix sums when
    // their rounding is negligible, else positive by positive. The prefix sums' part is
    // ``PrefixSums/weightedOffset(from:to:level:active:halfWidth:)``, negated.
    let level = DoubleDouble(difference: breaks[k - 1], r).scaled(by: scale)
    var ramp: Double
    if let offset = sums.weightedOffset(
      from: a, to: z, level: level, active: active, halfWidth: delta * scale)
    {
      ramp = -offset
    } else {
      var sum = DoubleDouble.zero
      for i in a..<z {
        sum = sum + DoubleDouble(product: weights[i], (breaks[k - 1] - positives[i]) * scale)
      }
      ramp = sum.value
    }
    return ((w[a] + (ramp * step.slope + active.value / 2)).value, active.value * step.slope)
  }
}
