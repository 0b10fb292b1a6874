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
    let (logits, rs, binary, positives) = try! input.visit(
      ScanVisitor(parallelism: input.parallelism))
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

  /// One typed pass over the two columns, in fixed chunks on `parallelism`'s threads, merged in
  /// chunk order (so the first outlier is the input's first, whatever the thread count).
  private struct ScanVisitor: ColumnsVisitor {
    let parallelism: Parallelism

    func visit<L: ColumnScalar, T: ColumnScalar>(
      logits: UnsafeBufferPointer<L>, targets: UnsafeBufferPointer<T>
    ) -> (Scan, Scan, Scan, Int) {
      let chunks = Chunking(count: min(logits.count, targets.count)).map(parallelism) {
        range -> (Scan, Scan, Scan, Int) in
        var finite = Scan()
        var rs = Scan()
        var binary = Scan()
        var positives = 0
        for i in range {
          let logit = logits[i].double
          let target = targets[i].double
          finite.visit(i, logit, valid: logit.isFinite)
          rs.visit(i, target, valid: target == -1 || (target >= 0 && target <= 1))
          binary.visit(i, target, valid: target == -1 || (target >= 0 && target.isFinite))
          positives &+= target > 0 ? 1 : 0
        }
        return (finite, rs, binary, positives)
      }
      var total = (Scan(), Scan(), Scan(), 0)
      for chunk in chunks {
        total.0.merge(chunk.0)
        total.1.merge(chunk.1)
        total.2.merge(chunk.2)
        total.3 += chunk.3
      }
      return total
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

    /// Adds the outliers of a later part of the column.
    mutating func merge(_ later: Scan) {
      guard let more = later.outliers else { return }
      if outliers == nil { outliers = more } else { outliers!.count += more.count }
    }
  }
}
