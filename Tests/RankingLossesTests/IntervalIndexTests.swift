import BRLRandom
import Foundation
import Testing

@testable import RankingLosses

/// ``IntervalIndex`` against a direct count #{b ≤ q}: sparse cells (the scan), crowded cells
/// (more than the scan limit: bisection), ties, queries exactly at break points and between
/// them, outside the range, and spans with no grid.
@Suite struct IntervalIndexTests {
  static func count(_ breaks: [Double], _ q: Double) -> Int { breaks.count { $0 <= q } }

  static let cases: [(String, [Double])] = {
    var g = SplitMix64(seed: 12)
    func unit() -> Double { Double(g.next() >> 11) / Double(1 << 53) }
    let uniform = (0..<500).map { _ in unit() * 10 - 5 }.sorted()
    // 400 break points on one value and a few elsewhere: cells far over the scan limit.
    let crowded = ([Double](repeating: 0.25, count: 400) + (0..<50).map { _ in unit() }).sorted()
    let grid = (0..<300).map { _ in ((unit() * 8 - 4) * 4).rounded() / 4 }.sorted()
    let normal = (0..<1000).map { _ in
      let u = max(unit(), 1e-12)
      return 0.5 + 1.5 * (-2 * log(u)).squareRoot() * cos(2 * .pi * unit())
    }.sorted()
    return [
      ("uniform", uniform), ("crowded", crowded), ("grid", grid), ("normal", normal),
      ("single", [1.5]), ("huge span", [-1.7e308, 0, 1.7e308]),
      ("subnormal", [.leastNonzeroMagnitude, 2 * .leastNonzeroMagnitude]),
    ]
  }()

  @Test(arguments: 0..<cases.count)
  func matchesDirectCount(caseIndex: Int) {
    let (name, breaks) = Self.cases[caseIndex]
    let index = IntervalIndex(breaks: breaks)
    var g = SplitMix64(seed: UInt64(caseIndex))
    var queries = breaks + breaks.map(\.nextUp) + breaks.map(\.nextDown)
    let low = breaks.first!
    let high = breaks.last!
    for _ in 0..<2000 {
      let u = Double(g.next() >> 11) / Double(1 << 53)
      queries.append(low + (high - low) * u)
    }
    queries += [-.greatestFiniteMagnitude, .greatestFiniteMagnitude, 0, -0.0, low - 1, high + 1]
    let wrong = queries.filter { q in q.isFinite && index.interval(q) != Self.count(breaks, q) }
    #expect(wrong.isEmpty, "\(name): \(wrong.prefix(5))")
  }
}
