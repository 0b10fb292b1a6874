import ArgumentParser
import BRLBench
import BRLFormat
import Foundation

/// `brl report RUN --html FILE`, `--svg DIR`, and `--compare … --html FILE`.
extension ReportCommand {
  func validatePictures() throws {
    if (html.html != nil || svg.svg != nil)
      && (parity || (runText == nil && compare == nil && baseline == nil))
    {
      throw ValidationError(
        "--html and --svg show a run or a comparison: pass a run id or --compare")
    }
    if svg.svg != nil && (compare != nil || baseline != nil) {
      throw ValidationError("--svg writes a run's charts; a comparison takes --html")
    }
  }

  /// The run's page and charts, if asked for.
  func writePictures(_ document: BenchDocument) throws {
    let page = BenchPage(run: document.run, measurements: document.measurements)
    let runName = document.run.id.map { "run \($0)" } ?? "run"
    guard html.write(page.html(title: "brl report: \(runName)")), svg.write(page.charts()) else {
      throw ExitCode(2)
    }
  }

  /// The comparison's page, if asked for.
  func writePicture(
    _ comparison: Comparison, title: String, threshold: Double?, base: RunRecord,
    candidate: RunRecord
  ) throws {
    guard html.html != nil else { return }
    let header = "new:  " + BenchReport.header(candidate) + "\nbase: " + BenchReport.header(base)
    guard html.write(comparison.html(title: title, threshold: threshold, header: header)) else {
      throw ExitCode(2)
    }
  }
}
