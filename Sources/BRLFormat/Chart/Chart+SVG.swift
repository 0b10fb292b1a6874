import Foundation

/// Rendering a ``Chart`` as SVG.
///
/// The layout, in SVG units (a standalone file maps ``Chart/width`` units to 85 mm, so 10-unit
/// text prints at about 7.5 pt): the title on top, the y-axis title rotated on the left, the
/// plot area with a light grid at the ticks, tick labels, the x-axis title, then the legend
/// (one entry per series with its line sample, dash and marker, packed into rows) and the notes.
///
/// Structure, relied on by tests and stable: the plot area is `<rect class="plot-area">`; each
/// axis is a `<g class="axis x|y">` with `data-scale` and `data-domain="low high"`; each series
/// is a `<g class="series" data-name=…>` whose marks are `<path class="mark" d="Mx y…">` (the
/// mark's centre first) and whose band points are `<path class="band-point" d="Mx y">` per
/// binned point; every text and attribute is escaped (``XMLEscape``); every number is finite,
/// printed with at most two decimals. The same chart gives the same bytes.
extension Chart {
  static let fontSize = 10.0
  static let fontFamily = "Helvetica, Arial, sans-serif"

  /// An estimate of the width of `text` at `size` (no font metrics without a font: 0.56 em per
  /// character is generous for Helvetica digits and lower case).
  static func textWidth(_ text: String, size: Double = fontSize) -> Double {
    Double(text.count) * size * 0.56
  }

  /// The data range drawn on one axis.
  struct ResolvedAxis {
    var scale: ChartScale
    var ticks: [Double]
    var step: Double?
    var labels: [String]
  }

  func dataValues(x isX: Bool) -> [Double] {
    var values: [Double] = []
    for s in series {
      for p in s.points {
        if isX {
          values.append(p.x)
        } else {
          values.append(p.y)
          if let low = p.low { values.append(low) }
          if let high = p.high { values.append(high) }
        }
      }
      if isX { values += s.skippedX }
    }
    if !isX { values += rules.map(\.y) }
    return values
  }

  func resolve(_ axis: Axis, values: [Double], range: (Double, Double)) -> ResolvedAxis {
    let probe = ChartScale(kind: axis.kind, domain: 1...10, range: (0, 1))
    var usable = values.filter { probe.canPlace($0) }
    if axis.includesZero && axis.kind == .linear { usable.append(0) }
    let (domain, ticks): (ClosedRange<Double>, [Double])
    if let fixed = axis.domain {
      let chosen = ChartTicks.choose(
        kind: axis.kind, low: fixed.lowerBound, high: fixed.upperBound)
      domain = ChartScale(kind: axis.kind, domain: fixed, range: (0, 1)).domain
      ticks = chosen.ticks.filter { $0 >= domain.lowerBound && $0 <= domain.upperBound }
    } else if let low = usable.min(), let high = usable.max() {
      (domain, ticks) = ChartTicks.choose(kind: axis.kind, low: low, high: high)
    } else {
      (domain, ticks) = ChartTicks.choose(
        kind: axis.kind, low: axis.kind == .log ? 1 : 0, high: axis.kind == .log ? 10 : 1)
    }
    let step = axis.kind == .linear && ticks.count > 1 ? ticks[1] - ticks[0] : nil
    return ResolvedAxis(
      scale: ChartScale(kind: axis.kind, domain: domain, range: range), ticks: ticks, step: step,
      labels: ticks.map { ChartTicks.label($0, format: axis.format, step: step) })
  }

  /// A legend entry: a sample of a series' line and marker, or of a special mark.
  struct LegendEntry {
    enum Sample {
      case series(ChartStyle, SeriesKind)
      case skipped(String)
      case flag
      case rule(Rule)
    }
    var sample: Sample
    var label: String
    var width: Double { 26 + Chart.textWidth(label) }
  }

  func legendEntries() -> [LegendEntry] {
    var entries = series.map { LegendEntry(sample: .series($0.style, $0.kind), label: $0.name) }
    if let skipped = series.first(where: { !$0.skippedX.isEmpty }) {
      entries.append(.init(sample: .skipped(skipped.style.colour), label: "skipped (budget)"))
    }
    if let flagLabel, series.contains(where: { $0.points.contains(where: \.flagged) }) {
      entries.append(.init(sample: .flag, label: flagLabel))
    }
    return entries
  }

