/// The inputs of one loss evaluation: a logit and a target per example, and for aLRP a regression
/// loss per positive.
///
/// Targets follow the conventions of the official code:
/// - `t > 0`: a positive (for RS the value is its IoU target; AP and aLRP binarise it to 1),
/// - `t == 0`: a negative,
/// - anything else (−1 in mmdetection): ignored, with a gradient of exactly 0.
public struct LossInput: @unchecked Sendable {
  public var logits: Column
  public var targets: Column
  /// aLRP only: the regression loss of each positive, in the order the positives occur in the
  /// input. `nil` means 0 for every positive.
  public var regressionLosses: [Double]?
  /// How many threads the evaluation may use. The results are the same bits for any number.
  public var parallelism: Parallelism
  /// The image of each example (any integers, in any order), for ``Grouping/image``.
  public var imageIDs: [Int64]?
  /// Whether the examples are ranked as one batch (the official behaviour) or per image.
  public var grouping: Grouping

  public init(
    logits: Column, targets: Column, regressionLosses: [Double]? = nil,
    parallelism: Parallelism = .automatic, imageIDs: [Int64]? = nil, grouping: Grouping = .batch
  ) {
    self.logits = logits
    self.targets = targets
    self.regressionLosses = regressionLosses
    self.parallelism = parallelism
    self.imageIDs = imageIDs
    self.grouping = grouping
  }

  /// The number of examples.
  public var count: Int { logits.count }

  func visit<V: ColumnsVisitor>(_ visitor: V) throws -> V.Output {
    switch (logits, targets) {
    case (.float32(let l), .float32(let t)): try visitor.visit(logits: l, targets: t)
    case (.float32(let l), .float64(let t)): try visitor.visit(logits: l, targets: t)
    case (.float64(let l), .float32(let t)): try visitor.visit(logits: l, targets: t)
    case (.float64(let l), .float64(let t)): try visitor.visit(logits: l, targets: t)
    case (.bfloat16(let l), .float32(let t)): try visitor.visit(logits: l, targets: t)
    case (.bfloat16(let l), .float64(let t)): try visitor.visit(logits: l, targets: t)
    case (_, .bfloat16(let t)):
      // bfloat16 targets are rare (targets are IoUs, 0 or −1): converted exactly to float32
      // for this call rather than specialising every method for them.
      try t.map(\.float).withUnsafeBufferPointer { converted in
        var input = self
        input.targets = .float32(converted)
        return try input.visit(visitor)
      }
    }
  }
}

extension LossInput {
  /// Calls `body` with an input that views the two arrays (a convenience for tests and small
  /// inputs).
  public static func with<R>(
    logits: [Double], targets: [Double], regressionLosses: [Double]? = nil,
    _ body: (LossInput) throws -> R
  ) rethrows -> R {
    try logits.withUnsafeBufferPointer { l in
      try targets.withUnsafeBufferPointer { t in
        try body(
          LossInput(logits: .float64(l), targets: .float64(t), regressionLosses: regressionLosses))
      }
    }
  }

  /// Float32 variant of ``with(logits:targets:regressionLosses:_:)-(…Double…)``.
  public static func with<R>(
    logits: [Float], targets: [Float], regressionLosses: [Double]? = nil,
    _ body: (LossInput) throws -> R
  ) rethrows -> R {
    try logits.withUnsafeBufferPointer { l in
      try targets.withUnsafeBufferPointer { t in
        try body(
          LossInput(logits: .float32(l), targets: .float32(t), regressionLosses: regressionLosses))
      }
    }
  }
}
