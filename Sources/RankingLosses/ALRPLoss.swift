/// Average Localisation-Recall-Precision loss, classification part (Oksuz et al., NeurIPS 2020),
/// as the official `aLRPLoss` computes it. The official code has no bucketed aLRP; brl's is built
/// like the bucketed RS and AP losses and equals naive at δ = 0.
///
/// Targets are binarised (t > 0 is a positive). Positive i has a regression loss ℓ_i (given in
/// the positives' input order; 0 for every positive when none are given). With H = H_δ
/// (``SmoothStep``), the comparison with itself excluded:
///
///     R_i    = 1 + Σ_{j≠i} H(p_j − p_i)
///     FP_i   = Σ_n H(q_n − p_i)
///     rank_i = R_i + FP_i,      prec_i = R_i / rank_i
///     loss   = 1 − mean_i prec_i          (not interpolated; ℓ only shapes the gradient)
///
/// Update (only when FP_i > ε = 1e-5, as the official code): positive i gets
/// g_i = −(Σ_{j≠i} H(p_j − p_i)·ℓ_j + FP_i) / rank_i, and negative n gets
/// H(q_n − p_i)·(−g_i / FP_i); all divided by P. ``LossResult/ranks`` holds rank_i.
/// The sums over j ≠ i are the O(P²) definition for naive and ``PositivePairs``' O(P log P)
/// sums for bucketed and exact.
public struct ALRPLoss: LossDefinition {
  /// The official default δ for aLRP.
  public static let defaultDelta = 1.0
  static let epsilon = 1e-5

  public let delta: Double

  public init(delta: Double = ALRPLoss.defaultDelta) {
    self.delta = delta
  }

  public func evaluate(_ input: LossInput, method: Method = .naive) throws -> LossResult {
    try evaluateDefinition(input, method: method)
  }

  public func evaluation(_ input: LossInput, method: Method = .naive) throws -> LossEvaluation {
    try evaluation(input, method: method, capture: nil)
  }

  static var termsWithoutPositives: PositiveTerms {
    PositiveTerms(loss: 0, positiveGradient: [], negativeWeights: [], ranks: [])
  }

  func terms(
    positives: Positives, falsePositives fp: [Double], regressionLosses: [Double]?,
    method: Method
  ) -> PositiveTerms {
    let count = positives.count
    let pairs = PositivePairs(
      logits: positives.logits, step: SmoothStep(delta: delta),
      parallelism: positives.parallelism)
    // Without regression losses every ℓ_j is 0, and so is Σ_{j≠i} H(p_j − p_i)·ℓ_j: the sums
    // are asked without weights (their weighted part is then +0, what the zeros summed to)
    // rather than carrying a column of zeros through the double-double prefix sums.
    // Naive keeps the O(P²) definition; the other methods use the O(P log P) sums.
    let others =
      method == .naive
      ? pairs.quadraticOthersSums(weights: regressionLosses)
      : pairs.othersSums(weights: regressionLosses)
    var gradient = [Double](repeating: 0, count: count)
    var weights = [Double](repeating: 0, count: count)
    var ranks = [Double](repeating: 0, count: count)
    var precisionSum = 0.0
    for i in 0..<count {
      let rankPositive = 1 + others.rank[i]
      let weightedRegression = others.weighted[i]
      let rank = rankPositive + fp[i]
      ranks[i] = rank
      precisionSum += rankPositive / rank
      if fp[i] > Self.epsilon {
        gradient[i] = -(weightedRegression + fp[i]) / rank
        weights[i] = -gradient[i] / fp[i]
      }
    }
    return PositiveTerms(
      loss: 1 - precisionSum / Double(count), positiveGradient: gradient,
      negativeWeights: weights, ranks: ranks)
  }
}
