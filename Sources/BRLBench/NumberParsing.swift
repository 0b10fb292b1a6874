import Foundation

/// Parses the counts and lists of the benchmark options: `1e6`, `1_000_000`, `1M`, `2.5k`,
/// lists `1e4,1e5,1e6`, and log grids `1e3..1e7`.
///
/// Sizes of benchmarks span many decades, so writing them as powers of ten or with a suffix is
/// the natural way; this type gives every option the same grammar:
///
///     try NumberParsing.count("1M")                       // 1_000_000
///     try NumberParsing.counts("1e3..1e5")                 // [1000, 10000, 100000]
///     try NumberParsing.counts("1e3..1e4", stepsPerDecade: 2)  // [1000, 3162, 10000]
///     try NumberParsing.fraction("10%")                    // 0.1
public enum NumberParsing {
  /// Why a string is not a count or a list of counts.
  public struct Error: Swift.Error, Equatable, CustomStringConvertible {
    public var text: String
    public var reason: String
    public var description: String { "'\(text)' \(reason)" }

    public init(text: String, reason: String) {
      self.text = text
      self.reason = reason
    }
  }

  private static let suffixes: [Character: Double] = [
    "k": 1e3, "K": 1e3, "M": 1e6, "G": 1e9,
  ]

  /// A non-negative integer: digits with optional `_` separators, a decimal or scientific
  /// number (`1e6`, `2.5e3`), or a number with a suffix k/K (10³), M (10⁶) or G (10⁹). The value
  /// must be a whole number.
  public static func count(_ text: String) throws -> Int {
    let value = try real(text)
    guard value >= 0 else {
      throw Error(text: text, reason: "is negative (expected a count such as 1e6, 1M or 1_000_000)")
    }
    guard value == value.rounded() else {
      throw Error(text: text, reason: "is not a whole number (expected a count such as 1e6 or 1M)")
    }
    guard value <= 1e15 else { throw Error(text: text, reason: "is too large (at most 1e15)") }
    return Int(value)
  }

  /// A finite real number in the same grammar as ``count(_:)``, sign allowed.
  public static func real(_ text: String) throws -> Double {
    var body = text.trimmingWhitespace().replacingUnderscores()
    var scale = 1.0
    if let last = body.last, let factor = suffixes[last] {
      scale = factor
      body.removeLast()
    }
    guard !body.isEmpty, let value = Double(body), value.isFinite else {
      throw Error(text: text, reason: "is not a number (try 1e6, 1_000_000 or 1M)")
    }
    return value * scale
  }

  /// A comma-separated list whose items are counts or ranges `a..b`; a range is a log grid from
  /// a to b (both included) with `stepsPerDecade` points per factor of 10, each rounded to an
  /// integer. The result keeps the order given, without duplicates.
  public static func counts(_ text: String, stepsPerDecade: Int = 1) throws -> [Int] {
    try CountGrid(parsing: text).values(stepsPerDecade: stepsPerDecade)
  }

  /// A comma-separated list, each item trimmed and parsed by `item`, in the order given with
  /// duplicates dropped. An empty list or an empty item (`1,,2`, `1,`) is refused.
  public static func list<T: Equatable>(_ text: String, item: (String) throws -> T) throws -> [T] {
    var values: [T] = []
    for piece in text.split(separator: ",", omittingEmptySubsequences: false) {
      let trimmed = String(piece).trimmingWhitespace()
      guard !trimmed.isEmpty else {
        throw Error(
          text: text, reason: "has an empty item (write items separated by single commas)")
      }
      let value = try item(trimmed)
      if !values.contains(value) { values.append(value) }
    }
    return values
  }

  /// A finite number ≥ 0 in plain decimal or scientific notation (`0`, `0.5`, `1e-3`), as δ and
  /// the tolerances take. `-0` is 0; NaN, ±∞, negative numbers and overflow (`1e400`) are
  /// refused; subnormal numbers are accepted.
  public static func nonNegative(_ text: String) throws -> Double {
    let body = text.trimmingWhitespace()
    guard let value = Double(body), !body.isEmpty else {
      throw Error(text: text, reason: "is not a number (expected a finite number ≥ 0, e.g. 0.5)")
    }
    guard value.isFinite else {
      throw Error(text: text, reason: "is not finite (expected a finite number ≥ 0, e.g. 0.5)")
    }
    guard value >= 0 else {
      throw Error(text: text, reason: "is negative (expected a finite number ≥ 0, e.g. 0.5)")
    }
    return value == 0 ? 0 : value
  }

  /// A time budget in seconds: `none` (no limit, `nil`) or a finite number of seconds > 0.
  public static func budget(_ text: String) throws -> Double? {
    let body = text.trimmingWhitespace()
    if body == "none" { return nil }
    guard let value = Double(body), value.isFinite, value > 0 else {
      throw Error(text: text, reason: "is not a budget (expected 'none' or seconds > 0, e.g. 30)")
    }
    return value
  }

  /// A seed: a count (`42`, `1e6`, `1_000`) up to 10¹⁵.
  public static func seed(_ text: String) throws -> UInt64 {
    UInt64(try count(text))
  }

  /// A count no larger than `limit`, for options whose size costs memory or time.
  public static func count(_ text: String, atMost limit: Int, what: String) throws -> Int {
    let value = try count(text)
    guard value <= limit else {
      throw Error(text: text, reason: "is more than \(what) allows (at most \(limit))")
    }
    return value
  }

  /// The points a·10^(k/s) ≤ b, rounded, and b itself.
  static func logGrid(from low: Int, to high: Int, stepsPerDecade: Int) -> [Int] {
    var points: [Int] = []
    var k = 0
    while true {
      let value = Double(low) * pow(10, Double(k) / Double(stepsPerDecade))
      if value > Double(high) * (1 + 1e-9) { break }
      points.append(Int(value.rounded()))
      k += 1
    }
    if points.last != high { points.append(high) }
    return points
  }

  /// A relative threshold: `10%` or `10` (percent) is 0.1. The percentage is a finite number
  /// ≥ 0.
  public static func fraction(_ text: String) throws -> Double {
    var body = text.trimmingWhitespace()
    if body.hasSuffix("%") { body.removeLast() }
    guard !body.isEmpty, let value = Double(body), value.isFinite, value >= 0 else {
      throw Error(text: text, reason: "is not a percentage (expected a number ≥ 0, e.g. 10%)")
    }
    return value / 100
  }
}

extension String {
  fileprivate func trimmingWhitespace() -> String {
    String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
  }

  fileprivate func replacingUnderscores() -> String {
    String(filter { $0 != "_" })
  }
}
