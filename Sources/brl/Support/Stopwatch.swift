import RankingLosses

/// Wall time of a closure, on the monotonic clock.
func measure<R>(_ body: () throws -> R) rethrows -> (result: R, seconds: Double) {
  let clock = ContinuousClock()
  let start = clock.now
  let result = try body()
  return (result, (clock.now - start).inSeconds)
}
