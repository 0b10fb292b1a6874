import BRLRandom
import PropertyBased
import Testing

@testable import RankingLosses

/// The fast naive method (SIMD lanes, tiles, skipped zero terms, two threads) against the plain
/// scalar loops of the definition, written out here:
///
///     FP_i = Σ_n H(q_n − p_i)         n ascending
///     g_n  = Σ_i w_i · H(q_n − p_i)   i ascending
///
/// Both are required to be the same bits: the fast method only runs independent sums side by
/// side and leaves out terms that are exactly 0.
@Suite struct NaiveNegativesTests {
  /// The scalar definition.
  static func reference(
    positives p: [Double], negatives q: [Double], weights w: [Double], step: SmoothStep
  ) -> (falsePositives: [Double], gradient: [Double]) {
    var fp = [Double](repeating: 0, count: p.count)
    for i in p.indices {
      var sum = 0.0
      for n in q.indices { sum += step(q[n] - p[i]) }
      fp[i] = sum
    }
    var gradient = [Double](repeating: 0, count: q.count)
    for n in q.indices {
      var sum = 0.0
      for i in p.indices where w[i] != 0 { sum += step(q[n] - p[i]) * w[i] }
      gradient[n] = sum
    }
    return (fp, gradient)
  }

  /// The fast method on the same data, on `threads` threads.
  static func fast(
    positives: [Double], negatives: [Double], weights: [Double], step: SmoothStep, threads: Int
  ) -> (falsePositives: [Double], gradient: [Double]) {
    let zeros = [Double](repeating: 0, count: negatives.count)
    return negatives.withUnsafeBufferPointer { q in
      zeros.withUnsafeBufferPointer { t in
        let model = NaiveNegatives(
          positives: positives, logits: q, targets: t, threshold: -.infinity, step: step,
          parallelism: Parallelism(threads: threads))
        let write = model.gradientWriter(weights: weights)
        var gradient = [Double](repeating: .nan, count: negatives.count)
        // In ranges of 7, as `LossEvaluation` asks for them: the bits never depend on the range.
        gradient.withUnsafeMutableBufferPointer { g in
          for start in stride(from: 0, to: g.count, by: 7) {
            let range = start..<min(g.count, start + 7)
            write(range, UnsafeMutableBufferPointer(rebasing: g[range]))
          }
        }
        return (model.falsePositives(), gradient)
      }
    }
  }

  static func expectSameBits(
    _ fast: (falsePositives: [Double], gradient: [Double]),
    _ reference: (falsePositives: [Double], gradient: [Double]), _ note: String
  ) {
    #expect(
      fast.falsePositives.map(\.bitPattern) == reference.falsePositives.map(\.bitPattern),
      "FP \(note)")
    #expect(
      fast.gradient.map(\.bitPattern) == reference.gradient.map(\.bitPattern), "gradient \(note)")
  }

  /// Random problems with ties (logits on a 0.5 grid, negatives at p ± δ), extreme logits, and
  /// weights of which some are 0, at every δ the property tests use, on 1 to 3 threads.
  @Test func equalsTheScalarDefinitionOnRandomProblems() async {
    await propertyCheck(
      count: 500, input: Problem.generator(maxCount: 150, extremes: true),
      Gen.element(of: [0, 0.1, 0.5, 1, 2] as [Double]), Gen.element(of: [1, 2, 3] as [Int])
    ) { problem, delta, threads in
      let positives = zip(problem.logits, problem.targets).filter { $0.1 > 0 }.map(\.0).sorted()
      let negatives = zip(problem.logits, problem.targets).filter { $0.1 == 0 }.map(\.0)
      // Weights from the regression losses: some exactly 0.
      let weights = positives.indices.map { i -> Double in
        i % 4 == 3 ? 0 : problem.regressionLosses[i % problem.regressionLosses.count] - 0.5
      }
      let step = SmoothStep(delta: delta!)
      Self.expectSameBits(
        Self.fast(
          positives: positives, negatives: negatives, weights: weights, step: step,
          threads: threads!),
        Self.reference(positives: positives, negatives: negatives, weights: weights, step: step),
        "δ \(delta!), \(threads!) threads")
    }
  }

  /// Large enough for several chunks and many tiles, with ties on a 1/8 grid and a few
  /// negatives far above every positive (so a block's largest negative runs on alone).
  @Test(arguments: [0.0, 0.5, 1.0])
  func equalsTheScalarDefinitionOnALargeProblem(delta: Double) {
    var generator = SplitMix64(seed: 9)
    func uniform() -> Double { Double(generator.next() >> 11) / Double(1 << 53) }
    let positives = (0..<203).map { _ in ((uniform() * 6 - 2) * 8).rounded() / 8 }.sorted()
    let negatives = (0..<40_000).map { n in
      n % 97 == 0 ? 10 + uniform() : ((uniform() * 8 - 6) * 8).rounded() / 8
    }
    let weights = positives.indices.map { $0 % 5 == 0 ? 0 : uniform() }
    let step = SmoothStep(delta: delta)
    let reference = Self.reference(
      positives: positives, negatives: negatives, weights: weights, step: step)
    #expect(reference.falsePositives.contains { $0 > 0 } && reference.gradient.contains { $0 > 0 })
    for threads in [1, 2, 3] {
      Self.expectSameBits(
        Self.fast(
          positives: positives, negatives: negatives, weights: weights, step: step,
          threads: threads),
        reference, "δ \(delta), \(threads) threads")
    }
  }

  /// FP over more than two of the blocks the input is gathered in (2²⁰ examples each), with
  /// negatives below the threshold and examples of other targets (positives, ignored) mixed
  /// in, which the gather must leave out: every sum still runs over the relevant negatives in
  /// input order, the same bits as the scalar loop over them, on 1 and 2 threads.
  @Test(arguments: [0.0, 0.5])
  func falsePositivesOverSeveralBlocksEqualTheScalarDefinition(delta: Double) {
    var generator = SplitMix64(seed: 21)
    func uniform() -> Double { Double(generator.next() >> 11) / Double(1 << 53) }
    let count = (1 << 21) + 12_345
    let logits = (0..<count).map { _ in uniform() * 8 - 6 }
    let targets = (0..<count).map { n -> Double in
      n % 7 == 0 ? 1 : n % 11 == 0 ? -1 : 0
    }
    let positives = (0..<9).map { Double($0) * 0.375 - 1.5 }
    let threshold = -2.0
    let relevant = zip(logits, targets).filter { $0.1 == 0 && $0.0 >= threshold }.map(\.0)
    #expect(relevant.count > count / 4 && relevant.count < count * 3 / 4)
    let step = SmoothStep(delta: delta)
    let reference = Self.reference(
      positives: positives, negatives: relevant, weights: positives.map { _ in 0 }, step: step
    ).falsePositives
    for threads in [1, 2] {
      let (fast, counted) = logits.withUnsafeBufferPointer { q in
        targets.withUnsafeBufferPointer { t in
          let model = NaiveNegatives(
            positives: positives, logits: q, targets: t, threshold: threshold, step: step,
            parallelism: Parallelism(threads: threads))
          return (model.falsePositives(), model.relevantCount)
        }
      }
      #expect(
        fast.map(\.bitPattern) == reference.map(\.bitPattern), "δ \(delta), \(threads) threads")
      #expect(counted == relevant.count, "relevant count, \(threads) threads")
    }
  }
}
