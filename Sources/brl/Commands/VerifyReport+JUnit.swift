import BRLFormat
import Foundation
import RankingLosses

extension VerifyReport {
  /// The checks as JUnit XML for CI: a test suite per input and a test case per check, named
  /// like `rs δ=0.5 exact vs naive` and grouped by input. A required check that does not hold
  /// is a `failure`; an informational one is a passing case (with `--strict` it is required,
  /// and fails like one); an input brl could not read or check is one case with an `error`.
  /// The numbers of every check are suite properties named after the case, and the suite's
  /// output is the text `brl verify` prints for the input.
  func junit(hostname: String, timestamp: Date = Date()) -> JUnitReport {
    JUnitReport(suites: inputs.map { $0.junitSuite(hostname: hostname, timestamp: timestamp) })
  }
}

extension VerifyReport.Input {
  func junitSuite(hostname: String, timestamp: Date) -> JUnitReport.Suite {
    var suite = JUnitReport.Suite(name: input, timestamp: timestamp, hostname: hostname)
    if let counts {
      suite.properties += [("n", "\(counts.n)"), ("positives", "\(counts.positives)")]
    }
    guard let outcome, error == nil else {
      let message = error ?? "\(input): not checked"
      suite.cases.append(
        .init(
          name: "read and check the input", classname: input,
          outcome: .error(message: message, type: "input", details: message)))
      suite.systemErr = message + "\n"
      return suite
    }
    for check in outcome.checks {
      let name =
        "\(check.subject.loss.rawValue) δ=\(Format.number(check.subject.delta)) "
        + "\(check.subject.methodLabel) vs \(check.reference.label)"
      let seconds = outcome.evaluations.first { $0.evaluation == check.subject }?.seconds ?? 0
      var result = JUnitReport.Outcome.passed
      suite.properties += [
        ("\(name): requirement", check.requirement.rawValue),
        ("\(name): verdict", check.verdict.rawValue),
      ]
      if case .sampledNaive(let positives, let negatives, let images) = check.reference {
        suite.properties.append(
          (
            "\(name): sampled",
            "\(positives) positives, \(negatives) negatives"
              + (images.map { " in \($0) images (per image)" } ?? "")
          ))
      }
      let comparison = check.comparison
      let lossDifference = comparison.lossDifference.map(Format.exact) ?? "n/a"
      suite.properties += [
        ("\(name): loss_difference", lossDifference),
        ("\(name): max_abs_grad_difference", Format.exact(comparison.maxGradientDifference)),
        (
          "\(name): max_abs_grad_difference_index",
          comparison.maxGradientDifferenceIndex.map(String.init) ?? "none"
        ),
        (
          "\(name): max_rel_grad_difference",
          Format.exact(comparison.maxRelativeGradientDifference)
        ),
      ]
      if check.failed {
        let numbers =
          " (|Δloss| \(lossDifference), max |Δgrad| "
          + "\(Format.exact(comparison.maxGradientDifference)))"
        result = .failure(
          message: "\(name): first disagreement at \(check.firstDisagreement ?? .loss)"
            + numbers,
          type: check.requirement.rawValue,
          details: "\(check.reason). Agreement: |a - b| <= atol + rtol*|b| for the loss and "
            + "every gradient element.")
      }
      suite.cases.append(.init(name: name, classname: input, seconds: seconds, outcome: result))
    }
    suite.systemOut = text(colour: false) + "\n"
    return suite
  }
}
