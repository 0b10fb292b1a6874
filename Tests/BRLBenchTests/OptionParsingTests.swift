import BRLBench
import Testing

/// The option grammar the commands share (issue 16): lists, δ-like numbers, budgets, grids,
/// run selectors, and plans refused before they allocate.
@Suite struct OptionParsingTests {
  @Test(arguments: [
    ("0", 0.0), ("-0", 0), ("0.5", 0.5), (" 1e-3 ", 1e-3), ("1e19", 1e19), ("5e-324", 5e-324),
    ("1e308", 1e308),
  ])
  func nonNegativeAccepts(_ text: String, _ value: Double) throws {
    let parsed = try NumberParsing.nonNegative(text)
    #expect(parsed == value && parsed.sign == .plus)
  }

  @Test(arguments: ["", "nan", "inf", "-inf", "-1", "-5e-324", "1e400", "abc", "0.5x", "1k"])
  func nonNegativeRefuses(_ text: String) {
    #expect(throws: NumberParsing.Error.self) { try NumberParsing.nonNegative(text) }
  }

  @Test func listsDropDuplicatesAndRefuseEmptyItems() throws {
    #expect(try NumberParsing.list("0, 0.5,0", item: NumberParsing.nonNegative) == [0, 0.5])
    for text in ["", ",", "1,", ",1", "1,,2", " , "] {
      #expect(throws: NumberParsing.Error.self) {
        try NumberParsing.list(text, item: NumberParsing.nonNegative)
      }
    }
  }

  @Test func budgets() throws {
    #expect(try NumberParsing.budget("none") == nil)
    #expect(try NumberParsing.budget("2.5") == 2.5)
    for text in ["0", "-1", "nan", "inf", "", "None"] {
      #expect(throws: NumberParsing.Error.self) { try NumberParsing.budget(text) }
    }
  }

  @Test func percentagesRefuseNonFiniteAndEmpty() {
    for text in ["", "%", "nan%", "inf", "-10%", "10%%"] {
      #expect(throws: NumberParsing.Error.self) { try NumberParsing.fraction(text) }
    }
  }

  @Test func cappedCounts() throws {
    #expect(try NumberParsing.count("1e6", atMost: 1_000_000, what: "--repeats") == 1_000_000)
    #expect(throws: NumberParsing.Error.self) {
      try NumberParsing.count("1e6+1", atMost: 1_000_000, what: "--repeats")
    }
    #expect(throws: NumberParsing.Error.self) {
      try NumberParsing.count("1000001", atMost: 1_000_000, what: "--repeats")
    }
  }

  @Test func gridsAreCheckedWhenParsedAndExpandedLater() throws {
    let grid = try CountGrid(parsing: "10,1e3..1e4")
    #expect(grid.items == [.value(10), .range(low: 1000, high: 10_000)])
    #expect(try grid.values(stepsPerDecade: 2) == [10, 1000, 3162, 10_000])
    for text in ["1e6..1e3", "0..10", "1..", "..5", "1,,2", "", "nan", "1e16"] {
      #expect(throws: NumberParsing.Error.self) { try CountGrid(parsing: text) }
    }
    #expect(throws: NumberParsing.Error.self) {
      try grid.values(stepsPerDecade: CountGrid.maxStepsPerDecade + 1)
    }
  }

  @Test func runSelectors() throws {
    #expect(try RunSelector(parsing: "latest") == .latest)
    #expect(try RunSelector(parsing: "12") == .id(12))
    for text in ["0", "-1", "1e3", "", "LATEST", "99999999999999999999"] {
      #expect(throws: NumberParsing.Error.self) { try RunSelector(parsing: text) }
    }
  }

  /// A point past memory is refused by the plan, before anything is allocated.
  @Test func plansPastMemoryAreRefused() throws {
    let gib: UInt64 = 1 << 30
    let small = BenchPlan(positives: [10], negatives: [1000])
    try small.validate(physicalMemory: gib)
    let big = BenchPlan(positives: [10], negatives: [100_000_000])
    #expect(big.estimatedPeakBytes == Double(100_000_010 * BenchPlan.bytesPerExample))
    #expect(throws: BenchPlan.Error.self) { try big.validate(physicalMemory: gib) }
    try big.validate(physicalMemory: 24 * gib)
    #expect(throws: BenchPlan.Error.self) {
      try BenchPlan(positives: [10], negatives: [100], images: 1000).validate()
    }
    #expect(throws: BenchPlan.Error.self) {
      try BenchPlan(repeats: BenchPlan.maxRepeats + 1).validate()
    }
  }
}
