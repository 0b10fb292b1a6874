import RankingLosses
import Testing

/// The binned gradients ``Verifier`` collects for `brl verify --html` summarise each method's
/// gradient exactly: the bins hold every example once, and each bin's count, min, max and sum
/// equal those computed from the method's own gradient.
@Suite struct GradientBinsTests {
  /// 400 examples: 40 positives with IoU targets, negatives spread over [−6, 3].
  static let logits: [Double] = (0..<400).map { (i: Int) -> Double in
    if i % 10 == 0 { return Double(i % 37) / 9.0 - 1.0 }
    let spread: Double = Double((i * 7919) % 360) / 360.0
    return -6.0 + 9.0 * spread
  }
  static let targets: [Double] = (0..<400).map { (i: Int) -> Double in
    i % 10 == 0 ? 0.1 + Double(i % 9) / 10.0 : 0.0
  }

  @Test(arguments: [LossKind.rs, .ap, .alrp])
  func binsMatchTheMethodsGradients(loss: LossKind) throws {
    let targets = loss == .rs ? Self.targets : Self.targets.map { $0 > 0 ? 1 : 0 }
    let bins = GradientBins(binCount: 12)
    let outcome = try LossInput.with(logits: Self.logits, targets: targets) { input in
      try Verifier(VerificationRequest(losses: [loss], deltas: [0, 0.5])).run(
        input, gradients: bins)
    }
    let range = try #require(bins.logitRange)
    #expect(range == Self.logits.min()!...Self.logits.max()!)
    #expect(bins.gradients.count == outcome.evaluations.count)
    // A difference per bucketed subject checked against a method (AP's bucketed is checked
    // against two references; the first is kept).
    let subjects = Set(
      outcome.checks.filter { $0.subject.method == .bucketed && $0.reference.evaluation != nil }
        .map(\.subject))
    #expect(bins.differences.count == subjects.count)
    #expect(Set(bins.differences.map(\.evaluation)) == subjects)
    for series in bins.gradients {
      let expected = try LossInput.with(logits: Self.logits, targets: targets) {
        try series.evaluation.rankingLoss.evaluate($0, method: series.evaluation.method).gradient
      }
      for (side, binned) in [(false, series.negatives), (true, series.positives)] {
        #expect(binned.map(\.count).reduce(0, +) == targets.count { ($0 > 0) == side })
        for (k, bin) in binned.enumerated() {
          let interval = GradientBins.interval(ofBin: k, binCount: 12, range: range)
          let mine = Self.logits.indices.filter {
            (targets[$0] > 0) == side
              && Self.bin(Self.logits[$0], range: range, count: 12) == k
          }.map { expected[$0] }
          #expect(bin.count == mine.count, "\(series.evaluation) bin \(k) \(interval)")
          guard !mine.isEmpty else { continue }
          #expect(bin.min == mine.min()! && bin.max == mine.max()!)
          #expect(abs(bin.sum - mine.reduce(0, +)) <= 1e-12 * Double(mine.count))
        }
      }
    }
  }

  static func bin(_ logit: Double, range: ClosedRange<Double>, count: Int) -> Int {
    let k = Int((logit - range.lowerBound) * Double(count) / (range.upperBound - range.lowerBound))
    return min(max(k, 0), count - 1)
  }

  @Test func sampleModeKeepsTheSamplePointsOncePerLossAndDelta() throws {
    let bins = GradientBins(binCount: 8)
    _ = try LossInput.with(logits: Self.logits, targets: Self.targets) { input in
      try Verifier(
        VerificationRequest(losses: [.rs], deltas: [0, 0.5], naive: .sample, sampledNegatives: 50)
      ).run(input, gradients: bins)
    }
    #expect(bins.samples.map(\.evaluation.delta) == [0, 0.5])
    for sample in bins.samples {
      #expect(
        sample.logits.count == sample.naive.count && sample.naive.count == sample.method.count)
      #expect(sample.logits.count >= 50)
      // At δ = 0 every method agrees with the definition at every sampled negative.
      if sample.evaluation.delta == 0 {
        for (a, b) in zip(sample.naive, sample.method) {
          #expect(abs(a - b) <= 1e-9 + 1e-6 * abs(b))
        }
      }
    }
  }

  @Test func withoutACollectorNothingChanges() throws {
    let request = VerificationRequest(losses: [.rs])
    let (plain, collected) = try LossInput.with(logits: Self.logits, targets: Self.targets) {
      input in
      (
        try Verifier(request).run(input),
        try Verifier(request).run(input, gradients: GradientBins(binCount: 4))
      )
    }
    #expect(plain.checks == collected.checks)
  }
}
