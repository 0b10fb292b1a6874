/// A tiny, fully specified pseudo-random generator (Steele, Lea & Flood's SplitMix64).
///
/// brl does not use the standard library's `SystemRandomNumberGenerator` or its
/// `random(in:using:)` helpers for synthetic data: their algorithms are not part of any
/// stability promise, and a benchmark must regenerate the very same input for a seed on every
/// machine and every toolchain. SplitMix64 is eight lines of integer arithmetic, so its output
/// is the same bits everywhere.
///
///     var rng = SplitMix64(seed: 42)
///     let u = rng.nextUnit()          // a Double in [0, 1)
///     let k = rng.nextIndex(below: 10) // an Int in 0..<10
public struct SplitMix64: RandomNumberGenerator, Sendable {
  private var state: UInt64

  /// A generator whose whole future output is fixed by `seed`.
  public init(seed: UInt64) {
    state = seed
  }

  /// A generator for one independent purpose (positives, negatives, shuffle…) of a run seeded
  /// with `seed`. Streams with different `stream` numbers do not overlap in practice.
  public init(seed: UInt64, stream: UInt64) {
    var mixer = SplitMix64(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
    state = mixer.next()
  }

  /// The next 64 random bits.
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A Double uniformly distributed in [0, 1), a multiple of 2⁻⁵³.
  public mutating func nextUnit() -> Double {
    Double(next() >> 11) * 0x1p-53
  }

  /// An Int uniformly distributed in `0..<bound` (Lemire's multiply-high reduction; the bias
  /// is below 2⁻⁴⁰ for any array brl can hold).
  public mutating func nextIndex(below bound: Int) -> Int {
    precondition(bound > 0, "bound must be positive")
    return Int(UInt64(bound).multipliedFullWidth(by: next()).high)
  }

  /// A normally distributed Double with mean `mean` and standard deviation `sd`, by the
  /// Box–Muller transform on two uniforms.
  ///
  /// It uses ``PortableMath`` instead of the platform's `log` and `cos`, whose last bits differ
  /// between libm implementations; so a seed gives the same logits on Linux and macOS.
  public mutating func nextGaussian(mean: Double = 0, sd: Double = 1) -> Double {
    let u1 = 1 - nextUnit()  // (0, 1]: log is finite
    let u2 = nextUnit()
    let radius = (-2 * PortableMath.log(u1)).squareRoot()
    return mean + sd * radius * PortableMath.cosTwoPi(u2)
  }
}
