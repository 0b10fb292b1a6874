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
/// The naive mode (``NaiveMode``) decides what "naive" is: in ``NaiveMode/full`` it is evaluated
/// in full and is the reference; in ``NaiveMode/off`` and ``NaiveMode/sample`` exact (equal to
/// naive) takes its place, and ``NaiveMode/sample`` adds, for every fast method at every δ, the
/// definition evaluated term by term on a sample (``NaiveSample``) against the method's own sums
/// there: required where the full comparison with naive would be.
///
/// One call does it all: ``run(_:storedReference:progress:)`` checks the input's domain once
/// (``InputDomain``), picks the losses, resolves the naive mode, runs the checks and returns them
/// finished.
public struct Verifier: Sendable {
  public var request: VerificationRequest

  public init(_ request: VerificationRequest = VerificationRequest()) {
    self.request = request
  }

  /// The δ values checked for `loss`.
  public func deltas(for loss: LossKind) -> [Double] {
    request.deltas ?? [0, loss.defaultDelta]
  }

  /// The naive mode that runs when `work` = P × relevant negatives × naive evaluations.
  public func resolvedNaiveMode(work: Double) -> NaiveMode {
    let mode =
      request.naive == .auto ? (work <= request.naiveBudget ? .full : .sample) : request.naive
    return mode
  }

  /// The checks for one loss at one δ in a resolved naive mode (not ``NaiveMode/auto``), in
  /// display order.
  public func checks(loss: LossKind, delta: Double, naive: NaiveMode) -> [ParityCheck] {
    let planned = batchChecks(loss: loss, delta: delta, naive: naive)
    return request.grouping == .image ? planned.map { $0.perImage() } : planned
  }

