import Dispatch

/// The positive–positive sums of the losses, in O(P log P) time and O(P) memory instead of
/// the O(P²) of their definitions (``PositivePairs+Quadratic.swift`` keeps those, for the naive
/// method and as the reference).
///
/// For ascending positive logits p_0 ≤ … ≤ p_{P−1}, IoU targets t and H = H_δ
/// (``SmoothStep``) the losses need, for every positive i,
///
///     R_i  = Σ_j H(p_j − p_i),        Σ_j H(p_j − p_i)·f_j             (every loss)
///     Σ_j H(p_j − p_i)·[t_j ≥ t_i]·(1, 1 − t_j),   M_i = Σ_j H(p_j − p_i)·[t_j < t_i]   (RS)
///
/// and RS's sorting update of every positive j, D_j = Σ_i H(p_j − p_i)·[t_j < t_i]·share_i.
///
/// **Windows.** H(p_j − p_i) as a function of p_j is 0 below l_i, 1 from u_i on, and
/// (p_j − p_i)/2δ + ½ between, with l_i and u_i p_i ∓ δ rounded upwards
/// (``SmoothStep/rampStart(_:)``, ``SmoothStep/rampEnd(_:)``: the break points of
/// ``ExactNegatives``, so ties, huge logits and tiny δ follow the same rules). With the
/// positives ascending these are position ranges: H = 0 for j < lo_i, ramp for lo_i ≤ j < hi_i,
/// 1 for j ≥ hi_i, with lo_i = #{p_j < l_i} and hi_i = #{p_j < u_i}. At δ = 0, lo_i = hi_i =
/// #{p_j < p_i}: H = [p_j ≥ p_i], ties count 1, no ramp. Both bounds grow with i, so two
/// pointers find them all in O(P). Transposed, for a fixed j the positives i with H = 1 are
/// i < A_j = #{hi_i ≤ j} and those on the ramp A_j ≤ i < Z_j = #{lo_i ≤ j}: the same pairs,
/// classified the same way.
///
/// **One dimension (R_i, Σ H·f).** Sums over the window of position ranges: from double-double
/// prefix sums in O(1) each where their rounding is negligible (``prefixOthersSums(weights:)``),
/// else from a ``RampSumTree`` holding every positive, O(log P) each.
///
/// **Two dimensions (the RS [t_j ≥ t_i] terms).** A sweep in IoU order: visiting the
/// positives by descending t, a group of equal t at a time, the group is first inserted and
/// then queried, so the tree holds exactly the j with t_j ≥ t_i (t_j = t_i counts, as in the
/// definition). M_i sweeps by ascending t, querying a group before inserting it ([t_j < t_i],
/// and exactly 0 where no such j weighs, as the ε test needs); R_i and Σ_j H·(1 − t_j) are then
/// the sums of the two halves, both non-negative, so nothing cancels. D_j sweeps by descending t with
/// share_i as the weight, querying a group before inserting it (only t_i > t_j).
///
/// **Accuracy.** The tree keeps every node's sums relative to the node's own lowest logit, so
/// a ramp sum never subtracts two large prefix sums (see ``RampSumTree``); the property tests
/// with logits of ±1e30 and ±1.7e308 hold at the naive tolerance. A sum over j ≠ i leaves
/// position i out of the ranges rather than subtracting H(0)·f_i afterwards.
///
/// **Determinism.** Every sum is a fixed sequential computation. With two threads, RS's two
/// IoU sweeps run side by side, the read-only window queries of ``othersSums(weights:)`` are
/// split in halves, and ``sortingUpdate(shares:)`` is cut at a group boundary (the second
/// thread replays the first part's inserts); only which thread computes a value changes, so
/// the bits never depend on the thread count.
struct PositivePairs {
  /// Positive logits, ascending.
  let logits: [Double]
  /// RS only: the IoU targets in the same order, and the positions grouped by equal target
  /// (``groupsByTarget(_:)``): group g is the positives `visits[groups[g]]`. Empty for AP and
  /// aLRP.
  let targets: [Double]
  let groups: [Range<Int>]
  let step: SmoothStep
  /// Per positive i: H(p_j − p_i) is on its ramp for rampStart[i] ≤ j < rampEnd[i] and 1 for
  /// j ≥ rampEnd[i].
  let rampStart: [Int]
  let rampEnd: [Int]
  /// Threads for independent sweeps; each sweep is the same fixed sequential computation
  /// whichever thread runs it, so the bits never depend on this.
  let parallelism: Parallelism
  /// RS only: what the IoU sweeps read of each positive, in the order they visit them
  /// (ascending target, ``groupsByTarget(_:)``).
  ///
  /// The sweeps visit the positives in IoU order, which is a random order of their logits. Read
  /// through `order`, each visit's logit, window and weight were three or four cache misses at
  /// P = 30 000, waited for one visit at a time (a visit is too long for the processor to start
  /// the next one's loads early). Gathered once, in a loop that only gathers, they are one
  /// sequential stream, and the outputs are written in visit order and put in place at the end.
  let visits: [Visit]

