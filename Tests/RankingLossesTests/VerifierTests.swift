import BRLRandom
import Testing

@testable import RankingLosses

/// The rules of `brl verify`'s plan, without the binary: which comparisons are made, which are
/// required, at which δ, in which naive mode; and that sample mode catches a wrong fast result.
@Suite struct VerifierTests {
  /// One planned check as a row: "method vs reference: requirement".
  static func rows(_ checks: [ParityCheck]) -> [String] {
    checks.map {
      "\($0.subject.methodLabel) vs \($0.reference.label): \($0.requirement.rawValue)"
    }
  }

  @Test func fullNaiveIsTheReference() {
    let verifier = Verifier(VerificationRequest())
    #expect(
      Self.rows(verifier.checks(loss: .rs, delta: 0, naive: .full)) == [
        "bucketed vs naive: required", "exact vs naive: required",
      ])
    #expect(
      Self.rows(verifier.checks(loss: .rs, delta: 0.5, naive: .full)) == [
        "bucketed vs naive: informational", "exact vs naive: required",
      ])
    #expect(
      Self.rows(verifier.checks(loss: .ap, delta: 0, naive: .full)) == [
        "bucketed vs naive (plain): required", "bucketed vs naive: informational",
        "exact vs naive: required",
      ])
    #expect(
      Self.rows(verifier.checks(loss: .ap, delta: 1, naive: .full)) == [
        "bucketed vs naive (plain): informational", "bucketed vs naive: informational",
        "exact vs naive: required",
      ])
  }

  @Test func offMakesExactTheReference() {
    let verifier = Verifier(VerificationRequest(naive: .off))
    #expect(
      Self.rows(verifier.checks(loss: .alrp, delta: 0, naive: .off)) == [
        "bucketed vs exact: required"
      ])
    #expect(
      Self.rows(verifier.checks(loss: .alrp, delta: 1, naive: .off)) == [
        "bucketed vs exact: informational"
      ])
    // Without exact there is nothing to compare with.
    #expect(
      Verifier(VerificationRequest(methods: [.naive, .bucketed]))
        .checks(loss: .rs, delta: 0, naive: .off).isEmpty)
  }

  @Test func sampleAddsTheDefinitionOnASampleForEveryFastMethod() {
    let verifier = Verifier(VerificationRequest(naive: .sample))
    #expect(
      Self.rows(verifier.checks(loss: .rs, delta: 0, naive: .sample)) == [
        "bucketed vs exact: required", "bucketed vs naive sampled: required",
        "exact vs naive sampled: required",
      ])
    #expect(
      Self.rows(verifier.checks(loss: .rs, delta: 0.5, naive: .sample)) == [
        "bucketed vs exact: informational", "bucketed vs naive sampled: informational",
        "exact vs naive sampled: required",
      ])
    let strict = Verifier(VerificationRequest(naive: .sample, strict: true))
    #expect(
      strict.checks(loss: .ap, delta: 1, naive: .sample).allSatisfy {
        $0.requirement == .required
      })
  }

  @Test func autoRunsFullWithinTheBudgetAndSamplesAbove() {
    let verifier = Verifier(VerificationRequest(naiveBudget: 1e6))
    #expect(verifier.resolvedNaiveMode(work: 1e6) == .full)
    #expect(verifier.resolvedNaiveMode(work: 1e6 + 1) == .sample)
    #expect(Verifier(VerificationRequest(naive: .full)).resolvedNaiveMode(work: 1e20) == .full)
    #expect(Verifier(VerificationRequest(naive: .off)).resolvedNaiveMode(work: 0) == .off)
  }

  /// Full naive evaluates naive once per (loss, δ), and AP's plain variant too.
  @Test func naiveEvaluationsCountsDistinctEvaluations() {
    let verifier = Verifier(VerificationRequest())
    #expect(verifier.naiveEvaluations(losses: [.rs]) == 2)
    #expect(verifier.naiveEvaluations(losses: [.rs, .ap, .alrp]) == 8)
  }

  /// The losses the targets allow; a loss asked for must fit.
  @Test func lossesFollowTheDomain() throws {
    let verifier = Verifier(VerificationRequest())
    let logits: [Double] = [1, 2, 3]
    let ious = LossInput.with(logits: logits, targets: [0.5, 0, -1] as [Double]) {
      InputDomain($0)
    }
    #expect(try verifier.losses(for: ious) == [.rs, .ap])
    let binary = LossInput.with(
      logits: logits, targets: [2, 0, 0] as [Double], regressionLosses: [0.1]
    ) { InputDomain($0) }
    #expect(try verifier.losses(for: binary) == [.ap, .alrp])
    #expect(binary.violation(for: .rs)?.column == "targets")
    #expect(throws: DomainViolation.self) {
      try Verifier(VerificationRequest(losses: [.rs])).losses(for: binary)
    }
    let nonFinite = LossInput.with(
      logits: [1, Double.nan, 3] as [Double], targets: [1, 0, 0] as [Double]
    ) { InputDomain($0) }
    #expect(nonFinite.violation(for: .ap)?.column == "logits")
    #expect(throws: DomainViolation.self) { try verifier.losses(for: nonFinite) }
  }

  /// A problem big enough that the sample is a true subset: 300 positives, 20 000 negatives.
  static let problem: (logits: [Double], targets: [Double]) = {
    var generator = SplitMix64(seed: 3)
    func uniform() -> Double { Double(generator.next() >> 11) / Double(1 << 53) }
    var logits: [Double] = []
    var targets: [Double] = []
    for n in 0..<20_300 {
      if n % 67 == 0 && targets.count { $0 > 0 } < 300 {
        logits.append(((uniform() * 6 - 2) * 4).rounded() / 4)
        targets.append(0.1 + 0.9 * uniform())
      } else {
        logits.append(((uniform() * 8 - 6) * 4).rounded() / 4)
        targets.append(0)
      }
    }
    return (logits, targets)
  }()

  /// Sample mode catches one wrong FP_i and one wrong negative gradient, and passes the right
  /// ones.
  @Test(arguments: [0.0, 0.5])
  func sampleCatchesAWrongFastResult(delta: Double) throws {
    try LossInput.with(logits: Self.problem.logits, targets: Self.problem.targets) { input in
      let sample = try NaiveSample(input, delta: delta, positives: 64, negatives: 4096)
      #expect(sample.positiveCount >= 64 && sample.positiveCount < 300)
      #expect(sample.negativeCount >= 4096 && sample.negativeCount < 20_000)
      let capture = NegativeSumsCapture()
      let result = try Evaluation(loss: .rs, delta: delta, method: .exact)
        .evaluate(input, capture: capture)
      #expect(sample.compare(result, capture, rtol: 1e-5, atol: 1e-8).agrees)

      // One sampled positive's FP_i off by one.
      let wrongFP = NegativeSumsCapture()
      wrongFP.positives = capture.positives
      wrongFP.weights = capture.weights
      wrongFP.falsePositives = capture.falsePositives
      wrongFP.falsePositives[sample.positiveIndex[17]] += 1  // one negative miscounted
      let fp = sample.compare(result, wrongFP, rtol: 1e-5, atol: 1e-8)
      #expect(!fp.agrees && fp.firstViolationIndex == 17)

      // One sampled negative's gradient off by a little (beyond the tolerance).
      var wrongResult = result.result()
      let negative = sample.negativeIndex[1000]
      wrongResult.gradient[negative] += 1e-6 + abs(wrongResult.gradient[negative]) * 1e-3
      let wrongGradient = LossEvaluation(wrongResult, parallelism: .serial)
      let g = sample.compare(wrongGradient, capture, rtol: 1e-5, atol: 1e-8)
      #expect(!g.agrees && g.firstViolationIndex == sample.positiveCount + 1000)
      // The finished check names the compared value: an FP_i or an input gradient index.
      let planned = ParityCheck(
        subject: Evaluation(loss: .rs, delta: delta, method: .exact),
        reference: .sampledNaive(positives: sample.positiveCount, negatives: sample.negativeCount),
        requirement: .required, reason: "test")
      let finished = FinishedCheck(
        planned, comparison: g, sampledNegativeIndex: sample.negativeIndex)
      #expect(finished.firstDisagreement == .gradient(index: negative))
      #expect(finished.comparedValue(3) == .falsePositives(sampledPositive: 3))
      #expect(finished.comparedValue(sample.positiveCount + 1000).label == "\(negative)")
    }
  }

  /// The whole plan in one call: auto with a tiny budget samples, every required check holds
  /// on a correct input, and the outcome says how many were sampled.
  @Test func runInSampleModeEndToEnd() throws {
    try LossInput.with(logits: Self.problem.logits, targets: Self.problem.targets) { input in
      let outcome = try Verifier(VerificationRequest(losses: [.rs], naiveBudget: 1))
        .run(input)
      #expect(outcome.naive.requested == .auto && outcome.naive.mode == .sample)
      #expect((outcome.naive.sampledPositives ?? 0) >= 64)
      #expect((outcome.naive.sampledNegatives ?? 0) >= 4096)
      #expect(!outcome.failed)
      #expect(outcome.checks.filter { $0.verdict == .ok }.count == 4)
      #expect(!outcome.evaluations.contains { $0.evaluation.method == .naive })
      // The sampled naive has no loss: the loss difference is not compared (nil, not 0); the
      // full comparisons (against exact) compare it.
      let sampled = outcome.checks.filter { $0.reference.isSampledNaive }
      #expect(!sampled.isEmpty && sampled.allSatisfy { $0.comparison.lossDifference == nil })
      #expect(
        outcome.checks.filter { !$0.reference.isSampledNaive }
          .allSatisfy { $0.comparison.lossDifference != nil })
    }
  }
}
