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
}