  struct Visit {
    /// The positive's position (ascending logit).
    var position: Int
    var logit: Double
    /// Its window (``rampStart``, ``rampEnd``).
    var start: Int
    var end: Int
    /// 1 − t, its weight in the sorting sums.
    var weight: Double
  }

  init(
    logits: [Double], targets: [Double] = [], step: SmoothStep,
    parallelism: Parallelism = .serial
  ) {
    self.logits = logits
    self.parallelism = parallelism
    self.targets = targets
    let order: [Int]
    (order, groups) = Self.groupsByTarget(targets)
    self.step = step
    let count = logits.count
    var rampStart = [Int](repeating: 0, count: count)
    var rampEnd = [Int](repeating: 0, count: count)
    var lo = 0
    var hi = 0
    for i in 0..<count {
      let lower = step.rampStart(logits[i])
      let upper = step.rampEnd(logits[i])
      while lo < count && logits[lo] < lower { lo += 1 }
      while hi < count && logits[hi] < upper { hi += 1 }
      rampStart[i] = lo
      rampEnd[i] = hi
    }
    self.rampStart = rampStart
    self.rampEnd = rampEnd
    visits = order.map {
      Visit(
        position: $0, logit: logits[$0], start: rampStart[$0], end: rampEnd[$0],
        weight: 1 - targets[$0])
    }
  }

  var count: Int { logits.count }

  /// Σ_{j≠i} H(p_j − p_i) and Σ_{j≠i} H(p_j − p_i)·f_j for every i (AP, aLRP).
  /// `weights` nil: f = 0.
  ///
  /// These are one-dimensional (every positive counts), so prefix sums answer them in O(P)
  /// (``prefixOthersSums(weights:)``) wherever their rounding is negligible, which is every
  /// ordinary input; otherwise (logits of wildly different sizes, a subnormal δ) the tree does,
  /// in O(P log P) with nothing cancelling (``treeOthersSums(weights:)``).
  func othersSums(weights: [Double]?) -> (rank: [Double], weighted: [Double]) {
    prefixOthersSums(weights: weights) ?? treeOthersSums(weights: weights)
  }

  /// ``othersSums(weights:)`` from a ``RampSumTree`` holding every positive: O(log P) a
  /// positive, accurate whatever the logits.
  func treeOthersSums(weights: [Double]?) -> (rank: [Double], weighted: [Double]) {
    let tree = RampSumTree(logits: logits, step: step)
    for j in 0..<count { tree.insert(j, weight: weights?[j] ?? 0) }
    var rank = [Double](repeating: 0, count: count)
    var weighted = [Double](repeating: 0, count: count)
    // The filled tree is only read: the queries are independent, each positive's sums the
    // same whichever thread computes them.
    rank.withUnsafeMutableBufferPointer { rank in
      weighted.withUnsafeMutableBufferPointer { weighted in
        let out = UncheckedSendable((rank, weighted))
        parallelism.halves(count) { range in
          for i in range {
            (out.value.0[i], out.value.1[i]) = othersWindowSums(of: i, in: tree)
          }
        }
      }
    }
    return (rank, weighted)
  }

