/// One comparison `brl verify` makes: a method's result against a reference, and whether
/// agreement is required (a disagreement fails the check) or only reported.
public struct ParityCheck: Sendable, Codable, Equatable {
  public enum Requirement: String, Sendable, Codable {
    /// brl claims these agree; a difference beyond tolerance is a failure.
    case required
    /// A known, documented difference (the bucketing approximation at δ > 0, AP's
    /// interpolation): shown with its size, not a failure unless strict.
    case informational
  }

  /// What is compared with what.
  public var subject: Evaluation
  /// The reference evaluation; nil when the reference is the arrays stored in the input.
  public var reference: Evaluation?
  public var requirement: Requirement
  /// One line saying why the requirement is what it is.
  public var reason: String
  /// The numbers, once computed.
  public var comparison: ResultComparison?

  public init(
    subject: Evaluation, reference: Evaluation?, requirement: Requirement, reason: String
  ) {
    self.subject = subject
    self.reference = reference
    self.requirement = requirement
    self.reason = reason
  }

  /// Whether this check fails: a required comparison that does not agree.
  public var failed: Bool { requirement == .required && comparison?.agrees == false }
}
