import BRLFormat
import Foundation
import RankingLosses

/// The page of `brl verify INPUT… --html FILE`: a section per input with its gradients as
/// charts (binned by logit, so the page stays small whatever N), the results and the check
/// table with coloured verdicts.
///
/// Per input, for each loss and δ (chart ids `verify-<input>-<loss>-d<δ>-…`):
/// - `grad-neg`, `grad-pos`: the gradient of each method against the logit, negatives and
///   positives apart; per logit bin a band from the bin's min to its max and a line through the
///   bin means. In sample mode the naive definition is drawn as its sample points (at most
///   ``maxSamplePoints`` of them, evenly chosen).
/// - `diff`: bucketed − reference per bin (reference: naive where it ran in full, else exact;
///   the chart says which), negatives and positives as two series.
/// - `maxdiff` (when several δ): max |Δgrad| of each check against δ, log scale.
/// - `images` (`--group image`): each image's loss, per method.
public struct VerifyPage: Sendable {
  /// One input's results.
  public struct Section: Sendable {
    public var input: String
    /// The header line (N, P, how naive ran).
    public var header: String
    public var outcome: VerificationOutcome?
    /// Why the input could not be checked.
    public var error: String?
    public var results: TextTable?
    /// The check table; its column titled `verdict` is coloured.
    public var checks: TextTable?
    public var summary: String?
    public var bins: GradientBinsSnapshot?

    public init(
      input: String, header: String, outcome: VerificationOutcome?, error: String?,
      results: TextTable?, checks: TextTable?, summary: String?, bins: GradientBinsSnapshot?
    ) {
      self.input = input
      self.header = header
      self.outcome = outcome
      self.error = error
      self.results = results
      self.checks = checks
      self.summary = summary
      self.bins = bins
    }
  }

  /// The most sample points drawn per chart.
  public static let maxSamplePoints = 400
  /// The most images drawn in the per-image chart.
  public static let maxImages = 2000

  public var sections: [Section]

  public init(sections: [Section]) {
    self.sections = sections
  }

  static func style(_ method: Method, variant: Bool = false) -> ChartStyle {
    var style = BenchPage.style(method: BenchMethod(method))
    if variant { style.marker = ChartStyle.at(5).marker }
    return style
  }

  /// The charts of section `index`.
  public func charts(section index: Int) -> [Chart] {
    let section = sections[index]
    guard let outcome = section.outcome else { return [] }
    var charts: [Chart] = []
    let prefix = "verify-\(index + 1)"
    var seen = Set<String>()
    for e in outcome.evaluations {
      let key = "\(e.evaluation.loss.rawValue)|\(e.evaluation.delta)"
      guard seen.insert(key).inserted else { continue }
      charts += gradientCharts(
        section, outcome, loss: e.evaluation.loss, delta: e.evaluation.delta, prefix: prefix)
    }
    for loss in outcome.losses {
      let checks = outcome.checks.filter { $0.subject.loss == loss }
      guard Set(checks.map(\.subject.delta)).count > 1 else { continue }
      charts.append(maxDifferenceChart(loss, checks, prefix: prefix))
    }
    if let bins = section.bins, !bins.imageLosses.isEmpty {
      charts += imageCharts(bins, prefix: prefix)
    }
    return charts
  }

