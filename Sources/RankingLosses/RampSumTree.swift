/// A segment tree over the positions 0..<P of the ascending positives that answers, for any
/// range of positions and a centre x, the sums a window of H_δ needs:
///
///     Σ_j 1,  Σ_j f_j                       (positions where H = 1)
///     Σ_j (p_j − x),  Σ_j f_j·(p_j − x)     (positions on the ramp, where H is linear in p_j)
///
/// over the positions *inserted so far*, each with its own weight f_j. ``PositivePairs``
/// sweeps the positives in IoU order, inserting as it goes, so the inserted set is the
/// "[t_j ≥ t_i]" or "[t_j < t_i]" half of a two-dimensional (logit, IoU) query.
///
/// **Accuracy.** Node v covers the positions start_v..<end_v and stores its sums relative to
/// its own origin m_v = p_{start_v} (the lowest logit it covers): c_v = Σ 1,
/// o_v = Σ (p_j − m_v), w_v = Σ f_j, u_v = Σ f_j·(p_j − m_v). A range is the disjoint union of
/// O(log P) whole nodes (the bottom-up decomposition), and a ramp sum is assembled as
///
///     Σ (p_j − x) = Σ_v (o_v + c_v·(m_v − x)),   Σ f_j (p_j − x) = Σ_v (u_v + w_v·(m_v − x)).
///
/// Every node of a ramp window lies inside the window, so every term is at most a few δ·c_v:
/// nothing cancels, whatever the size of the logits (1e30 beside O(1), ±1.7e308), unlike
/// prefix sums S_hi − S_lo. Nodes that span a huge range may hold overflowed o_v or u_v, but a
/// ramp window never contains such a node and the "H = 1" sums read only c_v and w_v.
///
/// **Cost.** Insert and query O(log P); memory 2·2^⌈log₂ P⌉ nodes. Sums are added in a fixed
/// order on one thread, so the bits never depend on the thread count.
final class RampSumTree {
  /// The per-node sums of the type's documentation, with the node's origin m_v (a leaf's origin
  /// is its own logit; nodes past the last position, which no range reaches, have 0).
  private struct Node {
    var origin = 0.0
    var count = 0.0
    var offset = 0.0
    var weight = 0.0
    var weightedOffset = 0.0
  }

  /// Sums collected over one or more ranges.
  struct Sums {
    /// Σ 1 and Σ f over the positions where H = 1.
    var onesCount = 0.0
    var onesWeight = 0.0
    /// Σ 1, Σ (p − x), Σ f, Σ f·(p − x) over the ramp positions.
    var rampCount = 0.0
    var rampOffset = 0.0
    var rampWeight = 0.0
    var rampWeightedOffset = 0.0

    /// Σ H and Σ H·f for H = sign·(p − x)·slope + ½ on the ramp (sign +1: H(p − x), the
    /// positions are the *other* logit; sign −1: H(x − p), the positions are the *own* logit).
    @inline(__always)
    func values(sign: Double, slope: Double) -> (count: Double, weight: Double) {
      (
        onesCount + (sign * slope * rampOffset + rampCount / 2),
        onesWeight + (sign * slope * rampWeightedOffset + rampWeight / 2)
      )
    }
  }

  /// Leaves: a power of two ≥ P; node v covers the leaves below it, leaf `leaves + j` is
  /// position j. The nodes live in one manually managed block (no bounds or uniqueness checks
  /// in the O(log P) loops, which are all of the work).
  private let leaves: Int
  private let nodes: UnsafeMutableBufferPointer<Node>

  /// An empty tree over `logits` (ascending).
  init(logits: [Double]) {
    var leaves = 1
    while leaves < logits.count { leaves *= 2 }
    self.leaves = leaves
    nodes = .allocate(capacity: 2 * leaves)
    nodes.initialize(repeating: Node())
    for (j, p) in logits.enumerated() { nodes[leaves + j].origin = p }
    // A node's first position is its left child's.
    for v in stride(from: leaves - 1, through: 1, by: -1) { nodes[v].origin = nodes[2 * v].origin }
  }

  deinit { nodes.deallocate() }

  /// Adds position `j` with weight `weight` to every node above it.
  @inline(__always)
  func insert(_ j: Int, weight: Double) {
    var v = leaves + j
    let p = nodes[v].origin
    while v >= 1 {
      let d = p - nodes[v].origin
      nodes[v].count += 1
      nodes[v].offset += d
      nodes[v].weight += weight
      nodes[v].weightedOffset += weight * d
      v >>= 1
    }
  }

  /// Adds the inserted positions of `range` to the "H = 1" sums of `sums`.
  @inline(__always)
  func addOnes(_ range: Range<Int>, to sums: inout Sums) {
    forEachNode(in: range) { v in
      sums.onesCount += nodes[v].count
      sums.onesWeight += nodes[v].weight
    }
  }

  /// Adds the inserted positions of `range`, taken relative to `center`, to the ramp sums of
  /// `sums`. Every logit of `range` must be within a few δ of `center`.
  @inline(__always)
  func addRamp(_ range: Range<Int>, center: Double, to sums: inout Sums) {
    forEachNode(in: range) { v in
      let node = nodes[v]
      let d = node.origin - center
      sums.rampCount += node.count
      sums.rampOffset += node.offset + node.count * d
      sums.rampWeight += node.weight
      sums.rampWeightedOffset += node.weightedOffset + node.weight * d
    }
  }

  /// The whole nodes whose union is `range`, in a fixed order.
  @inline(__always)
  private func forEachNode(in range: Range<Int>, _ body: (Int) -> Void) {
    var low = range.lowerBound + leaves
    var high = range.upperBound + leaves
    while low < high {
      if low & 1 == 1 {
        body(low)
        low += 1
      }
      if high & 1 == 1 {
        high -= 1
        body(high)
      }
      low >>= 1
      high >>= 1
    }
  }
}
