import RankingLosses
import Testing

@testable import BRLData

/// Checks that a dump read from some file equals its numpy twin (the same values written by
/// numpy under brl's plain keys): element by element, and the loss and gradient of every loss
/// (that the twin validates for) and every method, within 1e-12.
enum TwinCheck {
  static func expectSameValues(_ dump: Dump, _ reference: Dump, _ name: String) {
    #expect(dump.count == reference.count, "\(name)")
    #expect(dump.count > 0)
    for i in 0..<min(dump.count, reference.count) {
      guard dump.logit(i) == reference.logit(i), dump.target(i) == reference.target(i) else {
        let message =
          "\(name) element \(i): \(dump.logit(i)), \(dump.target(i)) vs twin "
          + "\(reference.logit(i)), \(reference.target(i))"
        Issue.record(Comment(rawValue: message))
        return
      }
    }
    #expect(dump.regressionLosses == reference.regressionLosses, "\(name)")
    #expect(dump.referenceLoss == reference.referenceLoss, "\(name)")
    #expect(dump.referenceGradient == reference.referenceGradient, "\(name)")
    #expect(dump.imageIDs == reference.imageIDs, "\(name)")
  }

  /// The number of (loss, method) pairs compared.
  @discardableResult
  static func expectSameLossesAndGradients(
    _ dump: Dump, _ reference: Dump, _ name: String
  ) throws -> Int {
    let losses: [(LossKind, (LossInput, Method) throws -> LossResult)] = [
      (.rs, { try RankSortLoss().evaluate($0, method: $1) }),
      (.ap, { try APLoss().evaluate($0, method: $1) }),
      (.alrp, { try ALRPLoss().evaluate($0, method: $1) }),
    ]
    var checked = 0
    for (kind, loss) in losses {
      guard (try? reference.validate(for: kind)) != nil else { continue }
      try dump.validate(for: kind)
      for method in [Method.naive, .bucketed, .exact] {
        let got = try dump.withInput { input in
          var input = input
          input.regressionLosses = dump.regressionLosses
          return try loss(input, method)
        }
        let want = try reference.withInput { input in
          var input = input
          input.regressionLosses = reference.regressionLosses
          return try loss(input, method)
        }
        #expect(abs(got.loss - want.loss) <= 1e-12, "\(name) \(kind) \(method)")
        #expect(got.gradient.count == want.gradient.count)
        let worst = zip(got.gradient, want.gradient).map { abs($0 - $1) }.max() ?? 0
        #expect(worst <= 1e-12, "\(name) \(kind) \(method): max |Δgrad| \(worst)")
        checked += 1
      }
    }
    return checked
  }
}
