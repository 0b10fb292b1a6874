import Foundation

/// Maps data values on one axis to positions on the page, linearly or on a log scale.
///
///     let x = ChartScale(kind: .log, domain: 1e3...1e6, range: 40...300)
///     x.position(1e4)   // 126.67: one third of the way
///     x.position(0)     // nil: 0 has no place on a log axis
///
/// Edge cases: a value outside the domain maps outside the range (callers clip); a value that
/// cannot be drawn (NaN, ±∞, or ≤ 0 on a log axis) maps to nil; a domain of zero width is
/// widened (linear: ±1 around the value, or ±10 % of it; log: a decade either side) so every
/// finite value has a position.
public struct ChartScale: Sendable, Equatable {
  public enum Kind: String, Sendable {
    case linear
    case log
  }

  public var kind: Kind
  /// The data values at the two ends of the axis (lower first).
  public private(set) var domain: ClosedRange<Double>
  /// The page positions of the domain's lower and upper ends (lower may be the larger number,
  /// as on a y axis, where the page grows downwards).
  public var range: (lower: Double, upper: Double)

  public init(kind: Kind, domain: ClosedRange<Double>, range: (lower: Double, upper: Double)) {
    self.kind = kind
    self.range = range
    var low = domain.lowerBound
    var high = domain.upperBound
    if kind == .log {
      if !(low > 0) || !low.isFinite { low = high > 0 && high.isFinite ? high / 10 : 1 }
      if !(high > 0) || !high.isFinite { high = low * 10 }
      if high <= low {
        low /= 10
        high *= 10
      }
    } else {
      if !low.isFinite { low = 0 }
      if !high.isFinite { high = low + 1 }
      if high <= low {
        let pad = low == 0 ? 1 : abs(low) * 0.1
        low -= pad
        high += pad
      }
    }
    self.domain = low...high
  }

  public init(kind: Kind, domain: ClosedRange<Double>, range: ClosedRange<Double>) {
    self.init(kind: kind, domain: domain, range: (range.lowerBound, range.upperBound))
  }

  public static func == (a: ChartScale, b: ChartScale) -> Bool {
    a.kind == b.kind && a.domain == b.domain && a.range.lower == b.range.lower
      && a.range.upper == b.range.upper
  }

  /// The value on the scale's own axis: itself, or its log₁₀.
  func transformed(_ value: Double) -> Double? {
    guard value.isFinite else { return nil }
    switch kind {
    case .linear: return value
    case .log: return value > 0 ? log10(value) : nil
    }
  }

  /// Whether `value` can be placed on this scale.
  public func canPlace(_ value: Double) -> Bool { transformed(value) != nil }

  /// The page position of `value`, or nil when it cannot be drawn on this scale.
  public func position(_ value: Double) -> Double? {
    guard let t = transformed(value), let low = transformed(domain.lowerBound),
      let high = transformed(domain.upperBound)
    else { return nil }
    return range.lower + (t - low) / (high - low) * (range.upper - range.lower)
  }

  /// The page position of `value`, held within the range (for marks at the axis' edge).
  public func clampedPosition(_ value: Double) -> Double? {
    guard let p = position(value) else { return nil }
    let (a, b) = (min(range.lower, range.upper), max(range.lower, range.upper))
    return min(max(p, a), b)
  }

  /// Whether `value` lies within the domain (with a relative slack for rounding).
  public func contains(_ value: Double) -> Bool {
    guard let p = position(value) else { return false }
    let (a, b) = (min(range.lower, range.upper), max(range.lower, range.upper))
    let slack = (b - a) * 1e-9
    return p >= a - slack && p <= b + slack
  }
}
