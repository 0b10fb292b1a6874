import Testing

@testable import RankingLosses

/// ``Partition/relevance(logit:target:threshold:)``, the one relevance rule every pass over the
/// input uses, at its edges: ≥ (a negative exactly at the threshold is relevant, as in the
/// official code), a target of exactly 0 (−0 included) and nothing else, NaN never.
@Suite struct PartitionRelevanceTests {
  @Test(arguments: [
    (0.5, 0.0, 0.5, 1),  // at the threshold
    (0.5.nextDown, 0.0, 0.5, 0),  // just below it
    (3.0, -0.0, 0.5, 1),  // −0 is a negative's target
    (3.0, -1.0, 0.5, 0),  // ignored
    (3.0, 0.25, 0.5, 0),  // a positive
    (3.0, 1e-30, 0.5, 0),  // a positive, however small its target
    (Double.nan, 0.0, 0.5, 0),  // no comparison admits NaN
    (Double.infinity, 0.0, 0.5, 1),
    (-Double.infinity, 0.0, -Double.infinity, 1),  // threshold −∞: every negative
    (Double.greatestFiniteMagnitude, 0.0, Double.infinity, 0),  // +∞: none (no positives)
  ])
  func relevance(logit: Double, target: Double, threshold: Double, expected: Int) {
    #expect(Partition.relevance(logit: logit, target: target, threshold: threshold) == expected)
    // The same rule for float32 and bfloat16 targets (−0 equals 0 in each).
    #expect(
      Partition.relevance(logit: logit, target: Float(target), threshold: threshold) == expected)
    #expect(
      Partition.relevance(logit: logit, target: BFloat16(Float(target)), threshold: threshold)
        == expected)
  }

  /// float16 targets by bit pattern: +0 and −0 are negatives, 1 and −1 are not.
  @Test func halfTargets() {
    let cases: [(UInt16, Int)] = [(0x0000, 1), (0x8000, 1), (0x3C00, 0), (0xBC00, 0)]
    for (bits, expected) in cases {
      #expect(
        Partition.relevance(logit: 1, target: Half(bitPattern: bits), threshold: 0) == expected,
        "bits \(bits)")
    }
  }
}
