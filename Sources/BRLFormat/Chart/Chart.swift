/// A chart as data: two axes, series of points, reference lines and a legend, rendered to SVG
/// by ``svg(standalone:)``. It holds no drawing logic of its own callers need to know; pages
/// build a `Chart` from their numbers and ask for its SVG.
///
///     var chart = Chart(
///       id: "time-vs-n", title: "RS loss: time against N",
///       x: .init(title: "N (negatives)", kind: .log, format: .count),
///       y: .init(title: "median time", kind: .log, format: .seconds))
///     chart.series.append(
///       .init(name: "exact", style: ChartStyle.palette[2],
///             points: [.init(x: 1e4, y: 2e-3, low: 1.9e-3, high: 2.4e-3)]))
///     let svg = chart.svg(standalone: true)
///
/// Points that cannot be drawn (NaN, ±∞, ≤ 0 on a log axis) are left out of the picture and
/// counted in ``Series/undrawable``; the rendered SVG never contains a non-finite number.
public struct Chart: Sendable {
  /// One axis: its title (with the unit), scale and tick labels.
  public struct Axis: Sendable {
    public var title: String
    public var kind: ChartScale.Kind
    public var format: ChartTicks.Format
    /// A fixed domain; nil: the data's range, rounded out to ticks.
    public var domain: ClosedRange<Double>?
    /// Linear axes: make the domain include 0.
    public var includesZero: Bool

    public init(
      title: String, kind: ChartScale.Kind = .linear, format: ChartTicks.Format = .plain,
      domain: ClosedRange<Double>? = nil, includesZero: Bool = false
    ) {
      self.title = title
      self.kind = kind
      self.format = format
      self.domain = domain
      self.includesZero = includesZero
    }
  }

  /// One data point, with an optional interval (a min–max whisker or a bin's range).
  public struct Point: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public var low: Double?
    public var high: Double?
    /// Drawn with a ring (a regression, a failed check).
    public var flagged: Bool

    public init(
      x: Double, y: Double, low: Double? = nil, high: Double? = nil, flagged: Bool = false
    ) {
      self.x = x
      self.y = y
      self.low = low
      self.high = high
      self.flagged = flagged
    }
  }

  /// How a series is drawn.
  public enum SeriesKind: String, Sendable {
    /// Markers joined by a line; intervals as whiskers with caps.
    case line
    /// Markers only; intervals as whiskers.
    case markers
    /// A shaded band from each point's low to high, the points (means) joined by a line, no
    /// markers: many binned values.
    case band
  }

  public struct Series: Sendable {
    public var name: String
    public var style: ChartStyle
    public var kind: SeriesKind
    public var points: [Point]
    /// x values measured for other series but skipped for this one (over a time budget): drawn
    /// as open triangles on the top edge.
    public var skippedX: [Double]

    public init(
      name: String, style: ChartStyle, kind: SeriesKind = .line, points: [Point],
      skippedX: [Double] = []
    ) {
      self.name = name
      self.style = style
      self.kind = kind
      self.points = points
      self.skippedX = skippedX
    }
  }

  /// A horizontal line across the plot (a threshold), labelled at its right end.
  public struct Rule: Sendable {
    public var y: Double
    public var label: String
    public var colour: String
    public var dash: String?

    public init(y: Double, label: String, colour: String = "#000000", dash: String? = "4 3") {
      self.y = y
      self.label = label
      self.colour = colour
      self.dash = dash
    }
  }

  /// A stable identifier: the file name of the standalone SVG (without `.svg`) and the prefix
  /// of the ids inside it. Letters, digits, `-` and `_` only (others become `-`).
  public var id: String
  /// The chart's title, drawn on top and its `<title>`.
  public var title: String
  public var x: Axis
  public var y: Axis
  public var series: [Series]
  public var rules: [Rule]
  /// Lines of small text under the legend (what the reference is, how the data was binned).
  public var notes: [String]
  /// What a flagged point means, for the legend (nil: no legend entry).
  public var flagLabel: String?
  /// The width in SVG units; 340 units are drawn 85 mm wide in a standalone SVG, a column.
  public var width: Double
  /// The height of the plot area.
  public var plotHeight: Double

  public init(
    id: String, title: String, x: Axis, y: Axis, series: [Series] = [], rules: [Rule] = [],
    notes: [String] = [], flagLabel: String? = nil, width: Double = 340, plotHeight: Double = 170
  ) {
    self.id = String(
      id.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") ? $0 : "-" })
    self.title = title
    self.x = x
    self.y = y
    self.series = series
    self.rules = rules
    self.notes = notes
    self.flagLabel = flagLabel
    self.width = width
    self.plotHeight = plotHeight
  }
}

/// A series' look: colour, dash pattern and marker, so series differ in greyscale too.
public struct ChartStyle: Sendable, Equatable {
  public enum Marker: String, Sendable, CaseIterable {
    case circle, square, triangle, diamond, triangleDown, cross, plus, none
  }

  /// `#rrggbb`.
  public var colour: String
  /// An SVG `stroke-dasharray`, nil for solid.
  public var dash: String?
  public var marker: Marker

  public init(colour: String, dash: String?, marker: Marker) {
    self.colour = colour
    self.dash = dash
    self.marker = marker
  }

  /// Okabe and Ito's colour-blind-safe colours (yellow left out: too light on white), each
  /// with its own dash and marker.
  public static let palette: [ChartStyle] = [
    .init(colour: "#0072B2", dash: nil, marker: .circle),
    .init(colour: "#D55E00", dash: "6 3", marker: .triangle),
    .init(colour: "#009E73", dash: "2 2", marker: .square),
    .init(colour: "#000000", dash: "8 3 2 3", marker: .diamond),
    .init(colour: "#CC79A7", dash: "1 3", marker: .triangleDown),
    .init(colour: "#E69F00", dash: "10 4", marker: .cross),
    .init(colour: "#56B4E9", dash: "4 2 1 2", marker: .plus),
  ]

  /// The `i`-th style, cycling.
  public static func at(_ i: Int) -> ChartStyle {
    palette[((i % palette.count) + palette.count) % palette.count]
  }
}
