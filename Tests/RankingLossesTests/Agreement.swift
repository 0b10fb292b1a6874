import RankingLosses

/// How far one result is from a reference: the loss difference and the largest gradient
/// difference, both relative to the reference's scale.
struct Agreement: CustomStringConvertible {
  var lossDifference: Double
  var gradientDifference: Double
  var worstIndex: Int
  var referenceLoss: Double
  var referenceGradientScale: Double

  init(_ result: LossResult, reference: LossResult) {
    lossDifference = abs(result.loss - reference.loss)
    referenceLoss = reference.loss
    referenceGradientScale = reference.gradient.map(abs).max() ?? 0
    gradientDifference = 0
    worstIndex = -1
    for (i, (a, b)) in zip(result.gradient, reference.gradient).enumerated() {
      let d = abs(a - b)
      // `!(d <= …)` so that a NaN difference is never hidden.
      if !(d <= gradientDifference) {
        gradientDifference = d
        worstIndex = i
      }
    }
    if result.gradient.count != reference.gradient.count { gradientDifference = .infinity }
  }

  /// |Δloss| ≤ rtol·max(1, |ref|) and max |Δgrad| ≤ rtol·max|ref grad| + atol.
  func holds(relative rtol: Double, absolute atol: Double = 0) -> Bool {
    lossDifference <= rtol * max(1, abs(referenceLoss))
      && gradientDifference <= rtol * referenceGradientScale + atol
  }

  var description: String {
    "Δloss \(lossDifference) (ref \(referenceLoss)), max Δgrad \(gradientDifference) at \(worstIndex) (ref scale \(referenceGradientScale))"
  }
}
