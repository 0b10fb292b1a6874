import BRLFormat
import Foundation
import RankingLosses

/// The human-readable view of benchmark results: per loss and P, a table (one row per N, one
/// column per method), a log-log chart of time against N, and the fitted complexity exponents.
///
/// `brl bench` renders it from the points just measured and `brl report RUN` from the store, so
/// both show the same thing. It only formats — it never measures, reads files or prints.
///
/// - The table cell of a method is its median time; methods other than naive and floor also show
///   their speedup over naive at the same N (`×45.6`). Points skipped for the budget read
///   `skipped`; points never measured read `-`.
/// - The exponent in N of a method is the least-squares slope of log time against log N at a
///   given P (``LeastSquares/exponent(_:)``); the exponent in P, shown when several P were
///   measured, is the slope against log P at the largest N measured for several P.
/// - When a loss was measured at a single N but several P, the chart plots time against P.
/// - Measurements ranked per image (`brl bench --images K`) get a column beside their method's
///   batch column, `exact per image`, whose cell is the median time and, in parentheses, its
///   ratio to the batch time of the same method; in charts their mark is the method's letter in
///   upper case, and their exponents get a line of their own.
public struct BenchReport: Sendable {
  /// The output format.
  public enum Style: Sendable {
    /// Aligned plain text for a terminal (charts at most 80 columns).
    case text
    /// GitHub Markdown: headings, pipe tables, charts in fenced blocks.
    case markdown
  }

  public var measurements: [BenchMeasurement]
  public var skipped: [SkippedPoint]
  /// Adds a per-measurement table: repeats, median, min, max, stddev, throughput, peak RSS.
  public var details: Bool

  public init(measurements: [BenchMeasurement], skipped: [SkippedPoint] = [], details: Bool = false)
  {
    self.measurements = measurements
    self.skipped = skipped
    self.details = details
  }

  /// A loss at one δ: the unit that shares a table title.
  struct LossKey: Hashable, Comparable {
    var loss: String
    var delta: Double

    static func < (a: LossKey, b: LossKey) -> Bool {
      let (oa, ob) = (LossKind.reportOrder(ofName: a.loss), LossKind.reportOrder(ofName: b.loss))
      if oa != ob { return oa < ob }
      if a.loss != b.loss { return a.loss < b.loss }
      return a.delta < b.delta
    }

    var title: String { "\(LossKind.displayName(ofName: loss)) loss, δ = \(Format.number(delta))" }
  }

  private func key(_ point: BenchPoint) -> LossKey { LossKey(loss: point.loss, delta: point.delta) }

  /// The losses in report order.
  var lossKeys: [LossKey] {
    Set(measurements.map { key($0.point) } + skipped.map { key($0.point) }).sorted()
  }

  /// The whole report.
  public func render(_ style: Style = .text) -> String {
    var sections: [String] = []
    for lossKey in lossKeys {
      let mine = measurements.filter { key($0.point) == lossKey }
      let mineSkipped = skipped.filter { key($0.point) == lossKey }
      let positives = Set(mine.map(\.positives) + mineSkipped.map(\.point.positives)).sorted()
      let methods = Set(mine.map(\.point.method) + mineSkipped.map(\.point.method)).sorted()
      for p in positives {
        sections.append(
          section(
            lossKey, positives: p, methods: methods,
            measurements: mine.filter { $0.positives == p },
            skipped: mineSkipped.filter { $0.point.positives == p }, style: style))
      }
      if positives.count > 1 {
        sections.append(
          positivesSection(lossKey, methods: methods, measurements: mine, style: style))
      }
    }
    if sections.isEmpty {
      return style == .markdown ? "_No measurements._\n" : "No measurements.\n"
    }
    return sections.joined(separator: "\n")
  }

  private func section(
    _ lossKey: LossKey, positives p: Int, methods: [BenchMethod], measurements: [BenchMeasurement],
    skipped: [SkippedPoint], style: Style
  ) -> String {
    let title = "\(lossKey.title), P = \(Format.count(p))"
    var out = style == .markdown ? "### \(title)\n\n" : "\(title)\n\n"
    let table = Self.mainTable(methods: methods, measurements: measurements, skipped: skipped)
    out += style == .markdown ? table.markdown() : table.text()
    let perImage = measurements.filter { $0.point.group != "batch" }
    if !perImage.isEmpty {
      let images = perImage.compactMap(\.images).first.map { "\($0) images" } ?? "images"
      out +=
        "\nper image (\(images)): median time (its ratio to the same method's batch time)\n"
    }
    if details {
      out += "\n"
      let detail = Self.detailTable(measurements)
      out += style == .markdown ? detail.markdown() : detail.text()
    }
    let negatives = Set(measurements.map(\.negatives))
    if negatives.count > 1 {
      let chart = Self.chart(
        methods: methods, measurements: measurements, x: \.negatives, title: "N")
      out += "\n" + fenced(chart.render(), style)
      out += "\n" + Self.exponentLines("exponent in N", measurements, along: \.negatives)
    }
    return out
  }

