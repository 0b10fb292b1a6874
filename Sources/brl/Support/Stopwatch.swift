import Foundation

/// Wall time of a closure, on the monotonic clock.
func measure<R>(_ body: () throws -> R) rethrows -> (result: R, seconds: Double) {
  let clock = ContinuousClock()
  let start = clock.now
  let result = try body()
  let elapsed = clock.now - start
  let (seconds, attoseconds) = elapsed.components
  return (result, Double(seconds) + Double(attoseconds) * 1e-18)
}
