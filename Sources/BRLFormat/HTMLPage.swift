import Foundation

/// A self-contained HTML page: inline CSS and inline SVG charts, no script, and nothing
/// fetched from anywhere (no link, font, image or URL), so it works opened from disk with no
/// network. It is also well-formed XML (polyglot markup: every element closed, every text and
/// attribute escaped by ``XMLEscape``), so a test can parse it.
///
///     var page = HTMLPage(title: "brl report: run 3")
///     page.heading("RS loss, δ = 0.5")
///     page.chart(chart)
///     page.table(table)
///     try page.write(to: "report.html")
public struct HTMLPage: Sendable {
  /// How a table cell is coloured.
  public enum Tone: String, Sendable {
    case good, bad, note, muted
  }

  public var title: String
  private var body = ""

  public init(title: String) {
    self.title = title
  }

  /// `<h1>`…`<h3>`.
  public mutating func heading(_ text: String, level: Int = 2) {
    let level = min(max(level, 1), 3)
    body += "<h\(level)>\(XMLEscape.text(text))</h\(level)>\n"
  }

  /// A paragraph; `tone` colours it (a verdict).
  public mutating func paragraph(_ text: String, tone: Tone? = nil) {
    body += "<p" + (tone.map { " class=\"\($0.rawValue)\"" } ?? "") + ">"
    body += XMLEscape.text(text) + "</p>\n"
  }

  /// Preformatted text (a run header).
  public mutating func preformatted(_ text: String) {
    body += "<pre>\(XMLEscape.text(text))</pre>\n"
  }

  /// Charts side by side where the window is wide enough.
  public mutating func charts(_ charts: [Chart]) {
    guard !charts.isEmpty else { return }
    body += "<div class=\"charts\">\n"
    for chart in charts { body += "<figure>\n" + chart.svg() + "</figure>\n" }
    body += "</div>\n"
  }

  /// A table with a header row; `tone(row, column)` may colour a cell.
  public mutating func table(
    _ table: TextTable, caption: String? = nil, tone: (Int, Int) -> Tone? = { _, _ in nil }
  ) {
    body += "<table>\n"
    if let caption { body += "<caption>\(XMLEscape.text(caption))</caption>\n" }
    body += "<thead><tr>"
    for column in table.columns {
      body +=
        "<th\(column.alignment == .left ? " class=\"l\"" : "")>\(XMLEscape.text(column.title))</th>"
    }
    body += "</tr></thead>\n<tbody>\n"
    for (r, row) in table.rows.enumerated() {
      body += "<tr>"
      for (c, cell) in row.enumerated() {
        var classes: [String] = []
        if c < table.columns.count, table.columns[c].alignment == .left { classes.append("l") }
        if let t = tone(r, c) { classes.append(t.rawValue) }
        body +=
          "<td" + (classes.isEmpty ? "" : " class=\"\(classes.joined(separator: " "))\"") + ">"
        body += XMLEscape.text(cell) + "</td>"
      }
      body += "</tr>\n"
    }
    body += "</tbody>\n</table>\n"
  }

  /// Opens (`<section>`) a block, closed by ``closeSection()``.
  public mutating func openSection() { body += "<section>\n" }
  public mutating func closeSection() { body += "</section>\n" }

  static let style = """
    body{font-family:Helvetica,Arial,sans-serif;margin:1.5em auto;max-width:1100px;padding:0 1em;\
    color:#1a1a1a;background:#ffffff}
    h1{font-size:1.4em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #ccc}\
    h3{font-size:1.05em}
    pre{background:#f5f5f5;padding:.6em;overflow-x:auto;font-size:.85em}
    .charts{display:flex;flex-wrap:wrap;gap:12px}
    figure{margin:0;flex:0 1 520px;min-width:320px}
    svg.chart{width:100%;height:auto;display:block}
    table{border-collapse:collapse;margin:.8em 0;font-size:.85em;font-variant-numeric:tabular-nums}
    caption{text-align:left;font-weight:bold;padding:.3em 0}
    th,td{border:1px solid #d0d0d0;padding:.2em .5em;text-align:right}
    th.l,td.l{text-align:left}
    thead{background:#f0f0f0}
    .good{background:#d9f0e3;color:#004d33}.bad{background:#fbe0d6;color:#8a2b00;font-weight:bold}
    .note{background:#fff3d6}.muted{color:#777777}
    p.good,p.bad,p.note{padding:.4em .6em}
    section{margin-bottom:2em}
    """

  /// The whole page.
  public func render() -> String {
    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
      + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
      + "<title>\(XMLEscape.text(title))</title>\n<style>\n\(Self.style)\n</style>\n</head>\n<body>\n"
      + "<h1>\(XMLEscape.text(title))</h1>\n" + body + "</body>\n</html>\n"
  }

  /// Writes the page atomically (``AtomicFile``).
  public func write(to path: String) throws {
    try AtomicFile.write(Data(render().utf8), to: path)
  }
}
