/// A ``ParityCheck`` that ran: the plan and the numbers it found. Only a finished check has a
/// verdict; the report reads the comparison directly (there is always one).
public struct FinishedCheck: Sendable, Codable, Equatable {
  /// The outcome of a finished check.
  public enum Verdict: String, Sendable, Codable {
    /// A required agreement holds.
    case ok
    /// An informational comparison (whatever its size).
    case info
    /// A required agreement fails.
    case fail
  }

  /// What was planned.
  public var check: ParityCheck
  /// The numbers. For a sampled naive reference, the compared values are the sampled
  /// positives' FP_i (first) and then the sampled negatives' gradients, and the losses are not
  /// compared (``ResultComparison/lossDifference`` is nil).
  public var comparison: ResultComparison
  /// Sampled naive only: the input position of each sampled negative, in comparison order.
  public var sampledNegativeIndex: [Int]?

  public init(
    _ check: ParityCheck, comparison: ResultComparison, sampledNegativeIndex: [Int]? = nil
  ) {
    self.check = check
    self.comparison = comparison
    self.sampledNegativeIndex = sampledNegativeIndex
  }

  public var subject: Evaluation { check.subject }
  public var reference: ParityCheck.Reference { check.reference }
  public var requirement: ParityCheck.Requirement { check.requirement }
  public var reason: String { check.reason }

  /// ``Verdict/fail`` for a required comparison that does not agree, ``Verdict/ok`` for one
  /// that does, ``Verdict/info`` for an informational one.
  public var verdict: Verdict {
    guard requirement == .required else { return .info }
    return comparison.agrees ? .ok : .fail
  }

  /// Whether this check fails: a required comparison that does not agree.
  public var failed: Bool { verdict == .fail }

  /// Where the first disagreement is (the loss when every compared element agrees), or nil
  /// when the check agrees.
  public var firstDisagreement: ComparedValue? {
    guard !comparison.agrees else { return nil }
    guard let index = comparison.firstViolationIndex else { return .loss }
    return comparedValue(index)
  }

  /// What compared element `index` is: a gradient element (its input index) or, for a sampled
  /// naive reference, also a sampled positive's false-positive sum (its rank among the sampled
  /// positives).
  public func comparedValue(_ index: Int) -> ComparedValue {
    guard case .sampledNaive(let positives, _, _) = reference else {
      return .gradient(index: index)
    }
    if index < positives { return .falsePositives(sampledPositive: index) }
    let position = index - positives
    guard let inputIndex = sampledNegativeIndex, inputIndex.indices.contains(position) else {
      return .gradient(index: nil)
    }
    return .gradient(index: inputIndex[position])
  }
}

/// A value a check compares.
public enum ComparedValue: Sendable, Equatable, CustomStringConvertible {
  /// The loss.
  case loss
  /// The false-positive sum FP_i of the k-th sampled positive (sampled naive reference).
  case falsePositives(sampledPositive: Int)
  /// The gradient at an input index (nil: a sampled negative whose position is unknown).
  case gradient(index: Int?)

  /// `loss`, `FP[k]`, `grad[i]`.
  public var description: String {
    switch self {
    case .loss: "loss"
    case .falsePositives(let k): "FP[\(k)]"
    case .gradient(let index): "grad[\(index.map(String.init) ?? "?")]"
    }
  }

  /// As a table's "at" column shows it: the gradient index, or `FP k`.
  public var label: String {
    switch self {
    case .loss: "loss"
    case .falsePositives(let k): "FP \(k)"
    case .gradient(let index): index.map(String.init) ?? "?"
    }
  }
}
