import RankingLosses

extension Dump {
  /// Checks the values against `loss`'s domain (the rules are ``InputDomain``'s, next to the
  /// losses), so that a loss never runs on input it would silently misread.
  ///
  /// Throws a ``DataError`` naming the file, the column and the first bad index, its value and
  /// how many are bad.
  public func validate(for loss: LossKind) throws {
    if let violation = withInput({ InputDomain($0) }).violation(for: loss) {
      throw dataError(violation)
    }
  }

  /// `violation` as an error about this dump: the file (the targets file for targets) and the
  /// column are added to the library's message.
  public func dataError(_ violation: DomainViolation) -> DataError {
    DataError(
      path: violation.column == "targets" ? targetsPath : path, position: violation.column,
      reason: violation.description)
  }
}
