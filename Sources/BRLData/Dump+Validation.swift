import RankingLosses

extension Dump {
  /// Checks the values against `loss`'s domain, so that a loss never runs on input it would
  /// silently misread:
  /// - logits: finite (no NaN, ±∞);
  /// - targets: RS: −1 (ignored), 0 (negative) or an IoU in (0, 1]; AP and aLRP: −1, 0 or any
  ///   finite value > 0 (binarised to 1);
  /// - aLRP: if regression losses are given, one per positive, each finite and ≥ 0.
  ///
  /// Throws a ``DataError`` naming the first bad index, its value and how many are bad.
  public func validate(for loss: LossKind) throws {
    guard count > 0 else {
      throw DataError(path: path, reason: "expected at least one example, found none (N = 0)")
    }
    if let bad = logits.withColumn({ $0.firstInvalid { $0.isFinite } }) {
      throw DataError(
        path: path, position: "logits",
        reason: "expected finite logits, found \(Self.describe(bad)) NaN or infinite")
    }
    let (domain, isValid): (String, (Double) -> Bool) =
      switch loss {
      case .rs: ("−1, 0 or an IoU in (0, 1]", { $0 == -1 || ($0 >= 0 && $0 <= 1) })
      case .ap, .alrp: ("−1, 0 or a finite value > 0", { $0 == -1 || ($0 >= 0 && $0.isFinite) })
      }
    if let bad = targets.withColumn({ $0.firstInvalid(isValid) }) {
      throw DataError(
        path: targetsPath, position: "targets",
        reason: "expected targets \(domain) for \(loss.rawValue), found \(Self.describe(bad)) "
          + "outside it")
    }
    guard loss == .alrp, let regressionLosses else { return }
    let positives = positiveCount
    guard regressionLosses.count == positives else {
      throw DataError(
        path: path, position: "reg_losses",
        reason: "expected one regression loss per positive (\(positives)), found "
          + "\(regressionLosses.count)")
    }
    let bad = regressionLosses.withUnsafeBufferPointer {
      Column.float64($0).firstInvalid { $0.isFinite && $0 >= 0 }
    }
    if let bad {
      throw DataError(
        path: path, position: "reg_losses",
        reason: "expected finite regression losses ≥ 0, found \(Self.describe(bad)) outside "
          + "[0, ∞)")
    }
  }

  /// "3 values (first at index 5: nan)".
  private static func describe(_ bad: (index: Int, value: Double, count: Int)) -> String {
    "\(bad.count) value\(bad.count == 1 ? "" : "s") (first at index \(bad.index): \(bad.value))"
  }
}