  /// Legend entries packed into rows no wider than `width`.
  static func pack(_ entries: [LegendEntry], width: Double) -> [[LegendEntry]] {
    var rows: [[LegendEntry]] = []
    var current: [LegendEntry] = []
    var used = 0.0
    for entry in entries {
      let needed = entry.width + (current.isEmpty ? 0 : 12)
      if !current.isEmpty && used + needed > width {
        rows.append(current)
        current = []
        used = 0
      }
      used += entry.width + (current.isEmpty ? 0 : 12)
      current.append(entry)
    }
    if !current.isEmpty { rows.append(current) }
    return rows
  }

  /// The chart as SVG. `standalone`: a complete `.svg` file (XML declaration, namespace,
  /// physical size 85 mm wide); otherwise an `<svg>` element to inline in HTML (sized by CSS).
  public func svg(standalone: Bool = false) -> String {
    let fs = Self.fontSize
    let yProbe = resolve(y, values: dataValues(x: false), range: (0, 1))
    let yLabelWidth = yProbe.labels.map { Self.textWidth($0) }.max() ?? 0
    let left = (14 + 4 + yLabelWidth + 6).rounded(.up)
    let right = 12.0
    let top = 8 + fs * 1.1 + 8
    let plotWidth = width - left - right
    let plotBottom = top + plotHeight
    let xAxis = resolve(x, values: dataValues(x: true), range: (left, left + plotWidth))
    let yAxis = resolve(y, values: dataValues(x: false), range: (plotBottom, top))
    let legendRows = Self.pack(legendEntries(), width: width - 16)
    let noteLines = notes.flatMap { Self.wrap($0, width: width - 16, size: fs * 0.85) }
    var height = plotBottom + 4 + fs + 4 + fs + 8
    height += Double(legendRows.count) * (fs + 4) + (legendRows.isEmpty ? 0 : 2)
    height += Double(noteLines.count) * (fs * 0.85 + 3) + 4

    var out = ""
    let n = Self.number
    if standalone {
      out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      let mm = 85.0
      out +=
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(n(mm))mm\" "
        + "height=\"\(n(mm * height / width))mm\" viewBox=\"0 0 \(n(width)) \(n(height))\""
    } else {
      out += "<svg class=\"chart\" viewBox=\"0 0 \(n(width)) \(n(height))\""
    }
    out +=
      " role=\"img\" aria-labelledby=\"\(id)-title\" font-family=\(XMLEscape.attribute(Self.fontFamily))"
      + " font-size=\"\(n(fs))\" data-chart=\(XMLEscape.attribute(id))>\n"
    out += "<title id=\"\(id)-title\">\(XMLEscape.text(title))</title>\n"
    out += "<rect width=\"\(n(width))\" height=\"\(n(height))\" fill=\"#ffffff\"/>\n"
    out +=
      "<text class=\"chart-title\" x=\"\(n(width / 2))\" y=\"\(n(8 + fs))\" text-anchor=\"middle\" "
      + "font-size=\"\(n(fs * 1.1))\" font-weight=\"bold\">\(XMLEscape.text(Self.fit(title, width: width - 8, size: fs * 1.1)))</text>\n"
    out +=
      "<defs><clipPath id=\"\(id)-clip\"><rect x=\"\(n(left - 6))\" y=\"\(n(top - 6))\" "
      + "width=\"\(n(plotWidth + 12))\" height=\"\(n(plotHeight + 12))\"/></clipPath></defs>\n"
    out +=
      "<rect class=\"plot-area\" x=\"\(n(left))\" y=\"\(n(top))\" width=\"\(n(plotWidth))\" "
      + "height=\"\(n(plotHeight))\" fill=\"none\" stroke=\"#444444\" stroke-width=\"0.8\"/>\n"

    // Axes: grid, ticks, labels, titles.
    out +=
      "<g class=\"axis x\" data-scale=\"\(x.kind.rawValue)\" data-domain=\"\(Self.exact(xAxis.scale.domain.lowerBound)) \(Self.exact(xAxis.scale.domain.upperBound))\">\n"
    var lastLabelEnd = -Double.infinity
    for (tick, label) in zip(xAxis.ticks, xAxis.labels) {
      guard let px = xAxis.scale.position(tick) else { continue }
      out +=
        "<line x1=\"\(n(px))\" y1=\"\(n(top))\" x2=\"\(n(px))\" y2=\"\(n(plotBottom))\" stroke=\"#e3e3e3\" stroke-width=\"0.6\"/>"
      out +=
        "<line x1=\"\(n(px))\" y1=\"\(n(plotBottom))\" x2=\"\(n(px))\" y2=\"\(n(plotBottom + 3))\" stroke=\"#444444\" stroke-width=\"0.8\"/>"
      let w = Self.textWidth(label)
      if px - w / 2 > lastLabelEnd + 3 {
        out +=
          "<text class=\"tick\" x=\"\(n(px))\" y=\"\(n(plotBottom + 4 + fs))\" text-anchor=\"middle\">\(XMLEscape.text(label))</text>"
        lastLabelEnd = px + w / 2
      }
      out += "\n"
    }
    out +=
      "<text class=\"axis-title\" x=\"\(n(left + plotWidth / 2))\" y=\"\(n(plotBottom + 8 + 2 * fs))\" text-anchor=\"middle\">\(XMLEscape.text(x.title))</text>\n"
    out += "</g>\n"
    out +=
      "<g class=\"axis y\" data-scale=\"\(y.kind.rawValue)\" data-domain=\"\(Self.exact(yAxis.scale.domain.lowerBound)) \(Self.exact(yAxis.scale.domain.upperBound))\">\n"
    var lastLabelTop = Double.infinity
    for (tick, label) in zip(yAxis.ticks, yAxis.labels) {
      guard let py = yAxis.scale.position(tick) else { continue }
      out +=
        "<line x1=\"\(n(left))\" y1=\"\(n(py))\" x2=\"\(n(left + plotWidth))\" y2=\"\(n(py))\" stroke=\"#e3e3e3\" stroke-width=\"0.6\"/>"
      out +=
        "<line x1=\"\(n(left - 3))\" y1=\"\(n(py))\" x2=\"\(n(left))\" y2=\"\(n(py))\" stroke=\"#444444\" stroke-width=\"0.8\"/>"
      if py + fs / 2 < lastLabelTop - 1 {
        out +=
          "<text class=\"tick\" x=\"\(n(left - 5))\" y=\"\(n(py + fs * 0.35))\" text-anchor=\"end\">\(XMLEscape.text(label))</text>"
        lastLabelTop = py - fs / 2
      }
      out += "\n"
    }
    let yTitleX = 4 + fs
    out +=
      "<text class=\"axis-title\" transform=\"translate(\(n(yTitleX)) \(n(top + plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\">\(XMLEscape.text(Self.fit(y.title, width: plotHeight + top, size: fs)))</text>\n"
    out += "</g>\n"

    // Reference lines.
    for rule in rules {
      guard let py = yAxis.scale.position(rule.y), yAxis.scale.contains(rule.y) else { continue }
      out +=
        "<g class=\"rule\" data-y=\"\(Self.exact(rule.y))\"><line x1=\"\(n(left))\" y1=\"\(n(py))\" x2=\"\(n(left + plotWidth))\" y2=\"\(n(py))\" stroke=\(XMLEscape.attribute(rule.colour)) stroke-width=\"1\""
        + (rule.dash.map { " stroke-dasharray=\(XMLEscape.attribute($0))" } ?? "") + "/>"
      out +=
        "<text x=\"\(n(left + plotWidth - 3))\" y=\"\(n(py - 3))\" text-anchor=\"end\" font-size=\"\(n(fs * 0.85))\" fill=\(XMLEscape.attribute(rule.colour))>\(XMLEscape.text(rule.label))</text></g>\n"
    }

    // Series.
    for s in series {
      out += series(s, xAxis.scale, yAxis.scale, top: top)
    }

    // Legend and notes.
    var rowY = plotBottom + 8 + 2 * fs + 6
    if !legendRows.isEmpty { out += "<g class=\"legend\">\n" }
    for row in legendRows {
      rowY += fs + 4
      let total = row.map(\.width).reduce(0, +) + Double(row.count - 1) * 12
      var cx = max(8, (width - total) / 2)
      for entry in row {
        out += legendSample(entry.sample, x: cx, y: rowY - fs * 0.35)
        out +=
          "<text x=\"\(n(cx + 26))\" y=\"\(n(rowY))\">\(XMLEscape.text(entry.label))</text>\n"
        cx += entry.width + 12
      }
    }
    if !legendRows.isEmpty { out += "</g>\n" }
    rowY += 2
    for line in noteLines {
      rowY += fs * 0.85 + 3
      out +=
        "<text class=\"note\" x=\"8\" y=\"\(n(rowY))\" font-size=\"\(n(fs * 0.85))\" fill=\"#333333\">\(XMLEscape.text(line))</text>\n"
    }
    out += "</svg>\n"
    return out
  }

