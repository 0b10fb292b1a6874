import PropertyBased
import RankingLosses
import Testing

/// The methods against the naive definition, on random problems with ties.
@Suite struct MethodParityPropertyTests {
  static let deltas = [0, 0.1, 0.5, 1, 2]

  /// At δ = 0 the bucketed method is exact (the tie rule puts a negative equal to a positive in
  /// the bucket above it), for every loss: RS, aLRP, and AP in its plain (official bucketed)
  /// variant.
  @Test func bucketedEqualsNaiveAtDeltaZero() async {
    await propertyCheck(count: 1000, input: Problem.generator(maxCount: 120, extremes: true)) {
      problem in
      for (kind, loss) in [
        (LossKind.rs, RankSortLoss(delta: 0) as any RankingLoss),
        (.alrp, ALRPLoss(delta: 0)), (.ap, APLoss(delta: 0, variant: .plain)),
      ] {
        let naive = try problem.evaluate(loss, kind, .naive)
        let bucketed = try problem.evaluate(loss, kind, .bucketed)
        let agreement = Agreement(bucketed, reference: naive)
        #expect(agreement.holds(relative: 1e-9, absolute: 1e-15), "\(kind): \(agreement)")
      }
    }
  }

  /// The exact method equals naive at every δ, for all three losses (AP interpolated), also with
  /// logits of ±1e30 (δ below their spacing) and subnormals.
  @Test(arguments: LossKind.allCases)
  func exactEqualsNaiveAtEveryDelta(kind: LossKind) async {
    await propertyCheck(
      count: 1000, input: Problem.generator(maxCount: 120, extremes: true),
      Gen.element(of: Self.deltas)
    ) { problem, delta in
      let loss = kind.loss(delta: delta!)
      let naive = try problem.evaluate(loss, kind, .naive)
      let exact = try problem.evaluate(loss, kind, .exact)
      let agreement = Agreement(exact, reference: naive)
      #expect(agreement.holds(relative: 1e-9, absolute: 1e-15), "δ \(delta!): \(agreement)")
      #expect(exact.statistics == naive.statistics)
    }
  }

  /// Without regression losses aLRP takes every ℓ_j as 0; it skips the Σ H·ℓ sums instead of
  /// summing zeros, and must give the bits that zeros gave (signs of zero included), for every
  /// method and δ, with the generator's extreme logits (±1e30 beside O(1)), the inputs that can
  /// send the pair sums to the tree.
  @Test func alrpWithoutRegressionLossesIsZeros() async {
    await propertyCheck(
      count: 300, input: Problem.generator(maxCount: 120, extremes: true),
      Gen.element(of: Self.deltas)
    ) { problem, delta in
      let loss = ALRPLoss(delta: delta!)
      let logits = problem.logits
      let targets = problem.binaryTargets
      let zeros = [Double](repeating: 0, count: problem.positives)
      for method in RankingLosses.Method.allCases {
        let given = try LossInput.with(logits: logits, targets: targets, regressionLosses: zeros) {
          try loss.evaluate($0, method: method)
        }
        let absent = try LossInput.with(logits: logits, targets: targets, regressionLosses: nil) {
          try loss.evaluate($0, method: method)
        }
        #expect(absent == given, "\(method) δ \(delta!)")
        #expect(absent.loss.bitPattern == given.loss.bitPattern, "\(method) δ \(delta!)")
        #expect(
          absent.gradient.map(\.bitPattern) == given.gradient.map(\.bitPattern),
          "\(method) δ \(delta!)")
        #expect(
          absent.ranks?.map(\.bitPattern) == given.ranks?.map(\.bitPattern),
          "\(method) δ \(delta!)")
      }
    }
  }

  /// Mostly positives (P up to ~2000), logits on a coarse grid (many ties between positives
  /// and at exactly p ± δ), IoUs on a 0.1 grid: the O(P log P) positive terms of the exact
  /// method against the O(P²) definition, at every δ, every loss.
  @Test func manyPositives() async {
    await propertyCheck(
      count: 8, input: Problem.manyPositivesGenerator(maxCount: 2500), Gen.element(of: Self.deltas)
    ) { problem, delta in
      for kind in LossKind.allCases {
        let loss = kind.loss(delta: delta!)
        let naive = try problem.evaluate(loss, kind, .naive)
        let exact = try problem.evaluate(loss, kind, .exact)
        let agreement = Agreement(exact, reference: naive)
        #expect(
          agreement.holds(relative: 1e-9, absolute: 1e-15), "\(kind) δ \(delta!): \(agreement)")
      }
    }
  }

  /// A few larger problems (up to a few thousand examples, many positives).
  @Test func largeProblems() async {
    await propertyCheck(
      count: 12, input: Problem.generator(maxCount: 3000), Gen.element(of: Self.deltas)
    ) { problem, delta in
      for kind in LossKind.allCases {
        let loss = kind.loss(delta: delta!)
        let naive = try problem.evaluate(loss, kind, .naive)
        let exact = try problem.evaluate(loss, kind, .exact)
        #expect(Agreement(exact, reference: naive).holds(relative: 1e-9, absolute: 1e-15))
        if kind != .ap {
          let zero = kind.loss(delta: 0)
          let naive0 = try problem.evaluate(zero, kind, .naive)
          let bucketed0 = try problem.evaluate(zero, kind, .bucketed)
          #expect(Agreement(bucketed0, reference: naive0).holds(relative: 1e-9, absolute: 1e-15))
        }
      }
    }
  }
}
