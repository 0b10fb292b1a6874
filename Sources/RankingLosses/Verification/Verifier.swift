/// Plans and runs the parity checks of `brl verify` on one input: every method at every δ
/// against the naive definition, with what must agree and what is only reported.
///
/// What brl claims, and so requires:
/// - exact ≡ naive at every δ (all losses);
/// - bucketed ≡ naive at δ = 0 (RS and aLRP; for AP, bucketed ≡ naive in the plain variant);
/// - a reference result stored in the input ≡ the method that produced it.
///
/// What is only reported (unless strict):
/// - bucketed vs naive at δ > 0: the bucketing approximation;
/// - bucketed AP vs naive AP: the official BucketedAPLoss is the non-interpolated ranking error
///   (with the self-comparison counted), the official APLoss interpolates precision.
///
/// Without naive (`skipNaive`), exact takes its place as the reference: it is equal to naive.
public struct Verifier: Sendable {
  public var losses: [LossKind]
  public var deltas: [LossKind: [Double]]
  public var methods: [Method]
  public var skipNaive: Bool
  public var strict: Bool
  public var rtol: Double
  public var atol: Double

  public init(
    losses: [LossKind], deltas: [LossKind: [Double]], methods: [Method] = Method.allCases,
    skipNaive: Bool = false, strict: Bool = false, rtol: Double = 1e-5, atol: Double = 1e-8
  ) {
    self.losses = losses
    self.deltas = deltas
    self.methods = methods
    self.skipNaive = skipNaive
    self.strict = strict
    self.rtol = rtol
    self.atol = atol
  }

  /// The checks for one loss at one δ, in display order.
  public func checks(loss: LossKind, delta: Double) -> [ParityCheck] {
    let methods = methods.filter { !(skipNaive && $0 == .naive) }
    let referenceMethod: Method = skipNaive ? .exact : .naive
    guard methods.contains(referenceMethod) || !skipNaive else { return [] }
    let reference = Evaluation(loss: loss, delta: delta, method: referenceMethod)
    var checks: [ParityCheck] = []
    func add(_ subject: Evaluation, _ reference: Evaluation, required: Bool, _ reason: String) {
      checks.append(
        ParityCheck(
          subject: subject, reference: reference,
          requirement: required || strict ? .required : .informational, reason: reason))
    }
    for method in methods where method != referenceMethod {
      let subject = Evaluation(loss: loss, delta: delta, method: method)
      switch method {
      case .naive, .exact:
        add(subject, reference, required: true, "exact method: equal to naive at every δ")
      case .bucketed where loss == .ap:
        let plain = Evaluation(loss: .ap, delta: delta, method: referenceMethod, variant: .plain)
        if delta == 0 {
          add(subject, plain, required: true, "bucketing is exact at δ = 0")
        } else {
          add(subject, plain, required: false, "bucketing approximation at δ > 0")
        }
        add(
          subject, reference, required: false,
          "official bucketed AP: plain precision (no interpolation, self counted)")
      case .bucketed:
        if delta == 0 {
          add(subject, reference, required: true, "bucketing is exact at δ = 0")
        } else {
          add(subject, reference, required: false, "bucketing approximation at δ > 0")
        }
      }
    }
    return checks
  }

  /// Runs the checks for every loss and δ on `input`. Results are evaluated once each and
  /// released after their (loss, δ) group, so memory stays at a few gradients.
  ///
  /// - Parameter progress: called before each evaluation with what is about to run.
  /// - Returns: the checks with their comparisons, and the results' summaries.
  public func run(
    _ input: LossInput, progress: (Evaluation) -> Void = { _ in }
  ) throws -> VerificationOutcome {
    var outcome = VerificationOutcome()
    for loss in losses {
      for delta in deltas[loss] ?? [0, loss.defaultDelta] {
        var results: [Evaluation: LossResult] = [:]
        func result(_ evaluation: Evaluation) throws -> LossResult {
          if let cached = results[evaluation] { return cached }
          progress(evaluation)
          let clock = ContinuousClock()
          let start = clock.now
          let value = try evaluation.rankingLoss.evaluate(input, method: evaluation.method)
          let seconds = (clock.now - start).inSeconds
          outcome.evaluations.append(
            .init(
              evaluation: evaluation, loss: value.loss, rankingLoss: value.rankingLoss,
              sortingLoss: value.sortingLoss, statistics: value.statistics,
              seconds: seconds))
          results[evaluation] = value
          return value
        }
        for var check in checks(loss: loss, delta: delta) {
          let reference = try result(check.reference!)
          let subject = try result(check.subject)
          check.comparison = ResultComparison(subject, reference: reference, rtol: rtol, atol: atol)
          outcome.checks.append(check)
        }
        if results.isEmpty {
          // Only one method: nothing to compare, but still evaluate it so the user sees it.
          for method in methods where !(skipNaive && method == .naive) {
            _ = try result(Evaluation(loss: loss, delta: delta, method: method))
          }
        }
      }
    }
    return outcome
  }

  /// Checks a stored reference result (`ref_loss`, `ref_grad`) against `evaluation`.
  public func checkReference(
    _ input: LossInput, evaluation: Evaluation, referenceLoss: Double,
    referenceGradient: [Double]
  ) throws -> ParityCheck {
    var check = ParityCheck(
      subject: evaluation, reference: nil, requirement: .required,
      reason: "reference result stored in the input")
    let result = try evaluation.rankingLoss.evaluate(input, method: evaluation.method)
    check.comparison = ResultComparison(
      loss: result.loss, gradient: result.gradient, referenceLoss: referenceLoss,
      referenceGradient: referenceGradient, rtol: rtol, atol: atol)
    return check
  }
}

/// What ``Verifier/run(_:progress:)`` found.
public struct VerificationOutcome: Sendable, Codable {
  /// One evaluated (loss, δ, method).
  public struct EvaluationSummary: Sendable, Codable {
    public var evaluation: Evaluation
    public var loss: Double
    public var rankingLoss: Double?
    public var sortingLoss: Double?
    public var statistics: LossResult.Statistics
    public var seconds: Double
  }

  public var evaluations: [EvaluationSummary] = []
  public var checks: [ParityCheck] = []

  public init() {}

  /// Whether any required check failed.
  public var failed: Bool { checks.contains(where: \.failed) }
}