  private func gradientCharts(
    _ section: Section, _ outcome: VerificationOutcome, loss: LossKind, delta: Double,
    prefix: String
  ) -> [Chart] {
    guard let bins = section.bins else { return [] }
    let d = BenchPage.idPart(delta)
    let name = "\(LossKind.displayName(ofName: loss.rawValue)) loss, δ = \(Format.number(delta))"
    let id = "\(prefix)-\(loss.rawValue)-d\(d)"
    let binNote =
      "Binned by logit into \(bins.binCount) bins: band = min to max of the bin, line = mean."
    var charts: [Chart] = []
    let mine = bins.gradients.filter { $0.evaluation.loss == loss && $0.evaluation.delta == delta }
    let samples = bins.samples.filter {
      $0.evaluation.loss == loss && $0.evaluation.delta == delta
    }
    for (side, label) in [(false, "negatives"), (true, "positives")] {
      var chart = Chart(
        id: "\(id)-grad-\(side ? "pos" : "neg")", title: "\(name): gradient of the \(label)",
        x: .init(title: "logit", kind: .linear, format: .plain),
        y: .init(title: "∂L/∂logit", kind: .linear, format: .plain, includesZero: true))
      let perImage = mine.contains { $0.evaluation.isPerImage }
      for series in mine {
        // Per image, the batch evaluation (the reported comparison) gets a look of its own.
        let batchAmongPerImage = perImage && !series.evaluation.isPerImage
        chart.series.append(
          .init(
            name: series.evaluation.methodLabel,
            style: batchAmongPerImage
              ? ChartStyle.at(3)
              : Self.style(series.evaluation.method, variant: series.evaluation.variant != nil),
            kind: .band, points: Self.points(side ? series.positives : series.negatives, bins)))
      }
      if !side, let sample = samples.first, !sample.logits.isEmpty {
        let chosen = Self.spread(sample.logits.count, Self.maxSamplePoints)
        chart.series.append(
          .init(
            name: "naive (sampled)", style: ChartStyle(colour: "#000000", dash: nil, marker: .plus),
            kind: .markers,
            points: chosen.map { .init(x: sample.logits[$0], y: sample.naive[$0]) }))
        chart.notes.append(
          "naive (sampled): the definition at \(chosen.count) of the \(sample.logits.count) "
            + "sampled negatives, with \(sample.evaluation.methodLabel)'s weights.")
      }
      chart.notes.append(binNote)
      if chart.series.contains(where: { !$0.points.isEmpty }) { charts.append(chart) }
    }
    let differences = bins.differences.filter {
      $0.evaluation.loss == loss && $0.evaluation.delta == delta
    }
    if let difference = differences.first, let reference = difference.reference {
      let fullNaive = outcome.naive.mode == .full
      var chart = Chart(
        id: "\(id)-diff",
        title: "\(name): \(difference.evaluation.methodLabel) − \(reference.methodLabel)",
        x: .init(title: "logit", kind: .linear, format: .plain),
        y: .init(title: "Δ gradient", kind: .linear, format: .plain, includesZero: true))
      chart.series.append(
        .init(
          name: "negatives", style: ChartStyle.at(0), kind: .band,
          points: Self.points(difference.negatives, bins)))
      chart.series.append(
        .init(
          name: "positives", style: ChartStyle.at(1), kind: .band,
          points: Self.points(difference.positives, bins)))
      chart.notes.append(
        "Reference: \(reference.methodLabel)"
          + (fullNaive
            ? " (naive ran in full)."
            : " (naive did not run in full: exact, equal to naive, is the reference)."))
      chart.notes.append(binNote)
      charts.append(chart)
    }
    return charts
  }

  /// Bins as chart points (empty bins left out): x = bin centre, y = mean, range = min…max.
  static func points(_ bins: [GradientBins.Bin], _ all: GradientBinsSnapshot) -> [Chart.Point] {
    bins.enumerated().compactMap { k, bin in
      guard let mean = bin.mean, let interval = all.interval(ofBin: k) else { return nil }
      return .init(
        x: (interval.lowerBound + interval.upperBound) / 2, y: mean, low: bin.min, high: bin.max)
    }
  }

  /// `wanted` indices evenly spread over `0..<count` (all when count ≤ wanted).
  static func spread(_ count: Int, _ wanted: Int) -> [Int] {
    guard count > wanted else { return Array(0..<count) }
    return (0..<wanted).map { $0 * (count - 1) / max(wanted - 1, 1) }
  }

  private func maxDifferenceChart(_ loss: LossKind, _ checks: [FinishedCheck], prefix: String)
    -> Chart
  {
    var chart = Chart(
      id: "\(prefix)-\(loss.rawValue)-maxdiff",
      title: "\(LossKind.displayName(ofName: loss.rawValue)) loss: max |Δgrad| against δ",
      x: .init(title: "δ", kind: .linear, format: .plain, includesZero: true),
      y: .init(title: "max |Δgrad| (log)", kind: .log, format: .plain),
      flagLabel: "failed check")
    var order: [String] = []
    var groups: [String: [FinishedCheck]] = [:]
    for check in checks {
      let key = "\(check.subject.methodLabel) vs \(check.reference.label)"
      if groups[key] == nil { order.append(key) }
      groups[key, default: []].append(check)
    }
    var zeros = 0
    for (i, key) in order.enumerated() {
      let mine = groups[key]!
      zeros += mine.filter { $0.comparison.maxGradientDifference <= 0 }.count
      var style = ChartStyle.at(i)
      if let first = mine.first { style.colour = Self.style(first.subject.method).colour }
      chart.series.append(
        .init(
          name: key, style: style,
          points: mine.map {
            .init(
              x: $0.subject.delta, y: $0.comparison.maxGradientDifference,
              flagged: $0.failed)
          }))
    }
    if zeros > 0 {
      chart.notes.append("\(zeros) check(s) with max |Δgrad| = 0 (bitwise equal) are not drawn.")
    }
    return chart
  }

