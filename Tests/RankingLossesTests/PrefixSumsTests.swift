import Testing

@testable import RankingLosses

/// ``PrefixSums``: the three prefix sums on a hand-computed case, what is left out when not
/// asked for, and the digits a double-double keeps that a Double sum drops.
@Suite struct PrefixSumsTests {
  /// Logits 1, 2, 4 from origin 1, times s = 2: levels 0, 2, 6; weights ½, −¼, 2.
  @Test func smallCaseByHand() {
    let sums = PrefixSums(
      logits: [1, 2, 4], weights: [0.5, -0.25, 2], origin: 1, scale: 2, withLevels: true)
    #expect(sums.levels.map(\.value) == [0, 0, 2, 8])
    #expect(sums.weights.map(\.value) == [0, 0.5, 0.25, 2.25])
    // 0·½, 2·(−¼), 6·2.
    #expect(sums.weightedLevels.map(\.value) == [0, 0, -0.5, 11.5])
    #expect(sums.totalWeight == 2.75)
  }

  @Test func onlyWhatIsAskedFor() {
    let unweighted = PrefixSums(
      logits: [0, 1], weights: nil, origin: 0, scale: 1, withLevels: true)
    #expect(unweighted.levels.map(\.value) == [0, 0, 1])
    #expect(unweighted.weights.isEmpty && unweighted.weightedLevels.isEmpty)
    #expect(unweighted.totalWeight == 0)
    let withoutLevels = PrefixSums(
      logits: [0, 1], weights: [1, 1], origin: 0, scale: 1, withLevels: false)
    #expect(withoutLevels.levels.isEmpty)
    #expect(withoutLevels.weights.map(\.value) == [0, 1, 2])
    let empty = PrefixSums(logits: [], weights: [], origin: 0, scale: 1, withLevels: true)
    #expect(empty.levels.count == 1 && empty.weights.count == 1 && empty.totalWeight == 0)
  }

  /// 1 + 10¹⁷: a Double rounds the 1 away (its spacing there is 16), the double-double keeps
  /// it in the tail, so a later difference of two entries still has it.
  @Test func keepsWhatADoubleDrops() {
    let sums = PrefixSums(
      logits: [0, 1, 1e17], weights: [1, 1, 1], origin: 0, scale: 1, withLevels: true)
    #expect(1.0 + 1e17 == 1e17)
    #expect(sums.levels[3].head == 1e17 && sums.levels[3].tail == 1)
    #expect((sums.levels[3] - DoubleDouble(head: 1e17, tail: 0)).value == 1)
    #expect(sums.weightedLevels[3].tail == 1)
  }
}
