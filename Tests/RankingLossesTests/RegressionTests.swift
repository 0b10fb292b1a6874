import RankingLosses
import Testing

/// Counterexamples the property tests once found, kept as plain tests.
@Suite struct RegressionTests {
  /// Three negatives tied with the positive at −1e30: their bucket's mean, rounded, fell just
  /// below −1e30 and the bucketed loss lost the three ties at δ = 0 (loss 0 instead of 0.75).
  /// Fixed by clamping a bucket's mean to its members' range.
  @Test(arguments: LossKind.allCases)
  func bucketMeanOfTiedHugeLogits(kind: LossKind) throws {
    let problem = Problem(
      logits: [-1e30, -1e30, -1e30, -1e30], targets: [0, 0, 0, 0.05], regressionLosses: [0])
    let loss: any RankingLoss =
      kind == .ap ? APLoss(delta: 0, variant: .plain) : kind.loss(delta: 0)
    let naive = try problem.evaluate(loss, kind, .naive)
    let bucketed = try problem.evaluate(loss, kind, .bucketed)
    #expect(naive.loss > 0)
    #expect(Agreement(bucketed, reference: naive).holds(relative: 1e-12, absolute: 0))
  }

  /// δ below the spacing of 1e30: p ± δ rounds to p, and a negative tied with the positive must
  /// still count H(0) = ½ in the exact method, as in naive.
  @Test(arguments: LossKind.allCases)
  func tieAtHugeLogitWithSmoothStep(kind: LossKind) throws {
    let problem = Problem(
      logits: [1e30, 1e30, 0.25, -1e30], targets: [0.5, 0, 0, 0.75], regressionLosses: [0.5, 1])
    let loss = kind.loss(delta: 0.5)
    let naive = try problem.evaluate(loss, kind, .naive)
    let exact = try problem.evaluate(loss, kind, .exact)
    #expect(Agreement(exact, reference: naive).holds(relative: 1e-12, absolute: 0))
  }

  /// Subnormal positives at δ = 0: the exact method's look-up grid divided by a span of 5e-324
  /// (an infinite scale), and 0·∞ made the cell NaN, which trapped converting to Int. Found by the
  /// property tests under AddressSanitizer in CI. Now there is no grid for such a span.
  @Test(arguments: LossKind.allCases)
  func subnormalBreakPoints(kind: LossKind) throws {
    let tiny = Double.leastNonzeroMagnitude
    let problem = Problem(
      logits: [tiny, 2 * tiny, tiny, 3 * tiny, 0], targets: [0.5, 0.75, 0, 0, 0],
      regressionLosses: [0.25, 0.5])
    for delta in [0, 0.5] {
      let loss = kind.loss(delta: delta)
      let naive = try problem.evaluate(loss, kind, .naive)
      let exact = try problem.evaluate(loss, kind, .exact)
      #expect(Agreement(exact, reference: naive).holds(relative: 1e-12, absolute: 0))
    }
  }
}
