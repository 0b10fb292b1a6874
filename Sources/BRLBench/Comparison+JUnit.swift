import BRLFormat
import Foundation

extension Comparison {
  /// The comparison as JUnit XML for CI: one test suite, one test case per matched point (named
  /// by its coordinates, grouped by loss), failing when its min time is slower than the base's
  /// by more than `threshold` (no case fails without a threshold). Each case's base and run min
  /// times and ratios are suite properties named after it; the suite's output holds the text
  /// table and summary.
  ///
  /// - Parameters:
  ///   - name: The suite name (e.g. "brl report: run 7 vs base run 6").
  ///   - threshold: `--fail-if-slower`, as a fraction (0.1 = 10 %), or nil.
  public func junit(
    name: String, threshold: Double?, timestamp: Date = Date(), hostname: String
  ) -> JUnitReport {
    var suite = JUnitReport.Suite(name: name, timestamp: timestamp, hostname: hostname)
    let verdict: Verdict? = threshold.map { self.verdict(failIfSlower: $0) }
    let slower: Set<BenchPoint> = Set((verdict?.slower ?? []).map { $0.point })
    for entry in entries {
      let point = entry.point
      let caseName = point.description
      var outcome = JUnitReport.Outcome.passed
      if let threshold, slower.contains(point) {
        let noisy = entry.isNoisy(tolerance: noiseTolerance) ? " (noisy)" : ""
        outcome = .failure(
          message: "\(Format.ratio(entry.minRatio)) the base's min time, more than "
            + "\(Format.number(threshold * 100))% slower\(noisy)",
          type: "slower",
          details: "\(caseName): min \(Format.time(entry.candidate.minSeconds)) vs base "
            + "\(Format.time(entry.base.minSeconds)); median "
            + "\(Format.time(entry.candidate.medianSeconds)) vs base "
            + "\(Format.time(entry.base.medianSeconds))\(noisy)")
      }
      suite.cases.append(
        .init(
          name: caseName, classname: "brl.bench.\(point.loss)",
          seconds: entry.candidate.minSeconds, outcome: outcome))
      suite.properties += [
        ("\(caseName): base min_s", "\(entry.base.minSeconds)"),
        ("\(caseName): min_s", "\(entry.candidate.minSeconds)"),
        ("\(caseName): min ratio", "\(entry.minRatio)"),
        ("\(caseName): median ratio", "\(entry.medianRatio)"),
      ]
    }
    suite.systemOut = table(threshold: threshold).text() + "\n" + summary(verdict: verdict)
    return JUnitReport(suites: [suite])
  }
}