  private func imageCharts(_ bins: GradientBinsSnapshot, prefix: String) -> [Chart] {
    var charts: [Chart] = []
    var byKey: [String: [(evaluation: Evaluation, losses: ImageLosses)]] = [:]
    var order: [String] = []
    for entry in bins.imageLosses {
      let key = "\(entry.evaluation.loss.rawValue)|\(entry.evaluation.delta)"
      if byKey[key] == nil { order.append(key) }
      byKey[key, default: []].append(entry)
    }
    for key in order {
      let entries = byKey[key]!
      let first = entries[0].evaluation
      var chart = Chart(
        id: "\(prefix)-\(first.loss.rawValue)-d\(BenchPage.idPart(first.delta))-images",
        title:
          "\(LossKind.displayName(ofName: first.loss.rawValue)) loss, δ = \(Format.number(first.delta)): loss per image",
        x: .init(title: "image id", kind: .linear, format: .plain),
        y: .init(title: "loss of the image", kind: .linear, format: .plain, includesZero: true))
      var seen = Set<String>()
      for entry in entries where seen.insert(entry.evaluation.methodLabel).inserted {
        let shown = min(entry.losses.count, Self.maxImages)
        chart.series.append(
          .init(
            name: entry.evaluation.methodLabel,
            style: Self.style(entry.evaluation.method, variant: entry.evaluation.variant != nil),
            kind: .markers,
            points: (0..<shown).map {
              .init(x: Double(entry.losses.ids[$0]), y: entry.losses.losses[$0])
            }))
        if entry.losses.count > shown {
          chart.notes.append("The first \(shown) of \(entry.losses.count) images.")
        }
      }
      chart.notes.append("Images without a positive have no loss and are not drawn.")
      charts.append(chart)
    }
    return charts
  }

  /// The page.
  public func html(title: String) -> HTMLPage {
    var page = HTMLPage(title: title)
    for (index, section) in sections.enumerated() {
      page.openSection()
      page.heading(section.input)
      page.paragraph(section.header)
      if let error = section.error { page.paragraph(error, tone: .bad) }
      if let summary = section.summary {
        page.paragraph(
          summary, tone: section.outcome?.failed == true ? .bad : .good)
      }
      page.charts(charts(section: index))
      if let checks = section.checks {
        let verdict = checks.columns.firstIndex { $0.title == "verdict" }
        page.table(checks, caption: "Checks") { r, c in
          guard c == verdict else { return nil }
          switch checks.rows[r][c] {
          case "ok": return .good
          case "FAIL": return .bad
          default: return .muted
          }
        }
      }
      if let results = section.results { page.table(results, caption: "Evaluations") }
      page.closeSection()
    }
    return page
  }
}

/// What a page needs of a ``GradientBins``, as a value (the collector is a class).
public struct GradientBinsSnapshot: Sendable {
  public var binCount: Int
  public var logitRange: ClosedRange<Double>?
  public var gradients: [GradientBins.Series]
  public var differences: [GradientBins.Series]
  public var samples: [GradientBins.SamplePoints]
  public var imageLosses: [(evaluation: Evaluation, losses: ImageLosses)]

  public init(_ bins: GradientBins) {
    binCount = bins.binCount
    logitRange = bins.logitRange
    gradients = bins.gradients
    differences = bins.differences
    samples = bins.samples
    imageLosses = bins.imageLosses
  }

  func interval(ofBin k: Int) -> ClosedRange<Double>? {
    logitRange.map { GradientBins.interval(ofBin: k, binCount: binCount, range: $0) }
  }
}
