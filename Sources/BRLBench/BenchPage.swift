import BRLFormat
import Foundation
import RankingLosses

/// The pictures of a benchmark run: the charts of ``BenchReport`` as SVG, and the page of
/// `brl report RUN --html` and `brl bench --html` that holds them above the same text tables.
///
/// Charts, each with a stable ``Chart/id`` (the file name of `brl report RUN --svg DIR`):
/// - `time-n-<loss>-d<δ>-p<P>`: median time against N on log-log axes, one series per method
///   (per-image rankings separately) with min–max whiskers, the fitted exponent in the legend
///   (`exact (N^1.02)`), and points skipped for the budget as open triangles on the top edge;
///   when a (loss, δ, P) has a single N, no chart.
/// - `time-p-<loss>-d<δ>-n<N>`: median time against P at each N measured for several P.
/// - `rss-n-<loss>-d<δ>-p<P>`: peak RSS against N (measurements with a peak RSS).
///
/// Points skipped for the budget are known to `brl bench --html` only: the store keeps the
/// measured points, so a page of `brl report RUN` shows those.
///
/// `<δ>` is written with `p` for the decimal point (`d0p5`). Methods keep their look across
/// charts: bucketed, naive, exact and floor have a fixed colour, dash and marker.
public struct BenchPage: Sendable {
  public var run: RunRecord?
  public var measurements: [BenchMeasurement]
  public var skipped: [SkippedPoint]

  public init(run: RunRecord?, measurements: [BenchMeasurement], skipped: [SkippedPoint] = []) {
    self.run = run
    self.measurements = measurements
    self.skipped = skipped
  }

  /// The fixed look of a method (per image: the method's colour, the next dash and marker).
  public static func style(method: BenchMethod, group: String = "batch") -> ChartStyle {
    let index =
      switch method.rawValue {
      case "bucketed": 0
      case "naive": 1
      case "exact": 2
      case "floor": 3
      default: 4 + abs(method.rawValue.hashValue % 3)
      }
    var style = ChartStyle.at(index)
    if group != "batch" {
      let other = ChartStyle.at(index + 4)
      style.dash = other.dash
      style.marker = other.marker
    }
    return style
  }

  static func idPart(_ delta: Double) -> String {
    Format.number(delta).replacingOccurrences(of: ".", with: "p")
  }

  private func grouped() -> [(
    key: BenchReport.LossKey, measurements: [BenchMeasurement], skipped: [SkippedPoint]
  )] {
    let report = BenchReport(measurements: measurements, skipped: skipped)
    return report.lossKeys.map { key in
      (
        key,
        measurements.filter { $0.loss == key.loss && $0.delta == key.delta },
        skipped.filter { $0.point.loss == key.loss && $0.point.delta == key.delta }
      )
    }
  }

  /// Every chart, in page order.
  public func charts() -> [Chart] {
    grouped().flatMap { charts(for: $0.key, $0.measurements, $0.skipped) }
  }

  func charts(
    for key: BenchReport.LossKey, _ mine: [BenchMeasurement], _ mineSkipped: [SkippedPoint]
  ) -> [Chart] {
    var charts: [Chart] = []
    let loss = LossKind.displayName(ofName: key.loss)
    let positives = Set(mine.map(\.positives) + mineSkipped.map(\.point.positives)).sorted()
    let d = Self.idPart(key.delta)
    for p in positives {
      let atP = mine.filter { $0.positives == p }
      guard Set(atP.map(\.negatives)).count > 1 else { continue }
      charts.append(
        timeChart(
          id: "time-n-\(key.loss)-d\(d)-p\(p)",
          title:
            "\(loss) loss, δ = \(Format.number(key.delta)), P = \(Format.count(p)): time against N",
          measurements: atP, skipped: mineSkipped.filter { $0.point.positives == p },
          along: \.negatives, skippedAlong: \.point.negatives,
          axis: .init(title: "N, negatives (log)", kind: .log, format: .count), symbol: "N"))
      let withRSS = atP.filter { ($0.peakRSSBytes ?? 0) > 0 }
      if Set(withRSS.map(\.negatives)).count > 1 {
        charts.append(
          rssChart(
            id: "rss-n-\(key.loss)-d\(d)-p\(p)",
            title:
              "\(loss) loss, δ = \(Format.number(key.delta)), P = \(Format.count(p)): peak RSS against N",
            measurements: withRSS))
      }
    }
    if positives.count > 1 {
      for n in Set(mine.map(\.negatives)).sorted() {
        let atN = mine.filter { $0.negatives == n }
        guard Set(atN.map(\.positives)).count > 1 else { continue }
        charts.append(
          timeChart(
            id: "time-p-\(key.loss)-d\(d)-n\(n)",
            title:
              "\(loss) loss, δ = \(Format.number(key.delta)), N = \(Format.count(n)): time against P",
            measurements: atN, skipped: mineSkipped.filter { $0.point.negatives == n },
            along: \.positives, skippedAlong: \.point.positives,
            axis: .init(title: "P, positives (log)", kind: .log, format: .count), symbol: "P"))
      }
    }
    return charts
  }

