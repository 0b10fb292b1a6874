/// The one-dimensional positive–positive sums of AP and aLRP from prefix sums, in O(P).
///
/// Every positive j counts in R_i = Σ_{j≠i} H(p_j − p_i) and Σ_{j≠i} H(p_j − p_i)·f_j, so with
/// the positives ascending and the windows of ``PositivePairs`` (H = 1 from rampEnd[i] on, on
/// its ramp from rampStart[i]) each is a difference of prefix sums over positions:
///
///     ones:  C[P] − C[hi],  F[P] − F[hi]
///     ramp:  Σ_{lo ≤ j < hi} (p_j − p_i)·s = (O[hi] − O[lo]) − (hi − lo)·(p_i − r)·s
///            Σ_{lo ≤ j < hi} f_j·(p_j − p_i)·s = (V[hi] − V[lo]) − (F[hi] − F[lo])·(p_i − r)·s
///
/// with F the prefix sums of f, O of (p_j − r)·s and V of f_j·(p_j − r)·s (``PrefixSums``, as
/// for the exact method's interval lines), r the lowest logit and s the step's power of two
/// (``SmoothStep``, "Scaled differences"); i itself is left out of the counts and weights (its
/// own difference is 0). H on the ramp is (p_j − p_i)·s·slope + ½.
///
/// **Accuracy.** This is the false positives' computation of ``ExactNegatives`` with positives
/// in place of negatives, and it has the same weakness: a difference of prefix sums keeps
/// about 2⁻¹⁰⁴ of the prefix sums' size (they are ``DoubleDouble``s, each difference p_j − r
/// exact), which is nothing for ordinary logits but not next to a ramp's content when logits
/// of very different sizes meet (±1e30 beside O(1)), or when a subnormal δ's power of two
/// overflows the scaled levels. Each positive checks its own sums
/// (``DoubleDouble/isNegligible(_:against:)``, the same test as the exact method's), and if
/// any fails the whole computation is left to the tree (nil), so the result is either all
/// prefix sums or all tree, and O(P log P) at worst.
///
/// **Why.** At P = 30 000 the tree's 30 000 inserts and 60 000 range queries were most of AP's
/// and aLRP's work on the positives: their terms (the pairs' set-up, these sums and the
/// losses' own loops) took 3.1 ms (AP) and 3.2 ms (aLRP) a run with the tree, 1.5 ms and 2.0 ms
/// with prefix sums (`brl bench --pos 30000 --neg 1e6 --method exact`, N = 10⁶, minimum of 45
/// runs each).
///
/// **Determinism.** The prefix sums are one sequential pass; each positive's sums are then its
/// own computation, so the halves on two threads give the bits of one.
extension PositivePairs {
  /// ``othersSums(weights:)`` from prefix sums, or nil where their rounding might not be
  /// negligible for some positive (then ``treeOthersSums(weights:)`` is the answer).
  func prefixOthersSums(weights: [Double]?) -> (rank: [Double], weighted: [Double])? {
    let count = self.count
    guard count > 0 else { return ([], []) }
    // O, F and V (F and V only with weights), as double-doubles.
    let sums = PrefixSums(
      logits: logits, weights: weights, origin: logits[0], scale: step.scale, withLevels: true)
    var rank = [Double](repeating: 0, count: count)
    var weighted = [Double](repeating: 0, count: count)
    // Set by a half whose sums are not all negligible; read after both halves have finished.
    var failed = [false, false]
    rank.withUnsafeMutableBufferPointer { rank in
      weighted.withUnsafeMutableBufferPointer { weighted in
        failed.withUnsafeMutableBufferPointer { failed in
          let out = UncheckedSendable((rank, weighted, failed))
          parallelism.halves(count) { range in
            for i in range {
              guard let windowSums = prefixWindowSums(of: i, sums: sums, weights: weights)
              else {
                out.value.2[range.lowerBound == 0 ? 0 : 1] = true
                return
              }
              (out.value.0[i], out.value.1[i]) = windowSums
            }
          }
        }
      }
    }
    return failed.contains(true) ? nil : (rank, weighted)
  }

  /// Σ_{j≠i} H(p_j − p_i) and Σ_{j≠i} H(p_j − p_i)·f_j from the prefix sums (the extension's
  /// documentation), or nil if their rounding might not be negligible.
  @inline(__always)
  private func prefixWindowSums(
    of i: Int, sums: PrefixSums, weights: [Double]?
  ) -> (count: Double, weight: Double)? {
    let (offsets, weightSums) = (sums.levels, sums.weights)
    let lo = rampStart[i]
    let hi = rampEnd[i]
    // Where i itself lies: on its ramp (δ > 0) or, at δ = 0 (lo = hi ≤ i), among the ones.
    let selfOnRamp = lo <= i && i < hi
    let own = weights?[i] ?? 0
    // A difference of the weights' prefix sums is off by about 2⁻¹⁰⁴ of the total weight at
    // most: negligible against it, the scale the ramp's test below uses too.
    let onesCount = Double(count - hi) - (selfOnRamp ? 0 : 1)
    var onesWeight = 0.0
    if weights != nil {
      let ones = weightSums[count] - weightSums[hi]
      onesWeight = (selfOnRamp ? ones : ones + -own).value
    }
    guard step.delta > 0, hi > lo else { return (onesCount, onesWeight) }
    let scale = step.scale
    let halfWidth = step.delta * scale
    let level = DoubleDouble(difference: logits[i], logits[0]).scaled(by: scale)
    let span = Double(hi - lo)
    let rampCount = span - (selfOnRamp ? 1 : 0)
    // Σ (p_j − p_i)·s over the ramp (i's own term is 0).
    let magnitude = abs(offsets[hi].head) + abs(offsets[lo].head) + span * abs(level.head)
    guard DoubleDouble.isNegligible(magnitude, against: halfWidth * max(1, span))
    else { return nil }
    let rampOffset = ((offsets[hi] - offsets[lo]) - DoubleDouble(product: span, level)).value
    let rank = onesCount + (step.slope * rampOffset + rampCount / 2)
    guard weights != nil else { return (rank, 0) }
    // Σ f_j·(p_j − p_i)·s over the ramp, and Σ f_j (i's own weight left out).
    let active = weightSums[hi] - weightSums[lo]
    guard
      let rampWeightedOffset = sums.weightedOffset(
        from: lo, to: hi, level: level, active: active, halfWidth: halfWidth)
    else { return nil }
    let rampWeight = (selfOnRamp ? active + -own : active).value
    return (rank, onesWeight + (step.slope * rampWeightedOffset + rampWeight / 2))
  }
}
