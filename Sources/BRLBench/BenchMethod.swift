import RankingLosses

/// What a benchmark point times: one of the loss ``Method``s, or the `floor` pseudo-method.
///
/// The `floor` is the cost of one pass that reads every logit and target and writes a gradient
/// array: no method can beat it, so it shows how far each method is from memory bandwidth. It is
/// a row like the others, so tables, charts, the store and comparisons need no special case.
///
/// Methods are identified by name (the raw value), so a store or an exported baseline written by
/// a later brl with more methods still reads.
public struct BenchMethod: RawRepresentable, Hashable, Sendable, Comparable,
  CustomStringConvertible
{
  public let rawValue: String

  public init(rawValue: String) {
    self.rawValue = rawValue
  }

  /// A loss method.
  public init(_ method: Method) {
    rawValue = method.rawValue
  }

  /// The memory-bandwidth floor.
  public static let floor = BenchMethod(rawValue: "floor")
  /// The reference every speedup is relative to.
  public static let naive = BenchMethod(.naive)

  /// Every method brl has, floor first: the default of `--method`.
  public static var all: [BenchMethod] { [.floor] + Method.allCases.map(BenchMethod.init) }

  /// The loss method, or `nil` for `floor` and for names this brl does not know.
  public var lossMethod: Method? { Method(rawValue: rawValue) }

  /// Whether this brl can time it.
  public var isKnown: Bool { self == .floor || lossMethod != nil }

  /// The one-letter mark of the method in charts (its first letter; `*` marks a collision).
  public var mark: Character { rawValue.first ?? "?" }

  public var description: String { rawValue }

  /// Known methods in the order of ``all``, then others by name.
  public static func < (lhs: BenchMethod, rhs: BenchMethod) -> Bool {
    let order = all
    switch (order.firstIndex(of: lhs), order.firstIndex(of: rhs)) {
    case (let l?, let r?): return l < r
    case (.some, nil): return true
    case (nil, .some): return false
    case (nil, nil): return lhs.rawValue < rhs.rawValue
    }
  }
}
