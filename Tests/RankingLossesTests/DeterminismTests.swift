import BRLRandom
import RankingLosses
import Testing

/// The same output bits for any thread count: the passes split the input into chunks that depend
/// only on its size, and add per-chunk sums in chunk order.
@Suite struct DeterminismTests {
  /// 300k examples: several chunks of 2¹⁶, so two threads really split the work.
  static let problem: Problem = {
    var generator = SplitMix64(seed: 42)
    var logits: [Double] = []
    var targets: [Double] = []
    for _ in 0..<300_000 {
      let u = Double(generator.next() >> 11) / Double(1 << 53)
      let v = Double(generator.next() >> 11) / Double(1 << 53)
      if u < 0.0003 {
        logits.append(v * 6 - 2)
        targets.append(0.1 + 0.9 * u / 0.0003)
      } else {
        logits.append(((v * 10 - 7) * 4).rounded() / 4)  // ties on a 0.25 grid
        targets.append(u > 0.99 ? -1 : 0)
      }
    }
    let positives = targets.count { $0 > 0 }
    return Problem(
      logits: logits.map { Double(Float($0)) }, targets: targets,
      regressionLosses: (0..<positives).map { Double($0 % 7) / 7 })
  }()

  @Test(arguments: LossKind.allCases, RankingLosses.Method.allCases)
  func sameBitsForOneTwoAndThreeThreads(kind: LossKind, method: RankingLosses.Method) throws {
    let p = Self.problem
    let floats = p.logits.map(Float.init)
    let targets = p.targets(for: kind).map(Float.init)
    func run(_ threads: Int) throws -> LossResult {
      try LossInput.with(
        logits: floats, targets: targets, regressionLosses: kind == .alrp ? p.regressionLosses : nil
      ) { input in
        var input = input
        input.parallelism = Parallelism(threads: threads)
        return try kind.loss(delta: kind.defaultDelta).evaluate(input, method: method)
      }
    }
    let one = try run(1)
    #expect(one.statistics.positives > 50 && one.statistics.relevantNegatives > 1000)
    for threads in [2, 3] {
      let other = try run(threads)
      #expect(other.loss.bitPattern == one.loss.bitPattern)
      #expect(other.gradient.map(\.bitPattern) == one.gradient.map(\.bitPattern))
      #expect(other.statistics == one.statistics)
    }
  }

  /// 6000 positives (tied logits on a 0.125 grid, IoUs tied to 0.05) and 3000 negatives: past
  /// P = 4096, where bucketed and exact split the positive sweeps and window queries over two
  /// threads. The split must not change a bit, and exact must still equal naive.
  static let manyPositives: Problem = {
    var generator = SplitMix64(seed: 7)
    var logits: [Double] = []
    var targets: [Double] = []
    for index in 0..<9000 {
      let u = Double(generator.next() >> 11) / Double(1 << 53)
      let v = Double(generator.next() >> 11) / Double(1 << 53)
      logits.append(((v * 8 - 4) * 8).rounded() / 8)
      targets.append(index % 3 == 0 ? 0 : ((0.05 + 0.95 * u) * 20).rounded(.up) / 20)
    }
    let positives = targets.count { $0 > 0 }
    return Problem(
      logits: logits, targets: targets,
      regressionLosses: (0..<positives).map { Double($0 % 11) / 11 })
  }()

  @Test(arguments: LossKind.allCases, [0.0, 0.5])
  func manyPositivesSameBitsAndEqualToNaive(kind: LossKind, delta: Double) throws {
    let p = Self.manyPositives
    let targets = p.targets(for: kind)
    func run(_ method: RankingLosses.Method, threads: Int) throws -> LossResult {
      try LossInput.with(
        logits: p.logits, targets: targets,
        regressionLosses: kind == .alrp ? p.regressionLosses : nil
      ) { input in
        var input = input
        input.parallelism = Parallelism(threads: threads)
        return try kind.loss(delta: delta).evaluate(input, method: method)
      }
    }
    let naive = try run(.naive, threads: 2)
    #expect(naive.statistics.positives == 6000)
    for method in [RankingLosses.Method.bucketed, .exact] {
      let one = try run(method, threads: 1)
      let two = try run(method, threads: 2)
      #expect(two.loss.bitPattern == one.loss.bitPattern, "\(method)")
      #expect(two.gradient.map(\.bitPattern) == one.gradient.map(\.bitPattern), "\(method)")
      if method == .exact || delta == 0 && kind != .ap {
        let agreement = Agreement(two, reference: naive)
        #expect(agreement.holds(relative: 1e-9, absolute: 1e-15), "\(method): \(agreement)")
      }
    }
  }
}