  /// The series of each (method, grouping) present, in method order.
  private func seriesKeys(_ measurements: [BenchMeasurement], _ skipped: [SkippedPoint]) -> [(
    BenchMethod, String
  )] {
    let methods = Set(measurements.map(\.point.method) + skipped.map(\.point.method)).sorted()
    return methods.flatMap { method in
      ["batch", "image"].compactMap { group in
        measurements.contains { $0.point.method == method && $0.point.group == group }
          || skipped.contains { $0.point.method == method && $0.point.group == group }
          ? (method, group) : nil
      }
    }
  }

  private func timeChart(
    id: String, title: String, measurements: [BenchMeasurement], skipped: [SkippedPoint],
    along x: KeyPath<BenchMeasurement, Int>, skippedAlong sx: KeyPath<SkippedPoint, Int>,
    axis: Chart.Axis, symbol: String
  ) -> Chart {
    var chart = Chart(
      id: id, title: title, x: axis,
      y: .init(title: "median time, min–max (log)", kind: .log, format: .seconds))
    for (method, group) in seriesKeys(measurements, skipped) {
      let mine = measurements.filter { $0.point.method == method && $0.point.group == group }
      var name = method.rawValue + (group == "batch" ? "" : " per image")
      if let (_, exponent) = BenchReport.exponents(mine, along: x).first {
        name += " (\(symbol)^" + String(format: "%.2f", abs(exponent) < 0.005 ? 0 : exponent) + ")"
      }
      chart.series.append(
        .init(
          name: name, style: Self.style(method: method, group: group),
          points: mine.map {
            .init(
              x: Double($0[keyPath: x]), y: $0.medianSeconds, low: $0.minSeconds,
              high: $0.maxSeconds)
          },
          skippedX: skipped.filter { $0.point.method == method && $0.point.group == group }.map {
            Double($0[keyPath: sx])
          }))
    }
    chart.notes = [
      "Marks: median of the repeats; whiskers: min to max. (\(symbol)^k): least-squares slope of log time against log \(symbol)."
    ]
    return chart
  }

  private func rssChart(id: String, title: String, measurements: [BenchMeasurement]) -> Chart {
    var chart = Chart(
      id: id, title: title, x: .init(title: "N, negatives (log)", kind: .log, format: .count),
      y: .init(title: "peak RSS (log)", kind: .log, format: .bytes))
    for (method, group) in seriesKeys(measurements, []) {
      let mine = measurements.filter { $0.point.method == method && $0.point.group == group }
      chart.series.append(
        .init(
          name: method.rawValue + (group == "batch" ? "" : " per image"),
          style: Self.style(method: method, group: group),
          points: mine.map { .init(x: Double($0.negatives), y: Double($0.peakRSSBytes ?? 0)) }))
    }
    chart.notes = [
      "Peak resident set size of the process while the point ran, input data included."
    ]
    return chart
  }

  /// The page: the run's header, then per loss its charts and its tables (as `brl report`).
  /// `interrupted`: the run was stopped before its end, said on top.
  public func html(title: String, interrupted: Bool = false) -> HTMLPage {
    var page = HTMLPage(title: title)
    if let run {
      page.preformatted(BenchReport.header(run))
    }
    if interrupted || run?.status == .interrupted {
      page.paragraph(
        "This run was interrupted: only the points measured before the stop are shown.",
        tone: .note)
    }
    let groups = grouped()
    if groups.isEmpty { page.paragraph("No measurements.", tone: .muted) }
    for group in groups {
      page.openSection()
      page.heading(group.key.title)
      page.charts(charts(for: group.key, group.measurements, group.skipped))
      let positives = Set(
        group.measurements.map(\.positives) + group.skipped.map(\.point.positives)
      ).sorted()
      let methods = Set(group.measurements.map(\.point.method) + group.skipped.map(\.point.method))
        .sorted()
      for p in positives {
        let table = BenchReport.mainTable(
          methods: methods, measurements: group.measurements.filter { $0.positives == p },
          skipped: group.skipped.filter { $0.point.positives == p })
        page.table(
          table,
          caption: "\(group.key.title), P = \(Format.count(p)): median time (speedup over naive)",
          tone: { r, c in table.rows[r][c] == "skipped" ? .note : nil })
        let exponents = BenchReport.exponentLines(
          "exponent in N", group.measurements.filter { $0.positives == p }, along: \.negatives)
        if !exponents.isEmpty { page.paragraph(exponents.trimmingCharacters(in: .newlines)) }
      }
      page.table(BenchReport.detailTable(group.measurements), caption: "Every measurement")
      page.closeSection()
    }
    return page
  }
}

