/// Rank & Sort loss (Oksuz et al., ICCV 2021), as the official `RankSort` and
/// `BucketedRankSort` compute it.
///
/// Positives i have logit p_i and IoU target t_i ∈ (0, 1]; negatives have logit q_n. With
/// H = H_δ (``SmoothStep``) and the comparison of a positive with itself included (H(0)):
///
///     R_i   = Σ_j H(p_j − p_i)                        rank among positives
///     FP_i  = Σ_n H(q_n − p_i)                        false positives
///     RE_i  = FP_i / (R_i + FP_i)                      ranking error
///     SE_i  = Σ_j H(p_j − p_i)(1 − t_j) / R_i          current sorting error
///           − Σ_j H(p_j − p_i)[t_j ≥ t_i](1 − t_j) / Σ_j H(p_j − p_i)[t_j ≥ t_i]   minus target
///     loss  = mean_i RE_i + mean_i SE_i
///
/// The gradient is the error-driven update of the paper, not the derivative of H:
/// - ranking (when FP_i > ε): positive i gets −RE_i; negative n gets H(q_n − p_i)·RE_i/FP_i;
/// - sorting (when M_i = Σ_j H(p_j − p_i)[t_j < t_i] > ε, the "missorted" mass): positive i
///   gets −SE_i, and each positive j gets H(p_j − p_i)[t_j < t_i]·SE_i/M_i;
/// all divided by P, the number of positives. Each update moves as much up as down, so the
/// gradient sums to 0. ε = 1e-10 as in the official RankSort (its bucketed version tests ≠ 0;
/// the difference is below any tolerance that matters).
///
/// Only FP_i and the negatives' share depend on the ``Method``; at δ = 0 bucketed equals naive.
/// The positive–positive sums (R_i, the two sorting sums, M_i and the sorting update) are the
/// O(P²) definition for naive and the O(P log P) sweep of ``PositivePairs`` for bucketed and
/// exact; the two agree to rounding.
public struct RankSortLoss: LossDefinition {
  /// The official default δ for RS.
  public static let defaultDelta = 0.5
  static let epsilon = 1e-10

  public let delta: Double

  public init(delta: Double = RankSortLoss.defaultDelta) {
    self.delta = delta
  }

  public func evaluate(_ input: LossInput, method: Method = .naive) throws -> LossResult {
    try evaluateDefinition(input, method: method)
  }

  public func evaluation(_ input: LossInput, method: Method = .naive) throws -> LossEvaluation {
    try evaluation(input, method: method, capture: nil)
  }

  static var termsWithoutPositives: PositiveTerms {
    PositiveTerms(
      loss: 0, rankingLoss: 0, sortingLoss: 0, positiveGradient: [], negativeWeights: [])
  }

  func terms(
    positives: Positives, falsePositives fp: [Double], regressionLosses: [Double]?,
    method: Method
  ) -> PositiveTerms {
    let t = positives.targets
    let count = t.count
    let pairs = PositivePairs(
      logits: positives.logits, targets: t, step: SmoothStep(delta: delta),
      parallelism: positives.parallelism)
    // Naive keeps the O(P²) definition; the other methods use the O(P log P) sums.
    let quadratic = method == .naive
    let sums = quadratic ? pairs.quadraticRankSortSums() : pairs.rankSortSums()
    var gradient = [Double](repeating: 0, count: count)
    var weights = [Double](repeating: 0, count: count)
    var shares = [Double](repeating: 0, count: count)
    var rankingErrorSum = 0.0
    var sortingErrorSum = 0.0
    for i in 0..<count {
      let rankingError = fp[i] / (sums.rank[i] + fp[i])
      let sortingError =
        sums.currentError[i] / sums.rank[i] - sums.targetError[i] / sums.targetRank[i]
      rankingErrorSum += rankingError
      sortingErrorSum += sortingError
      if fp[i] > Self.epsilon {
        gradient[i] -= rankingError
        weights[i] = rankingError / fp[i]
      }
      if sums.missorted[i] > Self.epsilon {
        gradient[i] -= sortingError
        shares[i] = sortingError / sums.missorted[i]
      }
    }
    let update =
      quadratic
      ? pairs.quadraticSortingUpdate(shares: shares)
      : pairs.sortingUpdate(shares: shares)
    for j in 0..<count { gradient[j] += update[j] }
    let rankingLoss = rankingErrorSum / Double(count)
    let sortingLoss = sortingErrorSum / Double(count)
    return PositiveTerms(
      loss: rankingLoss + sortingLoss, rankingLoss: rankingLoss, sortingLoss: sortingLoss,
      positiveGradient: gradient, negativeWeights: weights)
  }
}
