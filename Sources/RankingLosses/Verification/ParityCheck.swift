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

  /// What the subject is compared with.
  public enum Reference: Sendable, Codable, Equatable {
    /// Another evaluation of the same input (naive, or exact in its place).
    case method(Evaluation)
    /// The result stored in the input (`ref_loss`, `ref_grad`).
    case stored
    /// The naive definition evaluated term by term on a sample: the FP_i of `positives`
    /// positives over all relevant negatives, and the gradient of `negatives` negatives from
    /// every positive (``NaiveSample``).
    case sampledNaive(positives: Int, negatives: Int)

    /// The reference evaluation, when the reference is one.
    public var evaluation: Evaluation? {
      if case .method(let evaluation) = self { return evaluation }
      return nil
    }

    /// The method's name ("naive", "exact", …), "stored", or "naive" for the sampled naive.
    public var methodName: String {
      switch self {
      case .method(let evaluation): evaluation.method.rawValue
      case .stored: "stored"
      case .sampledNaive: Method.naive.rawValue
      }
    }

    /// As a table shows it: "naive (plain)", "stored ref", "naive sampled".
    public var label: String {
      switch self {
      case .method(let evaluation): evaluation.methodLabel
      case .stored: "stored ref"
      case .sampledNaive: "naive sampled"
      }
    }

    /// As a sentence names it.
    public var description: String {
      switch self {
      case .method(let evaluation): evaluation.description
      case .stored: "stored reference"
      case .sampledNaive(let positives, let negatives):
        "naive sampled (\(positives) positives, \(negatives) negatives)"
      }
    }
  }

  /// The outcome of a finished check.
  public enum Verdict: String, Sendable, Codable {
    /// A required agreement holds.
    case ok
    /// An informational comparison (whatever its size).
    case info
    /// A required agreement fails.
    case fail
  }

  /// What is compared with what.
  public var subject: Evaluation
  public var reference: Reference
  public var requirement: Requirement
  /// One line saying why the requirement is what it is.
  public var reason: String
  /// The numbers, once computed. For a sampled naive reference, the compared values are the
  /// sampled positives' FP_i (first) and then the sampled negatives' gradients.
  public var comparison: ResultComparison?
  /// Sampled naive only: the input position of each sampled negative, in comparison order.
  public var sampledNegativeIndex: [Int]?

  public init(
    subject: Evaluation, reference: Reference, requirement: Requirement, reason: String
  ) {
    self.subject = subject
    self.reference = reference
    self.requirement = requirement
    self.reason = reason
  }

  /// A check against another evaluation, or (nil) against the stored reference.
  public init(
    subject: Evaluation, reference: Evaluation?, requirement: Requirement, reason: String
  ) {
    self.init(
      subject: subject, reference: reference.map { .method($0) } ?? .stored,
      requirement: requirement, reason: reason)
  }

  /// ``Verdict/fail`` for a required comparison that does not agree (or was not made),
  /// ``Verdict/ok`` for one that does, ``Verdict/info`` for an informational one.
  public var verdict: Verdict {
    guard requirement == .required else { return .info }
    return comparison?.agrees == true ? .ok : .fail
  }

  /// Whether this check fails: a required comparison that does not agree.
  public var failed: Bool { verdict == .fail }

  /// Where the first disagreement is: "loss", "grad[i]", or for a sampled naive reference
  /// "FP of sampled positive k" / "grad[i]".
  public var firstDisagreement: String? {
    guard let comparison, !comparison.agrees else { return nil }
    guard let index = comparison.firstViolationIndex else { return "loss" }
    if case .sampledNaive(let positives, _) = reference {
      if index < positives { return "FP of sampled positive \(index)" }
      return "grad[\(sampledNegativeIndex?[index - positives] ?? -1)]"
    }
    return "grad[\(index)]"
  }
}
