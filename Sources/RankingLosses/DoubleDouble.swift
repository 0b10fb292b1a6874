import RealModule

/// An unevaluated sum `head + tail` of two Doubles, carrying about twice Double's precision.
///
/// The exact method subtracts prefix sums: FP_i needs Σ over the intervals between p_i − δ and
/// p_i + δ, computed as S_hi − S_lo. When the logits are large and alike (a detector's scores
/// around 1e4, say) S_hi and S_lo agree in most of their digits and a plain Double difference
/// keeps only the last few. Keeping the prefix sums as double-doubles (each addition's rounding
/// error recovered exactly by Knuth's 2Sum from swift-numerics' `Augmented`) makes that
/// difference as accurate as the inputs allow. Only the O(P) prefix sums pay for this; the
/// per-negative loops stay in plain Double.
struct DoubleDouble: Sendable {
  var head: Double
  var tail: Double

  static let zero = DoubleDouble(head: 0, tail: 0)

  init(head: Double, tail: Double) {
    self.head = head
    self.tail = tail
  }

  /// The exact product `a·b` (for Doubles without overflow or underflow).
  init(product a: Double, _ b: Double) {
    let p = Augmented.product(a, b)
    self.init(head: p.head, tail: p.tail)
  }

  /// The exact difference `a − b` (2Sum); an overflowed difference is ±∞ with tail 0.
  init(difference a: Double, _ b: Double) {
    let d = Augmented.sum(a, -b)
    self.init(head: d.head, tail: d.head.isFinite ? d.tail : 0)
  }

  /// `a·b` to double-double precision: the exact product with the head, plus a·tail.
  init(product a: Double, _ b: DoubleDouble) {
    self = DoubleDouble(product: a, b.head) + a * b.tail
  }

  /// `a·b` to double-double precision: a.head·b as above, plus a.tail·b.head (a.tail·b.tail is
  /// below the result's precision).
  static func * (a: DoubleDouble, b: DoubleDouble) -> DoubleDouble {
    DoubleDouble(product: a.head, b) + a.tail * b.head
  }

  /// `self·s` for a power of two `s`: exact unless a part over- or underflows.
  func scaled(by s: Double) -> DoubleDouble { DoubleDouble(head: head * s, tail: tail * s) }

  /// The nearest Double.
  var value: Double { head + tail }

  static func + (a: DoubleDouble, b: Double) -> DoubleDouble {
    let s = Augmented.sum(a.head, b)
    return DoubleDouble.normalized(s.head, s.tail + a.tail)
  }

  static func + (a: DoubleDouble, b: DoubleDouble) -> DoubleDouble {
    let s = Augmented.sum(a.head, b.head)
    return DoubleDouble.normalized(s.head, s.tail + (a.tail + b.tail))
  }

  static prefix func - (a: DoubleDouble) -> DoubleDouble {
    DoubleDouble(head: -a.head, tail: -a.tail)
  }

  static func - (a: DoubleDouble, b: DoubleDouble) -> DoubleDouble { a + (-b) }

  private static func normalized(_ head: Double, _ tail: Double) -> DoubleDouble {
    let s = Augmented.sum(head, tail)
    return DoubleDouble(head: s.head, tail: s.tail)
  }

  /// Whether a double-double sum whose terms reach `magnitude` is accurate to far better than
  /// the tolerance (1e-13 relative) for a result of size `scale`.
  ///
  /// Prefix sums cancel: with logits of very different sizes (±1e30 beside O(1)) the prefix
  /// sums reach 1e30·N and their ~2⁻¹⁰⁴ rounding is no longer small next to a ramp's content.
  /// Then the caller sums another way, from terms that are all small: the exact method
  /// directly over the window (O(window), at most O(P) per positive or interval), the
  /// positive–positive sums with a ``RampSumTree``. Ordinary inputs never get there. An
  /// overflowed or NaN magnitude is never negligible (at a huge δ the scale may be +∞ too).
  @inline(__always)
  static func isNegligible(_ magnitude: Double, against scale: Double) -> Bool {
    magnitude.isFinite && magnitude * 0x1p-100 <= 1e-13 * scale
  }
}
