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
protocol NegativeModel {
  /// FP_i for every positive, in the ascending order of ``Positives``.
  func falsePositives() -> [Double]
  /// Writes g_n for every relevant negative into `gradient` at the negative's input position.
  /// Other positions are left alone, unless ``writesEveryElement``: then they are set to 0.
  func writeGradients(weights: [Double], into gradient: UnsafeMutableBufferPointer<Double>)
  /// Whether ``writeGradients(weights:into:)`` writes every element (so the gradient array
  /// need not be zeroed first).
  var writesEveryElement: Bool { get }
  /// The number of relevant negatives.
  var relevantCount: Int { get }
  /// The number of buckets, for the methods that have them.
  var buckets: Int? { get }
}

extension NegativeModel {
  var buckets: Int? { nil }
  var writesEveryElement: Bool { false }
}
