/// Why a loss could not be evaluated. Each case says what was found, so a command line can name
/// the problem without knowing the maths.
public enum RankingLossError: Error, Equatable, Sendable, CustomStringConvertible {
  /// There are no examples at all.
  case emptyInput
  /// Logits and targets have different lengths.
  case lengthMismatch(logits: Int, targets: Int)
  /// Some logits are NaN or ±infinity: the first such index and how many there are.
  case nonFiniteLogits(firstIndex: Int, count: Int)
  /// aLRP: the number of regression losses differs from the number of positives.
  case regressionLossCount(expected: Int, found: Int)
  /// aLRP: a regression loss is negative or not finite.
  case invalidRegressionLoss(index: Int, value: Double)
  /// δ must be finite and ≥ 0.
  case invalidDelta(Double)
  /// ``Grouping/image`` without ``LossInput/imageIDs``.
  case missingImageIDs
  /// ``LossInput/imageIDs`` does not hold one id per example.
  case imageIDCount(expected: Int, found: Int)

  public var description: String {
    switch self {
    case .emptyInput:
      "the input has no examples"
    case .lengthMismatch(let logits, let targets):
      "logits and targets differ in length: \(logits) logits, \(targets) targets"
    case .nonFiniteLogits(let first, let count):
      "\(count) logit\(count == 1 ? " is" : "s are") NaN or infinite (first at index \(first))"
    case .regressionLossCount(let expected, let found):
      "expected one regression loss per positive (\(expected)), found \(found)"
    case .invalidRegressionLoss(let index, let value):
      "regression loss \(index) is \(value); it must be finite and ≥ 0"
    case .invalidDelta(let delta):
      "delta must be finite and ≥ 0, got \(delta)"
    case .missingImageIDs:
      "per-image grouping needs image ids (one per example), found none"
    case .imageIDCount(let expected, let found):
      "expected one image id per example (\(expected)), found \(found)"
    }
  }
}