/// The picture of ``Comparison``: the ratio new/base of every matched point on a log axis.
extension Comparison {
  /// One chart per loss: x = N (log), y = min-time ratio new/base (log), one series per
  /// (method, P, grouping), the threshold as a line, slower points ringed. Ids:
  /// `compare-<loss>-d<δ>`.
  public func charts(threshold: Double?) -> [Chart] {
    let keys = Set(entries.map { BenchReport.LossKey(loss: $0.point.loss, delta: $0.point.delta) })
      .sorted()
    return keys.map { key in
      let mine = entries.filter { $0.point.loss == key.loss && $0.point.delta == key.delta }
      var chart = Chart(
        id: "compare-\(key.loss)-d\(BenchPage.idPart(key.delta))",
        title: "\(key.title): new / base time",
        x: .init(title: "N, negatives (log)", kind: .log, format: .count),
        y: .init(title: "ratio of min times, new / base (log)", kind: .log, format: .plain),
        flagLabel: threshold.map { "slower than +\(Format.number($0 * 100))%" })
      chart.rules.append(.init(y: 1, label: "same", colour: "#777777", dash: "1 2"))
      if let threshold {
        chart.rules.append(
          .init(
            y: 1 + threshold, label: "fail above ×\(Format.number(1 + threshold))",
            colour: "#D55E00", dash: "5 3"))
      }
      let allPositives = Set(mine.map(\.point.positives)).sorted()
      var seen = Set<BenchPoint>()
      for entry in mine {
        // One series per (method, P, grouping): its key is the point with N and images cleared.
        var key = entry.point
        key.negatives = 0
        key.images = nil
        guard seen.insert(key).inserted else { continue }
        chart.series.append(
          ratioSeries(
            mine.filter {
              $0.point.method == key.method && $0.point.positives == key.positives
                && $0.point.group == key.group
            }, key: key, positivesRank: allPositives.firstIndex(of: key.positives) ?? 0,
            namesP: allPositives.count > 1, threshold: threshold))
      }
      chart.notes = ["Ratio of the min of the repeats (new / base); above 1 is slower."]
      return chart
    }
  }

  private func ratioSeries(
    _ points: [Entry], key: BenchPoint, positivesRank: Int, namesP: Bool, threshold: Double?
  ) -> Chart.Series {
    var style = BenchPage.style(method: key.method, group: key.group)
    if positivesRank > 0 {
      let other = ChartStyle.at(positivesRank + 4)
      style.marker = other.marker
      style.dash = other.dash
    }
    var name = key.method.rawValue + (key.group == "batch" ? "" : " per image")
    if namesP { name += ", P = \(Format.count(key.positives))" }
    let chartPoints = points.map { entry -> Chart.Point in
      var slower = false
      if let threshold { slower = entry.base.minSeconds > 0 && entry.minRatio > 1 + threshold }
      return Chart.Point(x: Double(entry.point.negatives), y: entry.minRatio, flagged: slower)
    }
    return Chart.Series(name: name, style: style, points: chartPoints)
  }

  /// The comparison's page: title, verdict, charts, the table.
  public func html(title: String, threshold: Double?, header: String?) -> HTMLPage {
    var page = HTMLPage(title: title)
    if let header { page.preformatted(header) }
    let verdict = threshold.map { self.verdict(failIfSlower: $0) }
    var tone: HTMLPage.Tone? = nil
    if let verdict { tone = verdict.passed ? .good : .bad }
    page.paragraph(summary(verdict: verdict).trimmingCharacters(in: .newlines), tone: tone)
    page.charts(charts(threshold: threshold))
    let table = table(threshold: threshold)
    let note = table.columns.firstIndex { $0.title == "note" }
    page.table(table, caption: "Matched points") { r, c in
      guard c == note else { return nil }
      return table.rows[r][c].contains("SLOWER") ? .bad : (table.rows[r][c].isEmpty ? nil : .note)
    }
    return page
  }
}
