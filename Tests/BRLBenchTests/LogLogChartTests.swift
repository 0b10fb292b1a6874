import BRLBench
import Foundation
import Testing

@Suite struct LogLogChartTests {
  /// Three methods over three decades of N: linear, linear and quadratic, with a collision at
  /// N = 1k (naive and bucketed take the same time there).
  static let chart = LogLogChart(
    series: [
      .init(
        name: "floor", mark: "f", points: [(1e3, 1e-6), (1e4, 1e-5), (1e5, 1e-4), (1e6, 1e-3)]),
      .init(name: "naive", mark: "n", points: [(1e3, 1e-4), (1e4, 1e-2), (1e5, 1), (1e6, 100)]),
      .init(name: "bucketed", mark: "b", points: [(1e3, 1e-4), (1e4, 3e-4), (1e5, 2e-3)]),
    ],
    xTitle: "N")

  static let expected = """
           median time (log)
     100s +                                                                        n
          |
          |
       1s +                                                n
          |
          |
     10ms +                        n
          |
          |                                                b                       f
          |                        b
    100µs +*                                               f
          |                        f
          |
      1µs +f
          ++-----------------------+-----------------------+-----------------------+
          1k                      10k                    100k                     1M
                                                                             N (log)
           f floor   n naive   b bucketed   * several

    """

  @Test func goldenOutput() throws {
    let actual = Self.chart.render()
    if actual != Self.expected {
      // To update after a deliberate change, inspect this file and paste it above.
      let url = FileManager.default.temporaryDirectory.appendingPathComponent(
        "brl-chart-golden.txt")
      try actual.write(to: url, atomically: true, encoding: .utf8)
    }
    #expect(actual == Self.expected)
  }

  @Test func fitsIn80Columns() {
    for line in Self.chart.render().split(separator: "\n") {
      #expect(line.count <= 80)
    }
  }

  @Test func singleXStillDrawsAndEmptyDrawsNothing() {
    let one = LogLogChart(series: [.init(name: "exact", mark: "e", points: [(1e6, 0.01)])])
    #expect(one.render().contains("e"))
    #expect(LogLogChart(series: []).render() == "")
    #expect(LogLogChart(series: [.init(name: "x", mark: "x", points: [(0, 1)])]).render() == "")
  }
}
