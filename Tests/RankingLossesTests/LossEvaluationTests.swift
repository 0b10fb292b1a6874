import BRLRandom
import PropertyBased
import Testing

@testable import RankingLosses

/// The gradient written on demand (``LossEvaluation``) and compared block by block
/// (``ResultComparison``): the same bits as the whole array, whatever the ranges, and the same
/// comparison as the element-by-element one.
@Suite struct LossEvaluationTests {
  /// Random problems, every loss and method, δ from the property tests: ranges of random sizes
  /// (1 element up to the whole input), single elements, and `result()` are the same bits.
  @Test func rangesAreTheBitsOfTheWholeGradient() async {
    await propertyCheck(
      count: 150, input: Problem.generator(maxCount: 400, extremes: true),
      Gen.element(of: [0, 0.25, 1] as [Double]), Gen.element(of: LossKind.allCases),
      Gen.element(of: Method.allCases)
    ) { problem, delta, kind, method in
      let loss = kind!.loss(delta: delta!)
      LossInput.with(
        logits: problem.logits, targets: problem.targets(for: kind!),
        regressionLosses: kind == .alrp ? problem.regressionLosses : nil
      ) { input in
        guard let evaluation = try? loss.evaluation(input, method: method!) else { return }
        let whole = evaluation.result().gradient
        var pieces = [Double](repeating: .nan, count: whole.count)
        var random = SplitMix64(seed: UInt64(whole.count))
        pieces.withUnsafeMutableBufferPointer { g in
          var start = 0
          while start < g.count {
            let end = min(g.count, start + 1 + Int(random.next() % 50))
            evaluation.writeGradient(
              start..<end, into: UnsafeMutableBufferPointer(rebasing: g[start..<end]))
            start = end
          }
        }
        #expect(
          pieces.map(\.bitPattern) == whole.map(\.bitPattern), "\(kind!) \(method!) δ \(delta!)")
        for i in stride(from: 0, to: whole.count, by: 13) {
          #expect(evaluation.gradient(at: i).bitPattern == whole[i].bitPattern)
        }
      }
    }
  }

  /// The block-wise comparison finds what the element-wise one finds: the worst difference and
  /// its first index, the first violation, the relative size, with NaN the worst, across block
  /// boundaries (blocks of 2¹⁶).
  @Test(arguments: [
    [Int](), [5], [70_000], [5, 70_000], [140_000, 3], [65_535, 65_536], [131_071],
  ])
  func blockwiseComparisonIsTheElementwiseOne(changed: [Int]) {
    let n = 150_000
    let reference = (0..<n).map { Double($0 % 97) * 1e-3 - 0.01 }
    for special in [0.5, .nan, .infinity, 1e-12] {
      var gradient = reference
      for (k, i) in changed.enumerated() { gradient[i] += k == 0 ? special : 0.25 }
      let expected = ResultComparison(
        loss: (1, 1), gradient: gradient, referenceGradient: reference, rtol: 1e-9, atol: 1e-11)
      let evaluation = LossEvaluation(
        LossResult(
          loss: 1, gradient: gradient,
          statistics: .init(count: n, positives: 0, negatives: n, ignored: 0, relevantNegatives: 0)),
        parallelism: Parallelism(threads: 2))
      for reference in [
        ResultComparison.GradientReference.values(reference),
        .evaluation(
          LossEvaluation(
            LossResult(
              loss: 1, gradient: reference,
              statistics: .init(
                count: n, positives: 0, negatives: n, ignored: 0, relevantNegatives: 0)),
            parallelism: .serial)),
      ] {
        let streamed = ResultComparison(
          loss: (1, 1), evaluation, reference: reference, rtol: 1e-9, atol: 1e-11)
        #expect(streamed.maxGradientDifferenceIndex == expected.maxGradientDifferenceIndex)
        #expect(
          streamed.maxGradientDifference.bitPattern == expected.maxGradientDifference.bitPattern)
        #expect(streamed.firstViolationIndex == expected.firstViolationIndex)
        #expect(streamed.agrees == expected.agrees)
        // 1e-12 is inside the tolerance; everything else is not.
        let outside = changed.count - (special == 1e-12 && !changed.isEmpty ? 1 : 0)
        #expect(streamed.agrees == (outside == 0), "\(changed) \(special)")
        if let first = changed.first {
          // The first change is the largest (0.5, NaN or ∞) unless it is the 1e-12 one.
          let largest = special == 1e-12 && changed.count > 1 ? changed[1] : first
          #expect(expected.maxGradientDifferenceIndex == largest)
        }
      }
    }
  }
}
