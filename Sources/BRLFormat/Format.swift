import Foundation

/// How numbers look in brl's tables and charts: short, with units, locale-independent.
///
/// One place decides, so the text report, the Markdown export and the chart axes agree, and the
/// golden-output tests pin one format. Every function takes any `Double`: huge, tiny,
/// subnormal, negative zero, NaN and ±∞ print without trapping (nothing here converts a
/// `Double` to `Int`).
public enum Format {
  /// A duration with three significant digits and a unit: `1.23s`, `45.6ms`, `789µs`, `12.0ns`.
  public static func time(_ seconds: Double) -> String {
    guard seconds.isFinite else { return "-" }
    let (value, unit): (Double, String) =
      switch abs(seconds) {
      case 1...: (seconds, "s")
      case 1e-3...: (seconds * 1e3, "ms")
      case 1e-6...: (seconds * 1e6, "µs")
      default: (seconds * 1e9, "ns")
      }
    return significant(value) + unit
  }

  /// A count as people write benchmark sizes: `10k`, `1M`, `2.5M` when exact, else all digits.
  public static func count(_ n: Int) -> String {
    for (scale, suffix) in [(1_000_000_000, "G"), (1_000_000, "M"), (1000, "k")]
    where n >= scale && n % (scale / 100) == 0 {
      if n % scale == 0 { return "\(n / scale)\(suffix)" }
      let value = Double(n) / Double(scale)
      if n % (scale / 10) == 0 { return String(format: "%.1f%@", value, suffix) }
      return String(format: "%.2f%@", value, suffix)
    }
    return String(n)
  }

  /// A ratio such as a speedup: `×1234`, `×12.3`, `×1.23`.
  public static func ratio(_ value: Double) -> String {
    guard value.isFinite else { return "-" }
    return "×" + significant(value)
  }

  /// A plain number without trailing zeros: `0.5`, `1`, `0.125`, `1e+20`; `nan`, `inf`, `-inf`
  /// for the non-finite values.
  public static func number(_ value: Double) -> String {
    guard value.isFinite else { return nonFinite(value) }
    if value == value.rounded() && abs(value) < 1e15 { return String(format: "%.0f", value) }
    return String(format: "%g", value)
  }

  /// A value people typed or must be able to type back exactly, such as δ or a tolerance: an
  /// integer below 10¹⁵ without a decimal point (`0`, `1`, `-0` for negative zero), else the
  /// shortest text that reads back to the same `Double` (`0.5`, `1e-05`, `1e+19`, `5e-324`).
  public static func exact(_ value: Double) -> String {
    guard value.isFinite else { return nonFinite(value) }
    if value == value.rounded() && abs(value) < 1e15 { return String(format: "%.0f", value) }
    let text = "\(value)"
    return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
  }

  /// A difference or error in scientific notation with three significant digits: `1.23e-07`,
  /// `0` for zero (either sign), `nan`, `inf`.
  public static func scientific(_ value: Double) -> String {
    guard value.isFinite else { return nonFinite(value) }
    return value == 0 ? "0" : String(format: "%.2e", value)
  }

  /// Nine significant digits (`%.9g`): a loss value, enough to tell two float32 results apart.
  public static func precise(_ value: Double) -> String {
    guard value.isFinite else { return nonFinite(value) }
    return String(format: "%.9g", value)
  }

  /// Two significant digits (`1.1e+11`, `0.5`): an order of magnitude.
  public static func rough(_ value: Double) -> String {
    guard value.isFinite else { return nonFinite(value) }
    return String(format: "%.2g", value)
  }

  /// A fixed number of decimals (`%.2f`): `1.25`, `0.50`; `nan`, `inf`, `-inf`.
  public static func fixed(_ value: Double, digits: Int) -> String {
    guard value.isFinite else { return nonFinite(value) }
    return String(format: "%.\(max(0, min(digits, 20)))f", value)
  }

  /// `nan`, `inf` or `-inf`, as numpy prints them.
  static func nonFinite(_ value: Double) -> String {
    value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf")
  }

  /// Bytes in binary units: `812 KiB`, `1.5 GiB`.
  public static func bytes(_ bytes: Int?) -> String {
    guard let bytes else { return "-" }
    let units = ["B", "KiB", "MiB", "GiB", "TiB"]
    var value = Double(bytes)
    var unit = 0
    while value >= 1024 && unit < units.count - 1 {
      value /= 1024
      unit += 1
    }
    return unit == 0 ? "\(bytes) B" : significant(value) + " " + units[unit]
  }

  /// Elements per second: `1.23 G/s`.
  public static func rate(_ perSecond: Double) -> String {
    guard perSecond.isFinite else { return "-" }
    for (scale, suffix) in [(1e9, "G"), (1e6, "M"), (1e3, "k")] where perSecond >= scale {
      return significant(perSecond / scale) + " " + suffix + "/s"
    }
    return significant(perSecond) + " /s"
  }

  /// Three significant digits (at least the integer part).
  public static func significant(_ value: Double) -> String {
    guard value.isFinite else { return nonFinite(value) }
    let magnitude = abs(value)
    if magnitude >= 100 || magnitude == 0 { return String(format: "%.0f", value) }
    if magnitude >= 10 { return String(format: "%.1f", value) }
    return String(format: "%.2f", value)
  }
}