  /// The RS sums of every positive (see ``RankSortPairSums``).
  func rankSortSums() -> RankSortPairSums {
    var sums = RankSortPairSums(count: count)
    // In visit order k (``visits``): the ≥ half (targetRank, targetError) and the < half
    // (missorted, belowError).
    var above = [(count: Double, weight: Double)](repeating: (0, 0), count: count)
    var below = above
    // The two sweeps are independent (each its own tree and outputs), so they may run on two
    // threads; each is the same sequential computation wherever it runs.
    visits.withUnsafeBufferPointer { visits in
      above.withUnsafeMutableBufferPointer { above in
        below.withUnsafeMutableBufferPointer { below in
          let out = UncheckedSendable((above, below))
          parallelism.both(
            {
              // Descending t, insert a group then query it: the tree holds t_j ≥ t_i.
              let peers = RampSumTree(logits: logits, step: step)
              for group in groups.reversed() {
                for k in group { peers.insert(visits[k].position, weight: visits[k].weight) }
                for k in group { out.value.0[k] = windowSums(of: visits[k], in: peers) }
              }
            },
            {
              // Ascending t, query a group then insert it: the tree holds t_j < t_i.
              let lower = RampSumTree(logits: logits, step: step)
              for group in groups {
                for k in group { out.value.1[k] = windowSums(of: visits[k], in: lower) }
                for k in group { lower.insert(visits[k].position, weight: visits[k].weight) }
              }
            })
        }
      }
    }
    // R_i and the current error are the ≥ and < halves added: two sums of non-negative
    // terms, so nothing cancels (and no third pass over the positives is needed).
    for (k, visit) in visits.enumerated() {
      let i = visit.position
      (sums.targetRank[i], sums.targetError[i]) = above[k]
      (sums.missorted[i], sums.rank[i]) = (below[k].count, above[k].count + below[k].count)
      sums.currentError[i] = above[k].weight + below[k].weight
    }
    return sums
  }

  /// D_j = Σ_i H(p_j − p_i)·[t_j < t_i]·share_i for every j: RS's sorting update to the
  /// positives ranked above a positive with a higher IoU.
  func sortingUpdate(shares: [Double]) -> [Double] {
    var update = [Double](repeating: 0, count: count)
    let higher = RampSumTree(logits: logits, step: step)
    // The transposed windows: i < A_j has H = 1, A_j ≤ i < Z_j is on the ramp.
    var ones = [Int](repeating: 0, count: count)
    var ramp = [Int](repeating: 0, count: count)
    var a = 0
    var z = 0
    for j in 0..<count {
      while a < count && rampEnd[a] <= j { a += 1 }
      while z < count && rampStart[z] <= j { z += 1 }
      ones[j] = a
      ramp[j] = z
    }
    // What the sweep reads, gathered in visit order (as in ``visits``); D in visit order.
    let transposed = visits.map {
      (
        position: $0.position, logit: $0.logit, ones: ones[$0.position],
        ramp: ramp[$0.position], share: shares[$0.position]
      )
    }
    var visitUpdate = [Double](repeating: 0, count: count)
    // Descending t, query a group then insert it: the tree holds t_i > t_j. On two threads
    // the sweep is cut at a group boundary: the first thread sweeps the groups before the cut;
    // the second replays their inserts into its own tree (the same insert calls in the same
    // order, so the same node sums to the bit) and sweeps the rest. Every D_j is thus the
    // same computation as on one thread.
    let descending = Array(groups.reversed())
    var cut = 0
    if parallelism.threads > 1 && count >= 4096 {
      // The second thread also pays the replayed inserts: give the first a bit more.
      var seen = 0
      while cut < descending.count && seen < count * 3 / 5 {
        seen += descending[cut].count
        cut += 1
      }
    }
    visitUpdate.withUnsafeMutableBufferPointer { update in
      let out = UncheckedSendable(update)
      let sweep = { (tree: RampSumTree, range: Range<Int>) in
        for group in descending[range] {
          for k in group {
            let visit = transposed[k]
            var sums = RampSumTree.Sums()
            tree.addOnes(0..<visit.ones, to: &sums)
            tree.addRamp(visit.ones..<visit.ramp, center: visit.logit, to: &sums)
            out.value[k] = sums.values(sign: -1, slope: step.slope).weight
          }
          for k in group where transposed[k].share != 0 {
            tree.insert(transposed[k].position, weight: transposed[k].share)
          }
        }
      }
      if cut == 0 {
        sweep(higher, 0..<descending.count)
      } else {
        parallelism.both(
          { sweep(higher, 0..<cut) },
          {
            let rest = RampSumTree(logits: logits, step: step)
            for group in descending[0..<cut] {
              for k in group where transposed[k].share != 0 {
                rest.insert(transposed[k].position, weight: transposed[k].share)
              }
            }
            sweep(rest, cut..<descending.count)
          })
      }
    }
    for (k, visit) in visits.enumerated() { update[visit.position] = visitUpdate[k] }
    return update
  }

