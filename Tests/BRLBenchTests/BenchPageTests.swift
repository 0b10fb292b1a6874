import BRLBench
import BRLFormat
import ChartTestSupport
import Foundation
import Testing

@Suite struct BenchPageTests {
  /// floor, bucketed and exact at P = 10 and 100, N = 1k, 10k, 100k: time ∝ N (exponent 1),
  /// min and max ±10 %; naive skipped at 100k.
  static let measurements: [BenchMeasurement] =
    ["floor", "bucketed", "exact"].enumerated()
    .flatMap { k, method in
      [10, 100].flatMap { p in
        [1_000, 10_000, 100_000].map { n in
          let t = Double(n) * 1e-8 * Double(k + 1) * (p == 100 ? 2 : 1)
          return measurement(
            method: method, p: p, n: n, median: t, min: t * 0.9, max: t * 1.1)
        }
      }
    }
    + [
      measurement(method: "naive", p: 10, n: 1_000, median: 1e-3),
      measurement(method: "naive", p: 10, n: 10_000, median: 1e-1),
    ]
  static let skipped = [
    SkippedPoint(
      point: BenchPoint(loss: "rs", method: .naive, delta: 0.5, positives: 10, negatives: 100_000),
      predictedSeconds: 10)
  ]

  static let page = BenchPage(run: sampleRun(), measurements: measurements, skipped: skipped)

  @Test func chartIdsAreStable() {
    #expect(
      Self.page.charts().map(\.id) == [
        "time-n-rs-d0p5-p10", "rss-n-rs-d0p5-p10", "time-n-rs-d0p5-p100", "rss-n-rs-d0p5-p100",
        "time-p-rs-d0p5-n1000", "time-p-rs-d0p5-n10000", "time-p-rs-d0p5-n100000",
      ])
  }

  @Test func timeAgainstNPlotsTheMediansWithWhiskersAndExponents() throws {
    let chart = try #require(Self.page.charts().first { $0.id == "time-n-rs-d0p5-p10" })
    let inspector = try #require(SVGInspector.parse(chart.svg(standalone: true)))
    let groups = inspector.elements(class: "series", name: "g")
    #expect(
      groups.map { $0.attributes["data-name"] ?? "" } == [
        "floor (N^1.00)", "naive (N^2.00)", "bucketed (N^1.00)", "exact (N^1.00)",
      ])
    let (xs, ys) = try #require(inspector.scales())
    for group in groups {
      let name = String(group.attributes["data-name"]!.split(separator: " ")[0])
      let data = Self.measurements.filter { $0.method == name && $0.positives == 10 }
        .sorted { $0.negatives < $1.negatives }
      let index = try #require(inspector.index(of: group))
      let marks = inspector.children(of: index).filter { $0.attributes["class"] == "mark" }
        .compactMap { SVGInspector.start(ofPath: $0.attributes["d"]!) }
      #expect(marks.count == data.count)
      for (m, (px, py)) in zip(data, marks) {
        #expect(abs(xs.value(at: px) / Double(m.negatives) - 1) < 0.02)
        #expect(abs(ys.value(at: py) / m.medianSeconds - 1) < 0.02)
      }
      let whiskers = inspector.children(of: index).filter { $0.attributes["class"] == "whisker" }
      #expect(whiskers.count == data.filter { $0.maxSeconds > $0.minSeconds }.count)
      let skipped = inspector.children(of: index).filter { $0.attributes["class"] == "skipped" }
      #expect(skipped.count == (name == "naive" ? 1 : 0))
    }
    #expect(
      inspector.elements.first { $0.name == "title" }?.text.contains("time against N") == true)
  }

  @Test func pageHasEveryChartTheTablesAndTheHeader() throws {
    let html = Self.page.html(title: "brl report: run 1", interrupted: true).render()
    let inspector = try #require(SVGInspector.parse(html), "not well-formed")
    #expect(inspector.elements.filter { $0.name == "svg" }.count == Self.page.charts().count)
    #expect(inspector.elements.filter { $0.name == "table" }.count == 3)  // 2 P + details
    #expect(inspector.elements.contains { $0.name == "td" && $0.text == "skipped" })
    #expect(html.contains("interrupted"))
    #expect(html.contains("brl bench --neg 1e6"))
    #expect(!html.contains("http"))
  }

  @Test func comparisonMarksRegressionsAndDrawsTheThreshold() throws {
    let base = [1_000, 10_000].map { measurement(n: $0, median: Double($0) * 1e-8) }
    let candidate = [
      measurement(n: 1_000, median: 1e-5), measurement(n: 10_000, median: 1.3e-4),
    ]
    let comparison = Comparison(base: base, candidate: candidate)
    let charts = comparison.charts(threshold: 0.1)
    #expect(charts.map(\.id) == ["compare-rs-d0p5"])
    let inspector = try #require(SVGInspector.parse(charts[0].svg()))
    #expect(inspector.elements(class: "flag").count == 1)
    #expect(
      inspector.elements(class: "rule").map { $0.attributes["data-y"] } == [
        "1", "1.1000000000000001",
      ])
    let (_, ys) = try #require(inspector.scales())
    #expect(ys.domain.lowerBound <= 1 && ys.domain.upperBound >= 1.3)
    let html = comparison.html(title: "compare", threshold: 0.1, header: nil).render()
    let page = try #require(SVGInspector.parse(html))
    #expect(page.elements(class: "bad", name: "p").first?.text.hasPrefix("1 matched") == false)
    #expect(page.elements(class: "bad", name: "p").first?.text.contains("FAIL") == true)
  }
}
