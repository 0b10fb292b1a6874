/// A table of strings that renders as aligned plain text or as Markdown.
///
/// Reports build one table and choose the rendering at the end, so the terminal output and the
/// `--markdown` export never disagree on content. Widths count characters (grapheme clusters),
/// which is right for the ASCII, `µ` and `×` that brl prints.
///
///     var table = TextTable(columns: [.init("N"), .init("time")])
///     table.append(["1M", "12.3ms"])
///     print(table.text())
///     //  N    time
///     // --  ------
///     // 1M  12.3ms
public struct TextTable: Sendable, Equatable {
  /// How a column's cells line up.
  public enum Alignment: Sendable {
    case left
    case right
  }

  /// A column header and its alignment.
  public struct Column: Sendable, Equatable {
    public var title: String
    public var alignment: Alignment

    public init(_ title: String, _ alignment: Alignment = .right) {
      self.title = title
      self.alignment = alignment
    }
  }

  public var columns: [Column]
  public private(set) var rows: [[String]] = []

  public init(columns: [Column]) {
    self.columns = columns
  }

  /// Appends a row; missing cells are empty, extra cells are dropped.
  public mutating func append(_ row: [String]) {
    rows.append((0..<columns.count).map { $0 < row.count ? row[$0] : "" })
  }

  /// Columns separated by two spaces, a dashed rule under the header, no trailing spaces.
  public func text() -> String {
    let widths = columns.indices.map { c in
      ([columns[c].title] + rows.map { $0[c] }).map(\.count).max() ?? 0
    }
    func line(_ cells: [String]) -> String {
      var parts: [String] = []
      for (c, cell) in cells.enumerated() {
        let padding = String(repeating: " ", count: widths[c] - cell.count)
        parts.append(columns[c].alignment == .right ? padding + cell : cell + padding)
      }
      return String(parts.joined(separator: "  ").reversed().drop(while: { $0 == " " }).reversed())
    }
    var lines = [line(columns.map(\.title))]
    lines.append(line(widths.map { String(repeating: "-", count: $0) }))
    lines += rows.map(line)
    return lines.joined(separator: "\n") + "\n"
  }

  /// A GitHub-flavoured Markdown table (pipes in cells escaped).
  public func markdown() -> String {
    func escape(_ cell: String) -> String { cell.replacingPipes() }
    var lines = ["| " + columns.map { escape($0.title) }.joined(separator: " | ") + " |"]
    lines.append(
      "|" + columns.map { $0.alignment == .right ? " ---: " : " :--- " }.joined(separator: "|")
        + "|")
    lines += rows.map { "| " + $0.map(escape).joined(separator: " | ") + " |" }
    return lines.joined(separator: "\n") + "\n"
  }
}

extension String {
  fileprivate func replacingPipes() -> String {
    var result = ""
    for character in self {
      if character == "|" { result += "\\|" } else { result.append(character) }
    }
    return result
  }
}
