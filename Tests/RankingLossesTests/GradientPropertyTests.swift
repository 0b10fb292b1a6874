import BRLRandom
import PropertyBased
import RankingLosses
import Testing

/// Properties every loss, method and δ must have.
@Suite struct GradientPropertyTests {
  static let cases: [(LossKind, RankingLosses.Method)] = LossKind.allCases.flatMap { kind in
    RankingLosses.Method.allCases.map { (kind, $0) }
  }

  /// Each error-driven update moves as much up as down, so the gradient sums to 0; ignored
  /// examples and irrelevant negatives get exactly 0.
  @Test func gradientSumsToZeroAndSkipsIrrelevant() async {
    await propertyCheck(
      count: 1000, input: Problem.generator(maxCount: 80, extremes: true),
      Gen.element(of: MethodParityPropertyTests.deltas)
    ) { problem, delta in
      for (kind, method) in Self.cases {
        let loss = kind.loss(delta: delta!)
        let result = try problem.evaluate(loss, kind, method)
        let sum = result.gradient.reduce(0, +)
        #expect(abs(sum) <= 1e-9 * Double(problem.logits.count), "\(kind) \(method): Σ = \(sum)")
        let lowest = problem.logits.indices.filter { problem.targets[$0] > 0 }
          .map { problem.logits[$0] }.min()
        for i in problem.logits.indices {
          let ignored = problem.targets[i] < 0
          let irrelevant =
            problem.targets[i] == 0 && (lowest.map { problem.logits[i] < $0 - delta! } ?? true)
          if ignored || irrelevant { #expect(result.gradient[i] == 0, "\(kind) \(method) at \(i)") }
        }
      }
    }
  }

  /// Permuting the input permutes the gradient and leaves the loss unchanged.
  @Test func permutationInvariance() async {
    await propertyCheck(
      count: 1000, input: Problem.generator(maxCount: 80, extremes: true), Gen.int(in: 0...Int.max),
      Gen.element(of: MethodParityPropertyTests.deltas)
    ) { problem, seed, delta in
      var generator = SplitMix64(seed: UInt64(seed))
      let order = Array(problem.logits.indices).shuffled(using: &generator)
      let permuted = problem.permuted(order)
      for (kind, method) in Self.cases {
        let loss = kind.loss(delta: delta!)
        let original = try problem.evaluate(loss, kind, method)
        var expected = original
        expected.gradient = order.map { original.gradient[$0] }
        if let ranks = original.ranks {
          let positives = problem.targets.indices.filter { problem.targets[$0] > 0 }
          let ordinal = Dictionary(uniqueKeysWithValues: positives.enumerated().map { ($1, $0) })
          expected.ranks = order.filter { problem.targets[$0] > 0 }.map { ranks[ordinal[$0]!] }
        }
        let result = try permuted.evaluate(loss, kind, method)
        let agreement = Agreement(result, reference: expected)
        #expect(agreement.holds(relative: 1e-9, absolute: 1e-15), "\(kind) \(method): \(agreement)")
        if let ranks = result.ranks, let expectedRanks = expected.ranks {
          #expect(zip(ranks, expectedRanks).allSatisfy { abs($0 - $1) <= 1e-9 * max(1, $1) })
        }
      }
    }
  }
}

extension GradientPropertyTests {
  /// Adding a constant to every logit changes nothing: the losses only see differences. Grid
  /// logits and whole-number shifts keep the arithmetic exact, so only summation order differs.
  @Test func shiftInvariance() async {
    await propertyCheck(
      count: 1000, input: Problem.gridGenerator(maxCount: 80), Gen.int(in: -1000...1000),
      Gen.element(of: MethodParityPropertyTests.deltas)
    ) { problem, shift, delta in
      var shifted = problem
      shifted.logits = problem.logits.map { $0 + Double(shift) }
      for (kind, method) in Self.cases {
        let loss = kind.loss(delta: delta!)
        let original = try problem.evaluate(loss, kind, method)
        let moved = try shifted.evaluate(loss, kind, method)
        let agreement = Agreement(moved, reference: original)
        #expect(agreement.holds(relative: 1e-9, absolute: 1e-15), "\(kind) \(method): \(agreement)")
      }
    }
  }

  /// AP and aLRP losses are 1 − a mean precision, in [0, 1]; RS's ranking part is a mean ranking
  /// error, in [0, 1]. For every method and δ, extreme logits included.
  @Test func lossBounds() async {
    await propertyCheck(
      count: 1000, input: Problem.generator(maxCount: 80, extremes: true),
      Gen.element(of: MethodParityPropertyTests.deltas)
    ) { problem, delta in
      for (kind, method) in Self.cases {
        let result = try problem.evaluate(kind.loss(delta: delta!), kind, method)
        let bounded = kind == .rs ? result.rankingLoss! : result.loss
        #expect(bounded >= 0 && bounded <= 1, "\(kind) \(method): \(bounded)")
        if kind == .rs { #expect(result.sortingLoss!.isFinite) }
      }
    }
  }
}
