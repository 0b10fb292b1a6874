import BRLBench
import Testing

@Suite struct ComparisonTests {
  /// A run of four points with quiet repeats.
  static let base: [BenchMeasurement] = [
    measurement(method: "naive", n: 10_000, median: 0.010, min: 0.0098, stddev: 0.0001),
    measurement(method: "exact", n: 10_000, median: 0.001, min: 0.00098, stddev: 0.00001),
    measurement(method: "naive", n: 100_000, median: 0.100, min: 0.098, stddev: 0.001),
    measurement(method: "exact", n: 100_000, median: 0.010, min: 0.0098, stddev: 0.0001),
  ]

  @Test func aRunAgainstItselfPasses() {
    let comparison = Comparison(base: Self.base, candidate: Self.base)
    #expect(comparison.entries.count == 4)
    #expect(comparison.onlyInBase.isEmpty && comparison.onlyInCandidate.isEmpty)
    #expect(comparison.entries.allSatisfy { $0.minRatio == 1 })
    let verdict = comparison.verdict(failIfSlower: 0.10)
    #expect(verdict.passed)
    #expect(comparison.summary(verdict: verdict).contains("OK"))
  }

  @Test func findsAnInjected2xSlowdown() throws {
    var candidate = Self.base
    candidate[3].minSeconds *= 2
    candidate[3].medianSeconds *= 2
    candidate[3].maxSeconds *= 2
    let comparison = Comparison(base: Self.base, candidate: candidate)
    let verdict = comparison.verdict(failIfSlower: 0.10)
    #expect(!verdict.passed)
    #expect(verdict.slower.count == 1)
    let slower = try #require(verdict.slower.first)
    #expect(slower.point.method == BenchMethod(rawValue: "exact"))
    #expect(slower.point.negatives == 100_000)
    #expect(abs(slower.minRatio - 2) < 1e-12)
    #expect(verdict.noisySlower.isEmpty)
    #expect(comparison.summary(verdict: verdict).contains("FAIL: 1 point is slower"))
    // A looser threshold lets it through.
    #expect(comparison.verdict(failIfSlower: 1.5).passed)
  }

  @Test func comparesMinNotMedian() {
    var candidate = Self.base
    candidate[0].medianSeconds *= 3  // one slow repeat pattern, same best case
    candidate[0].stddevSeconds = 0.01
    let comparison = Comparison(base: Self.base, candidate: candidate)
    #expect(comparison.verdict(failIfSlower: 0.10).passed)
    #expect(comparison.entries[0].isNoisy(tolerance: 0.10))
  }

  @Test func namesNoisySlowPoints() {
    var candidate = Self.base
    candidate[1].minSeconds *= 1.5
    candidate[1].medianSeconds *= 2
    candidate[1].stddevSeconds = candidate[1].medianSeconds * 0.3
    let verdict = Comparison(base: Self.base, candidate: candidate).verdict(failIfSlower: 0.10)
    #expect(verdict.slower.count == 1)
    #expect(verdict.noisySlower.count == 1)
  }

  @Test func matchesOnAllCoordinates() {
    let other = [
      measurement(method: "naive", delta: 0.25, n: 10_000, median: 0.010),
      measurement(method: "naive", n: 10_000, median: 0.011, min: 0.0099),
    ]
    let comparison = Comparison(base: Self.base, candidate: other)
    #expect(comparison.entries.count == 1)
    #expect(comparison.onlyInBase.count == 3)
    #expect(comparison.onlyInCandidate.count == 1)
    #expect(comparison.onlyInCandidate.first?.delta == 0.25)
  }
}
