import BRLRandom
import Foundation
import Testing

@testable import RankingLosses

/// ``IntervalIndex`` against a direct count #{b ≤ q}: sparse cells (the scan), crowded cells
/// (more than the scan limit: bisection), ties, queries exactly at break points and between
/// them, outside the range, spans with no grid, and more break points than the grid's budget.
@Suite struct IntervalIndexTests {
  /// #{b ≤ q} for ascending `breaks`, by bisection (a direct count is O(B) a query, and the
  /// budgeted case has 65 536 break points).
  static func count(_ breaks: [Double], _ q: Double) -> Int {
    var (low, high) = (0, breaks.count)
    while low < high {
      let middle = (low + high) / 2
      if breaks[middle] <= q { low = middle + 1 } else { high = middle }
    }
    return low
  }

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
    // More break points than the grid's budget allows four cells each: one cell per break
    // point, so in the crowded middle of a normal sample the window can miss and the fall-back
    // answers.
    let budgeted = (0..<IntervalIndex.cellBudget).map { _ in
      let u = max(unit(), 1e-12)
      return 0.5 + 1.5 * (-2 * log(u)).squareRoot() * cos(2 * .pi * unit())
    }.sorted()
    return [
      ("uniform", uniform), ("budgeted", budgeted), ("crowded", crowded), ("grid", grid),
      ("normal", normal),
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

  /// The branch-free batch look-up of the binning passes gives the direct count for every
  /// relevant element and visits exactly the relevant ones, in order: the same queries as above
  /// (in blocks longer than its 1024), targets 0, 1 and −1 mixed in, a threshold below, at and
  /// above the lowest break point.
  @Test(arguments: 0..<cases.count)
  func batchLookUpMatchesDirectCount(caseIndex: Int) {
    let (name, breaks) = Self.cases[caseIndex]
    let index = IntervalIndex(breaks: breaks)
    var g = SplitMix64(seed: UInt64(100 + caseIndex))
    let low = breaks.first!
    let high = breaks.last!
    var queries = breaks + breaks.map(\.nextUp) + breaks.map(\.nextDown)
    for _ in 0..<3000 {
      let u = Double(g.next() >> 11) / Double(1 << 53)
      queries.append(low + (high - low) * (1.2 * u - 0.1))
    }
    queries += [-.greatestFiniteMagnitude, .greatestFiniteMagnitude, 0, -0.0, low - 1, high + 1]
    queries = queries.filter(\.isFinite)
    let targets: [Float] = queries.indices.map { [0, 0, 0, 1, -1][$0 % 5] }
    let logits = queries.map(Float.init)
    // The last threshold leaves about 2 % selected: the sparse loop of ``forEachSelected``.
    for threshold in [
      low - 1, low, Double(Float(low).nextUp), (low + high) / 2, low + (high - low) * 0.98,
    ] {
      var visited: [(Int, Int)] = []
      logits.withUnsafeBufferPointer { l in
        targets.withUnsafeBufferPointer { t in
          index.forEachRelevantNegative(
            in: 0..<l.count, logits: l, targets: t, threshold: threshold
          ) { i, q, k in
            #expect(q == Double(l[i]))
            visited.append((i, k))
          }
        }
      }
      let expected = logits.indices.filter {
        Double(logits[$0]) >= threshold && targets[$0] == 0
      }.map { ($0, Self.count(breaks, Double(logits[$0]))) }
      #expect(visited.map(\.0) == expected.map(\.0), "\(name), threshold \(threshold)")
      let wrong = zip(visited, expected).filter { $0.0.1 != $0.1.1 }
      #expect(wrong.isEmpty, "\(name), threshold \(threshold): \(wrong.prefix(5))")
    }
  }

  /// ``forEachSelected(in:_:_:)`` visits exactly the selected positions, in order, through
  /// stretches that switch it between its branch-free blocks and its sparse loop: dense, sparse,
  /// none, all, alternating single positions, and block edges that are not multiples of 1024.
  @Test func forEachSelectedAcrossModes() {
    let stretches: [(count: Int, every: Int)] = [
      (3000, 2), (5000, 97), (2048, 0), (1500, 1), (4000, 3), (777, 50), (2500, 1), (1, 1),
    ]
    var selected: [Bool] = []
    for (count, every) in stretches {
      selected += (0..<count).map { every > 0 && $0 % every == 0 }
    }
    for range in [0..<selected.count, 5..<(selected.count - 3), 1000..<1001, 7..<7] {
      var visited: [Int] = []
      forEachSelected(in: range) {
        selected[$0] ? 1 : 0
      } _: {
        visited.append($0)
      }
      #expect(visited == range.filter { selected[$0] }, "range \(range)")
    }
  }
}
