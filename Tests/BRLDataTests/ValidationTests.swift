import Foundation
import RankingLosses
import Testing

@testable import BRLData

/// Values outside a loss's domain: each case is written as an .npz with NPZArchive.write, loaded,
/// and validated.
struct ValidationCase: Sendable, CustomTestStringConvertible {
  var name: String
  var logits: [Double]
  var targets: [Double]
  var regressionLosses: [Double]? = nil
  var loss: LossKind
  /// Words the error must contain; empty means the input is valid.
  var expected: [String]

  var testDescription: String { name }

  /// Writes the case as an .npz (float32 logits, float64 targets) and loads it.
  func load() throws -> Dump {
    let path = try TestFiles.folder().appendingPathComponent("case.npz").path
    var arrays = [
      ("logits", NPYArray.make(logits.map(Float.init))), ("targets", NPYArray.make(targets)),
    ]
    if let regressionLosses { arrays.append(("reg_losses", NPYArray.make(regressionLosses))) }
    try NPZArchive.write(arrays, to: path)
    return try DumpReader.load(path)
  }
}

struct ValidationTests {
  static let cases: [ValidationCase] = [
    ValidationCase(
      name: "NaN and infinite logits", logits: [0, 1, .nan, 2, .infinity, -.infinity],
      targets: [0, 1, 0, 0, 0, 0], loss: .rs,
      expected: ["logits", "3 values", "first at index 2: nan"]),
    ValidationCase(
      name: "RS target above 1", logits: [0, 1, 2], targets: [0, 1.5, 2], loss: .rs,
      expected: ["targets", "(0, 1]", "2 values", "first at index 1: 1.5"]),
    ValidationCase(
      name: "RS negative target other than -1", logits: [0, 1], targets: [-0.5, 1], loss: .rs,
      expected: ["targets", "1 value", "index 0: -0.5"]),
    ValidationCase(
      name: "AP accepts targets above 1", logits: [0, 1], targets: [2, 0], loss: .ap, expected: []),
    ValidationCase(
      name: "AP NaN target", logits: [0, 1], targets: [.nan, 1], loss: .ap,
      expected: ["targets", "index 0: nan"]),
    ValidationCase(
      name: "aLRP infinite target", logits: [0, 1], targets: [1, .infinity], loss: .alrp,
      expected: ["targets", "index 1: inf"]),
    ValidationCase(
      name: "RS valid with ignored", logits: [0, 1, 3], targets: [-1, 0.25, 0], loss: .rs,
      expected: []),
    ValidationCase(
      name: "aLRP reg_losses count", logits: [0, 1, 2], targets: [1, 0, 1],
      regressionLosses: [0.5], loss: .alrp,
      expected: ["reg_losses", "one regression loss per positive (2), found 1"]),
    ValidationCase(
      name: "aLRP negative reg_loss", logits: [0, 1, 2], targets: [1, 0, 1],
      regressionLosses: [0.5, -1], loss: .alrp,
      expected: ["reg_losses", "[0, ∞)", "index 1: -1.0"]),
    ValidationCase(
      name: "aLRP NaN reg_loss", logits: [0, 1, 2], targets: [1, 0, 1],
      regressionLosses: [.nan, 1], loss: .alrp, expected: ["reg_losses", "index 0: nan"]),
    ValidationCase(
      name: "aLRP valid reg_losses", logits: [0, 1, 2], targets: [1, 0, 0.5],
      regressionLosses: [0.5, 0], loss: .alrp, expected: []),
    ValidationCase(
      name: "RS ignores reg_losses", logits: [0, 1], targets: [1, 0], regressionLosses: [1, 2, 3],
      loss: .rs, expected: []),
  ]

  @Test(arguments: cases)
  func validate(_ validation: ValidationCase) throws {
    let dump = try validation.load()
    if validation.expected.isEmpty {
      try dump.validate(for: validation.loss)
      return
    }
    let error = try #require(throws: DataError.self) { try dump.validate(for: validation.loss) }
    for words in validation.expected {
      #expect(error.description.contains(words), "\(error.description)")
    }
  }

  /// A loaded oracle dump evaluates through `withInput` like the arrays themselves.
  @Test func oracleDumpEvaluates() throws {
    let dump = try DumpReader.load(FixturePaths.oracle("alrp_small.npz"))
    try dump.validate(for: .alrp)
    #expect(dump.regressionLosses?.count == dump.positiveCount)
    let viaDump = try dump.withInput { try ALRPLoss().evaluate($0) }
    let arrays = try NPZArchive.read(path: FixturePaths.oracle("alrp_small.npz"))
    let direct = try LossInput.with(
      logits: arrays["logits"]!.doubles(), targets: arrays["targets"]!.doubles(),
      regressionLosses: arrays["reg_losses"]!.doubles()
    ) { try ALRPLoss().evaluate($0) }
    #expect(abs(viaDump.loss - direct.loss) < 1e-6)
  }
}
