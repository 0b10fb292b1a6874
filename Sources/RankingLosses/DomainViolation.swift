/// Why an input does not fit a loss (``InputDomain``).
public enum DomainViolation: Error, Sendable, Equatable, CustomStringConvertible {
  case empty
  case logits(InputDomain.Outliers)
  case targets(InputDomain.Outliers, loss: LossKind, domain: String)
  case regressionLossCount(expected: Int, found: Int)
  case regressionLosses(InputDomain.Outliers)

  /// The column the problem is in: "logits", "targets", "reg_losses", or nil for the input.
  public var column: String? {
    switch self {
    case .empty: nil
    case .logits: "logits"
    case .targets: "targets"
    case .regressionLossCount, .regressionLosses: "reg_losses"
    }
  }

  /// What was expected and what was found.
  public var description: String {
    switch self {
    case .empty:
      "expected at least one example, found none (N = 0)"
    case .logits(let bad):
      "expected finite logits, found \(bad.description) NaN or infinite"
    case .targets(let bad, let loss, let domain):
      "expected targets \(domain) for \(loss.rawValue), found \(bad.description) outside it"
    case .regressionLossCount(let expected, let found):
      "expected one regression loss per positive (\(expected)), found \(found)"
    case .regressionLosses(let bad):
      "expected finite regression losses ≥ 0, found \(bad.description) outside [0, ∞)"
    }
  }
}
