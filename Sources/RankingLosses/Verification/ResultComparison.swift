/// How far one loss result is from a reference, and whether they agree under numpy.allclose
/// semantics: |a − b| ≤ atol + rtol·|b| for the loss and for every gradient element, b the
/// reference.
///
/// NaN never agrees with anything (unlike `allclose(equal_nan=True)`): a NaN gradient is a
/// defect worth failing on.
public struct ResultComparison: Sendable, Equatable, Codable {
  /// |loss − reference loss|, or nil when the losses were not compared (a sampled naive
  /// reference has FP_i and gradients, no loss).
  public var lossDifference: Double?
  /// max_i |g_i − r_i| and the index where it occurs (nil for an empty gradient).
  public var maxGradientDifference: Double
  public var maxGradientDifferenceIndex: Int?
  /// max_i |g_i − r_i| / max_i |r_i|: the worst difference relative to the gradient's scale
  /// (0 when both are all zero).
  public var maxRelativeGradientDifference: Double
  /// The first gradient index that violates the tolerance, if any.
  public var firstViolationIndex: Int?
  /// Whether the loss and every gradient element are within tolerance.
  public var agrees: Bool

  /// Compares `loss`/`gradient` with `referenceLoss`/`referenceGradient`.
  public init(
    loss: Double, gradient: [Double], referenceLoss: Double, referenceGradient: [Double],
    rtol: Double, atol: Double
  ) {
    self.init(
      loss: (loss, referenceLoss), gradient: gradient, referenceGradient: referenceGradient,
      rtol: rtol, atol: atol)
  }

  /// Compares `gradient` with `referenceGradient`, and the losses when `loss` holds them (nil:
  /// not compared, ``lossDifference`` is nil and only the gradients decide agreement).
  public init(
    loss: (value: Double, reference: Double)?, gradient: [Double], referenceGradient: [Double],
    rtol: Double, atol: Double
  ) {
    func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= atol + rtol * abs(b) }
    lossDifference = loss.map { abs($0.value - $0.reference) }
    var worst = 0.0
    var worstIndex: Int? = nil
    var scale = 0.0
    var violation: Int? = nil
    for i in 0..<min(gradient.count, referenceGradient.count) {
      let a = gradient[i]
      let b = referenceGradient[i]
      let d = abs(a - b)
      // `!(d <= worst)` so a NaN difference becomes the worst one instead of hiding.
      if worstIndex == nil || !(d <= worst) {
        worst = d
        worstIndex = i
      }
      scale = max(scale, abs(b))
      if violation == nil && !close(a, b) { violation = i }
    }
    let sameLength = gradient.count == referenceGradient.count
    maxGradientDifference = sameLength ? worst : .infinity
    maxGradientDifferenceIndex = worstIndex
    maxRelativeGradientDifference =
      scale > 0 ? worst / scale : (worst == 0 ? 0 : .infinity)
    firstViolationIndex = violation
    let lossAgrees = loss.map { close($0.value, $0.reference) } ?? true
    agrees = sameLength && lossAgrees && violation == nil
  }

  /// Compares two results.
  public init(_ result: LossResult, reference: LossResult, rtol: Double, atol: Double) {
    self.init(
      loss: result.loss, gradient: result.gradient, referenceLoss: reference.loss,
      referenceGradient: reference.gradient, rtol: rtol, atol: atol)
  }
}
