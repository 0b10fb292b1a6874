import BRLFormat
import ChartTestSupport
import Foundation
import Testing

@Suite struct ChartScaleTests {
  @Test(
    arguments: [
      // kind, domain, range, value, expected position (nil: cannot be drawn)
      (ChartScale.Kind.linear, 0.0...10.0, (0.0, 100.0), 2.5, Optional(25.0)),
      (.linear, -1...1, (200, 0), 0, 100),
      (.linear, -1...1, (200, 0), 1, 0),
      (.linear, 0...10, (0, 100), 20, 200),
      (.linear, 0...10, (0, 100), .nan, nil),
      (.linear, 0...10, (0, 100), .infinity, nil),
      (.log, 1...1000, (0, 300), 10, 100),
      (.log, 1...1000, (0, 300), 1000, 300),
      (.log, 1e-6...1e-3, (150, 0), 1e-6, 150),
      (.log, 1e-6...1e-3, (150, 0), 1e-4, 50),
      (.log, 1...1000, (0, 300), 0, nil),
      (.log, 1...1000, (0, 300), -5, nil),
    ] as [(ChartScale.Kind, ClosedRange<Double>, (Double, Double), Double, Double?)])
  func position(
    kind: ChartScale.Kind, domain: ClosedRange<Double>, range: (Double, Double), value: Double,
    expected: Double?
  ) {
    let scale = ChartScale(kind: kind, domain: domain, range: range)
    let p = scale.position(value)
    if let expected {
      #expect(p != nil && abs(p! - expected) < 1e-9, "\(String(describing: p))")
    } else {
      #expect(p == nil)
    }
  }

  @Test(
    arguments: [
      // kind, degenerate domain, the widened domain
      (ChartScale.Kind.linear, 5.0...5.0, 4.5...5.5),
      (.linear, 0...0, -1...1),
      (.log, 100...100, 10...1000),
      (.log, 0...0, 1...10),
    ] as [(ChartScale.Kind, ClosedRange<Double>, ClosedRange<Double>)])
  func degenerateDomainsAreWidened(
    kind: ChartScale.Kind, domain: ClosedRange<Double>, widened: ClosedRange<Double>
  ) {
    let scale = ChartScale(kind: kind, domain: domain, range: (0, 1))
    #expect(abs(scale.domain.lowerBound - widened.lowerBound) < 1e-12)
    #expect(abs(scale.domain.upperBound - widened.upperBound) < 1e-12)
  }
}

@Suite struct ChartTicksTests {
  @Test(
    arguments: [
      // data low, high, the ticks
      (0.13, 0.87, [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]),
      (-3.2, 7.9, [-5, 0, 5, 10]),
      (0, 100, [0, 50, 100]),
      (-0.0021, 0.0069, [-0.005, 0, 0.005, 0.01]),
      (1e-7, 3e-6, [0, 1e-6, 2e-6, 3e-6]),
    ] as [(Double, Double, [Double])])
  func linearTicks(low: Double, high: Double, expected: [Double]) {
    let (domain, ticks) = ChartTicks.choose(kind: .linear, low: low, high: high)
    #expect(ticks == expected)
    #expect(domain == expected.first!...expected.last!)
    #expect(domain.lowerBound <= low && domain.upperBound >= high)
  }

