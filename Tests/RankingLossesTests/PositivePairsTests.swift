import BRLRandom
import Testing

@testable import RankingLosses

/// The O(P log P) positive–positive sums (``PositivePairs``) against their O(P²) definitions
/// (``PositivePairs+Quadratic``), directly, on random positives with tied logits, tied IoUs,
/// huge and tiny logits, at every δ.
@Suite struct PositivePairsTests {
  static let deltas = [0, 0.1, 0.5, 1, 2]

  /// What a random set of positives looks like.
  enum Shape: String, CaseIterable, CustomTestStringConvertible {
    /// Logits on a 0.25 grid in [−3, 3] (many ties, many at exactly p ± δ), IoUs on a 0.1 grid.
    case coarseGrid
    /// Continuous logits in [−4, 4] and continuous IoUs.
    case continuous
    /// Coarse-grid logits mixed with ±1e30, ±1.7e308, subnormals and signed zeros.
    case extremes
    /// Logits around 1e4 that differ by a few δ (large and alike: prefix sums would cancel).
    case largeAndAlike

    var testDescription: String { rawValue }
  }

  /// A random problem: ascending logits, targets in (0, 1], regression losses, shares.
  static func positives(_ shape: Shape, count: Int, seed: UInt64)
    -> (logits: [Double], targets: [Double], weights: [Double], shares: [Double])
  {
    var g = SplitMix64(seed: seed)
    func unit() -> Double { Double(g.next() >> 11) / Double(1 << 53) }
    var logits: [Double] = []
    var targets: [Double] = []
    for _ in 0..<count {
      let u = unit()
      switch shape {
      case .coarseGrid: logits.append(((u * 6 - 3) * 4).rounded() / 4)
      case .continuous: logits.append(u * 8 - 4)
      case .extremes:
        let k = Int(g.next() % 16)
        logits.append(
          k < Problem.extremeLogits.count
            ? Problem.extremeLogits[k] : ((u * 4 - 2) * 2).rounded() / 2)
      case .largeAndAlike: logits.append(1e4 + ((u * 6 - 3) * 8).rounded() / 8)
      }
      let v = unit()
      targets.append(shape == .continuous ? 0.01 + 0.99 * v : max(0.1, (v * 10).rounded(.up) / 10))
    }
    let order = logits.indices.sorted {
      logits[$0] < logits[$1] || (logits[$0] == logits[$1] && $0 < $1)
    }
    let weights = (0..<count).map { _ in unit() * 2 }
    let shares = (0..<count).map { _ in unit() < 0.3 ? 0 : unit() - 0.2 }
    return (order.map { logits[$0] }, order.map { targets[$0] }, weights, shares)
  }

  /// The largest |a − b|/(1 + |b|), b the reference (∞ for different lengths, NaN kept).
  static func worst(_ a: [Double], _ b: [Double]) -> Double {
    guard a.count == b.count else { return .infinity }
    return zip(a, b).map { abs($0 - $1) / (1 + abs($1)) }.reduce(0) {
      $1.isNaN || $1 > $0 ? $1 : $0
    }
  }

