import Foundation

/// Straight-line fits, used to read complexity exponents off timings.
///
/// If time ≈ c·Nᵏ, then log t = log c + k·log N, so the least-squares slope of log t against
/// log N estimates k: about 1 for a linear method, 2 for a quadratic one. Small sizes are
/// dominated by fixed costs and pull the slope down; read it over several decades.
public enum LeastSquares {
  /// The least-squares slope of y against x, or `nil` with fewer than two distinct x.
  public static func slope(x: [Double], y: [Double]) -> Double? {
    precondition(x.count == y.count, "x and y must have the same length")
    let n = Double(x.count)
    guard x.count >= 2 else { return nil }
    let meanX = x.reduce(0, +) / n
    let meanY = y.reduce(0, +) / n
    var sxx = 0.0
    var sxy = 0.0
    for (xi, yi) in zip(x, y) {
      sxx += (xi - meanX) * (xi - meanX)
      sxy += (xi - meanX) * (yi - meanY)
    }
    guard sxx > 1e-12 * Swift.max(1, meanX * meanX) else { return nil }
    return sxy / sxx
  }

  /// The complexity exponent: the slope of log y against log x over the points with x, y > 0,
  /// or `nil` with fewer than two distinct x.
  public static func exponent(_ points: [(x: Double, y: Double)]) -> Double? {
    let valid = points.filter { $0.x > 0 && $0.y > 0 }
    return slope(x: valid.map { log($0.x) }, y: valid.map { log($0.y) })
  }
}
