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
///
/// **Every δ.** brl accepts any finite δ ≥ 0, and 1/(2δ) is not a Double for all of them: it
/// overflows to +∞ for δ < 2⁻¹⁰²⁵ (subnormal δ such as 1e-310 or 5e-324), where a tie would
/// give ∞·0 = NaN instead of ½, and 2δ overflows for δ ≥ 2¹⁰²³ (1e308), where the slope would
/// round to 0 and H would collapse into the hard step. So the rise x/(2δ) is evaluated as
///
///     x/(2δ) = (x·s) · (1/(2δ·s))     with s = 2^k, k = min(−⌊log₂ δ⌋ − 1, 1023),
///
/// a power of two that brings 2δ·s into [1, 2) (into [2⁻⁵⁰, 1) for δ < 2⁻¹⁰²⁴, where 2¹⁰²³ is
/// the largest s there is). Multiplying by a power of two is exact unless it over- or
/// underflows, so 2δ·s is exact, ``slope`` = 1/(2δ·s) is a finite number in (½, 2⁵⁰], and for
/// ordinary arguments the result has exactly the bits of `x · (1/(2δ))`: the two
/// reciprocals differ only in their exponent. At the edges:
///
/// - x·s overflows only where |x| > 2¹⁰²⁴/s > δ·2¹⁰²⁴, far outside the ramp: ±∞·slope is ±∞,
///   and the clamp gives the correct 0 or 1 (never NaN: slope is finite and non-zero).
/// - x·s underflows only for s < 1 (δ ≥ 1) and |x| < 2⁻¹⁰²²/s, where |x/(2δ)| < 2⁻¹⁰²² and
///   adding ½ rounds it away anyway.
/// - x = 0 gives exactly ½ for every δ > 0: a tie counts half, as in the definition.
///
/// **Scaled differences.** The exact method and the positive–positive sums never evaluate H
/// term by term: they add logit differences (and weights times differences) and divide the
/// sum by 2δ at the end. They form each difference as (a − b)·s, and take the sum times
/// ``slope``: the same value as (Σ (a − b))/(2δ) but with no intermediate result of the
/// magnitude 2δ, whose products with weights would underflow for a subnormal δ (a weight of
/// ⅓ times 5e-324 rounds to 0 or 5e-324) and whose products with counts would overflow for a
/// huge one (20 000 × 1e308). On a ramp every scaled difference is below 2 in magnitude.
///
/// **Ramp ends.** Where H starts and stops being linear is given as doubles, for the methods
/// that classify logits by comparison instead of evaluating H: ``rampStart(_:)`` and
/// ``rampEnd(_:)`` are p − δ and p + δ rounded *upwards*, so that a logit q lies in
/// [rampStart(p), rampEnd(p)) exactly when p − δ ≤ q < p + δ in real numbers, i.e. exactly
/// when H_δ(q − p) is on its ramp (in [0, 1)). Rounding to nearest would put a logit just
/// below p − δ on the ramp with a negative H whenever δ is comparable with the logits' spacing
/// (δ = ¾ ulp(p): p − δ rounds to p − ulp, where the ramp formula gives −⅙), and put p itself
/// above the ramp when δ is below half its spacing (p + δ rounds to p, but H(0) = ½).
public struct SmoothStep: Sendable, Hashable {
  /// The half-width δ of the linear ramp; 0 means the hard step.
  public let delta: Double
  /// The power of two s of the type's documentation (1 for the hard step).
  @usableFromInline let scale: Double
  /// 1 / (2δ·s), or 0 for the hard step. Precomputed because the naive method calls
  /// `callAsFunction` P·N times.
  @usableFromInline let slope: Double

  /// Creates the step function for `delta` (must be finite and ≥ 0).
  public init(delta: Double) {
    precondition(delta.isFinite && delta >= 0, "delta must be finite and non-negative")
    self.delta = delta
    guard delta > 0 else {
      scale = 1
      slope = 0
      return
    }
    // δ = m·2^e with m in [1, 2) (e is the true exponent for a subnormal δ too).
    let k = min(-Int(delta.exponent) - 1, 1023)
    scale = Double(sign: .plus, exponent: k, significand: 1)
    slope = 1 / (2 * (delta * scale))
  }

  /// H_δ(x).
  @inlinable @inline(__always)
  public func callAsFunction(_ x: Double) -> Double {
    if slope == 0 { return x >= 0 ? 1 : 0 }
    // The same operations in the same order as the official code (`x/(2δ) + 0.5`, then clamp),
    // except that the division is a multiplication by the precomputed reciprocal: the two agree
    // to one rounding, far below float32 resolution.
    return Swift.min(Swift.max(rise(x) + 0.5, 0), 1)
  }

  /// x/(2δ) for δ > 0 (see the type's documentation): the rise of the ramp over a run of x.
  /// Finite for every finite x of a ramp; ±∞ only where x·s overflows.
  @inlinable @inline(__always)
  public func rise(_ x: Double) -> Double { (x * scale) * slope }

  /// The powers of two (f, g) = (min(s, 1), s/f) with which the methods form a scaled
  /// difference (a − b)·s as (a·f − b·f)·g: for a huge δ (s < 1) the operands are scaled down
  /// before the subtraction, so logits near ±Double.greatestFiniteMagnitude do not overflow
  /// it. Scaling by a power of two commutes with rounding, so this is (a − b)·s to the bit
  /// wherever nothing over- or underflows.
  var differenceScaling: (pre: Double, post: Double) {
    let pre = Swift.min(scale, 1)
    return (pre, scale / pre)
  }

  /// H_δ(0): the weight of a positive's comparison with itself where a loss includes it
  /// (0.5 for δ > 0, 1 for the hard step).
  public var atZero: Double { self(0) }

  /// The least double ≥ p − δ: where the ramp of H_δ(q − p) starts, as a logit q.
  /// (p for δ = 0; −Double.greatestFiniteMagnitude where p − δ is below it.)
  @inline(__always)
  func rampStart(_ p: Double) -> Double { Self.roundedUp(p, -delta) }

  /// The least double ≥ p + δ: where H_δ(q − p) reaches 1, as a logit q; above p for δ > 0,
  /// +∞ where p + δ is above every double. (p for δ = 0.)
  @inline(__always)
  func rampEnd(_ p: Double) -> Double { Self.roundedUp(p, delta) }

  /// a + b rounded towards +∞: the rounded-to-nearest sum, moved up one step when its exact
  /// error (Fast2Sum, exact for |a| ≥ |b|) shows it fell below the true sum.
  @inline(__always)
  static func roundedUp(_ a: Double, _ b: Double) -> Double {
    let sum = a + b
    // Rounded to nearest, a sum beyond the largest double is ±∞; rounded up, a sum below
    // −greatestFiniteMagnitude is −greatestFiniteMagnitude and one above it stays +∞.
    guard sum.isFinite else { return sum < 0 ? -.greatestFiniteMagnitude : sum }
    let (large, small) = abs(a) >= abs(b) ? (a, b) : (b, a)
    let error = small - (sum - large)
    return error > 0 ? sum.nextUp : sum
  }

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
