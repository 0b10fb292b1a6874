/// What a loss needs from the negatives, computed by one of the three ``Method``s.
///
/// Every ranking-based loss here touches the negatives through exactly two sums, for the
/// positives p_i (ascending) and the relevant negatives q_n:
///
///     FP_i = Σ_n H_δ(q_n − p_i)            (the false positives of positive i)
///     g_n  = Σ_i w_i · H_δ(q_n − p_i)      (the gradient of negative n, for weights w_i)
///
/// The loss definitions compute everything else from the positives alone, so a method is just a
/// way to evaluate these two sums: ``NaiveNegatives`` term by term, ``BucketedNegatives`` on
/// bucket prototypes (the official approximation), ``ExactNegatives`` with prefix sums over the
/// break points of H_δ.
///
/// No model holds an N-element gradient: ``gradientWriter(weights:)`` computes any range of it
/// on demand (``LossEvaluation``), each element on its own, so the bits of an
/// element never depend on the range it was asked for in.
protocol NegativeModel {
  /// FP_i for every positive, in the ascending order of ``Positives``.
  func falsePositives() -> [Double]
  /// The gradient for weights w_i (ascending positives), as a function that writes every
  /// element of a range (``GradientWriter``): the O(P) tables are made once here.
  func gradientWriter(weights: [Double]) -> GradientWriter
  /// The number of relevant negatives.
  var relevantCount: Int { get }
  /// The number of buckets, for the methods that have them.
  var buckets: Int? { get }
  /// About how many operations the gradient writer spends on one element: 1 for a look-up
  /// (exact, bucketed), P for naive. ``LossEvaluation/result()`` sizes its parallel chunks by
  /// it, so a cheap gradient of a small input is not split over threads that cost more to
  /// wake than the work they get.
  var gradientCostPerElement: Int { get }
}

extension NegativeModel {
  var buckets: Int? { nil }
  var gradientCostPerElement: Int { 1 }
}

/// Writes every element of `range` into `gradient` (`gradient[0]` is element
/// `range.lowerBound`): g_n for a relevant negative, 0 for anything else (the caller writes the
/// positives' own updates over theirs). Safe to call concurrently for disjoint ranges.
typealias GradientWriter = (_ range: Range<Int>, _ gradient: UnsafeMutableBufferPointer<Double>)
  -> Void