  @Test(arguments: Shape.allCases, deltas)
  func fastSumsEqualQuadraticSums(shape: Shape, delta: Double) {
    for (trial, count) in [1, 2, 3, 7, 40, 300, 2000].enumerated() {
      let seed = UInt64(
        trial * 1000 + Int(delta * 10) + 100 * Shape.allCases.firstIndex(of: shape)!)
      let (p, t, f, shares) = Self.positives(shape, count: count, seed: seed)
      let pairs = PositivePairs(logits: p, targets: t, step: SmoothStep(delta: delta))

      let fast = pairs.othersSums(weights: f)
      let slow = pairs.quadraticOthersSums(weights: f)
      let rankWorst = Self.worst(fast.rank, slow.rank)
      let weightedWorst = Self.worst(fast.weighted, slow.weighted)
      #expect(rankWorst <= 1e-10, "P \(count) rank")
      #expect(weightedWorst <= 1e-10, "P \(count) weighted")

      let rs = pairs.rankSortSums()
      let rsSlow = pairs.quadraticRankSortSums()
      for (name, a, b) in [
        ("rank", rs.rank, rsSlow.rank), ("currentError", rs.currentError, rsSlow.currentError),
        ("targetRank", rs.targetRank, rsSlow.targetRank),
        ("targetError", rs.targetError, rsSlow.targetError),
        ("missorted", rs.missorted, rsSlow.missorted),
      ] {
        let worst = Self.worst(a, b)
        #expect(worst <= 1e-10, "P \(count) \(name)")
      }

      let update = pairs.sortingUpdate(shares: shares)
      let updateSlow = pairs.quadraticSortingUpdate(shares: shares)
      let updateWorst = Self.worst(update, updateSlow)
      #expect(updateWorst <= 1e-10, "P \(count) update")
    }
  }

  /// AP's and aLRP's sums come from prefix sums wherever their rounding is negligible: on
  /// every ordinary shape that is the path taken (not the tree), and it agrees with the tree to
  /// the bits' last few; among ±1e30 and ±1.7e308 it declines (and the tree answers, checked
  /// against the definition by ``fastSumsEqualQuadraticSums(shape:delta:)``).
  @Test(arguments: Shape.allCases, deltas)
  func prefixSumsEqualTreeSums(shape: Shape, delta: Double) {
    var declined = 0
    for (trial, count) in [1, 2, 3, 7, 40, 300, 2000, 5000].enumerated() {
      let seed = UInt64(trial * 7919 + Int(delta * 10))
      let (p, t, f, _) = Self.positives(shape, count: count, seed: seed)
      let pairs = PositivePairs(
        logits: p, targets: t, step: SmoothStep(delta: delta),
        parallelism: Parallelism(threads: 2))
      for weights in [f, nil] {
        guard let prefix = pairs.prefixOthersSums(weights: weights) else {
          declined += 1
          #expect(shape == .extremes, "P \(count): prefix sums declined an ordinary input")
          continue
        }
        let tree = pairs.treeOthersSums(weights: weights)
        #expect(Self.worst(prefix.rank, tree.rank) <= 1e-12, "P \(count) rank")
        #expect(Self.worst(prefix.weighted, tree.weighted) <= 1e-12, "P \(count) weighted")
        // One thread gives the same bits.
        let serial = PositivePairs(logits: p, targets: t, step: SmoothStep(delta: delta))
          .prefixOthersSums(weights: weights)
        #expect(serial?.rank == prefix.rank && serial?.weighted == prefix.weighted)
      }
    }
    if shape == .extremes && delta > 0 { #expect(declined > 0, "the tree was never needed") }
  }

  /// The windows classify every pair as the definition does: H = 0 below the ramp, 1 above it.
  @Test(arguments: deltas)
  func windowsMatchTheStep(delta: Double) {
    let (p, _, _, _) = Self.positives(.coarseGrid, count: 200, seed: 7)
    let step = SmoothStep(delta: delta)
    let pairs = PositivePairs(logits: p, step: step)
    for i in p.indices {
      for j in 0..<pairs.rampStart[i] { #expect(step(p[j] - p[i]) == 0) }
      for j in pairs.rampEnd[i]..<p.count { #expect(step(p[j] - p[i]) == 1) }
    }
  }

  @Test func groupsByTarget() {
    let (order, groups) = PositivePairs.groupsByTarget([0.5, 0.2, 0.5, 0.9, 0.2])
    #expect(groups.map { Array(order[$0]) } == [[1, 4], [0, 2], [3]])
    #expect(groups == [0..<2, 2..<4, 4..<5])
    let empty = PositivePairs.groupsByTarget([])
    #expect(empty.order.isEmpty && empty.groups.isEmpty)
  }
}
