import BRLFormat
import Foundation

/// A scatter chart on log-log axes, drawn with characters, at most ``width`` columns wide.
///
/// Complexity shows as slope on log-log axes: a method linear in N climbs one decade of time
/// per decade of N, a quadratic one two. Each series is drawn with its one-character mark; where
/// two series fall in the same cell the cell shows `*`. Axes are labelled at powers of ten.
///
///     let chart = LogLogChart(
///       series: [.init(name: "exact", mark: "e", points: [(1e4, 1e-4), (1e6, 1e-2)])],
///       xTitle: "N")
///     print(chart.render())
///
/// The output is deterministic (a golden test pins it): same input, same characters.
public struct LogLogChart: Sendable {
  /// One set of points with its mark.
  public struct Series: Sendable {
    public var name: String
    public var mark: Character
    /// (x, y) pairs; points with x ≤ 0 or y ≤ 0 cannot be drawn on log axes and are ignored.
    public var points: [(x: Double, y: Double)]

    public init(name: String, mark: Character, points: [(x: Double, y: Double)]) {
      self.name = name
      self.mark = mark
      self.points = points
    }
  }

  /// What the axis values are, for tick labels.
  public enum Axis: Sendable {
    /// Counts: `100`, `10k`, `1M`.
    case count
    /// Seconds: `1µs`, `10ms`, `1s`.
    case seconds
  }

  public var series: [Series]
  public var xTitle: String
  public var yTitle: String
  public var xAxis: Axis
  public var yAxis: Axis
  /// Total width in columns, labels included.
  public var width: Int
  /// Rows of the plot area.
  public var height: Int

  public init(
    series: [Series], xTitle: String = "N", yTitle: String = "median time",
    xAxis: Axis = .count, yAxis: Axis = .seconds, width: Int = 80, height: Int = 14
  ) {
    self.series = series
    self.xTitle = xTitle
    self.yTitle = yTitle
    self.xAxis = xAxis
    self.yAxis = yAxis
    self.width = width
    self.height = height
  }

  /// The chart with its axes and a legend line, ending with a newline; empty if no point can be
  /// drawn.
  public func render() -> String {
    let points = series.flatMap { s in
      s.points.filter { $0.x > 0 && $0.y > 0 && $0.x.isFinite && $0.y.isFinite }
        .map { (mark: s.mark, x: log10($0.x), y: log10($0.y)) }
    }
    guard !points.isEmpty else { return "" }
    let (xLow, xHigh) = Self.decadeRange(points.map(\.x))
    let (yLow, yHigh) = Self.decadeRange(points.map(\.y))
    let yLabels = (yLow...yHigh).map { Self.label(decade: $0, axis: yAxis) }
    let labelWidth = yLabels.map(\.count).max() ?? 0
    let plotWidth = max(width - labelWidth - 2, 10)
    let rows = max(height, 2)

    func column(_ x: Double) -> Int {
      Self.cell((x - Double(xLow)) / Double(xHigh - xLow) * Double(plotWidth - 1), count: plotWidth)
    }
    func row(_ y: Double) -> Int {
      Self.cell((y - Double(yLow)) / Double(yHigh - yLow) * Double(rows - 1), count: rows)
    }

    var grid = [[Character]](
      repeating: [Character](repeating: " ", count: plotWidth), count: rows)
    for point in points {
      let r = row(point.y)
      let c = column(point.x)
      let current = grid[r][c]
      grid[r][c] = current == " " || current == point.mark ? point.mark : "*"
    }

    // y ticks at every decade, or every k-th if they would crowd the rows.
    let yStep = max(1, (yHigh - yLow + 1 + rows / 2 - 1) / max(rows / 2, 1))
    var yTickLabels: [Int: String] = [:]
    for decade in stride(from: yLow, through: yHigh, by: yStep) {
      yTickLabels[row(Double(decade))] = Self.label(decade: decade, axis: yAxis)
    }

    var lines: [String] = []
    lines.append(String(repeating: " ", count: labelWidth) + "  " + yTitle + " (log)")
    for r in stride(from: rows - 1, through: 0, by: -1) {
      let label = yTickLabels[r] ?? ""
      let padding = String(repeating: " ", count: labelWidth - label.count)
      let axis: Character = yTickLabels[r] == nil ? "|" : "+"
      lines.append(trimmed(padding + label + " " + String(axis) + String(grid[r])))
    }

    // x axis: a rule with + at decades, labels centred under them when they fit.
    var rule = [Character](repeating: "-", count: plotWidth)
    var labelLine = [Character](repeating: " ", count: plotWidth + labelWidth + 2)
    var nextFree = 0
    for decade in xLow...xHigh {
      let c = column(Double(decade))
      rule[c] = "+"
      let label = Array(Self.label(decade: decade, axis: xAxis))
      var start = labelWidth + 2 + c - label.count / 2
      start = min(max(start, 0), labelLine.count - label.count)
      if start >= nextFree {
        for (k, ch) in label.enumerated() { labelLine[start + k] = ch }
        nextFree = start + label.count + 1
      }
    }
    lines.append(String(repeating: " ", count: labelWidth + 1) + "+" + String(rule))
    lines.append(trimmed(String(labelLine)))
    let title = xTitle + " (log)"
    lines.append(
      String(repeating: " ", count: max(0, labelWidth + 2 + plotWidth - title.count)) + title)

    var legend = series.map { "\($0.mark) \($0.name)" }
    if grid.contains(where: { $0.contains("*") }) { legend.append("* several") }
    lines.append(
      trimmed(String(repeating: " ", count: labelWidth + 2) + legend.joined(separator: "   ")))
    return lines.joined(separator: "\n") + "\n"
  }

  /// The cell (0..<count) of a position on the grid, rounded; a position off the grid (or not
  /// a number) is clamped to it, so no value can trap.
  static func cell(_ position: Double, count: Int) -> Int {
    let rounded = position.rounded()
    guard let index = Int(exactly: rounded.isNaN ? 0 : max(0, min(rounded, Double(count - 1))))
    else { return 0 }
    return index
  }

  /// Whole decades covering `values` (log10 of finite positive numbers, so within ±324); at
  /// least one decade wide.
  static func decadeRange(_ values: [Double]) -> (Int, Int) {
    let low = Int(exactly: max(-400, values.min()!.rounded(.down))) ?? -400
    var high = Int(exactly: min(400, values.max()!.rounded(.up))) ?? 400
    if high <= low { high = low + 1 }
    return (low, high)
  }

  /// The tick label of 10^decade.
  static func label(decade: Int, axis: Axis) -> String {
    switch axis {
    case .count:
      if decade < 0 { return "1e\(decade)" }
      if decade > 12 { return "1e\(decade)" }
      var n = 1
      for _ in 0..<decade { n *= 10 }
      return Format.count(n)
    case .seconds:
      let units = [(-9, "ns"), (-6, "µs"), (-3, "ms"), (0, "s")]
      let unit = units.last(where: { $0.0 <= decade }) ?? units[0]
      let exponent = decade - unit.0
      if exponent < 0 || exponent > 2 { return "1e\(decade)s" }
      return ["1", "10", "100"][exponent] + unit.1
    }
  }

  private func trimmed(_ line: String) -> String {
    String(line.reversed().drop(while: { $0 == " " }).reversed())
  }
}
