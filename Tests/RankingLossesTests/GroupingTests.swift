import BRLRandom
import PropertyBased
import RankingLosses
import Testing

/// ``Grouping/image``: every image with a positive is the batch loss of its own examples,
/// computed here separately (by slicing the input and calling the batch evaluation), and the
/// grouped result is their mean over those images; the gradient of an example is its image's
/// gradient divided by that number. Compared bit for bit: the grouped evaluation runs the same
/// code on the same values in the same order.
@Suite struct GroupingTests {
  /// The reference: each image's examples (input order) evaluated as a batch, then averaged.
  struct Reference {
    var loss: Double
    var rankingLoss: Double?
    var sortingLoss: Double?
    var gradient: [Double]
    var ranks: [Double]?
    var ids: [Int64]
    var imageLosses: [Double]
    var withPositives: Int
  }

  static func reference(
    _ loss: any RankingLoss, _ kind: LossKind, _ method: RankingLosses.Method, _ p: Problem,
    ids: [Int64], float32: Bool = false
  ) throws -> Reference {
    let distinct = Array(Set(ids)).sorted()
    var ordinal = [Int](repeating: -1, count: p.targets.count)
    var next = 0
    for i in p.targets.indices where p.targets[i] > 0 {
      ordinal[i] = next
      next += 1
    }
    var images: [(members: [Int], result: LossResult)] = []
    var imageLosses: [Double] = []
    for id in distinct {
      let members = ids.indices.filter { ids[$0] == id }
      let image = Problem(
        logits: members.map { p.logits[$0] }, targets: members.map { p.targets[$0] },
        regressionLosses: members.filter { p.targets[$0] > 0 }.map {
          p.regressionLosses[ordinal[$0]]
        })
      guard image.positives > 0 else {
        imageLosses.append(.nan)
        continue
      }
      let result =
        float32
        ? try LossInput.with(
          logits: image.logits.map(Float.init), targets: image.targets(for: kind).map(Float.init),
          regressionLosses: kind == .alrp ? image.regressionLosses : nil
        ) { try loss.evaluate($0, method: method) }
        : try image.evaluate(loss, kind, method)
      images.append((members, result))
      imageLosses.append(result.loss)
    }
    let g = Double(images.count)
    var gradient = [Double](repeating: 0, count: p.logits.count)
    var ranks: [Double]? = kind == .alrp ? [Double](repeating: 0, count: p.positives) : nil
    var total = 0.0
    var ranking = 0.0
    var sorting = 0.0
    for (members, result) in images {
      total += result.loss
      ranking += result.rankingLoss ?? 0
      sorting += result.sortingLoss ?? 0
      for (j, i) in members.enumerated() { gradient[i] = result.gradient[j] / g }
      for (k, i) in members.filter({ p.targets[$0] > 0 }).enumerated() {
        ranks?[ordinal[i]] = result.ranks![k]
      }
    }
    let none = images.isEmpty
    return Reference(
      loss: none ? 0 : total / g, rankingLoss: kind == .rs ? (none ? 0 : ranking / g) : nil,
      sortingLoss: kind == .rs ? (none ? 0 : sorting / g) : nil, gradient: gradient,
      ranks: ranks, ids: distinct, imageLosses: imageLosses, withPositives: images.count)
  }

  static func grouped(
    _ loss: any RankingLoss, _ kind: LossKind, _ method: RankingLosses.Method, _ p: Problem,
    ids: [Int64], float32: Bool = false, threads: Int? = nil
  ) throws -> LossResult {
    func run(_ input: LossInput) throws -> LossResult {
      var input = input
      input.imageIDs = ids
      input.grouping = .image
      if let threads { input.parallelism = Parallelism(threads: threads) }
      return try loss.evaluate(input, method: method)
    }
    let regression = kind == .alrp ? p.regressionLosses : nil
    if float32 {
      return try LossInput.with(
        logits: p.logits.map(Float.init), targets: p.targets(for: kind).map(Float.init),
        regressionLosses: regression, run)
    }
    return try LossInput.with(
      logits: p.logits, targets: p.targets(for: kind), regressionLosses: regression, run)
  }

  /// Every loss (AP in both variants) at δ = 0 and its default δ, as (kind, loss).
  static let losses: [(LossKind, any RankingLoss)] = LossKind.allCases.flatMap { kind in
    [0, kind.defaultDelta].flatMap { delta -> [(LossKind, any RankingLoss)] in
      kind == .ap
        ? [
          (kind, APLoss(delta: delta)), (kind, APLoss(delta: delta, variant: .plain)),
          (kind, APLoss(delta: delta, variant: .interpolated)),
        ]
        : [(kind, kind.loss(delta: delta))]
    }
  }