  @Test(
    arguments: [
      // data low, high, the ticks
      (1e3, 1e6, [1e3, 1e4, 1e5, 1e6]),
      (2e-5, 3e-1, [1e-4, 1e-3, 1e-2, 1e-1]),
      (1e0, 1e20, [1, 1e3, 1e6, 1e9, 1e12, 1e15, 1e18]),
      (10, 100, [10, 20, 50, 100]),
      (0.8, 1.3, [0.8, 0.9, 1]),
      (0.5, 3, [0.5, 1, 2]),
    ] as [(Double, Double, [Double])])
  func logTicks(low: Double, high: Double, expected: [Double]) {
    let (domain, ticks) = ChartTicks.choose(kind: .log, low: low, high: high)
    #expect(ticks.count == expected.count, "\(ticks)")
    for (t, e) in zip(ticks, expected) { #expect(abs(t / e - 1) < 1e-9, "\(ticks)") }
    #expect(domain.lowerBound <= low && domain.upperBound >= high)
    for t in ticks { #expect(domain.contains(t)) }
  }

  @Test(
    arguments: [
      // value, format, step (nil on a log axis), label
      (1e4, ChartTicks.Format.count, Double?.none, "10⁴"),
      (1e6, .count, nil, "10⁶"),
      (100, .count, nil, "100"),
      (2000, .count, nil, "2000"),
      (20000, .count, nil, "20k"),
      (1e-3, .seconds, nil, "1 ms"),
      (1e-5, .seconds, nil, "10 µs"),
      (1e-7, .seconds, nil, "100 ns"),
      (2.5e-3, .seconds, nil, "2.5 ms"),
      (10, .seconds, nil, "10 s"),
      (1e8, .bytes, nil, "100 MB"),
      (4e7, .bytes, nil, "40 MB"),
      (-0.5, .plain, 0.5, "−0.5"),
      (2e-6, .plain, 1e-6, "2×10⁻⁶"),
      (1e-6, .plain, 1e-6, "1×10⁻⁶"),
      (1e-6, .plain, nil, "10⁻⁶"),
      (1e-3, .plain, nil, "10⁻³"),
      (1e-3, .plain, 1e-3, "0.001"),
      (0.01, .plain, nil, "0.01"),
      (0, .plain, 0.2, "0"),
      (0.4, .plain, 0.2, "0.4"),
      (25, .plain, 5, "25"),
    ] as [(Double, ChartTicks.Format, Double?, String)])
  func labels(value: Double, format: ChartTicks.Format, step: Double?, expected: String) {
    #expect(ChartTicks.label(value, format: format, step: step) == expected)
  }
}

@Suite struct ChartSVGTests {
  /// Three series over three decades, with whiskers, a skipped point, a flagged point, a rule,
  /// and names that need escaping.
  static func chart() -> Chart {
    var chart = Chart(
      id: "time vs N/1", title: "RS loss <δ = 0.5> & \"friends\"",
      x: .init(title: "N (log)", kind: .log, format: .count),
      y: .init(title: "median time (log)", kind: .log, format: .seconds),
      flagLabel: "slower")
    chart.series = [
      .init(
        name: "floor", style: ChartStyle.at(3),
        points: [.init(x: 1e3, y: 1e-6), .init(x: 1e4, y: 1e-5), .init(x: 1e5, y: 1e-4)]),
      .init(
        name: "naive <&>\"'\u{1}", style: ChartStyle.at(1),
        points: [.init(x: 1e3, y: 1e-4, low: 9e-5, high: 2e-4), .init(x: 1e4, y: 1e-2)],
        skippedX: [1e5]),
      .init(
        name: "bucketed", style: ChartStyle.at(0),
        points: [
          .init(x: 1e3, y: 2e-5), .init(x: 1e4, y: 2e-4, flagged: true),
          .init(x: 1e5, y: 3e-3), .init(x: .nan, y: 1), .init(x: 1e4, y: -1),
        ]),
    ]
    chart.rules = [.init(y: 1e-3, label: "limit")]
    chart.notes = ["A note with <markup> & a long tail of words that has to wrap onto lines."]
    return chart
  }

  @Test(arguments: [true, false])
  func wellFormedWithSeriesRangesAndValues(standalone: Bool) throws {
    let chart = Self.chart()
    let svg = chart.svg(standalone: standalone)
    let inspector = try #require(SVGInspector.parse(svg), "not well-formed:\n\(svg)")
    #expect(!svg.lowercased().contains("nan") && !svg.contains("inf"))
    // The title, escaped and read back.
    #expect(inspector.elements.first { $0.name == "title" }?.text == chart.title)
    // One group per series, named as the data (forbidden characters become U+FFFD).
    let groups = inspector.elements(class: "series", name: "g")
    #expect(
      groups.map { $0.attributes["data-name"] } == ["floor", "naive <&>\"'\u{FFFD}", "bucketed"])
    // Axis ranges cover the data.
    let (xs, ys) = try #require(inspector.scales())
    #expect(xs.domain.lowerBound <= 1e3 && xs.domain.upperBound >= 1e5)
    #expect(ys.domain.lowerBound <= 1e-6 && ys.domain.upperBound >= 1e-2)
    #expect(xs.domain.upperBound < 1e6 && ys.domain.lowerBound > 1e-7)
    // Every drawable point is a mark, at the place of its value.
    for (group, series) in zip(groups, chart.series) {
      let index = try #require(inspector.index(of: group))
      let marks = inspector.children(of: index).filter { $0.attributes["class"] == "mark" }
      let drawable = series.points.filter { $0.x.isFinite && $0.x > 0 && $0.y > 0 }
      #expect(marks.count == drawable.count, "\(series.name)")
      let plotted = marks.compactMap { SVGInspector.start(ofPath: $0.attributes["d"] ?? "") }
        .map { (xs.value(at: $0.0), ys.value(at: $0.1)) }
      for (p, q) in zip(drawable.sorted { $0.x < $1.x }, plotted) {
        #expect(abs(log10(q.0 / p.x)) < 0.01 && abs(log10(q.1 / p.y)) < 0.01, "\(p) vs \(q)")
      }
      let whiskers = inspector.children(of: index).filter { $0.attributes["class"] == "whisker" }
      #expect(whiskers.count == drawable.filter { $0.low != nil }.count)
      let skipped = inspector.children(of: index).filter { $0.attributes["class"] == "skipped" }
      #expect(skipped.count == series.skippedX.count)
      let flags = inspector.children(of: index).filter { $0.attributes["class"] == "flag" }
      #expect(flags.count == drawable.filter(\.flagged).count)
    }
    #expect(inspector.elements(class: "rule").count == 1)
    if standalone {
      #expect(svg.hasPrefix("<?xml"))
      #expect(inspector.elements.first?.attributes["width"] == "85mm")
    } else {
      #expect(!svg.contains("http"))
    }
  }

  @Test func sameChartSameBytes() {
    #expect(Self.chart().svg(standalone: true) == Self.chart().svg(standalone: true))
  }

  @Test func bandSeriesPlotsBinMeansAndRanges() throws {
    let points: [Chart.Point] = (0..<50).map {
      let x = Double($0) / 5 - 5
      return .init(x: x, y: sin(x), low: sin(x) - 0.2, high: sin(x) + 0.1)
    }
    let chart = Chart(
      id: "band", title: "band", x: .init(title: "logit"), y: .init(title: "gradient"),
      series: [.init(name: "bucketed", style: ChartStyle.at(0), kind: .band, points: points)])
    let inspector = try #require(SVGInspector.parse(chart.svg()))
    let (xs, ys) = try #require(inspector.scales())
    let plotted = inspector.elements(class: "band-point").compactMap {
      SVGInspector.start(ofPath: $0.attributes["d"] ?? "")
    }
    #expect(plotted.count == points.count)
    for (p, q) in zip(points, plotted) {
      #expect(abs(xs.value(at: q.0) - p.x) < 0.02 && abs(ys.value(at: q.1) - p.y) < 0.02)
    }
    #expect(ys.domain.lowerBound <= -1.2 && ys.domain.upperBound >= 1.1)
    #expect(inspector.elements(class: "band").count == 1)
  }

  @Test func everyMarkerAndDashDiffersInThePalette() {
    let palette = ChartStyle.palette
    #expect(Set(palette.map(\.marker)).count == palette.count)
    #expect(Set(palette.map { $0.dash ?? "solid" }).count == palette.count)
    #expect(Set(palette.map(\.colour)).count == palette.count)
  }
}

@Suite struct HTMLPageTests {
  @Test func selfContainedAndWellFormed() throws {
    var page = HTMLPage(title: "a <page> & more")
    page.heading("section \u{7}")
    page.paragraph("ok", tone: .good)
    page.charts([ChartSVGTests.chart()])
    var table = TextTable(columns: [.init("name", .left), .init("verdict", .left)])
    table.append(["<x>", "FAIL"])
    page.table(table) { _, c in c == 1 ? .bad : nil }
    let html = page.render()
    let inspector = try #require(SVGInspector.parse(html), "not well-formed")
    #expect(inspector.elements.first?.name == "html")
    #expect(!html.contains("http:") && !html.contains("https:") && !html.contains("<script"))
    #expect(!html.contains("url(") || !html.contains("url(http"))
    #expect(inspector.elements(class: "bad", name: "td").first?.text == "FAIL")
    #expect(inspector.elements.filter { $0.name == "svg" }.count == 1)
  }
}