  private func series(_ s: Series, _ xs: ChartScale, _ ys: ChartScale, top: Double) -> String {
    let n = Self.number
    let style = s.style
    let colour = XMLEscape.attribute(style.colour)
    let dash = style.dash.map { " stroke-dasharray=\(XMLEscape.attribute($0))" } ?? ""
    var out =
      "<g class=\"series\" data-name=\(XMLEscape.attribute(s.name)) data-kind=\"\(s.kind.rawValue)\" clip-path=\"url(#\(id)-clip)\">\n"
    // Points in x order, placed; the rest are left out.
    let placed = s.points.sorted { $0.x < $1.x }.compactMap {
      p -> (p: Point, x: Double, y: Double)? in
      guard let px = xs.position(p.x), let py = ys.position(p.y) else { return nil }
      return (p, px, py)
    }
    if s.kind == .band {
      let withRange = placed.compactMap { q -> (Double, Double, Double)? in
        guard let low = q.p.low, let high = q.p.high, let pl = ys.position(low),
          let ph = ys.position(high)
        else { return nil }
        return (q.x, pl, ph)
      }
      if !withRange.isEmpty {
        var d = "M" + withRange.map { "\(n($0.0)) \(n($0.2))" }.joined(separator: "L")
        d += "L" + withRange.reversed().map { "\(n($0.0)) \(n($0.1))" }.joined(separator: "L") + "Z"
        out +=
          "<path class=\"band\" d=\"\(d)\" fill=\(colour) fill-opacity=\"0.2\" stroke=\(colour) stroke-opacity=\"0.5\" stroke-width=\"0.4\"/>\n"
      }
    }
    if s.kind != .markers && placed.count > 1 {
      let d = "M" + placed.map { "\(n($0.x)) \(n($0.y))" }.joined(separator: "L")
      out +=
        "<path class=\"line\" d=\"\(d)\" fill=\"none\" stroke=\(colour) stroke-width=\"1.3\"\(dash)/>\n"
    }
    if s.kind == .band {
      for q in placed { out += "<path class=\"band-point\" d=\"M\(n(q.x)) \(n(q.y))\"/>" }
      if !placed.isEmpty { out += "\n" }
    } else {
      for q in placed {
        if let low = q.p.low, let high = q.p.high, let pl = ys.position(low),
          let ph = ys.position(high), abs(pl - ph) > 0.5
        {
          out +=
            "<path class=\"whisker\" d=\"M\(n(q.x)) \(n(pl))V\(n(ph))M\(n(q.x - 2.5)) \(n(pl))h5M\(n(q.x - 2.5)) \(n(ph))h5\" stroke=\(colour) stroke-width=\"0.8\" fill=\"none\"/>"
        }
        out += Self.marker(style, x: q.x, y: q.y, cssClass: "mark")
        if q.p.flagged {
          out +=
            "<circle class=\"flag\" cx=\"\(n(q.x))\" cy=\"\(n(q.y))\" r=\"6\" fill=\"none\" stroke=\"#000000\" stroke-width=\"1.4\"/>"
        }
        out += "\n"
      }
    }
    for sx in s.skippedX {
      guard let px = xs.position(sx) else { continue }
      out +=
        "<path class=\"skipped\" d=\"M\(n(px)) \(n(top + 1))l-3.5 6h7Z\" fill=\"#ffffff\" stroke=\(colour) stroke-width=\"1\"/>\n"
    }
    return out + "</g>\n"
  }

