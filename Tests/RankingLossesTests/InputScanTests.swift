import Testing

@testable import RankingLosses

/// ``InputScan``'s counts and its first non-finite logit, over several chunks (2¹⁶ examples a
/// chunk) and both thread counts: targets > 0 are positives, exactly 0 negatives, anything
/// else (negative, NaN) ignored.
@Suite struct InputScanTests {
  static let count = 200_000

  /// Targets cycling through 0.5, 0, −1, 0, NaN: 2 in 5 negatives, 1 positive, 2 ignored.
  static func targets() -> [Float] {
    (0..<count).map { [0.5, 0, -1, 0, .nan][$0 % 5] }
  }

  @Test(arguments: [1, 2])
  func countsEveryKind(threads: Int) throws {
    let logits = [Float](repeating: 1, count: Self.count)
    let targets = Self.targets()
    let scan = try logits.withUnsafeBufferPointer { l in
      try targets.withUnsafeBufferPointer { t in
        try InputScan(
          logits: l, targets: t, parallelism: Parallelism(threads: threads),
          keepingPositivePositions: true, keepingPositiveValues: true)
      }
    }
    #expect(scan.positives == Self.count / 5)
    #expect(scan.negatives == 2 * Self.count / 5)
    #expect(scan.ignored == 2 * Self.count / 5)
    #expect(scan.positivePositions == Array(stride(from: 0, to: Self.count, by: 5)))
    #expect(scan.positiveTargets.allSatisfy { $0 == 0.5 })
  }

  @Test(arguments: [1, 2])
  func findsTheFirstNonFiniteLogit(threads: Int) {
    var logits = [Float](repeating: 1, count: Self.count)
    logits[150_001] = .nan
    logits[70_000] = -.infinity
    logits[199_999] = .infinity
    let targets = Self.targets()
    #expect(throws: RankingLossError.nonFiniteLogits(firstIndex: 70_000, count: 3)) {
      try logits.withUnsafeBufferPointer { l in
        try targets.withUnsafeBufferPointer { t in
          _ = try InputScan(
            logits: l, targets: t, parallelism: Parallelism(threads: threads),
            keepingPositivePositions: false)
        }
      }
    }
  }
}
