import BRLBench
import Foundation
import Testing

@Suite struct StatisticsTests {
  @Test func summaryOfOddAndEvenSamples() {
    let odd = SampleSummary([3, 1, 2])
    #expect(odd.median == 2 && odd.min == 1 && odd.max == 3 && odd.mean == 2)
    #expect(odd.standardDeviation == 1)
    let even = SampleSummary([4, 1, 3, 2])
    #expect(even.median == 2.5)
    #expect(SampleSummary([5]).standardDeviation == 0)
  }

  @Test(arguments: [1.0, 1.5, 2.0, 0.5])
  func exponentOfExactPowerLaw(exponent: Double) throws {
    let points = [1e3, 1e4, 1e5, 1e6, 1e7].map { (x: $0, y: 3e-9 * pow($0, exponent)) }
    let fitted = try #require(LeastSquares.exponent(points))
    #expect(abs(fitted - exponent) < 1e-9)
  }

  @Test func exponentWithDeterministicNoise() throws {
    // t = c·N^1.3 with ±5 % multiplicative wobble: the fit stays within 0.03.
    let wobble = [1.05, 0.95, 1.03, 0.97, 1.0, 1.04, 0.96]
    let points = wobble.enumerated().map { k, w in
      let n = pow(10, 3 + Double(k) * 0.5)
      return (x: n, y: 1e-8 * pow(n, 1.3) * w)
    }
    let fitted = try #require(LeastSquares.exponent(points))
    #expect(abs(fitted - 1.3) < 0.03)
  }

  @Test func noExponentFromOnePoint() {
    #expect(LeastSquares.exponent([(x: 1e6, y: 0.1)]) == nil)
    #expect(LeastSquares.exponent([(x: 1e6, y: 0.1), (x: 1e6, y: 0.2)]) == nil)
    #expect(LeastSquares.slope(x: [1, 2, 3], y: [2, 4, 6]) == 2)
  }

  @Test func predictorScalesFromSmallerPoints() throws {
    var predictor = TimePredictor()
    let point = BenchPoint(
      loss: "rs", method: .naive, delta: 0.5, positives: 100, negatives: 1_000_000)
    #expect(predictor.predictSeconds(point) == nil)
    predictor.add(measurement(method: "naive", n: 10_000, median: 0.01))
    predictor.add(measurement(method: "naive", n: 100_000, median: 0.1))
    let predicted = try #require(predictor.predictSeconds(point))
    #expect(abs(predicted - 1.0) < 1e-9)
    // Another method learns nothing from naive.
    var exact = point
    exact.method = BenchMethod(rawValue: "exact")
    #expect(predictor.predictSeconds(exact) == nil)
    // Larger P scales at least linearly without P data.
    var morePositives = point
    morePositives.positives = 1000
    #expect(try #require(predictor.predictSeconds(morePositives)) >= 10 - 1e-9)
  }
}
