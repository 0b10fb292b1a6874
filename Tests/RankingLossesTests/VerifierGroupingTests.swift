import RankingLosses
import Testing

/// `brl verify --group image` in the library: every check runs on the per-image results, naive
/// runs in full or on a sample of every image, and the per-image vs batch comparisons are
/// reported, never required.
@Suite struct VerifierGroupingTests {
  static let problem = GroupingTests.problem
  static let ids = problem.logits.indices.map { Int64([12, -7, 3, -1][($0 * 7 + $0 / 5) % 4]) }

  static func run(_ request: VerificationRequest) throws -> VerificationOutcome {
    let p = problem
    return try LossInput.with(
      logits: p.logits, targets: p.targets, regressionLosses: p.regressionLosses
    ) { input in
      var input = input
      input.imageIDs = ids
      return try Verifier(request).run(input)
    }
  }

  @Test func everyCheckIsPerImageAndTheBatchDifferenceIsReported() throws {
    let outcome = try Self.run(VerificationRequest(grouping: .image))
    #expect(!outcome.failed)
    #expect(outcome.naive.mode == .full)
    let reported = outcome.checks.filter { $0.reference.evaluation?.isPerImage == false }
    let perImage = outcome.checks.filter { $0.reference.evaluation?.isPerImage == true }
    #expect(outcome.checks.allSatisfy { $0.subject.isPerImage })
    // One per loss and δ: rs, ap, alrp at δ = 0 and the default.
    #expect(reported.count == 6)
    #expect(reported.allSatisfy { $0.requirement == .informational && $0.subject.method == .exact })
    #expect(perImage.count == outcome.checks.count - 6)
    #expect(perImage.contains { $0.requirement == .required })
    // Strict makes the bucketing approximation required, never the per-image vs batch difference.
    let strict = try Self.run(VerificationRequest(strict: true, grouping: .image))
    #expect(
      strict.checks.filter { $0.reference.evaluation?.isPerImage == false }
        .allSatisfy { $0.requirement == .informational })
    #expect(
      strict.checks.filter { $0.reference.evaluation?.isPerImage == true }
        .allSatisfy { $0.requirement == .required })

    // The reported difference is the per-image result against the batch result.
    let p = Self.problem
    let rs = try #require(reported.first { $0.subject.loss == .rs && $0.subject.delta == 0.5 })
    let batch = try p.evaluate(RankSortLoss(), .rs, .exact)
    let grouped = try GroupingTests.grouped(RankSortLoss(), .rs, .exact, p, ids: Self.ids)
    #expect(
      rs.comparison == ResultComparison(grouped, reference: batch, rtol: 1e-5, atol: 1e-8))
    #expect(try #require(rs.comparison.lossDifference) > 0)
    // The per-image evaluations' losses are the grouped losses.
    let exactRS = try #require(
      outcome.evaluations.first {
        $0.evaluation == Evaluation(loss: .rs, delta: 0.5, method: .exact, grouping: .image)
      })
    #expect(exactRS.loss == grouped.loss)
  }

  @Test func sampledNaiveRunsPerImage() throws {
    let outcome = try Self.run(VerificationRequest(naive: .sample, grouping: .image))
    #expect(outcome.naive.mode == .sample)
    #expect(!outcome.failed)
    #expect(outcome.naive.sampledImages == 4)
    let sampled = outcome.checks.filter { $0.reference.isSampledNaive }
    // Every fast method at every δ of every loss, required where the batch sample is.
    let batch = try LossInput.with(
      logits: Self.problem.logits, targets: Self.problem.targets,
      regressionLosses: Self.problem.regressionLosses
    ) { try Verifier(VerificationRequest(naive: .sample)).run($0) }
    let batchSampled = batch.checks.filter { $0.reference.isSampledNaive }
    #expect(sampled.count == batchSampled.count && !sampled.isEmpty)
    #expect(sampled.map(\.requirement) == batchSampled.map(\.requirement))
    #expect(sampled.allSatisfy { $0.subject.isPerImage })
    for check in sampled {
      guard case .sampledNaive(let positives, let negatives, let images) = check.reference else {
        Issue.record("not sampled")
        continue
      }
      #expect(images == 4 && positives == Self.problem.positives && negatives > 0)
      #expect(check.reference.label == "naive sampled per image")
    }
    #expect(
      Verifier(VerificationRequest(naive: .auto, naiveBudget: 0, grouping: .image))
        .resolvedNaiveMode(work: 1) == .sample)
  }

  @Test func perImageNeedsImageIDs() throws {
    let p = Self.problem
    #expect(throws: RankingLossError.missingImageIDs) {
      try LossInput.with(logits: p.logits, targets: p.targets) { input in
        try Verifier(VerificationRequest(losses: [.rs], grouping: .image)).run(input)
      }
    }
  }
}
