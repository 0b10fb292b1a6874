import BRLBench
import Testing

@Suite struct NumberParsingTests {
  @Test(arguments: [
    ("1e6", 1_000_000), ("1_000_000", 1_000_000), ("1M", 1_000_000), ("2.5k", 2500),
    ("10K", 10_000), ("1G", 1_000_000_000), ("42", 42), (" 7 ", 7), ("0", 0),
  ])
  func parsesCounts(text: String, expected: Int) throws {
    #expect(try NumberParsing.count(text) == expected)
  }

  @Test(arguments: ["", "abc", "1.5", "-3", "1e6x", "M", "1e30"])
  func rejectsBadCounts(text: String) {
    #expect(throws: NumberParsing.Error.self) { try NumberParsing.count(text) }
  }

  @Test func parsesListsAndKeepsOrderWithoutDuplicates() throws {
    #expect(try NumberParsing.counts("1e4,1e5,1e6") == [10_000, 100_000, 1_000_000])
    #expect(try NumberParsing.counts("100,10,100") == [100, 10])
  }

  @Test func rangeIsALogGrid() throws {
    #expect(try NumberParsing.counts("1e3..1e7") == [1000, 10_000, 100_000, 1_000_000, 10_000_000])
    #expect(try NumberParsing.counts("1e3..1e4", stepsPerDecade: 2) == [1000, 3162, 10_000])
    #expect(
      try NumberParsing.counts("1k..1M", stepsPerDecade: 1) == [1000, 10_000, 100_000, 1_000_000])
    // b is always included, even off the grid.
    #expect(try NumberParsing.counts("10..50") == [10, 50])
    #expect(try NumberParsing.counts("5..5") == [5])
  }

  @Test func rejectsBadRanges() {
    #expect(throws: NumberParsing.Error.self) { try NumberParsing.counts("1e6..1e3") }
    #expect(throws: NumberParsing.Error.self) { try NumberParsing.counts("0..10") }
    #expect(throws: NumberParsing.Error.self) {
      try NumberParsing.counts("1e3..1e4", stepsPerDecade: 0)
    }
  }

  @Test func parsesPercentages() throws {
    #expect(try NumberParsing.fraction("10%") == 0.1)
    #expect(try NumberParsing.fraction("25") == 0.25)
    #expect(throws: NumberParsing.Error.self) { try NumberParsing.fraction("ten") }
  }
}
