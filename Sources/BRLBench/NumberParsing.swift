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
  }

  private static let suffixes: [Character: Double] = [
    "k": 1e3, "K": 1e3, "M": 1e6, "G": 1e9,
  ]

  /// A non-negative integer: digits with optional `_` separators, a decimal or scientific
  /// number (`1e6`, `2.5e3`), or a number with a suffix k/K (10³), M (10⁶) or G (10⁹). The value
  /// must be a whole number.
  public static func count(_ text: String) throws -> Int {
    let value = try real(text)
    guard value >= 0 else { throw Error(text: text, reason: "is negative") }
    guard value == value.rounded() else {
      throw Error(text: text, reason: "is not a whole number")
    }
    guard value <= 1e15 else { throw Error(text: text, reason: "is too large") }
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
    guard stepsPerDecade >= 1 else {
      throw Error(text: "\(stepsPerDecade)", reason: "steps per decade must be at least 1")
    }
    var result: [Int] = []
    for item in text.split(separator: ",", omittingEmptySubsequences: false) {
      let item = String(item)
      if let range = item.range(of: "..") {
        let low = try count(String(item[..<range.lowerBound]))
        let high = try count(String(item[range.upperBound...]))
        guard low >= 1, low <= high else {
          throw Error(text: item, reason: "is not a range a..b with 1 ≤ a ≤ b")
        }
        result += logGrid(from: low, to: high, stepsPerDecade: stepsPerDecade)
      } else {
        result.append(try count(item))
      }
    }
    var seen = Set<Int>()
    return result.filter { seen.insert($0).inserted }
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

  /// A relative threshold: `10%` or `10` (percent) is 0.1.
  public static func fraction(_ text: String) throws -> Double {
    var body = text.trimmingWhitespace()
    if body.hasSuffix("%") { body.removeLast() }
    guard let value = Double(body), value.isFinite, value >= 0 else {
      throw Error(text: text, reason: "is not a percentage (try 10%)")
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
