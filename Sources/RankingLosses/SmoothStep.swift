/// The smoothed step function H_δ that every ranking-based loss uses to compare two logits.
///
///     H_δ(x) = clamp(x / (2δ) + 1/2, 0, 1)   for δ > 0
///     H_0(x) = [x ≥ 0]                        for δ = 0
///
/// `x` is "the other logit minus mine": H_δ(s_j − s_i) is how much example j counts as ranked
/// at or above example i.
///
/// At δ = 0 the official naive APLoss and aLRPLoss compute `x / 0` and turn an exact tie into
/// `NaN`; brl uses the hard step everywhere instead, so a tie counts as "at or above" in both
/// directions (the convention of the official RankSort and the bucketed losses).
///
/// H_δ is piecewise linear with break points at x = −δ and x = +δ, which is what makes the
/// exact method possible: between break points a sum of H_δ terms is an affine function of x.
public struct SmoothStep: Sendable, Hashable {
  /// The half-width δ of the linear ramp; 0 means the hard step.
  public let delta: Double
  /// 1 / (2δ), or 0 for the hard step. Precomputed because the naive method calls `callAsFunction`
  /// P·N times.
  @usableFromInline let slope: Double

  /// Creates the step function for `delta` (must be finite and ≥ 0).
  public init(delta: Double) {
    precondition(delta.isFinite && delta >= 0, "delta must be finite and non-negative")
    self.delta = delta
    self.slope = delta > 0 ? 1 / (2 * delta) : 0
  }

  /// H_δ(x).
  @inlinable @inline(__always)
  public func callAsFunction(_ x: Double) -> Double {
    if slope == 0 { return x >= 0 ? 1 : 0 }
    // The same operations in the same order as the official code (`x/(2δ) + 0.5`, then clamp),
    // except that the division is a multiplication by the precomputed reciprocal: the two agree
    // to one rounding, far below float32 resolution.
    return Swift.min(Swift.max(x * slope + 0.5, 0), 1)
  }

  /// H_δ(0): the weight of a positive's comparison with itself where a loss includes it
  /// (0.5 for δ > 0, 1 for the hard step).
  public var atZero: Double { self(0) }

  /// For ascending `sorted` and a non-decreasing sequence of `x` values, the first index j ≥
  /// `start` with H(sorted[j] − x) > 0. The positives below it contribute exactly 0 to every
  /// positive–positive sum, so the loss definitions start their loops there (about half the
  /// O(P²) work) without changing a single bit of the sums.
  @inline(__always)
  func firstNonZero(in sorted: [Double], above x: Double, from start: Int) -> Int {
    var j = start
    while j < sorted.count && self(sorted[j] - x) == 0 { j += 1 }
    return j
  }
}
