import Foundation

/// Where an axis has its ticks, and how a tick is labelled.
///
/// - Linear axes get "nice" ticks: a step of 1, 2 or 5 × 10ᵏ giving about `target` ticks, and
///   the domain rounded out to whole steps (`0.13…0.87` → `0, 0.2, …, 1`).
/// - Log axes span the data (padded a little) with a tick per decade inside (every second or
///   third decade when there would be more than eight); a narrower log axis (a ratio between 0.8
///   and 1.3) gets ticks at 1, 2 and 5 × 10ᵏ, and if that gives fewer than three, at every
///   1…9 × 10ᵏ.
/// - Labels follow the axis' ``ChartTicks/Format``: decades of counts read `10⁴`, times `1 ms`,
///   `10 µs`, sizes `100 MB`, other numbers `0.5`, `2×10⁻⁶`; negatives take a true minus (−).
public enum ChartTicks {
  /// How tick values are labelled.
  public enum Format: String, Sendable {
    /// Counts: `1`, `10`, `100`, `10³`, `10⁴`, … (non-decades as `200`, `5000`, `20k`).
    case count
    /// Seconds: `100 ns`, `1 µs`, `10 ms`, `1 s`.
    case seconds
    /// Bytes: `1 kB`, `10 MB`, `1 GB` (powers of 1000).
    case bytes
    /// Plain numbers: `0`, `0.25`, `2`, `2×10⁻⁶`.
    case plain
  }

  /// The ticks and the (rounded out) domain for data spanning `low...high` on a scale of `kind`.
  ///
  /// Non-finite bounds, and bounds ≤ 0 on a log axis, are ignored as ``ChartScale`` ignores
  /// them; an empty range is widened.
  public static func choose(
    kind: ChartScale.Kind, low: Double, high: Double, target: Int = 5
  ) -> (domain: ClosedRange<Double>, ticks: [Double]) {
    let scale = ChartScale(kind: kind, domain: min(low, high)...max(low, high), range: (0, 1))
    switch kind {
    case .linear:
      return linear(scale.domain.lowerBound, scale.domain.upperBound, target: target)
    case .log:
      return log(scale.domain.lowerBound, scale.domain.upperBound)
    }
  }

  /// Nice linear ticks covering `low...high` (low < high, both finite).
  public static func linear(_ low: Double, _ high: Double, target: Int = 5)
    -> (domain: ClosedRange<Double>, ticks: [Double])
  {
    let step = niceStep((high - low) / Double(max(target - 1, 1)))
    let first = (low / step).rounded(.down)
    let last = (high / step).rounded(.up)
    let ticks = stride(from: first, through: last, by: 1).map { clean($0 * step, step: step) }
    return (ticks.first!...ticks.last!, ticks)
  }

  /// The smallest of 1, 2, 5 × 10ᵏ at least `raw`.
  static func niceStep(_ raw: Double) -> Double {
    guard raw > 0, raw.isFinite else { return 1 }
    let magnitude = pow(10, (log10(raw)).rounded(.down))
    for factor in [1.0, 2, 5, 10] where factor * magnitude >= raw * (1 - 1e-12) {
      return factor * magnitude
    }
    return 10 * magnitude
  }

  /// `k × step` without binary noise (0.30000000000000004 → 0.3).
  static func clean(_ value: Double, step: Double) -> Double {
    let digits = max(0, -Int((log10(step)).rounded(.down))) + 1
    let scale = pow(10, Double(min(digits, 300)))
    let cleaned = (value * scale).rounded() / scale
    return cleaned == 0 ? 0 : (cleaned.isFinite ? cleaned : value)
  }

  /// Log ticks for data in `low...high` (0 < low < high, both finite). The domain is the data's
  /// range padded by 4 % of its width in log space each side (so no point sits on the frame);
  /// the ticks are the decades inside it when there are at least three, else 1, 2 and 5 × 10ᵏ,
  /// else every 1…9 × 10ᵏ, else nice linear steps (a range narrower than one step of 10ᵏ).
  public static func log(_ low: Double, _ high: Double)
    -> (domain: ClosedRange<Double>, ticks: [Double])
  {
    let (l, h) = (log10(low), log10(high))
    let pad = Swift.max((h - l) * 0.04, 0.02)
    let domain = pow(10, l - pad)...pow(10, h + pad)
    let inside = { (t: Double) in t >= domain.lowerBound && t <= domain.upperBound }
    let lowDecade = Int((l - pad).rounded(.down))
    let highDecade = Int((h + pad).rounded(.up))
    let decades = (lowDecade...highDecade).map { pow10($0) }.filter(inside)
    if decades.count >= 3 {
      let every = decades.count > 8 ? Int((Double(decades.count) / 8).rounded(.up)) : 1
      return (domain, stride(from: 0, to: decades.count, by: every).map { decades[$0] })
    }
    for factors in [[1.0, 2, 5], [1.0, 2, 3, 4, 5, 6, 7, 8, 9]] {
      var ticks: [Double] = []
      for decade in lowDecade...highDecade {
        for factor in factors {
          let t = clean(factor * pow10(decade), step: pow10(decade))
          if inside(t) { ticks.append(t) }
        }
      }
      if ticks.count >= 3 || (factors.count == 9 && ticks.count >= 2) { return (domain, ticks) }
    }
    let linearTicks = linear(domain.lowerBound, domain.upperBound, target: 4).ticks.filter(inside)
    return (domain, linearTicks)
  }