  private func legendSample(_ sample: LegendEntry.Sample, x: Double, y: Double) -> String {
    let n = Self.number
    switch sample {
    case .series(let style, let kind):
      let colour = XMLEscape.attribute(style.colour)
      var out = ""
      if kind == .band {
        out +=
          "<rect x=\"\(n(x))\" y=\"\(n(y - 4))\" width=\"22\" height=\"8\" fill=\(colour) fill-opacity=\"0.2\"/>"
      }
      if kind != .markers {
        out +=
          "<line x1=\"\(n(x))\" y1=\"\(n(y))\" x2=\"\(n(x + 22))\" y2=\"\(n(y))\" stroke=\(colour) stroke-width=\"1.3\""
          + (style.dash.map { " stroke-dasharray=\(XMLEscape.attribute($0))" } ?? "") + "/>"
      }
      if kind != .band { out += Self.marker(style, x: x + 11, y: y, cssClass: "legend-mark") }
      return out
    case .skipped(let colour):
      return
        "<path d=\"M\(n(x + 11)) \(n(y - 3.5))l-3.5 6h7Z\" fill=\"#ffffff\" stroke=\(XMLEscape.attribute(colour)) stroke-width=\"1\"/>"
    case .flag:
      return
        "<circle cx=\"\(n(x + 11))\" cy=\"\(n(y))\" r=\"6\" fill=\"none\" stroke=\"#000000\" stroke-width=\"1.4\"/>"
    case .rule(let rule):
      return
        "<line x1=\"\(n(x))\" y1=\"\(n(y))\" x2=\"\(n(x + 22))\" y2=\"\(n(y))\" stroke=\(XMLEscape.attribute(rule.colour))/>"
    }
  }

