/// `log` and `cos` built from + − × ÷ and √ only.
///
/// IEEE 754 rounds those five operations correctly, so a fixed sequence of them gives the same
/// bits on every conforming machine, whereas libm's transcendental functions may differ in the
/// last bit between platforms and versions. Synthetic benchmark data goes through these
/// functions so that a seed means the same input everywhere. They are accurate to a few ulp,
/// which is all a random-number transform needs; they are not a general-purpose libm.
public enum PortableMath {
  private static let ln2 = 0.693_147_180_559_945_309_417_232_121_458
  private static let sqrt2 = 1.414_213_562_373_095_048_801_688_724_209
  private static let halfPi = 1.570_796_326_794_896_619_231_321_691_639

  /// The natural logarithm of a finite `x > 0`.
  ///
  /// x = m·2ᵉ with m in [√½, √2); log m = 2·atanh(s) with s = (m − 1)/(m + 1), |s| < 0.172,
  /// summed as an odd series to s²³.
  public static func log(_ x: Double) -> Double {
    precondition(x > 0 && x.isFinite, "log needs a finite positive argument")
    var m = x.significand  // [1, 2), exact
    var e = Double(x.exponent)
    if m > sqrt2 {
      m /= 2
      e += 1
    }
    let s = (m - 1) / (m + 1)
    let s2 = s * s
    var sum = 0.0
    var k = 23.0
    while k >= 1 {
      sum = sum * s2 + 1 / k
      k -= 2
    }
    return 2 * s * sum + e * ln2
  }

  /// cos(2π·u) for u in [0, 1).
  ///
  /// The quadrant comes from 4u exactly (u is a multiple of 2⁻⁵³), so the Taylor series only
  /// ever sees an angle in [−π/4, π/4].
  public static func cosTwoPi(_ u: Double) -> Double {
    let v = 4 * u
    var quadrant = v.rounded(.down)
    var r = v - quadrant
    if r > 0.5 {
      r -= 1
      quadrant += 1
    }
    let a = r * halfPi
    switch Int(quadrant) & 3 {
    case 0: return cosine(a)
    case 1: return -sine(a)
    case 2: return -cosine(a)
    default: return sine(a)
    }
  }

  /// Taylor series of sin to a¹⁹ for |a| ≤ π/4.
  private static func sine(_ a: Double) -> Double {
    let a2 = a * a
    var term = 0.0
    var n = 19.0
    while n >= 3 {
      term = (1 - term) * a2 / (n * (n - 1))
      n -= 2
    }
    return a * (1 - term)
  }

  /// Taylor series of cos to a²⁰ for |a| ≤ π/4.
  private static func cosine(_ a: Double) -> Double {
    let a2 = a * a
    var term = 0.0
    var n = 20.0
    while n >= 2 {
      term = (1 - term) * a2 / (n * (n - 1))
      n -= 2
    }
    return 1 - term
  }
}
