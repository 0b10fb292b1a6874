import Foundation

/// Predicts how long one evaluation of a point will take from the points already measured, so
/// a sweep can skip what would blow its budget (naive at P = 1000, N = 10⁷ takes minutes).
///
/// For a point (loss, method, P, N) it picks the measured point of the same loss and method with
/// P′ ≤ P and N′ ≤ N closest to it (the same P if there is one), and scales its median: t′·(N/N′)ᵃ·(P/P′)ᵇ. The exponents
/// are fitted on the measurements (log time against log N at P′, against log P at N′) and
/// clamped to [1, 2.5] for N and [0, 2.5] for P: no method gets cheaper than linear in N at
/// scale, and small sizes, dominated by fixed costs, would otherwise suggest that. Without a
/// smaller measured point there is no prediction, and the point runs.
public struct TimePredictor: Sendable {
  private struct Key: Hashable {
    var loss: String
    var method: BenchMethod
    var delta: Double
  }
  private var measured: [Key: [(p: Int, n: Int, seconds: Double)]] = [:]

  public init() {}

  /// Learns from a measurement.
  public mutating func add(_ measurement: BenchMeasurement) {
    let point = measurement.point
    measured[Key(loss: point.loss, method: point.method, delta: point.delta), default: []]
      .append((point.positives, point.negatives, measurement.medianSeconds))
  }

  /// The predicted seconds of one evaluation of `point`, or `nil` if nothing smaller was measured.
  public func predictSeconds(_ point: BenchPoint) -> Double? {
    let all = measured[Key(loss: point.loss, method: point.method, delta: point.delta)] ?? []
    let smaller = all.filter { $0.p <= point.positives && $0.n <= point.negatives }
    // Prefer a base with the same P (scaling in N only is the better-known extrapolation: the
    // fast methods' cost in P is not a power law), then the largest P·N.
    func rank(_ m: (p: Int, n: Int, seconds: Double)) -> (Int, Double) {
      (m.p == point.positives ? 1 : 0, Double(m.p) * Double(max(m.n, 1)))
    }
    guard let base = smaller.max(by: { rank($0) < rank($1) }) else { return nil }
    let samePositives = all.filter { $0.p == base.p }.map { (x: Double($0.n), y: $0.seconds) }
    let sameNegatives = all.filter { $0.n == base.n }.map { (x: Double($0.p), y: $0.seconds) }
    let a = min(max(LeastSquares.exponent(samePositives) ?? 1, 1), 2.5)
    let b = min(max(LeastSquares.exponent(sameNegatives) ?? 1, 0), 2.5)
    let nRatio = Double(max(point.negatives, 1)) / Double(max(base.n, 1))
    let pRatio = Double(point.positives) / Double(base.p)
    return base.seconds * pow(nRatio, a) * pow(pRatio, b)
  }
}
