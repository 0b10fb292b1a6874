import BRLFormat
import RankingLosses

/// The coordinates of a benchmark point: (loss, method, δ, P, N, grouping, images).
///
/// Two measurements of the same point in different runs are comparable; that is how
/// ``Comparison`` matches them. δ is compared exactly: it comes from the same defaults or the
/// same `--delta` text, and JSON round-trips a Double exactly.
public struct BenchPoint: Hashable, Sendable, Comparable, CustomStringConvertible {
  /// The loss's name (``LossKind`` raw value; kept as a name so that points recorded by a brl
  /// with more losses still read and compare).
  public var loss: String
  public var method: BenchMethod
  public var delta: Double
  public var positives: Int
  public var negatives: Int
  /// `batch` or `image` (``Grouping``): how the positives were ranked.
  public var group: String
  /// K when the synthetic examples were spread over K images (`--images`), else nil.
  public var images: Int?

  public init(
    loss: String, method: BenchMethod, delta: Double, positives: Int, negatives: Int,
    group: String = "batch", images: Int? = nil
  ) {
    self.loss = loss
    self.method = method
    self.delta = delta
    self.positives = positives
    self.negatives = negatives
    self.group = group
    self.images = images
  }

  /// A point of a loss this brl has.
  public init(
    loss: LossKind, method: BenchMethod, delta: Double, positives: Int, negatives: Int,
    group: Grouping = .batch, images: Int? = nil
  ) {
    self.init(
      loss: loss.rawValue, method: method, delta: delta, positives: positives,
      negatives: negatives, group: group.rawValue, images: images)
  }

  /// The loss, or nil for a name this brl does not know.
  public var kind: LossKind? { LossKind(rawValue: loss) }

  public var description: String {
    "\(loss) \(method) δ=\(Format.number(delta)) P=\(Format.count(positives)) "
      + "N=\(Format.count(negatives))" + (images.map { " K=\($0)" } ?? "")
      + (group == "batch" ? "" : " per \(group)")
  }

  /// Loss (rs, ap, alrp, then others), δ, P, N, method.
  public static func < (a: BenchPoint, b: BenchPoint) -> Bool {
    let la = LossKind.reportOrder(ofName: a.loss)
    let lb = LossKind.reportOrder(ofName: b.loss)
    if la != lb { return la < lb }
    if a.delta != b.delta { return a.delta < b.delta }
    if a.positives != b.positives { return a.positives < b.positives }
    if a.negatives != b.negatives { return a.negatives < b.negatives }
    if a.images != b.images { return (a.images ?? 0) < (b.images ?? 0) }
    if a.method != b.method { return a.method < b.method }
    return a.group < b.group
  }
}