  /// A marker centred on (x, y): its path starts at the centre (`Mx y`), then draws the shape.
  static func marker(_ style: ChartStyle, x: Double, y: Double, cssClass: String) -> String {
    let n = number
    let r = 3.2
    let shape: String
    var filled = true
    switch style.marker {
    case .circle:
      shape =
        "m-\(n(r)) 0a\(n(r)) \(n(r)) 0 1 0 \(n(2 * r)) 0a\(n(r)) \(n(r)) 0 1 0 -\(n(2 * r)) 0Z"
    case .square:
      shape = "m-\(n(r * 0.9)) -\(n(r * 0.9))h\(n(1.8 * r))v\(n(1.8 * r))h-\(n(1.8 * r))Z"
    case .triangle:
      shape = "m0 -\(n(r * 1.2))l\(n(r * 1.1)) \(n(r * 1.9))h-\(n(r * 2.2))Z"
    case .triangleDown:
      shape = "m0 \(n(r * 1.2))l\(n(r * 1.1)) -\(n(r * 1.9))h-\(n(r * 2.2))Z"
    case .diamond:
      shape =
        "m0 -\(n(r * 1.3))l\(n(r * 1.1)) \(n(r * 1.3))l-\(n(r * 1.1)) \(n(r * 1.3))l-\(n(r * 1.1)) -\(n(r * 1.3))Z"
    case .cross:
      filled = false
      shape = "m-\(n(r)) -\(n(r))l\(n(2 * r)) \(n(2 * r))m0 -\(n(2 * r))l-\(n(2 * r)) \(n(2 * r))"
    case .plus:
      filled = false
      shape = "m-\(n(r * 1.2)) 0h\(n(2.4 * r))m-\(n(1.2 * r)) -\(n(1.2 * r))v\(n(2.4 * r))"
    case .none:
      filled = false
      shape = ""
    }
    let colour = XMLEscape.attribute(style.colour)
    let paint =
      filled
      ? "fill=\(colour) stroke=\"#ffffff\" stroke-width=\"0.5\""
      : "fill=\"none\" stroke=\(colour) stroke-width=\"1.3\""
    return "<path class=\"\(cssClass)\" d=\"M\(n(x)) \(n(y))\(shape)\" \(paint)/>"
  }

  /// A coordinate: finite, at most two decimals, no trailing zeros (`12.5`, `3`, `-0.25`).
  static func number(_ value: Double) -> String {
    guard value.isFinite else { return "0" }
    let rounded = (value * 100).rounded() / 100
    if rounded == rounded.rounded() && abs(rounded) < 1e15 {
      return String(format: "%.0f", rounded)
    }
    var s = String(format: "%.2f", rounded)
    while s.hasSuffix("0") { s.removeLast() }
    return s
  }

  /// A data value in full precision (for `data-` attributes): `%.17g`, finite.
  static func exact(_ value: Double) -> String {
    guard value.isFinite else { return "0" }
    return String(format: "%.17g", value)
  }

  /// How many characters of font `size` fit `width` (an average glyph is 0.56 em), or nil when
  /// that is not a count (a zero or non-finite size).
  static func characters(width: Double, size: Double) -> Int? {
    Int(exactly: (width / (size * 0.56)).rounded(.down))
  }

  /// `text` cut with an ellipsis to fit `width`.
  static func fit(_ text: String, width: Double, size: Double) -> String {
    let most = characters(width: width, size: size) ?? 1
    return text.count <= most ? text : String(text.prefix(max(most - 1, 1))) + "…"
  }

  /// `text` broken at spaces into lines that fit `width`.
  static func wrap(_ text: String, width: Double, size: Double) -> [String] {
    let most = max(characters(width: width, size: size) ?? 10, 10)
    var lines: [String] = []
    var line = ""
    for word in text.split(separator: " ") {
      if !line.isEmpty && line.count + 1 + word.count > most {
        lines.append(line)
        line = ""
      }
      line += (line.isEmpty ? "" : " ") + word
    }
    if !line.isEmpty { lines.append(line) }
    return lines.map { fit($0, width: width, size: size) }
  }
}