  /// The exponent line of the batch measurements, then one for those ranked per image.
  static func exponentLines(
    _ title: String, _ measurements: [BenchMeasurement], along x: KeyPath<BenchMeasurement, Int>
  ) -> String {
    let batch = measurements.filter { $0.point.group == "batch" }
    let image = measurements.filter { $0.point.group != "batch" }
    return exponentLine(title, exponents(batch, along: x))
      + exponentLine(title + " (per image)", exponents(image, along: x))
  }

  /// The P-scaling summary of a loss measured at several P.
  private func positivesSection(
    _ lossKey: LossKey, methods: [BenchMethod], measurements: [BenchMeasurement], style: Style
  ) -> String {
    var out = ""
    let negatives = Set(measurements.map(\.negatives))
    if negatives.count == 1 {
      let title = "\(lossKey.title), N = \(Format.count(negatives.first!))"
      out += style == .markdown ? "### \(title)\n\n" : "\(title)\n\n"
      let chart = Self.chart(
        methods: methods, measurements: measurements, x: \.positives, title: "P")
      out += fenced(chart.render(), style) + "\n"
    }
    for (group, label) in [("batch", ""), ("image", " (per image)")] {
      if let (n, exponents) = Self.exponentsInP(measurements.filter { $0.point.group == group }) {
        out += Self.exponentLine(
          "\(lossKey.title): exponent in P at N = \(Format.count(n))\(label)", exponents)
      }
    }
    return out
  }

  private func fenced(_ text: String, _ style: Style) -> String {
    style == .markdown ? "```text\n" + text + "```\n" : text
  }

  // MARK: Pieces (internal for tests)

  /// One row per N; columns N, relevant negatives, buckets, then one per method.
  static func mainTable(
    methods: [BenchMethod], measurements: [BenchMeasurement], skipped: [SkippedPoint]
  ) -> TextTable {
    // A column per method, and beside it one per method ranked per image where there is one.
    let measured = Set(
      measurements.map { "\($0.point.method)/\($0.point.group)" }
        + skipped.map { "\($0.point.method)/\($0.point.group)" })
    let columns = methods.flatMap { method in
      ["batch", "image"].filter { measured.contains("\(method)/\($0)") || $0 == "batch" }
        .map { (method: method, group: $0) }
    }
    var table = TextTable(
      columns: [.init("N"), .init("relevant"), .init("buckets")]
        + columns.map { .init($0.group == "batch" ? $0.method.rawValue : "\($0.method) per image") }
    )
    let negatives = Set(measurements.map(\.negatives) + skipped.map(\.point.negatives)).sorted()
    for n in negatives {
      let row = measurements.filter { $0.negatives == n }
      let byMethod = Dictionary(
        row.map { ("\($0.point.method)/\($0.point.group)", $0) }, uniquingKeysWith: { a, _ in a })
      let skippedMethods = Set(
        skipped.filter { $0.point.negatives == n }.map { "\($0.point.method)/\($0.point.group)" })
      let batchRow = row.filter { $0.point.group == "batch" }
      let relevant = batchRow.compactMap(\.relevantNegatives).first
      let buckets = batchRow.compactMap(\.buckets).first
      let naive = byMethod["naive/batch"]?.medianSeconds
      var cells = [
        Format.count(n), relevant.map(String.init) ?? "-", buckets.map(String.init) ?? "-",
      ]
      for (method, group) in columns {
        let key = "\(method)/\(group)"
        if let m = byMethod[key] {
          var cell = Format.time(m.medianSeconds)
          if group != "batch" {
            if let batch = byMethod["\(method)/batch"]?.medianSeconds, batch > 0 {
              cell += " (" + Format.fixed(m.medianSeconds / batch, digits: 2) + ")"
            }
          } else if method != .naive && method != .floor, let naive, m.medianSeconds > 0 {
            cell += " " + Format.ratio(naive / m.medianSeconds)
          }
          cells.append(cell)
        } else {
          cells.append(skippedMethods.contains(key) ? "skipped" : "-")
        }
      }
      table.append(cells)
    }
    return table
  }

  /// Every measurement with all its statistics.
  static func detailTable(_ measurements: [BenchMeasurement]) -> TextTable {
    var table = TextTable(columns: [
      .init("method", .left), .init("N"), .init("repeats"), .init("median"), .init("min"),
      .init("max"), .init("stddev"), .init("throughput"), .init("peak RSS"),
    ])
    for m in measurements.sorted(by: { $0.point < $1.point }) {
      table.append([
        m.method + (m.point.group == "batch" ? "" : " per image"), Format.count(m.negatives),
        String(m.repeats), Format.time(m.medianSeconds),
        Format.time(m.minSeconds), Format.time(m.maxSeconds), Format.time(m.stddevSeconds),
        Format.rate(m.throughput), Format.bytes(m.peakRSSBytes),
      ])
    }
    return table
  }