  static func pow10(_ exponent: Int) -> Double { pow(10, Double(exponent)) }

  // MARK: Labels

  /// The label of tick `value` on an axis of `format`, whose ticks are `step` apart (linear) or
  /// nil (log).
  public static func label(_ value: Double, format: Format, step: Double? = nil) -> String {
    guard value.isFinite else { return "" }
    if value == 0 { return "0" }
    if value < 0 { return "−" + label(-value, format: format, step: step) }
    switch format {
    case .count:
      if let decade = exactDecade(value), decade >= 3 { return "10" + superscript(decade) }
      if value >= 1, value == value.rounded(), value < 1e4 { return String(format: "%.0f", value) }
      if value >= 1e4, value < 1e15, let whole = Int(exactly: value) {
        return BRLFormat.Format.count(whole)
      }
      return plain(value, step: step)
    case .seconds:
      return scaled(value, units: [(1e-9, "ns"), (1e-6, "µs"), (1e-3, "ms"), (1, "s")], step: step)
    case .bytes:
      return scaled(
        value, units: [(1, "B"), (1e3, "kB"), (1e6, "MB"), (1e9, "GB"), (1e12, "TB")], step: step)
    case .plain:
      return plain(value, step: step)
    }
  }

  /// The exponent k when `value` is 10ᵏ.
  static func exactDecade(_ value: Double) -> Int? {
    let k = log10(value).rounded()
    return abs(value / pow(10, k) - 1) < 1e-9 ? Int(k) : nil
  }

  /// `value` in the largest unit not above it: `10 µs`, `2.5 ms`; beyond the last unit, in it.
  static func scaled(_ value: Double, units: [(Double, String)], step: Double?) -> String {
    let unit = units.last(where: { $0.0 <= value * (1 + 1e-9) }) ?? units[0]
    let number = value / unit.0
    let decimals =
      step.map { max(0, -Int((log10($0 / unit.0) + 1e-9).rounded(.down))) }
      ?? significantDecimals(
        number)
    return String(format: "%.\(min(decimals, 6))f", number) + " " + unit.1
  }

  /// The decimals that show `value` to three significant digits without trailing zeros.
  static func significantDecimals(_ value: Double) -> Int {
    for decimals in 0...6 {
      let shown = (value * pow(10, Double(decimals))).rounded() / pow(10, Double(decimals))
      if abs(shown - value) <= abs(value) * 1e-3 { return decimals }
    }
    return 6
  }

  /// `0.25`, `40`, `2×10⁻⁶`, `10⁸`.
  static func plain(_ value: Double, step: Double?) -> String {
    // On a log axis, decades far from 1 read as powers: 10⁻³ beside 10⁻⁶, not 0.001.
    if step == nil, let decade = exactDecade(value), abs(decade) >= 3 {
      return "10" + superscript(decade)
    }
    if value >= 1e-3 && value < 1e5 {
      let decimals =
        step.map { max(0, -Int((log10($0) + 1e-9).rounded(.down))) }
        ?? significantDecimals(value)
      return String(format: "%.\(min(decimals, 6))f", value)
    }
    let exponent = Int((log10(value) + 1e-9).rounded(.down))
    let mantissa = value / pow(10, Double(exponent))
    if step == nil && abs(mantissa - 1) < 1e-9 { return "10" + superscript(exponent) }
    let decimals =
      step.map { max(0, exponent - Int((log10($0) + 1e-9).rounded(.down))) }
      ?? significantDecimals(mantissa)
    return String(format: "%.\(min(decimals, 6))f", mantissa) + "×10" + superscript(exponent)
  }

  /// `-6` → `⁻⁶`.
  public static func superscript(_ n: Int) -> String {
    let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
    let sign = n < 0 ? "⁻" : ""
    return sign + String(String(abs(n)).map { digits[Int(String($0))!] })
  }
}
