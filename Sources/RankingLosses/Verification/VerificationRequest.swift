/// How `brl verify` treats the O(P·N) naive definition.
public enum NaiveMode: String, CaseIterable, Sendable, Codable {
  /// ``full`` when P × relevant negatives × naive evaluations is at most the budget
  /// (``VerificationRequest/naiveBudget``), else ``sample``.
  case auto
  /// Naive evaluated in full, the reference of every comparison.
  case full
  /// Exact (equal to naive) is the reference of the full comparisons, and the naive definition
  /// is evaluated term by term on a deterministic sample of positives and negatives
  /// (``NaiveSample``) against what each fast method computed there.
  case sample
  /// No naive: exact is the reference.
  case off
}

/// What `brl verify` is asked to check on one input. New options go here, with a default that
/// keeps today's behaviour.
public struct VerificationRequest: Sendable, Equatable {
  /// The work (P × relevant negatives × naive evaluations) below which ``NaiveMode/auto`` runs
  /// naive in full: 10¹⁰ term evaluations, a few seconds of the fast naive on 2 cores.
  public static let defaultNaiveBudget = 1e10

  /// The losses to check (each must fit the input); nil: every loss the input allows.
  public var losses: [LossKind]?
  /// The δ values; nil: 0 and each loss's default.
  public var deltas: [Double]?
  /// The methods to compare.
  public var methods: [Method]
  public var naive: NaiveMode
  public var naiveBudget: Double
  /// Sample mode: at least this many positives (FP_i) and negatives (gradients).
  public var sampledPositives: Int
  public var sampledNegatives: Int
  /// Make the informational comparisons required too.
  public var strict: Bool
  /// numpy.allclose tolerances.
  public var rtol: Double
  public var atol: Double
  /// What produced a result stored in the input.
  public var storedReference: StoredReferenceSource

  public init(
    losses: [LossKind]? = nil, deltas: [Double]? = nil, methods: [Method] = Method.allCases,
    naive: NaiveMode = .auto, naiveBudget: Double = Self.defaultNaiveBudget,
    sampledPositives: Int = 64, sampledNegatives: Int = 4096, strict: Bool = false,
    rtol: Double = 1e-5, atol: Double = 1e-8,
    storedReference: StoredReferenceSource = StoredReferenceSource()
  ) {
    self.losses = losses
    self.deltas = deltas
    self.methods = methods
    self.naive = naive
    self.naiveBudget = naiveBudget
    self.sampledPositives = sampledPositives
    self.sampledNegatives = sampledNegatives
    self.strict = strict
    self.rtol = rtol
    self.atol = atol
    self.storedReference = storedReference
  }
}

/// The evaluation that produced a stored reference result.
public struct StoredReferenceSource: Sendable, Equatable {
  public var method: Method
  /// nil: the first loss checked.
  public var loss: LossKind?
  /// nil: the loss's default δ.
  public var delta: Double?

  public init(method: Method = .bucketed, loss: LossKind? = nil, delta: Double? = nil) {
    self.method = method
    self.loss = loss
    self.delta = delta
  }
}

/// A loss and gradient stored in the input (`ref_loss`, `ref_grad`).
public struct StoredReference: Sendable {
  public var loss: Double
  public var gradient: [Double]

  public init(loss: Double, gradient: [Double]) {
    self.loss = loss
    self.gradient = gradient
  }
}
