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
/// Every node of a ramp window lies inside the window, so every term is at most a few δ·c_v
/// (every difference is stored times the step's power of two s, below 2 per term on a ramp):
/// nothing cancels, whatever the size of the logits (1e30 beside O(1), ±1.7e308), unlike
/// prefix sums S_hi − S_lo. Nodes that span a huge range may hold overflowed o_v or u_v, but a
/// ramp window never contains such a node and the "H = 1" sums read only c_v and w_v.
///
/// **Blocks.** The leaves are blocks of 8 positions, not single positions: a range's ragged
/// ends (at most 7 positions each) are summed position by position from a flat array, in
/// which each term p_j − x is small too, and only whole blocks go through the tree. That makes
/// the tree 8× smaller (P = 30 000: about 300 kB instead of 2.6 MB, so it stays in the L2
/// cache while the sweeps visit it in IoU order, i.e. at random positions), which is what its
/// speed depends on: the work is a few dozen dependent loads a query.
///
/// **Cost.** Insert and query O(log P); memory O(P). Sums are added in a fixed order on one
/// thread, so the bits never depend on the thread count.
final class RampSumTree {
  /// The per-node sums of the type's documentation, with the node's origin m_v (nodes past the
  /// last block, which no range reaches, have 0).
  private struct Node {
    var origin = 0.0
    var count = 0.0
    var offset = 0.0
    var weight = 0.0
    var weightedOffset = 0.0
  }

  /// One position: its logit, and 1 and f_j once inserted (0 and 0 before).
  private struct Position {
    var logit: Double
    var present = 0.0
    var weight = 0.0
  }

  /// Sums collected over one or more ranges.
  struct Sums {
    /// Σ 1 and Σ f over the positions where H = 1.
    var onesCount = 0.0
    var onesWeight = 0.0
    /// Σ 1, Σ (p − x)·s, Σ f, Σ f·(p − x)·s over the ramp positions.
    var rampCount = 0.0
    var rampOffset = 0.0
    var rampWeight = 0.0
    var rampWeightedOffset = 0.0

    /// Σ H and Σ H·f for H = sign·(p − x)·s·slope + ½ on the ramp (sign +1: H(p − x), the
    /// positions are the *other* logit; sign −1: H(x − p), the positions are the *own* logit),
    /// with the ramp sums in the tree's scaled units (s, slope: ``SmoothStep``).
    @inline(__always)
    func values(sign: Double, slope: Double) -> (count: Double, weight: Double) {
      (
        onesCount + (sign * slope * rampOffset + rampCount / 2),
        onesWeight + (sign * slope * rampWeightedOffset + rampWeight / 2)
      )
    }
  }

  /// log₂ of the positions a leaf block holds.
  private static let blockShift = 3

  /// Leaf blocks: a power of two ≥ ⌈P/8⌉; node `leaves + b` is block b (positions 8b..<8b+8).
  /// Nodes and positions live in manually managed blocks (no bounds or uniqueness checks in the
  /// O(log P) loops, which are all of the work).
  private let leaves: Int
  /// Every logit difference is stored times the step's power of two s (``SmoothStep``,
  /// "Scaled differences": products of weights with subnormal differences would underflow),
  /// formed as (a·f − b·f)·g (``SmoothStep/differenceScaling``); logits and origins are kept
  /// times f.
  private let preScale: Double
  private let postScale: Double
  private let nodes: UnsafeMutableBufferPointer<Node>
  private let positions: UnsafeMutableBufferPointer<Position>

  /// An empty tree over `logits` (ascending), its differences scaled for `step`.
  init(logits: [Double], step: SmoothStep) {
    let (pre, post) = step.differenceScaling
    (preScale, postScale) = (pre, post)
    let logits = logits.map { $0 * pre }
    let blocks = (logits.count + (1 << Self.blockShift) - 1) >> Self.blockShift
    var leaves = 1
    while leaves < blocks { leaves *= 2 }
    self.leaves = leaves
    nodes = .allocate(capacity: 2 * leaves)
    nodes.initialize(repeating: Node())
    for b in 0..<blocks { nodes[leaves + b].origin = logits[b << Self.blockShift] }
    // A node's first position is its left child's.
    for v in stride(from: leaves - 1, through: 1, by: -1) { nodes[v].origin = nodes[2 * v].origin }
    positions = .allocate(capacity: logits.count)
    for (j, p) in logits.enumerated() {
      (positions.baseAddress! + j).initialize(to: Position(logit: p))
    }
  }

  deinit {
    nodes.deallocate()
    positions.deallocate()
  }

  /// Adds position `j` (not yet inserted) with weight `weight`.
  @inline(__always)
  func insert(_ j: Int, weight: Double) {
    let p = positions[j].logit
    positions[j].present = 1
    positions[j].weight = weight
    var v = leaves + (j >> Self.blockShift)
    while v >= 1 {
      let d = (p - nodes[v].origin) * postScale
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
    forEachPart(
      of: range,
      position: { j in
        sums.onesCount += positions[j].present
        sums.onesWeight += positions[j].weight
      },
      node: { v in
        sums.onesCount += nodes[v].count
        sums.onesWeight += nodes[v].weight
      })
  }

  /// Adds the inserted positions of `range`, taken relative to `center`, to the ramp sums of
  /// `sums`. Every logit of `range` must be within a few δ of `center`.
  @inline(__always)
  func addRamp(_ range: Range<Int>, center: Double, to sums: inout Sums) {
    let center = center * preScale
    forEachPart(
      of: range,
      position: { j in
        let position = positions[j]
        let d = (position.logit - center) * postScale
        sums.rampCount += position.present
        sums.rampOffset += position.present * d
        sums.rampWeight += position.weight
        sums.rampWeightedOffset += position.weight * d
      },
      node: { v in
        let node = nodes[v]
        let d = (node.origin - center) * postScale
        sums.rampCount += node.count
        sums.rampOffset += node.offset + node.count * d
        sums.rampWeight += node.weight
        sums.rampWeightedOffset += node.weightedOffset + node.weight * d
      })
  }

  /// Splits `range` into its ragged ends (single positions) and the whole nodes whose union is
  /// the blocks between, in a fixed order.
  @inline(__always)
  private func forEachPart(
    of range: Range<Int>, position: (Int) -> Void, node: (Int) -> Void
  ) {
    guard !range.isEmpty else { return }
    let firstBlock = (range.lowerBound + (1 << Self.blockShift) - 1) >> Self.blockShift
    let endBlock = range.upperBound >> Self.blockShift
    guard firstBlock < endBlock else {
      for j in range { position(j) }
      return
    }
    for j in range.lowerBound..<(firstBlock << Self.blockShift) { position(j) }
    var low = firstBlock + leaves
    var high = endBlock + leaves
    while low < high {
      if low & 1 == 1 {
        node(low)
        low += 1
      }
      if high & 1 == 1 {
        high -= 1
        node(high)
      }
      low >>= 1
      high >>= 1
    }
    for j in (endBlock << Self.blockShift)..<range.upperBound { position(j) }
  }
}
