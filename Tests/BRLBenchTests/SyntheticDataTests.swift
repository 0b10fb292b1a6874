import BRLBench
import BRLRandom
import Foundation
import RankingLosses
import Testing

@Suite struct SyntheticDataTests {
  @Test func gaussianHasTheRightMoments() {
    var rng = SplitMix64(seed: 11)
    let samples = (0..<200_000).map { _ in rng.nextGaussian(mean: 2, sd: 3) }
    let summary = SampleSummary(samples)
    #expect(abs(summary.mean - 2) < 0.03)
    #expect(abs(summary.standardDeviation - 3) < 0.03)
  }

  @Test func sameSeedSameBitsAndPinnedValues() {
    let a = SyntheticData(positives: 10, negatives: 1000, seed: 42)
    let b = SyntheticData(positives: 10, negatives: 1000, seed: 42)
    #expect(a.logits == b.logits)
    #expect(a.targets == b.targets)
    let c = SyntheticData(positives: 10, negatives: 1000, seed: 43)
    #expect(a.logits != c.logits)
    // Pinned bits: a change here changes every recorded benchmark input.
    #expect(a.logits.prefix(4).map(\.bitPattern) == Self.pinnedLogitBits)
  }

  static let pinnedLogitBits: [UInt32] = [
    3_232_843_453, 3_232_030_647, 3_229_749_745, 3_232_575_972,
  ]

  @Test func shapeIsDetectorLike() {
    let data = SyntheticData(positives: 500, negatives: 100_000, seed: 1)
    #expect(data.count == 100_500)
    let positives = data.targets.filter { $0 > 0 }
    #expect(positives.count == 500)
    #expect(positives.allSatisfy { $0 >= 0.1 && $0 <= 1 })
    #expect(data.targets.filter { $0 == 0 }.count == 100_000)
    #expect(data.regressionLosses.count == 500)
    // Regression losses are 1 − IoU, in the positives' input order.
    #expect(zip(positives, data.regressionLosses).allSatisfy { abs(1 - Double($0) - $1) < 1e-12 })
    let negatives = zip(data.logits, data.targets).filter { $0.1 == 0 }.map(\.0)
    let hard = negatives.filter { $0 > -2.5 }.count
    #expect(hard > 1500 && hard < 4500)  // the 3 % hard band, and a few easy ones
    let positiveLogits: [Double] = zip(data.logits, data.targets).filter { $0.1 > 0 }
      .map { Double($0.0) }
    let positiveMean = positiveLogits.reduce(0, +) / 500
    #expect(abs(positiveMean - 0.5) < 0.2)
  }

  @Test func positivesDoNotDependOnN() {
    let small = SyntheticData(positives: 10, negatives: 100, seed: 5)
    let large = SyntheticData(positives: 10, negatives: 10_000, seed: 5)
    let sortedLogits = { (d: SyntheticData) in
      zip(d.logits, d.targets).filter { $0.1 > 0 }.map(\.0).sorted()
    }
    #expect(sortedLogits(small) == sortedLogits(large))
  }

  @Test func overlapMovesTheNegativesUp() {
    let base = SyntheticData(positives: 10, negatives: 10_000, seed: 3)
    let moved = SyntheticData(positives: 10, negatives: 10_000, seed: 3, overlap: 4)
    let mean = { (d: SyntheticData) -> Double in
      let negatives: [Double] = zip(d.logits, d.targets).filter { $0.1 == 0 }.map { Double($0.0) }
      return negatives.reduce(0, +) / 10_000
    }
    #expect(abs(mean(moved) - mean(base) - 4) < 0.01)
  }

  @Test(arguments: LossKind.allCases)
  func everyLossAcceptsTheData(loss: LossKind) throws {
    let data = SyntheticData(positives: 20, negatives: 2000, seed: 9)
    let result = try data.withInput(for: loss) { try loss.loss().evaluate($0, method: .exact) }
    #expect(result.statistics.positives == 20)
    #expect(result.loss.isFinite)
  }
}