  private func batchChecks(loss: LossKind, delta: Double, naive: NaiveMode) -> [ParityCheck] {
    let fullNaive = naive == .full || naive == .auto
    let methods = request.methods.filter { fullNaive || $0 != .naive }
    let referenceMethod: Method = fullNaive ? .naive : .exact
    let strict = request.strict
    var checks: [ParityCheck] = []
    func add(
      _ subject: Evaluation, _ reference: ParityCheck.Reference, required: Bool, _ reason: String
    ) {
      checks.append(
        ParityCheck(
          subject: subject, reference: reference,
          requirement: required || strict ? .required : .informational, reason: reason))
    }
    if fullNaive || methods.contains(referenceMethod) {
      let reference = ParityCheck.Reference.method(
        Evaluation(loss: loss, delta: delta, method: referenceMethod))
      for method in methods where method != referenceMethod {
        let subject = Evaluation(loss: loss, delta: delta, method: method)
        switch method {
        case .naive, .exact:
          add(subject, reference, required: true, "exact method: equal to naive at every δ")
        case .bucketed where loss == .ap:
          let plain = Evaluation(loss: .ap, delta: delta, method: referenceMethod, variant: .plain)
          if delta == 0 {
            add(subject, .method(plain), required: true, "bucketing is exact at δ = 0")
          } else {
            add(subject, .method(plain), required: false, "bucketing approximation at δ > 0")
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
    }
    if naive == .sample {
      let sampled = ParityCheck.Reference.sampledNaive(
        positives: request.sampledPositives, negatives: request.sampledNegatives)
      for method in methods where method != .naive {
        let subject = Evaluation(loss: loss, delta: delta, method: method)
        switch method {
        case .naive, .exact:
          add(subject, sampled, required: true, "exact method: the definition on a sample")
        case .bucketed:
          if delta == 0 {
            add(subject, sampled, required: true, "bucketing is exact at δ = 0 (sampled)")
          } else {
            add(subject, sampled, required: false, "bucketing approximation at δ > 0 (sampled)")
          }
        }
      }
    }
    return checks
  }

  /// A warning for a naive run forced in full on a large input (N × P > 2·10¹⁰), which can
  /// take a while; nil when there is nothing to say.
  public func naiveCostNote(count: Int, positives: Int) -> String? {
    guard request.naive == .full, Double(count) * Double(positives) > 2e10 else { return nil }
    return "naive is O(P·N); this can take a while (--naive auto samples it)"
  }

  /// The number of distinct naive evaluations a full naive run makes for `losses`.
  public func naiveEvaluations(losses: [LossKind]) -> Int {
    var evaluations = Set<Evaluation>()
    for loss in losses {
      for delta in deltas(for: loss) {
        for check in checks(loss: loss, delta: delta, naive: .full) {
          for evaluation in [check.subject, check.reference.evaluation].compactMap({ $0 })
          where evaluation.method == .naive {
            evaluations.insert(evaluation)
          }
        }
        if request.methods == [.naive] {
          evaluations.insert(Evaluation(loss: loss, delta: delta, method: .naive))
        }
      }
    }
    return evaluations.count
  }

  /// The losses to check on an input: those asked for (each must fit), else every loss the
  /// input allows (AP must: it has the loosest domain).
  public func losses(for domain: InputDomain) throws -> [LossKind] {
    if let asked = request.losses {
      for kind in asked {
        if let violation = domain.violation(for: kind) { throw violation }
      }
      return asked
    }
    if let violation = domain.violation(for: .ap) { throw violation }
    return domain.allowedLosses
  }

  /// Checks `input`: every loss it allows (or was asked for), every δ, every method, and the
  /// stored reference if there is one. Results are evaluated once each and released after
  /// their last comparison; their gradients are never held whole but compared block by block
  /// as they are written (``LossEvaluation``), so memory stays at the methods' own tables and
  /// one block per thread (with `gradients`, the pictures' bins need whole gradients, one
  /// comparison at a time).
  ///
  /// - Parameter progress: called before each long step with what is about to run.
  /// - Parameter gradients: if given, filled with the binned gradients of every evaluation,
  ///   the differences bucketed − reference, and the sampled naive's points (for pictures).
  /// - Throws: ``DomainViolation`` when the input does not fit a loss that was asked for (or
  ///   AP), ``RankingLossError`` when an evaluation is refused.
  public func run(
    _ input: LossInput, storedReference: StoredReference? = nil,
    progress: (String) -> Void = { _ in }, gradients: GradientBins? = nil
  ) throws -> VerificationOutcome {
    // Every evaluation and sample below partitions this input: one scan serves them all.
    var input = input
    input.partitions = PartitionCache()
    let domain = InputDomain(input)
    gradients?.begin(input)
    let losses = try losses(for: domain)
    var outcome = VerificationOutcome()
    outcome.count = domain.count
    outcome.positives = domain.positives
    outcome.losses = losses
    outcome.naive.requested = request.naive
    outcome.naive.budget = request.naiveBudget
    let maxDelta = losses.flatMap { deltas(for: $0) }.max() ?? 0
    let relevant = NaiveSample.relevantNegatives(input, delta: maxDelta)
    let evaluations = naiveEvaluations(losses: losses)
    outcome.naive.work = Double(domain.positives) * Double(relevant) * Double(evaluations)
    let naive = resolvedNaiveMode(work: outcome.naive.work)
    outcome.naive.mode = naive

    var samples: [Double: any SampledDefinition] = [:]
    for loss in losses {
      for delta in deltas(for: loss) {
        let planned = checks(loss: loss, delta: delta, naive: naive)
        // The sample first, while no result is held: its gather of the relevant negatives is
        // the largest transient of sample mode.
        if samples[delta] == nil && planned.contains(where: { $0.reference.isSampledNaive }) {
          progress("naive sampled at δ=\(delta)")
          samples[delta] = try sampledDefinition(input, delta: delta)
        }
        // How many comparisons still need each result, so it is released after its last.
        var uses: [Evaluation: Int] = [:]
        let reported =
          request.grouping == .image ? groupingChecks(loss: loss, delta: delta, naive: naive) : []
        for check in planned + reported {
          uses[check.subject, default: 0] += 1
          if let reference = check.reference.evaluation { uses[reference, default: 0] += 1 }
        }
        var results: [Evaluation: (LossEvaluation, NegativeSumsCapture)] = [:]
        let groupStart = outcome.evaluations.count
        defer {
          // Shown in method order (naive, bucketed, exact), whatever order they ran in.
          let rank = { (e: Evaluation) in Method.allCases.firstIndex(of: e.method)! }
          let group = outcome.evaluations[groupStart...].enumerated().sorted {
            (rank($0.element.evaluation), $0.offset) < (rank($1.element.evaluation), $1.offset)
          }.map(\.element)
          outcome.evaluations.replaceSubrange(groupStart..., with: group)
        }
        func result(_ evaluation: Evaluation) throws -> (LossEvaluation, NegativeSumsCapture) {
          if let cached = results[evaluation] { return cached }
          progress(evaluation.description)
          let capture = NegativeSumsCapture()
          let clock = ContinuousClock()
          let start = clock.now
          let value = try evaluation.evaluate(input, capture: capture)
          outcome.evaluations.append(
            .init(
              evaluation: evaluation, loss: value.loss, rankingLoss: value.rankingLoss,
              sortingLoss: value.sortingLoss, statistics: value.statistics,
              seconds: (clock.now - start).inSeconds))
          gradients?.record(evaluation, value.result(), input: input)
          results[evaluation] = (value, capture)
          return (value, capture)
        }
        func release(_ evaluation: Evaluation) {
          uses[evaluation]! -= 1
          if uses[evaluation]! == 0 { results[evaluation] = nil }
        }
        for check in planned {
          switch check.reference {
          case .method(let referenceEvaluation):
            // The subject first: the bucketed method's sort is the largest transient, and it
            // then runs while no other gradient is held.
            let subject = try result(check.subject).0
            let reference = try result(referenceEvaluation).0
            outcome.checks.append(
              FinishedCheck(
                check,
                comparison: ResultComparison(
                  subject, reference: reference, rtol: request.rtol, atol: request.atol)))
            if let gradients, check.subject.method == .bucketed {
              gradients.recordDifference(
                check.subject, referenceEvaluation, subjectGradient: subject.result().gradient,
                referenceGradient: reference.result().gradient, input: input)
            }
            release(referenceEvaluation)
          case .sampledNaive:
            let (subject, capture) = try result(check.subject)
            let sample = samples[delta]!
            var sampled = check
            sampled.reference = .sampledNaive(
              positives: sample.positiveCount, negatives: sample.negativeCount,
              images: sample.images)
            outcome.checks.append(
              FinishedCheck(
                sampled,
                comparison: sample.compare(
                  subject, capture, rtol: request.rtol, atol: request.atol),
                sampledNegativeIndex: sample.negativeIndex))
            if let gradients, gradients.wantsSample(check.subject) {
              gradients.recordSample(
                check.subject, logits: sample.negativeLogits,
                naive: sample.definitionGradients(capture),
                method: sample.negativeIndex.map { subject.gradient(at: $0) })
            }
            outcome.naive.sampledPositives = sample.positiveCount
            outcome.naive.sampledNegatives = sample.negativeCount
            outcome.naive.sampledImages = sample.images
          case .stored:
            break
          }
          release(check.subject)
        }
        // Per image, reported: how far ranking per image moves the loss from the batch loss.
        for check in reported {
          let (subject, reference) = (check.subject, check.reference.evaluation!)
          outcome.checks.append(
            FinishedCheck(
              check,
              comparison: ResultComparison(
                try result(subject).0, reference: try result(reference).0, rtol: request.rtol,
                atol: request.atol)))
          release(subject)
          release(reference)
        }
        if planned.isEmpty {
          // Only one method: nothing to compare, but still evaluate it so the user sees it.
          for method in request.methods where naive == .full || method != .naive {
            let evaluation = Evaluation(
              loss: loss, delta: delta, method: method, grouping: request.grouping)
            uses[evaluation, default: 0] += 1
            _ = try result(evaluation)
            release(evaluation)
          }
        }
      }
    }
    if let storedReference {
      let source = request.storedReference
      let kind = source.loss ?? losses[0]
      if let violation = domain.violation(for: kind) { throw violation }
      let evaluation = Evaluation(
        loss: kind, delta: source.delta ?? kind.defaultDelta, method: source.method)
      let check = ParityCheck(
        subject: evaluation, reference: .stored, requirement: .required,
        reason: "reference result stored in the input")
      progress(evaluation.description)
      let result = try evaluation.rankingLoss.evaluation(input, method: evaluation.method)
      outcome.checks.append(
        FinishedCheck(
          check,
          comparison: ResultComparison(
            loss: (result.loss, storedReference.loss), result,
            reference: .values(storedReference.gradient), rtol: request.rtol,
            atol: request.atol)))
    }
    return outcome
  }
}

/// What ``Verifier/run(_:storedReference:progress:)`` found.
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

  /// How naive ran.
  public struct NaiveRun: Sendable, Codable, Equatable {
    /// The mode asked for (perhaps ``NaiveMode/auto``).
    public var requested: NaiveMode = .auto
    /// The mode that ran (never ``NaiveMode/auto``).
    public var mode: NaiveMode = .full
    /// P × relevant negatives (at the largest δ) × naive evaluations of a full run, and the
    /// budget ``NaiveMode/auto`` compared it with.
    public var work: Double = 0
    public var budget: Double = VerificationRequest.defaultNaiveBudget
    /// Sample mode: how many positives and negatives were sampled (at the last δ; the counts
    /// are the same at every δ unless the input has fewer).
    public var sampledPositives: Int?
    public var sampledNegatives: Int?
    /// Per image: how many images were sampled (nil for the batch sample).
    public var sampledImages: Int?
  }

  /// The number of examples and of positives.
  public var count = 0
  public var positives = 0
  /// The losses checked.
  public var losses: [LossKind] = []
  public var naive = NaiveRun()
  public var evaluations: [EvaluationSummary] = []
  public var checks: [FinishedCheck] = []

  public init() {}

  /// Whether any required check failed.
  public var failed: Bool { checks.contains(where: \.failed) }
}
