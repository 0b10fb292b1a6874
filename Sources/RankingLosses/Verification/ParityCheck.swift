/// One comparison `brl verify` plans: a method's result against a reference, and whether
/// agreement is required (a disagreement fails the check) or only reported. Running it gives a
/// ``FinishedCheck``, which holds the numbers.
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
    /// every positive (``NaiveSample``). Per image (``Grouping/image``), `images` is the number
    /// of images sampled (every image with positives, each its own sample of its own examples,
    /// ``ImageNaiveSample``) and the counts are their totals; nil for the batch sample.
    case sampledNaive(positives: Int, negatives: Int, images: Int? = nil)

    /// Whether this is the sampled naive definition.
    public var isSampledNaive: Bool {
      if case .sampledNaive = self { return true }
      return false
    }

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
      case .sampledNaive(_, _, nil): "naive sampled"
      case .sampledNaive: "naive sampled per image"
      }
    }

    /// As a sentence names it.
    public var description: String {
      switch self {
      case .method(let evaluation): evaluation.description
      case .stored: "stored reference"
      case .sampledNaive(let positives, let negatives, nil):
        "naive sampled (\(positives) positives, \(negatives) negatives)"
      case .sampledNaive(let positives, let negatives, let images?):
        "naive sampled per image (\(positives) positives, \(negatives) negatives in \(images) "
          + "images)"
      }
    }
  }

  /// What is compared with what.
  public var subject: Evaluation
  public var reference: Reference
  public var requirement: Requirement
  /// One line saying why the requirement is what it is.
  public var reason: String
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
}
