import BRLData
import RankingLosses
import Testing

/// brl against every key the official PyTorch code produced (`fixtures/oracle/`).
///
/// Tolerance (the issue's): |Δloss| ≤ 1e-5·max(1, |ref|) and max |Δgrad| ≤ 1e-5·max|ref| + 1e-7.
/// The keys the official code could not compute, or computed from torch's unstable tie order,
/// are checked against brl's documented behaviour instead (see each test).
@Suite struct OracleTests {
  static let rtol = 1e-5
  static let atol = 1e-7

  static var comparableKeys: [OracleFixture.Key] {
    OracleFixture.keys.filter {
      $0.officialFailure == nil && !$0.officialNonFinite && !isTorchTieOrder($0)
    }
  }

  /// The bucketed keys of the tie cases reflect torch's unstable sort order.
  static func isTorchTieOrder(_ key: OracleFixture.Key) -> Bool {
    key.isBucketed && ["rs_ties", "ap_ties"].contains(key.caseName)
  }

  /// Naive kinds (rs, ap, alrp) with the naive and the exact method; bucketed kinds (brs, bap)
  /// with the bucketed method. Loss, gradient, and RS's two parts or aLRP's ranks.
  @Test(arguments: comparableKeys)
  func matchesOfficial(key: OracleFixture.Key) throws {
    let arrays = try OracleFixture.arrays(key.caseName)
    let problem = OracleFixture.problem(arrays, for: key.loss)
    let reference = LossResult(
      loss: arrays["\(key.prefix)_loss"]!.scalar!,
      gradient: arrays["\(key.prefix)_grad"]!.doubles(),
      statistics: .init(count: 0, positives: 0, negatives: 0, ignored: 0, relevantNegatives: 0))
    let methods: [RankingLosses.Method] = key.isBucketed ? [.bucketed] : [.naive, .exact]
    for method in methods {
      let result = try problem.evaluate(key.loss.loss(delta: key.delta), key.loss, method)
      let agreement = Agreement(result, reference: reference)
      #expect(agreement.holds(relative: Self.rtol, absolute: Self.atol), "\(method): \(agreement)")
      if let rankErr = arrays["\(key.prefix)_rankerr"]?.scalar,
        let sortErr = arrays["\(key.prefix)_sorterr"]?.scalar
      {
        #expect(abs(result.rankingLoss! - rankErr) <= Self.rtol * max(1, abs(rankErr)))
        #expect(abs(result.sortingLoss! - sortErr) <= Self.rtol * max(1, abs(sortErr)))
      }
      if let ranks = arrays["\(key.prefix)_rank"]?.doubles() {
        let worst = zip(result.ranks!, ranks).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
        #expect(worst <= Self.rtol, "\(method): rank")
      }
    }
  }

  /// The exact method equals naive (not just the official values within 1e-5) on every case of
  /// the fixtures, for every kind and δ they hold: the O(P log P) positive terms and the binned
  /// negatives against the definition, at the property tests' tolerance.
  @Test(arguments: OracleFixture.keys)
  func exactEqualsNaive(key: OracleFixture.Key) throws {
    let problem = OracleFixture.problem(try OracleFixture.arrays(key.caseName), for: key.loss)
    let loss = key.loss.loss(delta: key.delta)
    let naive = try problem.evaluate(loss, key.loss, .naive)
    let exact = try problem.evaluate(loss, key.loss, .exact)
    let agreement = Agreement(exact, reference: naive)
    #expect(agreement.holds(relative: 1e-9, absolute: 1e-15), "\(agreement)")
  }

  /// Where the official BucketedAPLoss raised IndexError (no relevant negative), brl returns
  /// what the definition gives: no false positive anywhere, so a zero loss and a zero gradient,
  /// the same as naive in the plain variant.
  @Test(arguments: OracleFixture.keys.filter { $0.officialFailure != nil })
  func officialFailureGivesDefinedResult(key: OracleFixture.Key) throws {
    let problem = OracleFixture.problem(try OracleFixture.arrays(key.caseName), for: key.loss)
    let loss = APLoss(delta: key.delta, variant: .plain)
    let bucketed = try problem.evaluate(loss, .ap, .bucketed)
    #expect(bucketed.statistics.relevantNegatives == 0)
    #expect(bucketed.loss == 0)
    #expect(bucketed.gradient.allSatisfy { $0 == 0 })
    let naive = try problem.evaluate(loss, .ap, .naive)
    #expect(Agreement(bucketed, reference: naive).holds(relative: 0, absolute: 0))
  }

