/// How a loss evaluates the positive–negative terms.
///
/// All methods share the loss definitions (``RankSortLoss``, ``APLoss``, ``ALRPLoss``); they
/// differ only in how they compute, for every positive i, its false-positive count
/// FP_i = Σ_n H_δ(q_n − p_i) over the relevant negatives q_n, and for every relevant negative n
/// its gradient Σ_i w_i·H_δ(q_n − p_i) for per-positive weights w_i.
public enum Method: String, CaseIterable, Sendable, Codable {
  /// The definition, term by term: O(P·N) time. The reference every other method is checked
  /// against.
  case naive
  /// The official bucketed method (ECCV 2024): the relevant negatives are sorted and those between
  /// two consecutive positives form a bucket represented by its mean logit.
  /// O(N log N + P²) time. Equal to naive at δ = 0; an approximation at δ > 0.
  case bucketed
  /// brl's exact fast method: negatives are binned by the 2P break points p_i ± δ of H_δ, and
  /// prefix sums give every FP_i and every negative's gradient. Equal to naive at every δ, in
  /// O((N + P)·log P) time, without sorting the negatives.
  case exact
}
