import BRLRandom
import Testing

@testable import RankingLosses

/// Exact per image on interleaved ids (``ImageExactNegatives``): ranked in input order with
/// per-image interval tables, it must give what each image evaluated alone gives, and what the
/// same data made contiguous (image-major, which slices the input) gives. ``GroupingTests``
/// compares small inputs bit for bit; here the input spans several chunks of the binning pass
/// (more than 2¹⁷ elements), where only the offset sums' rounding may differ.
@Suite struct ImageExactTests {
  /// 300 000 examples in 5 images (one without positives), ids at random; about 600 positives,
  /// logits on a 1/64 grid so ties and negatives on break points occur.
  static let problem: (problem: Problem, ids: [Int64]) = {
    var random = SplitMix64(seed: 19)
    func uniform() -> Double { Double(random.next() >> 11) / Double(1 << 53) }
    var logits: [Double] = []
    var targets: [Double] = []
    var ids: [Int64] = []
    for _ in 0..<300_000 {
      let image = Int64(random.next() % 5) * 3 - 4
      let u = uniform()
      let positive = image != 5 && u < 0.002
      logits.append(((positive ? uniform() * 6 - 2 : uniform() * 10 - 7) * 64).rounded() / 64)
      targets.append(positive ? 0.1 + 0.9 * uniform() : u > 0.99 ? -1 : 0)
      ids.append(image)
    }
    let positives = targets.count { $0 > 0 }
    return (
      Problem(
        logits: logits, targets: targets,
        regressionLosses: (0..<positives).map { Double($0 % 7) / 6 }),
      ids
    )
  }()

  /// Relative difference of two numbers, 0 when equal.
  static func relative(_ a: Double, _ b: Double) -> Double {
    a == b ? 0 : abs(a - b) / max(abs(a), abs(b))
  }

  @Test(arguments: GroupingTests.losses.indices)
  func interleavedEqualsContiguousAndEachImageAlone(index: Int) throws {
    let (kind, loss) = GroupingTests.losses[index]
    let (p, ids) = Self.problem
    let interleaved = try GroupingTests.grouped(loss, kind, .exact, p, ids: ids)
    // The same examples image-major (stable): each image is a slice of the input.
    let order = ids.indices.sorted { (ids[$0], $0) < (ids[$1], $1) }
    let contiguous = try GroupingTests.grouped(
      loss, kind, .exact, p.permuted(order), ids: order.map { ids[$0] })
    let alone = try GroupingTests.reference(loss, kind, .exact, p, ids: ids)
    let what = "\(kind) δ=\(loss.delta)"
    for other in [contiguous.loss, alone.loss] {
      #expect(Self.relative(interleaved.loss, other) <= 1e-12, "\(what)")
    }
    let images = try #require(interleaved.images)
    #expect(images.withPositives == 4 && images.ids == [-4, -1, 2, 5, 8])
    for (a, b) in zip(images.losses, alone.imageLosses) where !b.isNaN {
      #expect(Self.relative(a, b) <= 1e-12, "\(what)")
    }
    #expect(images.losses[3].isNaN)
    var worst = 0.0
    for (k, i) in order.enumerated() {
      worst = max(worst, Self.relative(interleaved.gradient[i], contiguous.gradient[k]))
      worst = max(worst, Self.relative(interleaved.gradient[i], alone.gradient[i]))
    }
    #expect(worst <= 1e-12, "\(what): gradient off by \(worst)")
    #expect(interleaved.ranks == alone.ranks || Self.close(interleaved.ranks, alone.ranks))
    #expect(interleaved.statistics.relevantNegatives == contiguous.statistics.relevantNegatives)
    // Images without a positive: gradient exactly 0.
    #expect(ids.indices.allSatisfy { ids[$0] != 5 || interleaved.gradient[$0] == 0 })
  }

  static func close(_ a: [Double]?, _ b: [Double]?) -> Bool {
    guard let a, let b, a.count == b.count else { return false }
    return zip(a, b).allSatisfy { relative($0, $1) <= 1e-12 }
  }

