/// The sums of ``PositivePairs`` term by term, in O(P²): the definitions, used by the naive
/// method and as the reference the O(P log P) sums are tested against.
///
/// Each loop starts at the first positive with H(p_j − p_i) > 0 (``SmoothStep/firstNonZero``),
/// which skips only exact zeros, and adds the terms in ascending-logit order.
extension PositivePairs {
  /// Σ_{j≠i} H(p_j − p_i) and Σ_{j≠i} H(p_j − p_i)·f_j, term by term.
  func quadraticOthersSums(weights: [Double]?) -> (rank: [Double], weighted: [Double]) {
    let p = logits
    var rank = [Double](repeating: 0, count: count)
    var weighted = [Double](repeating: 0, count: count)
    var first = 0
    for i in 0..<count {
      first = step.firstNonZero(in: p, above: p[i], from: first)
      var r = 0.0
      var w = 0.0
      if let f = weights {
        for j in first..<count where j != i {
          let h = step(p[j] - p[i])
          r += h
          w += h * f[j]
        }
      } else {
        for j in first..<count where j != i { r += step(p[j] - p[i]) }
      }
      rank[i] = r
      weighted[i] = w
    }
    return (rank, weighted)
  }

  /// ``RankSortPairSums``, term by term.
  func quadraticRankSortSums() -> RankSortPairSums {
    let p = logits
    let t = targets
    var sums = RankSortPairSums(count: count)
    var first = 0
    for i in 0..<count {
      first = step.firstNonZero(in: p, above: p[i], from: first)
      var rankPositive = 0.0
      var currentError = 0.0
      var targetRank = 0.0
      var targetError = 0.0
      var missorted = 0.0
      for j in first..<count {
        let h = step(p[j] - p[i])
        // [t_j ≥ t_i] as 0 or 1 rather than a branch: IoUs are in random order, so a branch
        // would mispredict half the time; adding h·0 leaves a sum's bits unchanged.
        let peer: Double = t[j] >= t[i] ? 1 : 0
        rankPositive += h
        currentError += h * (1 - t[j])
        targetRank += h * peer
        targetError += h * peer * (1 - t[j])
        missorted += h * (1 - peer)
      }
      sums.rank[i] = rankPositive
      sums.currentError[i] = currentError
      sums.targetRank[i] = targetRank
      sums.targetError[i] = targetError
      sums.missorted[i] = missorted
    }
    return sums
  }

  /// D_j = Σ_i H(p_j − p_i)·[t_j < t_i]·share_i, term by term (by positive i, ascending).
  func quadraticSortingUpdate(shares: [Double]) -> [Double] {
    let p = logits
    let t = targets
    var update = [Double](repeating: 0, count: count)
    var first = 0
    for i in 0..<count {
      first = step.firstNonZero(in: p, above: p[i], from: first)
      guard shares[i] != 0 else { continue }
      for j in first..<count where t[j] < t[i] { update[j] += step(p[j] - p[i]) * shares[i] }
    }
    return update
  }
}