  static func expectMatches(
    _ p: Problem, ids: [Int64], float32: Bool = false, threads: Int? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let problem =
      float32
      ? Problem(
        logits: p.logits.map { Double(Float($0)) }, targets: p.targets.map { Double(Float($0)) },
        regressionLosses: p.regressionLosses) : p
    for (kind, loss) in losses {
      for method in RankingLosses.Method.allCases {
        let expected = try reference(loss, kind, method, problem, ids: ids, float32: float32)
        let result = try grouped(
          loss, kind, method, problem, ids: ids, float32: float32, threads: threads)
        let what = "\(kind) δ=\(loss.delta) \(method)"
        #expect(result.loss == expected.loss, "\(what)", sourceLocation: sourceLocation)
        #expect(
          result.rankingLoss == expected.rankingLoss, "\(what)", sourceLocation: sourceLocation)
        #expect(
          result.sortingLoss == expected.sortingLoss, "\(what)", sourceLocation: sourceLocation)
        #expect(result.gradient == expected.gradient, "\(what)", sourceLocation: sourceLocation)
        #expect(result.ranks == expected.ranks, "\(what)", sourceLocation: sourceLocation)
        #expect(
          result.images
            == ImageLosses(
              ids: expected.ids, losses: expected.imageLosses,
              withPositives: expected.withPositives), "\(what)", sourceLocation: sourceLocation)
        #expect(result.statistics.count == p.logits.count, sourceLocation: sourceLocation)
        #expect(result.statistics.positives == p.positives, sourceLocation: sourceLocation)
      }
    }
  }

  /// 240 examples with ties (logits on a 0.25 grid), about 10 % positives, some ignored.
  static let problem: Problem = {
    var random = SplitMix64(seed: 7)
    var logits: [Double] = []
    var targets: [Double] = []
    for _ in 0..<240 {
      let u = Double(random.next() >> 11) / Double(1 << 53)
      let v = Double(random.next() >> 11) / Double(1 << 53)
      logits.append(((v * 8 - 5) * 4).rounded() / 4)
      targets.append(u < 0.1 ? (u * 10 * 0.9 + 0.1) : u > 0.95 ? -1 : 0)
    }
    let positives = targets.count { $0 > 0 }
    return Problem(
      logits: logits, targets: targets,
      regressionLosses: (0..<positives).map { Double($0 % 5) / 4 })
  }()

  /// Id layouts: (name, id of example i).
  static let layouts: [(String, @Sendable (Int) -> Int64)] = [
    ("interleaved, unsorted, negative ids", { i in [12, -7, 3, -1][(i * 7 + i / 5) % 4] }),
    ("contiguous blocks, ids descending", { i in Int64(100 - i / 60) }),
    ("sparse ids (dictionary path)", { i in [Int64.min, 0, Int64.max, -5_000_000_000][i % 4] }),
    ("many small images", { i in Int64((i * 37) % 50 - 25) }),
  ]

  @Test(arguments: layouts.indices)
  func perImageEqualsTheMeanOfSeparateBatchLosses(layout: Int) throws {
    let p = Self.problem
    try Self.expectMatches(p, ids: p.logits.indices.map(Self.layouts[layout].1))
  }

  @Test func float32InputsAndOneThread() throws {
    let p = Self.problem
    let ids = p.logits.indices.map(Self.layouts[0].1)
    try Self.expectMatches(p, ids: ids, float32: true)
    try Self.expectMatches(p, ids: ids, threads: 1)
  }

  @Test func anImageWithoutPositivesGetsNaNAndZeroGradient() throws {
    var p = Self.problem
    // Image 9: the first 30 examples, made negatives and ignored only.
    let dropped = p.targets.prefix(30).count { $0 > 0 }
    p.regressionLosses.removeFirst(dropped)
    for i in 0..<30 { p.targets[i] = p.targets[i] > 0 ? 0 : p.targets[i] }
    let ids = p.logits.indices.map { i -> Int64 in i < 30 ? 9 : Int64(i % 3) }
    try Self.expectMatches(p, ids: ids)
    let result = try Self.grouped(RankSortLoss(), .rs, .exact, p, ids: ids)
    let images = try #require(result.images)
    #expect(images.ids == [0, 1, 2, 9])
    #expect(images.losses[3].isNaN && images.losses[0...2].allSatisfy { !$0.isNaN })
    #expect(images.withPositives == 3)
    #expect(result.gradient[0..<30].allSatisfy { $0 == 0 })
  }

  @Test func noImageWithPositivesIsZeroLoss() throws {
    let p = Problem(logits: [0.5, 1, -1], targets: [0, -1, 0], regressionLosses: [])
    let result = try Self.grouped(RankSortLoss(), .rs, .exact, p, ids: [1, 2, 1])
    #expect(result.loss == 0 && result.gradient == [0, 0, 0])
    #expect(result.images == ImageLosses(ids: [1, 2], losses: [.nan, .nan], withPositives: 0))
  }

  /// One image only is the batch loss: same loss, parts, gradient and ranks, bit for bit.
  @Test func oneImageEqualsTheBatch() throws {
    let p = Self.problem
    for (kind, loss) in Self.losses {
      for method in RankingLosses.Method.allCases {
        let batch = try p.evaluate(loss, kind, method)
        let result = try Self.grouped(
          loss, kind, method, p, ids: [Int64](repeating: -3, count: p.logits.count))
        #expect(result.loss == batch.loss && result.gradient == batch.gradient)
        #expect(result.rankingLoss == batch.rankingLoss && result.sortingLoss == batch.sortingLoss)
        #expect(result.ranks == batch.ranks && result.statistics == batch.statistics)
        #expect(result.images?.ids == [-3] && result.images?.losses == [batch.loss])
      }
    }
  }

  /// Random problems with ids in −3…3: ties, images without positives, single-example images.
  @Test func randomProblems() async {
    await propertyCheck(
      count: 150,
      input: zip(Problem.generator(maxCount: 60), Gen.int(in: -3...3).array(of: 60))
    ) { problem, idValues in
      try Self.expectMatches(
        problem, ids: problem.logits.indices.map { Int64(idValues[$0]) })
    }
  }

  /// Images large enough to be evaluated with the input's threads, beside small ones, in
  /// interleaved order: the same bits as separate batches, for one and two threads.
  @Test(arguments: [1, 2], [false, true])
  func largeImagesAndThreads(threads: Int, sparseIDs: Bool) throws {
    var random = SplitMix64(seed: 3)
    var logits: [Double] = []
    var targets: [Double] = []
    var ids: [Int64] = []
    for i in 0..<200_000 {
      let u = Double(random.next() >> 11) / Double(1 << 53)
      let v = Double(random.next() >> 11) / Double(1 << 53)
      logits.append(Double(Float(v * 8 - 5)))
      targets.append(u < 0.002 ? 0.5 + u * 100 : 0)
      // Image 5 holds 6/7 of the examples; sparse ids take the dictionary path.
      ids.append((i % 7 == 0 ? Int64(i % 3) : 5) * (sparseIDs ? -(1 << 40) : 1))
    }
    let p = Problem(
      logits: logits, targets: targets,
      regressionLosses: [Double](repeating: 0.25, count: targets.count { $0 > 0 }))
    for kind in LossKind.allCases {
      for method in [RankingLosses.Method.bucketed, .exact] {
        let loss = kind.loss()
        let expected = try Self.reference(loss, kind, method, p, ids: ids)
        let result = try Self.grouped(loss, kind, method, p, ids: ids, threads: threads)
        #expect(result.loss == expected.loss && result.gradient == expected.gradient)
      }
    }
  }

  @Test func missingOrWrongImageIDs() throws {
    let p = Problem(logits: [0.5, 1, -1], targets: [1, 0, 0], regressionLosses: [0])
    #expect(throws: RankingLossError.missingImageIDs) {
      try LossInput.with(logits: p.logits, targets: p.targets) { input in
        var input = input
        input.grouping = .image
        return try RankSortLoss().evaluate(input, method: .exact)
      }
    }
    #expect(throws: RankingLossError.imageIDCount(expected: 3, found: 2)) {
      try Self.grouped(RankSortLoss(), .rs, .exact, p, ids: [1, 2])
    }
    #expect(throws: RankingLossError.nonFiniteLogits(firstIndex: 2, count: 1)) {
      try Self.grouped(
        RankSortLoss(), .rs, .exact,
        Problem(logits: [0.5, 1, .nan], targets: [1, 0, 0], regressionLosses: []), ids: [1, 2, 2])
    }
  }
}