  /// The same bits on one and two threads, in float32 too.
  @Test func sameBitsForAnyThreadCount() throws {
    let (p, ids) = Self.problem
    for float32 in [false, true] {
      let one = try GroupingTests.grouped(
        RankSortLoss(), .rs, .exact, p, ids: ids, float32: float32, threads: 1)
      let two = try GroupingTests.grouped(
        RankSortLoss(), .rs, .exact, p, ids: ids, float32: float32, threads: 2)
      #expect(one.loss.bitPattern == two.loss.bitPattern)
      #expect(one.gradient.map(\.bitPattern) == two.gradient.map(\.bitPattern))
    }
  }
}

/// ``ImageNaiveSample``: the definition per image on a sample catches a wrong FP_i, a wrong
/// gradient and wrong weights of one image, and passes the right ones.
@Suite struct ImageNaiveSampleTests {
  static let ids = VerifierTests.problem.logits.indices.map {
    Int64([4, 1, 9][($0 * 5 + $0 / 7) % 3])
  }

  @Test(arguments: [RankingLosses.Method.exact, .bucketed], [0.0, 0.5])
  func sampleCatchesAWrongImage(method: RankingLosses.Method, delta: Double) throws {
    let p = VerifierTests.problem
    try LossInput.with(logits: p.logits, targets: p.targets) { input in
      var input = input
      input.imageIDs = Self.ids
      input.grouping = .image
      let sample = try ImageNaiveSample(input, delta: delta, positives: 64, negatives: 4096)
      #expect(sample.images == 3 && sample.samples.count == 3)
      // Each image sampled on its own: 64 of its ~100 positives and its relevant negatives
      // (fewer than 4096 in each image, so all of them).
      #expect(sample.samples.allSatisfy { $0.positiveCount == 64 && $0.negativeCount > 1000 })
      #expect(sample.negativeIndex.allSatisfy { p.targets[$0] == 0 })
      #expect(sample.negativeLogits == sample.negativeIndex.map { p.logits[$0] })
      // Each image's sampled negatives are of that image.
      for (g, id) in [1, 4, 9].enumerated() {
        #expect(sample.samples[g].negativeIndex.allSatisfy { Self.ids[$0] == Int64(id) })
      }
      let capture = NegativeSumsCapture()
      let result = try Evaluation(loss: .rs, delta: delta, method: method, grouping: .image)
        .evaluate(input, capture: capture)
      #expect(capture.images.count == 3)
      let right = sample.compare(result, capture, rtol: 1e-5, atol: 1e-8)
      // Bucketed at δ > 0 approximates: only its being compared is checked.
      guard method == .exact || delta == 0 else { return }
      #expect(right.agrees)

      // Image 2's FP_i off by one at a sampled positive.
      let wrongFP = Self.copy(capture)
      wrongFP.images[2].falsePositives[sample.samples[2].positiveIndex[5]] += 1
      let fp = sample.compare(result, wrongFP, rtol: 1e-5, atol: 1e-8)
      let fpAt = sample.samples[0].positiveCount + sample.samples[1].positiveCount + 5
      #expect(!fp.agrees && fp.firstViolationIndex == fpAt)

      // Image 1's weights: the gradient they give differs from what the method wrote.
      let wrongWeights = Self.copy(capture)
      wrongWeights.images[1].weights = wrongWeights.images[1].weights.map { $0 * 1.01 }
      #expect(!sample.compare(result, wrongWeights, rtol: 1e-5, atol: 1e-8).agrees)

      // One sampled negative of image 0 with a wrong gradient.
      var wrongResult = result.result()
      let negative = sample.samples[0].negativeIndex[100]
      wrongResult.gradient[negative] += 1e-6 + abs(wrongResult.gradient[negative]) * 1e-3
      let wrongGradient = LossEvaluation(wrongResult, parallelism: .serial)
      let g = sample.compare(wrongGradient, capture, rtol: 1e-5, atol: 1e-8)
      #expect(!g.agrees && g.firstViolationIndex == sample.positiveCount + 100)

      // A result without per-image captures never passes.
      #expect(!sample.compare(result, NegativeSumsCapture(), rtol: 1e-5, atol: 1e-8).agrees)
    }
  }

  static func copy(_ capture: NegativeSumsCapture) -> NegativeSumsCapture {
    let copy = NegativeSumsCapture()
    copy.images = capture.images.map { image in
      let c = NegativeSumsCapture()
      c.positives = image.positives
      c.falsePositives = image.falsePositives
      c.weights = image.weights
      return c
    }
    return copy
  }
}
