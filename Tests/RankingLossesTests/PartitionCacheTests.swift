import Testing

@testable import RankingLosses

/// ``PartitionCache``: a partition taken from it is the one a scan gives, at every δ, and an
/// input it was not made for is scanned.
@Suite struct PartitionCacheTests {
  static func expectSame(_ a: Partition, _ b: Partition, _ note: String) {
    #expect(a.positives.logits == b.positives.logits, "\(note): positive logits")
    #expect(a.positives.targets == b.positives.targets, "\(note): positive targets")
    #expect(a.positives.inputIndex == b.positives.inputIndex, "\(note): input positions")
    #expect(a.positives.ordinal == b.positives.ordinal, "\(note): ordinals")
    #expect(
      [a.count, a.negatives, a.ignored] == [b.count, b.negatives, b.ignored], "\(note): counts")
    #expect(a.threshold.bitPattern == b.threshold.bitPattern, "\(note): threshold")
    #expect(a.chunking.chunkSize == b.chunking.chunkSize, "\(note): chunking")
  }

  @Test func aCachedPartitionIsTheScannedOneAtEveryDelta() throws {
    let logits: [Float] = [0.5, -3, 2, -0.25, 1, -7, 0.5, 3]
    let targets: [Float] = [0.9, 0, 0.6, 0, -1, 0, 0.8, 0]
    let cache = PartitionCache()
    try logits.withUnsafeBufferPointer { l in
      try targets.withUnsafeBufferPointer { t in
        for delta in [0, 0.5, 1, 4] as [Double] {
          let scanned = try Partition(logits: l, targets: t, delta: delta, parallelism: .serial)
          let cached = try Partition(
            logits: l, targets: t, delta: delta, parallelism: .serial, cache: cache)
          Self.expectSame(cached, scanned, "δ \(delta)")
        }
        #expect(cache.partition(for: .init(logits: l, targets: t, parallelism: .serial)) != nil)
      }
    }
  }

  /// Another input (here the first half of the same arrays, as an image's examples would be)
  /// is scanned, not given the cached partition, and does not replace it.
  @Test func anotherInputIsScanned() throws {
    let logits: [Double] = [0.5, -3, 2, -0.25, 1, -7, 0.5, 3]
    let targets: [Double] = [0.9, 0, 0, 0, 0.4, 0, 0.8, 0]
    let cache = PartitionCache()
    try logits.withUnsafeBufferPointer { l in
      try targets.withUnsafeBufferPointer { t in
        let whole = try Partition(
          logits: l, targets: t, delta: 0.5, parallelism: .serial, cache: cache)
        let half = (UnsafeBufferPointer(rebasing: l[..<4]), UnsafeBufferPointer(rebasing: t[..<4]))
        let scanned = try Partition(
          logits: half.0, targets: half.1, delta: 0.5, parallelism: .serial)
        let fromCache = try Partition(
          logits: half.0, targets: half.1, delta: 0.5, parallelism: .serial, cache: cache)
        #expect(whole.positives.count == 3 && scanned.positives.count == 1)
        Self.expectSame(fromCache, scanned, "the first half")
        let again = try Partition(
          logits: l, targets: t, delta: 0.5, parallelism: .serial, cache: cache)
        Self.expectSame(again, whole, "the whole input after the half")
        let twoThreads = try Partition(
          logits: l, targets: t, delta: 0.5, parallelism: Parallelism(threads: 2), cache: cache)
        #expect(twoThreads.parallelism == Parallelism(threads: 2))
      }
    }
  }

  /// A hit is used, not rescanned: a kept partition with a marked count comes back, with the
  /// threshold of the δ asked for.
  @Test func aHitIsNotRescanned() throws {
    let logits: [Double] = [0.5, -3, 2, -0.25]
    let targets: [Double] = [0.9, 0, 0.7, 0]
    let cache = PartitionCache()
    try logits.withUnsafeBufferPointer { l in
      try targets.withUnsafeBufferPointer { t in
        var marked = try Partition(logits: l, targets: t, delta: 0, parallelism: .serial)
        marked.ignored = 99
        cache.keep(marked, for: .init(logits: l, targets: t, parallelism: .serial))
        let back = try Partition(
          logits: l, targets: t, delta: 1, parallelism: .serial, cache: cache)
        #expect(back.ignored == 99)
        #expect(back.threshold == SmoothStep(delta: 1).rampStart(0.5))
      }
    }
  }
}
