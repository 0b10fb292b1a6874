/// The values each loss accepts, checked in one pass over an input for all three losses.
///
/// - logits: finite (no NaN, ±∞), for every loss;
/// - targets: RS: −1 (ignored), 0 (negative) or an IoU in (0, 1]; AP and aLRP: −1, 0 or any
///   finite value > 0 (binarised to 1);
/// - aLRP: if regression losses are given, one per positive, each finite and ≥ 0;
/// - at least one example.
///
/// A loss never runs on input it would silently misread: `brl loss` refuses such an input and
/// `brl verify` checks only the losses whose domain it fits. The message names the column, the
/// first bad index and value and how many are bad; a reader adds the file and position.
public struct InputDomain: Sendable {
  /// A column's values that fall outside a domain: the first one and how many.
  public struct Outliers: Sendable, Equatable {
    public var index: Int
    public var value: Double
    public var count: Int

    /// "3 values (first at index 5: nan)".
    public var description: String {
      "\(count) value\(count == 1 ? "" : "s") (first at index \(index): \(value))"
    }
  }

  public var count: Int
  public var positives: Int
  var nonFiniteLogits: Outliers?
  var targetsOutsideRS: Outliers?
  var targetsOutsideBinary: Outliers?
  var regressionLossCount: Int?
  var invalidRegressionLosses: Outliers?

  /// Scans `input` once.
  public init(_ input: LossInput) {
    count = input.count
    // The visitor does not throw.
    let (logits, rs, binary, positives) = try! input.visit(ScanVisitor())
    self.positives = positives
    nonFiniteLogits = logits.outliers
    targetsOutsideRS = rs.outliers
    targetsOutsideBinary = binary.outliers
    if let regression = input.regressionLosses {
      regressionLossCount = regression.count
      var scan = Scan()
      for (i, value) in regression.enumerated() {
        scan.visit(i, value, valid: value.isFinite && value >= 0)
      }
      invalidRegressionLosses = scan.outliers
    }
  }

  /// Why `input` is outside `loss`'s domain, or nil if it fits.
  public func violation(for loss: LossKind) -> DomainViolation? {
    guard count > 0 else { return .empty }
    if let nonFiniteLogits { return .logits(nonFiniteLogits) }
    switch loss {
    case .rs:
      if let targetsOutsideRS {
        return .targets(targetsOutsideRS, loss: loss, domain: "−1, 0 or an IoU in (0, 1]")
      }
    case .ap, .alrp:
      if let targetsOutsideBinary {
        return .targets(targetsOutsideBinary, loss: loss, domain: "−1, 0 or a finite value > 0")
      }
    }
    guard loss == .alrp, let regressionLossCount else { return nil }
    if regressionLossCount != positives {
      return .regressionLossCount(expected: positives, found: regressionLossCount)
    }
    return invalidRegressionLosses.map(DomainViolation.regressionLosses)
  }

  /// The losses the input fits, in ``LossKind`` order: AP whenever the input is usable at all,
  /// RS when the targets are IoUs, aLRP when regression losses are given and fit.
  public var allowedLosses: [LossKind] {
    LossKind.allCases.filter { kind in
      violation(for: kind) == nil && (kind != .alrp || regressionLossCount != nil)
    }
  }

  /// One typed pass over the two columns.
  private struct ScanVisitor: ColumnsVisitor {
    func visit<L: ColumnScalar, T: ColumnScalar>(
      logits: UnsafeBufferPointer<L>, targets: UnsafeBufferPointer<T>
    ) -> (Scan, Scan, Scan, Int) {
      var finite = Scan()
      var rs = Scan()
      var binary = Scan()
      var positives = 0
      for i in 0..<min(logits.count, targets.count) {
        let logit = logits[i].double
        let target = targets[i].double
        finite.visit(i, logit, valid: logit.isFinite)
        rs.visit(i, target, valid: target == -1 || (target >= 0 && target <= 1))
        binary.visit(i, target, valid: target == -1 || (target >= 0 && target.isFinite))
        if target > 0 { positives += 1 }
      }
      return (finite, rs, binary, positives)
    }
  }

  fileprivate struct Scan {
    var outliers: Outliers?
    @inline(__always)
    mutating func visit(_ index: Int, _ value: Double, valid: Bool) {
      guard !valid else { return }
      if outliers == nil {
        outliers = Outliers(index: index, value: value, count: 1)
      } else {
        outliers!.count += 1
      }
    }
  }
}
