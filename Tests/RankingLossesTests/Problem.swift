import PropertyBased
import RankingLosses

/// A random ranking problem for property tests: logits, targets (IoU, 0 or −1) and one
/// regression loss per positive.
///
/// About a third of the logits are snapped to a 0.5 grid so that ties between positives,
/// between a positive and a negative, and negatives exactly at p_i ± δ (δ ∈ {0.5, 1, 2}) occur
/// in most problems; some IoUs are snapped to 0.1 so IoU ties occur too.
struct Problem: Sendable, CustomStringConvertible {
  var logits: [Double]
  var targets: [Double]
  var regressionLosses: [Double]

  var positives: Int { targets.count { $0 > 0 } }

  /// AP and aLRP take binary targets.
  var binaryTargets: [Double] { targets.map { $0 > 0 ? 1 : $0 } }

  func targets(for kind: LossKind) -> [Double] { kind == .rs ? targets : binaryTargets }

  func evaluate(_ loss: any RankingLoss, _ kind: LossKind, _ method: RankingLosses.Method) throws
    -> LossResult
  {
    try LossInput.with(
      logits: logits, targets: targets(for: kind),
      regressionLosses: kind == .alrp ? regressionLosses : nil
    ) { try loss.evaluate($0, method: method) }
  }

  /// The same problem with its examples in the order `order` (a permutation of the indices).
  func permuted(_ order: [Int]) -> Problem {
    let positiveOrder = order.filter { targets[$0] > 0 }
    let ordinal = Dictionary(
      uniqueKeysWithValues: targets.indices.filter { targets[$0] > 0 }.enumerated().map {
        ($1, $0)
      })
    return Problem(
      logits: order.map { logits[$0] }, targets: order.map { targets[$0] },
      regressionLosses: positiveOrder.map { regressionLosses[ordinal[$0]!] })
  }

  var description: String {
    "Problem(logits: \(logits), targets: \(targets), regressionLosses: \(regressionLosses))"
  }

  /// Logits that stress the arithmetic: huge (δ is below their spacing, so p ± δ rounds to p;
  /// near ±Double.greatestFiniteMagnitude, differences overflow), subnormal, and signed zeros.
  static let extremeLogits: [Double] = [
    1e30, -1e30, 3e29, .leastNonzeroMagnitude, -.leastNonzeroMagnitude,
    .leastNormalMagnitude / 4096, 0, -0.0, 1.7e308, -1.7e308, -8.7e307,
  ]

  /// Problems of 1...`maxCount` examples. With `extremes`, about one logit in six is taken
  /// from ``extremeLogits``.
  static func generator(maxCount: Int, extremes: Bool = false)
    -> Generator<Problem, some SendableSequenceType>
  {
    let example = zip(
      Gen.double(in: -4...4), Gen.int(in: 0...19), Gen.double(in: 0.05...1), Gen.double(in: 0...2),
      Gen.int(in: 0...63)
    )
    .map { example -> (Double, Double, Double) in
      let (logit, label, iou, regression, pick) = example
      var value = label % 3 == 0 ? (logit * 2).rounded() / 2 : logit
      if extremes && pick < extremeLogits.count { value = extremeLogits[pick] }
      let target: Double =
        switch label {
        case 0...11: 0
        case 12...15: iou
        case 16...18: (iou * 10).rounded(.up) / 10
        default: -1
        }
      return (value, target, regression)
    }
    return example.array(of: 1...maxCount).map { examples in
      let positives = examples.filter { $0.1 > 0 }
      return Problem(
        logits: examples.map(\.0), targets: examples.map(\.1),
        regressionLosses: positives.map(\.2))
    }
  }

  /// Problems of 1...`maxCount` examples, four in five of them positives, logits on a 0.25 grid
  /// in [−3, 3] and IoUs on a 0.1 grid: many ties of every kind.
  static func manyPositivesGenerator(maxCount: Int)
    -> Generator<Problem, some SendableSequenceType>
  {
    let example = zip(
      Gen.int(in: -12...12), Gen.int(in: 0...9), Gen.int(in: 1...10), Gen.double(in: 0...2)
    )
    .map { grid, label, iou, regression -> (Double, Double, Double) in
      (Double(grid) / 4, label < 8 ? Double(iou) / 10 : label == 8 ? 0 : -1, regression)
    }
    return example.array(of: 1...maxCount).map { examples in
      Problem(
        logits: examples.map(\.0), targets: examples.map(\.1),
        regressionLosses: examples.filter { $0.1 > 0 }.map(\.2))
    }
  }

  /// Problems whose logits are multiples of 2⁻⁶ in [−8, 8], so adding a whole number to every
  /// logit is exact and cannot create or break a tie.
  static func gridGenerator(maxCount: Int) -> Generator<Problem, some SendableSequenceType> {
    zip(generator(maxCount: maxCount), Gen.int(in: -512...512).array(of: maxCount))
      .map { problem, grid in
        var problem = problem
        problem.logits = problem.logits.indices.map { Double(grid[$0]) / 64 }
        return problem
      }
  }
}
