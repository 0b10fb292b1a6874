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

/// "12.3 ms", "1.25 s": a duration for people.
func formatSeconds(_ seconds: Double) -> String {
  switch seconds {
  case ..<1e-3: String(format: "%.1f µs", seconds * 1e6)
  case ..<1: String(format: "%.2f ms", seconds * 1e3)
  default: String(format: "%.3f s", seconds)
  }
}
