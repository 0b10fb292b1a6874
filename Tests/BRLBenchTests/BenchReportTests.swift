import BRLBench
import BRLFormat
import Testing

@Suite struct BenchReportTests {
  static let measurements: [BenchMeasurement] = [
    measurement(method: "floor", p: 10, n: 10_000, median: 1e-5),
    measurement(method: "naive", p: 10, n: 10_000, median: 1e-3),
    measurement(method: "exact", p: 10, n: 10_000, median: 1e-4),
    measurement(method: "floor", p: 10, n: 1_000_000, median: 1e-3),
    measurement(method: "naive", p: 10, n: 1_000_000, median: 1e-1),
    measurement(method: "exact", p: 10, n: 1_000_000, median: 1e-2),
    measurement(method: "naive", p: 100, n: 1_000_000, median: 1),
    measurement(method: "exact", p: 100, n: 1_000_000, median: 2e-2),
  ]

  @Test func tableHasSpeedupsSkippedAndMissingCells() {
    let skipped = [
      SkippedPoint(
        point: BenchPoint(
          loss: "rs", method: .naive, delta: 0.5, positives: 100, negatives: 10_000_000),
        predictedSeconds: 60)
    ]
    let report = BenchReport(measurements: Self.measurements, skipped: skipped)
    let text = report.render()
    #expect(
      text.contains(
        """
        RS loss, δ = 0.5, P = 10

          N  relevant  buckets   floor   naive         exact
        ---  --------  -------  ------  ------  ------------
        10k      1000        -  10.0µs  1.00ms   100µs ×10.0
         1M    100000        -  1.00ms   100ms  10.0ms ×10.0
        """))
    #expect(text.contains("10M         -        -      -  skipped             -"))
    #expect(text.contains("exponent in N: floor 1.00, naive 1.00, exact 1.00"))
    #expect(text.contains("RS loss, δ = 0.5: exponent in P at N = 1M: naive 1.00, exact 0.30"))
    #expect(text.contains("N (log)"))
  }

  @Test func markdownUsesHeadingsTablesAndFences() {
    let text = BenchReport(measurements: Self.measurements).render(.markdown)
    #expect(text.contains("### RS loss, δ = 0.5, P = 10"))
    #expect(text.contains("| N | relevant | buckets | floor | naive | exact |"))
    #expect(text.contains("```text\n"))
  }

  @Test func singleNChartsAgainstP() {
    let single = Self.measurements.filter { $0.negatives == 1_000_000 }
    let text = BenchReport(measurements: single).render()
    #expect(text.contains("RS loss, δ = 0.5, N = 1M"))
    #expect(text.contains("P (log)"))
    #expect(!text.contains("exponent in N"))
  }

  @Test func emptyReport() {
    #expect(BenchReport(measurements: []).render() == "No measurements.\n")
  }

  @Test func textTableAlignsAndTrims() {
    var table = TextTable(columns: [.init("name", .left), .init("value")])
    table.append(["a", "1"])
    table.append(["long name", "12345"])
    #expect(
      table.text() == """
        name       value
        ---------  -----
        a              1
        long name  12345

        """)
    #expect(
      table.markdown() == """
        | name | value |
        | :--- | ---: |
        | a | 1 |
        | long name | 12345 |

        """)
  }

  @Test func formats() {
    #expect(Format.time(1.234) == "1.23s")
    #expect(Format.time(0.0456) == "45.6ms")
    #expect(Format.time(0.000789) == "789µs")
    #expect(Format.count(1_000_000) == "1M")
    #expect(Format.count(2_500_000) == "2.5M")
    #expect(Format.count(3162) == "3162")
    #expect(Format.count(31_620) == "31.62k")
    #expect(Format.ratio(45.6) == "×45.6")
    #expect(Format.bytes(1536) == "1.50 KiB")
  }
}
