import BRLFormat
import Foundation

/// Two sets of measurements matched point by point, and the decision whether one is slower.
///
/// Points match on (loss, method, δ, P, N, grouping, images) — ``BenchPoint``. The decision
/// compares the **minimum** of the repeats: on a shared machine noise only adds time, so the
/// minimum is the most repeatable estimate of what the code costs. A point is *noisy* when, in
/// either run, the standard deviation or the median − min spread exceeds 10 % of the median;
/// noisy points still count, but are named so a human can judge a failure.
///
///     let comparison = Comparison(base: baseline.measurements, candidate: latest)
///     let verdict = comparison.verdict(failIfSlower: 0.10)   // 10 %
///     if !verdict.passed { exit(1) }
public struct Comparison: Sendable {
  /// A point measured in both runs.
  public struct Entry: Sendable {
    public var point: BenchPoint
    public var base: BenchMeasurement
    public var candidate: BenchMeasurement

    /// candidate min / base min: above 1 is slower.
    public var minRatio: Double { candidate.minSeconds / base.minSeconds }
    /// candidate median / base median.
    public var medianRatio: Double { candidate.medianSeconds / base.medianSeconds }

    /// Whether either side's repeats are spread more than `tolerance` of its median.
    public func isNoisy(tolerance: Double) -> Bool {
      base.isNoisy(tolerance: tolerance) || candidate.isNoisy(tolerance: tolerance)
    }
  }

  /// The outcome of ``verdict(failIfSlower:)``.
  public struct Verdict: Sendable {
    /// The threshold, as a fraction (0.1 = 10 %).
    public var threshold: Double
    /// The matched points slower by more than the threshold.
    public var slower: [Entry]
    /// Of those, the noisy ones.
    public var noisySlower: [Entry]
    public var passed: Bool { slower.isEmpty }
  }

  /// Matched points, in report order.
  public var entries: [Entry]
  /// Points measured only in the base or only in the candidate.
  public var onlyInBase: [BenchPoint]
  public var onlyInCandidate: [BenchPoint]
  /// The noise tolerance (default 10 %).
  public var noiseTolerance: Double

  /// Matches `candidate` against `base`. If a run measured a point twice, the first is used.
  public init(
    base: [BenchMeasurement], candidate: [BenchMeasurement], noiseTolerance: Double = 0.10
  ) {
    let baseByPoint = Dictionary(base.map { ($0.point, $0) }, uniquingKeysWith: { a, _ in a })
    let candidateByPoint = Dictionary(
      candidate.map { ($0.point, $0) }, uniquingKeysWith: { a, _ in a })
    entries = candidateByPoint.compactMap { point, measurement in
      baseByPoint[point].map { Entry(point: point, base: $0, candidate: measurement) }
    }.sorted { $0.point < $1.point }
    onlyInBase = baseByPoint.keys.filter { candidateByPoint[$0] == nil }.sorted()
    onlyInCandidate = candidateByPoint.keys.filter { baseByPoint[$0] == nil }.sorted()
    self.noiseTolerance = noiseTolerance
  }

  /// The points whose min time grew by more than `threshold` (0.1 = 10 %).
  public func verdict(failIfSlower threshold: Double) -> Verdict {
    let slower = entries.filter { $0.base.minSeconds > 0 && $0.minRatio > 1 + threshold }
    return Verdict(
      threshold: threshold, slower: slower,
      noisySlower: slower.filter { $0.isNoisy(tolerance: noiseTolerance) })
  }

  /// The geometric mean of the min ratios: one number for "how much slower overall".
  public var geometricMeanRatio: Double? {
    let ratios = entries.map(\.minRatio).filter { $0 > 0 && $0.isFinite }
    guard !ratios.isEmpty else { return nil }
    return exp(ratios.map { log($0) }.reduce(0, +) / Double(ratios.count))
  }

  /// One row per matched point: base and candidate min, the min ratio (`ratio`), the median
  /// ratio, and a note (`SLOWER` beyond `threshold` if given, `noisy`).
  public func table(threshold: Double?) -> TextTable {
    var table = TextTable(columns: [
      .init("loss", .left), .init("method", .left), .init("δ"), .init("P"), .init("N"),
      .init("base min"), .init("min"), .init("ratio"), .init("median ratio"),
      .init("note", .left),
    ])
    for entry in entries {
      var notes: [String] = []
      if let threshold, entry.minRatio > 1 + threshold { notes.append("SLOWER") }
      if entry.isNoisy(tolerance: noiseTolerance) { notes.append("noisy") }
      table.append([
        entry.point.loss,
        entry.point.method.rawValue + (entry.point.group == "batch" ? "" : " per image"),
        Format.number(entry.point.delta),
        Format.count(entry.point.positives), Format.count(entry.point.negatives),
        Format.time(entry.base.minSeconds), Format.time(entry.candidate.minSeconds),
        Format.ratio(entry.minRatio), Format.ratio(entry.medianRatio),
        notes.joined(separator: ", "),
      ])
    }
    return table
  }

  /// A few sentences: how many points matched, the overall ratio, and the verdict if asked.
  public func summary(verdict: Verdict?) -> String {
    var lines: [String] = []
    var first = "\(entries.count) matched point\(entries.count == 1 ? "" : "s")"
    if let mean = geometricMeanRatio {
      first += "; geometric mean of min ratios \(Format.ratio(mean))"
    }
    if !onlyInBase.isEmpty || !onlyInCandidate.isEmpty {
      first += " (\(onlyInBase.count) only in base, \(onlyInCandidate.count) only in run)"
    }
    lines.append(first + ".")
    let noisy = entries.filter { $0.isNoisy(tolerance: noiseTolerance) }
    if !noisy.isEmpty {
      lines.append(
        "Noisy (stddev or median − min > \(Format.number(noiseTolerance * 100))% of median): "
          + noisy.map(\.point.description).joined(separator: "; ") + ".")
    }
    if let verdict {
      let limit = "\(Format.number(verdict.threshold * 100))%"
      if verdict.passed {
        lines.append("OK: no point is slower than the base by more than \(limit) (min of repeats).")
      } else {
        var line =
          "FAIL: \(verdict.slower.count) point\(verdict.slower.count == 1 ? " is" : "s are") "
          + "slower than the base by more than \(limit) (min of repeats): "
          + verdict.slower.map { "\($0.point) \(Format.ratio($0.minRatio))" }.joined(
            separator: "; ")
          + "."
        if !verdict.noisySlower.isEmpty {
          line += " \(verdict.noisySlower.count) of them noisy."
        }
        lines.append(line)
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
