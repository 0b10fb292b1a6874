/// Prefix sums over ascending logits x_0 ≤ … ≤ x_{n−1} with weights w_j, as double-doubles:
///
///     levels[j]         = Σ_{i<j} (x_i − r)·s           (only when asked for)
///     weights[j]        = Σ_{i<j} w_i                    (only with weights)
///     weightedLevels[j] = Σ_{i<j} w_i·(x_i − r)·s        (only with weights)
///
/// with r an origin at or below the logits and s the step's power of two (``SmoothStep``,
/// "Scaled differences"). A window's sum is then a difference of two entries, O(1): the
/// exact method's interval lines (``ExactNegatives/intervalLines(weights:)``, over the
/// positives' gradient weights) and AP's and aLRP's positive–positive sums
/// (``PositivePairs/prefixOthersSums(weights:)``, over the regression losses) both read them.
///
/// **Accuracy.** Each level x_i − r is exact (2Sum) before it is scaled (exact for a power of
/// two) and each product w_i·level is exact to double-double precision, so the only rounding is
/// the sums' own, about 2⁻¹⁰⁴ of their size. A difference of two entries keeps that absolute
/// error, which is negligible next to the window's content for ordinary logits but not when
/// logits of very different sizes meet; the readers test that per window
/// (``DoubleDouble/isNegligible(_:against:)``) against ``totalWeight`` and go another way
/// where it fails.
///
/// **Determinism.** One sequential pass in index order: the same bits whatever reads them.
struct PrefixSums {
  /// n + 1 entries each (empty when not computed); entry 0 is zero.
  let levels: [DoubleDouble]
  let weights: [DoubleDouble]
  let weightedLevels: [DoubleDouble]
  /// Σ |w_i|, in index order: the scale a window's rounding is judged against.
  let totalWeight: Double

  /// The prefix sums of `logits` taken relative to `origin` and times `scale`, and of
  /// `weights` (nil: none) over them; `levels` only if `withLevels`.
  init(logits: [Double], weights: [Double]?, origin: Double, scale: Double, withLevels: Bool) {
    let count = logits.count
    var levels = [DoubleDouble](repeating: .zero, count: withLevels ? count + 1 : 0)
    var weightSums = [DoubleDouble](repeating: .zero, count: weights == nil ? 0 : count + 1)
    var weightedLevels = weightSums
    var totalWeight = 0.0
    for j in 0..<count {
      let level = DoubleDouble(difference: logits[j], origin).scaled(by: scale)
      if withLevels { levels[j + 1] = levels[j] + level }
      if let w = weights?[j] {
        weightSums[j + 1] = weightSums[j] + w
        weightedLevels[j + 1] = weightedLevels[j] + DoubleDouble(product: w, level)
        totalWeight += abs(w)
      }
    }
    self.levels = levels
    self.weights = weightSums
    self.weightedLevels = weightedLevels
    self.totalWeight = totalWeight
  }

  /// Σ_{lo ≤ j < hi} w_j·(x_j − x)·s for a point x at `level` = (x − r)·s, given `active` =
  /// weights[hi] − weights[lo]: (V[hi] − V[lo]) − active·level. Nil where the prefix sums'
  /// rounding might not be negligible next to a ramp's content, `halfWidth` (δ·s) times the
  /// total weight (``DoubleDouble/isNegligible(_:against:)``); the caller then sums the window
  /// another way. The exact method's interval lines (x a break point) and AP's and aLRP's pair
  /// sums (x a positive) both ask this.
  @inline(__always)
  func weightedOffset(
    from lo: Int, to hi: Int, level: DoubleDouble, active: DoubleDouble, halfWidth: Double
  ) -> Double? {
    let magnitude =
      abs(level.head) * (abs(weights[hi].head) + abs(weights[lo].head))
      + abs(weightedLevels[hi].head) + abs(weightedLevels[lo].head)
    guard DoubleDouble.isNegligible(magnitude, against: halfWidth * totalWeight) else {
      return nil
    }
    return ((weightedLevels[hi] - weightedLevels[lo]) - active * level).value
  }
}