  /// Official APLoss at δ = 0 divides by zero and returns NaN gradients on exact ties (loss 1).
  /// brl uses the hard step [x ≥ 0]; checked against a direct count of interpolated AP and
  /// against the exact method.
  @Test(arguments: OracleFixture.keys.filter(\.officialNonFinite))
  func hardStepReplacesOfficialNaN(key: OracleFixture.Key) throws {
    let arrays = try OracleFixture.arrays(key.caseName)
    let problem = OracleFixture.problem(arrays, for: .ap)
    let naive = try problem.evaluate(APLoss(delta: 0), .ap, .naive)
    #expect(naive.gradient.allSatisfy { $0.isFinite })
    #expect(abs(naive.loss - Self.interpolatedAPByCounting(problem)) <= 1e-12)
    #expect(arrays["\(key.prefix)_loss"]!.scalar! == 1, "the official value this replaces")
    #expect(abs(naive.gradient.reduce(0, +)) <= 1e-12)
    let exact = try problem.evaluate(APLoss(delta: 0), .ap, .exact)
    #expect(Agreement(exact, reference: naive).holds(relative: 1e-12, absolute: 1e-15))
  }

  /// The brs/bap keys of the tie cases depend on torch's unstable sort. brl puts a negative
  /// tied with a positive in the bucket above it, so at δ = 0 bucketed equals naive RS and the
  /// non-interpolated (plain) AP; at δ > 0 bucketed equals naive on the input in which every
  /// relevant negative is replaced by its bucket's mean logit (the bucketing, done here
  /// independently of the library).
  @Test(arguments: OracleFixture.keys.filter(OracleTests.isTorchTieOrder))
  func tiesFollowBrlTieRule(key: OracleFixture.Key) throws {
    let problem = OracleFixture.problem(try OracleFixture.arrays(key.caseName), for: key.loss)
    let loss: any RankingLoss =
      key.loss == .rs ? RankSortLoss(delta: key.delta) : APLoss(delta: key.delta, variant: .plain)
    let bucketed = try problem.evaluate(loss, key.loss, .bucketed)
    let reference =
      key.delta == 0
      ? problem : Self.replacingNegativesByBucketMeans(problem, delta: key.delta)
    let naive = try reference.evaluate(loss, key.loss, .naive)
    #expect(Agreement(bucketed, reference: naive).holds(relative: 1e-9, absolute: 1e-15))
  }

  // MARK: Independent references

  /// 1 − mean interpolated precision with the hard step, by counting.
  static func interpolatedAPByCounting(_ problem: Problem) -> Double {
    let positives = problem.logits.indices.filter { problem.targets[$0] > 0 }
      .map { problem.logits[$0] }.sorted()
    let negatives = problem.logits.indices.filter { problem.targets[$0] == 0 }
      .map { problem.logits[$0] }
    var best = 0.0
    var sum = 0.0
    for (i, p) in positives.enumerated() {
      let above = Double(positives.enumerated().count { $0.offset != i && $0.element >= p })
      let falsePositives = Double(negatives.count { $0 >= p })
      best = max(best, (1 + above) / (1 + above + falsePositives))
      sum += best
    }
    return 1 - sum / Double(positives.count)
  }

  /// The input with each relevant negative moved to the mean of its bucket: the negatives in
  /// [p_k, p_{k+1}) between consecutive sorted positives (above the top one, and from the
  /// threshold up to the lowest one).
  static func replacingNegativesByBucketMeans(_ problem: Problem, delta: Double) -> Problem {
    let positives = problem.logits.indices.filter { problem.targets[$0] > 0 }
      .map { problem.logits[$0] }.sorted()
    let threshold = positives[0] - delta
    func bucket(_ q: Double) -> Int { positives.count { $0 <= q } }
    var sums: [Int: (Double, Double)] = [:]
    for (q, t) in zip(problem.logits, problem.targets) where t == 0 && q >= threshold {
      sums[bucket(q), default: (0, 0)].0 += q
      sums[bucket(q), default: (0, 0)].1 += 1
    }
    var moved = problem
    for i in moved.logits.indices where moved.targets[i] == 0 && moved.logits[i] >= threshold {
      let (sum, count) = sums[bucket(moved.logits[i])]!
      moved.logits[i] = sum / count
    }
    return moved
  }
}
