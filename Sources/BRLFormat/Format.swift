import Foundation

/// How numbers look in brl's tables and charts: short, with units, locale-independent.
///
/// One place decides, so the text report, the Markdown export and the chart axes agree, and the
/// golden-output tests pin one format.
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
      let value = Double(n) / Double(scale)
      if value == value.rounded() { return "\(Int(value))\(suffix)" }
      if value * 10 == (value * 10).rounded() { return String(format: "%.1f%@", value, suffix) }
      return String(format: "%.2f%@", value, suffix)
    }
    return String(n)
  }

  /// A ratio such as a speedup: `×1234`, `×12.3`, `×1.23`.
  public static func ratio(_ value: Double) -> String {
    guard value.isFinite else { return "-" }
    return "×" + significant(value)
  }

  /// A plain number without trailing zeros: `0.5`, `1`, `0.125`.
  public static func number(_ value: Double) -> String {
    if value == value.rounded() && abs(value) < 1e15 { return String(Int(value)) }
    return String(format: "%g", value)
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
    let magnitude = abs(value)
    if magnitude >= 100 || magnitude == 0 { return String(format: "%.0f", value) }
    if magnitude >= 10 { return String(format: "%.1f", value) }
    return String(format: "%.2f", value)
  }
}
