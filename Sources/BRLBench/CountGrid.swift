/// The values of P or N as typed: counts and log ranges, parsed once and expanded when the
/// points per decade are known.
///
///     let grid = try CountGrid(parsing: "10,1e3..1e5")
///     try grid.values(stepsPerDecade: 1)   // [10, 1000, 10000, 100000]
///
/// Every item is checked when parsed: a count in ``NumberParsing/count(_:)``'s grammar, a range
/// `a..b` with 1 ≤ a ≤ b (a reversed range such as `1e6..1e3` is refused), no empty item.
public struct CountGrid: Sendable, Equatable, CustomStringConvertible {
  /// One item of the list.
  public enum Item: Sendable, Equatable {
    case value(Int)
    /// A log grid from `low` to `high`, both included.
    case range(low: Int, high: Int)
  }

  /// The most points per decade a range may have (a range cannot hold more than 15 decades).
  public static let maxStepsPerDecade = 1000

  public var items: [Item]
  /// The text it was parsed from.
  public var description: String

  public init(parsing text: String) throws {
    items = try NumberParsing.list(text) { item -> Item in
      guard let range = item.range(of: "..") else { return .value(try NumberParsing.count(item)) }
      let low = try NumberParsing.count(String(item[..<range.lowerBound]))
      let high = try NumberParsing.count(String(item[range.upperBound...]))
      guard low >= 1, low <= high else {
        throw NumberParsing.Error(
          text: item, reason: "is not a range a..b with 1 ≤ a ≤ b (e.g. 1e3..1e7)")
      }
      return .range(low: low, high: high)
    }
    description = text
  }

  /// The values in the order given, ranges expanded with `stepsPerDecade` points per factor of
  /// 10, duplicates dropped.
  public func values(stepsPerDecade: Int) throws -> [Int] {
    guard (1...Self.maxStepsPerDecade).contains(stepsPerDecade) else {
      throw NumberParsing.Error(
        text: "\(stepsPerDecade)",
        reason: "steps per decade must be from 1 to \(Self.maxStepsPerDecade)")
    }
    var result: [Int] = []
    for item in items {
      switch item {
      case .value(let value): result.append(value)
      case .range(let low, let high):
        result += NumberParsing.logGrid(from: low, to: high, stepsPerDecade: stepsPerDecade)
      }
    }
    var seen = Set<Int>()
    return result.filter { seen.insert($0).inserted }
  }
}