  /// Median time against N (or P), one series per method.
  static func chart(
    methods: [BenchMethod], measurements: [BenchMeasurement], x: KeyPath<BenchMeasurement, Int>,
    title: String
  ) -> LogLogChart {
    let series = methods.flatMap { method in
      ["batch", "image"].compactMap { group -> LogLogChart.Series? in
        let points = measurements.filter { $0.point.method == method && $0.point.group == group }
          .sorted { $0[keyPath: x] < $1[keyPath: x] }
          .map { (x: Double($0[keyPath: x]), y: $0.medianSeconds) }
        guard !points.isEmpty else { return nil }
        return group == "batch"
          ? .init(name: method.rawValue, mark: method.mark, points: points)
          : .init(
            name: "\(method) per image", mark: Character(method.mark.uppercased()),
            points: points)
      }
    }
    return LogLogChart(series: series, xTitle: title)
  }

  /// The fitted exponent per method along N or P (methods with two or more distinct values).
  static func exponents(_ measurements: [BenchMeasurement], along x: KeyPath<BenchMeasurement, Int>)
    -> [(BenchMethod, Double)]
  {
    let methods = Set(measurements.map(\.point.method)).sorted()
    return methods.compactMap { method in
      let points = measurements.filter { $0.point.method == method }
        .map { (x: Double($0[keyPath: x]), y: $0.medianSeconds) }
      return LeastSquares.exponent(points).map { (method, $0) }
    }
  }

  /// The exponents in P at the largest N measured for several P.
  static func exponentsInP(_ measurements: [BenchMeasurement]) -> (Int, [(BenchMethod, Double)])? {
    let byN = Dictionary(grouping: measurements, by: \.negatives)
    for n in byN.keys.sorted(by: >) {
      let exponents = exponents(byN[n]!, along: \.positives)
      if !exponents.isEmpty { return (n, exponents) }
    }
    return nil
  }

  static func exponentLine(_ title: String, _ exponents: [(BenchMethod, Double)]) -> String {
    guard !exponents.isEmpty else { return "" }
    return title + ": "
      + exponents.map { "\($0.0) \(Format.fixed(abs($0.1) < 0.005 ? 0 : $0.1, digits: 2))" }.joined(
        separator: ", ") + "\n"
  }

  // MARK: Runs

  /// A few lines that identify a run: id, status, time, build, machine, command.
  public static func header(_ run: RunRecord) -> String {
    var lines: [String] = []
    var first = "Run \(run.id.map(String.init) ?? "(not recorded)"): \(run.status.rawValue), "
    first += "started \(timestamp(run.startedAt))"
    if let finished = run.finishedAt {
      first += ", took \(Format.time(finished.timeIntervalSince(run.startedAt)))"
    }
    lines.append(first)
    lines.append(
      "brl \(run.brlVersion) (\(run.buildConfiguration)"
        + (run.gitCommit.map {
          ", \(String($0.prefix(12)))\($0.hasSuffix("-dirty") ? "-dirty" : "")"
        } ?? "")
        + "), Swift \(run.swiftVersion)")
    lines.append(
      "\(run.hostName): \(run.cpuModel ?? "unknown CPU"), \(run.coreCount) cores, \(run.os)")
    lines.append("seed \(run.seed), overlap \(Format.number(run.overlap)): \(run.commandLine)")
    return lines.joined(separator: "\n") + "\n"
  }

  /// The run list of `brl report`, newest first.
  public static func runList(_ runs: [RunSummary], currentHost: String) -> TextTable {
    var table = TextTable(columns: [
      .init("run"), .init("started", .left), .init("status", .left), .init("build", .left),
      .init("points"), .init("losses", .left), .init("command", .left),
    ])
    for summary in runs {
      let run = summary.run
      let status = run.looksStale(currentHost: currentHost) ? "stale" : run.status.rawValue
      var command = run.commandLine
      if command.count > 40 { command = String(command.prefix(39)) + "…" }
      table.append([
        run.id.map(String.init) ?? "-", timestamp(run.startedAt), status, run.buildConfiguration,
        String(summary.measurementCount),
        summary.losses.sorted {
          LossKind.reportOrder(ofName: $0) < LossKind.reportOrder(ofName: $1)
        }.joined(
          separator: ","),
        command,
      ])
    }
    return table
  }

  /// `2025-01-31 14:05:09` in the local time zone.
  public static func timestamp(_ date: Date) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
    return formatter.string(from: date)
  }
}
