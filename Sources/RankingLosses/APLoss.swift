/// Average Precision loss (Chen et al., CVPR 2019; in the error-driven form of Oksuz et al.),
/// as the official `APLoss` and `BucketedAPLoss` compute it.
///
/// Targets are binarised: every t > 0 is a positive. With H = H_δ (``SmoothStep``):
///
///     R_i    = 1 + Σ_{j≠i} H(p_j − p_i)      (``Variant/interpolated``, official APLoss)
///            =     Σ_j   H(p_j − p_i)      (``Variant/plain``, official BucketedAPLoss: the
///                                             comparison with itself counts H(0) = ½ at δ > 0)
///     FP_i   = Σ_n H(q_n − p_i)
///     prec_i = R_i / (R_i + FP_i)
///
/// **Interpolated** (official APLoss): the positives are visited from the lowest logit up,
/// keeping maxprec, the best precision so far; positive i's precision is maxprec_i. Its update is
/// −(1 − maxprec_i); negative n gets H(q_n − p_i)/rank_i, times (1 − maxprec_i)/(1 − prec_i)
/// where the running maximum lifted the precision (so each positive's updates still sum to 0).
/// loss = 1 − mean_i maxprec_i.
///
/// **Plain** (official BucketedAPLoss): no running maximum; positive i gets −FP_i/rank_i and
/// negative n gets H(q_n − p_i)/rank_i. loss = mean_i FP_i/rank_i.
///
/// The two differ twice: interpolation, and the self term at δ > 0 (so bucketed AP ≠ naive AP
/// even where bucketing is exact). At δ = 0 the self term is 1 either way, and the plain variant
/// is the non-interpolated AP loss, equal to aLRP with zero regression losses.
///
/// By default a method uses the official variant for it: interpolated for naive and exact, plain
/// for bucketed. All updates are divided by P. Σ_{j≠i} H(p_j − p_i) is the O(P²) definition for
/// naive and ``PositivePairs``' O(P log P) sum for bucketed and exact.
public struct APLoss: LossDefinition {
  public enum Variant: String, Sendable, CaseIterable, Codable {
    /// The official APLoss: interpolated precision, comparison with itself excluded.
    case interpolated
    /// The official BucketedAPLoss: plain precision, comparison with itself counted as H(0).
    case plain
  }

  /// The official default δ for AP.
  public static let defaultDelta = 1.0

  public let delta: Double
  /// `nil`: the official variant of each method (``Variant/plain`` for bucketed, else
  /// ``Variant/interpolated``).
  public let variant: Variant?

  public init(delta: Double = APLoss.defaultDelta, variant: Variant? = nil) {
    self.delta = delta
    self.variant = variant
  }

  /// The variant `method` uses.
  public func variant(for method: Method) -> Variant {
    variant ?? (method == .bucketed ? .plain : .interpolated)
  }

  public func evaluate(_ input: LossInput, method: Method = .naive) throws -> LossResult {
    try evaluateDefinition(input, method: method)
  }

  public func evaluation(_ input: LossInput, method: Method = .naive) throws -> LossEvaluation {
    try evaluation(input, method: method, capture: nil)
  }

  static var termsWithoutPositives: PositiveTerms {
    PositiveTerms(loss: 0, positiveGradient: [], negativeWeights: [])
  }

  func terms(
    positives: Positives, falsePositives fp: [Double], regressionLosses: [Double]?,
    method: Method
  ) -> PositiveTerms {
    let step = SmoothStep(delta: delta)
    let count = positives.count
    let pairs = PositivePairs(
      logits: positives.logits, step: step, parallelism: positives.parallelism)
    // Naive keeps the O(P²) definition; the other methods use the O(P log P) sums.
    let others =
      method == .naive
      ? pairs.quadraticOthersSums(weights: nil).rank : pairs.othersSums(weights: nil).rank
    let interpolated = variant(for: method) == .interpolated
    let selfTerm = interpolated ? 1 : step.atZero
    var gradient = [Double](repeating: 0, count: count)
    var weights = [Double](repeating: 0, count: count)
    var errorSum = 0.0
    var maxPrecision = 0.0
    // Ascending logits: the order of the official loop, which interpolation depends on.
    for i in 0..<count {
      let rankPositive = selfTerm + others[i]
      let rank = rankPositive + fp[i]
      let precision = rankPositive / rank
      if interpolated {
        if maxPrecision <= precision {
          maxPrecision = precision
          weights[i] = 1 / rank
        } else {
          weights[i] = (1 / rank) * ((1 - maxPrecision) / (1 - precision))
        }
        gradient[i] = -(1 - maxPrecision)
        errorSum += maxPrecision
      } else {
        let error = fp[i] / rank
        weights[i] = 1 / rank
        gradient[i] = -error
        errorSum += error
      }
    }
    let mean = errorSum / Double(count)
    return PositiveTerms(
      loss: interpolated ? 1 - mean : mean, positiveGradient: gradient, negativeWeights: weights)
  }
}