  /// Σ_{j≠i} H(p_j − p_i) and Σ_{j≠i} H(p_j − p_i)·f_j over the positives j inserted in `tree`.
  private func othersWindowSums(of i: Int, in tree: RampSumTree) -> (count: Double, weight: Double)
  {
    var sums = RampSumTree.Sums()
    let start = rampStart[i]
    let end = rampEnd[i]
    let center = logits[i]
    if i < end {
      // i is on its own ramp (δ > 0) or at the start of its "H = 1" range (δ = 0).
      tree.addRamp(start..<i, center: center, to: &sums)
      tree.addRamp((i + 1)..<max(i + 1, end), center: center, to: &sums)
      tree.addOnes(max(i + 1, end)..<count, to: &sums)
    } else {
      tree.addRamp(start..<end, center: center, to: &sums)
      tree.addOnes(end..<i, to: &sums)
      tree.addOnes((i + 1)..<count, to: &sums)
    }
    return sums.values(sign: 1, slope: step.slope)
  }

  /// Σ_j H(p_j − p_i) and Σ_j H(p_j − p_i)·f_j over the positives j inserted in `tree`, for
  /// the positive i of `visit` (itself included if inserted).
  @inline(__always)
  private func windowSums(of visit: Visit, in tree: RampSumTree) -> (count: Double, weight: Double)
  {
    var sums = RampSumTree.Sums()
    tree.addRamp(visit.start..<visit.end, center: visit.logit, to: &sums)
    tree.addOnes(visit.end..<count, to: &sums)
    return sums.values(sign: 1, slope: step.slope)
  }

  /// Positions grouped by equal target, groups by ascending target, positions ascending within
  /// a group: the positions sorted, and each group's range in them (plain ranges, not array
  /// slices: at P = 30 000 nearly every target is its own group, and a slice each is a
  /// reference count to keep per group in every sweep).
  static func groupsByTarget(_ t: [Double]) -> (order: [Int], groups: [Range<Int>]) {
    // A stable radix sort of the IEEE bits, which order like the values for t > 0 (and +0);
    // equal targets keep their positions ascending.
    precondition(t.allSatisfy { $0 >= 0 }, "IoU targets are positive")
    var keys = t.map { ($0 + 0).bitPattern }
    var order = Array(t.indices)
    RadixSort.sort(keys: &keys, values: &order, keyBytes: 8)
    var groups: [Range<Int>] = []
    var start = 0
    while start < order.count {
      var end = start + 1
      while end < order.count && t[order[end]] == t[order[start]] { end += 1 }
      groups.append(start..<end)
      start = end
    }
    return (order, groups)
  }
}

/// The positive–positive sums of RS for every positive i, ascending-logit order.
struct RankSortPairSums: Equatable {
  /// R_i = Σ_j H(p_j − p_i), the rank among positives (i itself included).
  var rank: [Double]
  /// Σ_j H(p_j − p_i)·(1 − t_j).
  var currentError: [Double]
  /// Σ_j H(p_j − p_i)·[t_j ≥ t_i].
  var targetRank: [Double]
  /// Σ_j H(p_j − p_i)·[t_j ≥ t_i]·(1 − t_j).
  var targetError: [Double]
  /// M_i = Σ_j H(p_j − p_i)·[t_j < t_i], the "missorted" mass.
  var missorted: [Double]

  init(count: Int) {
    rank = [Double](repeating: 0, count: count)
    currentError = rank
    targetRank = rank
    targetError = rank
    missorted = rank
  }
}
