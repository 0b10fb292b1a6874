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
  /// Set by ``Verifier`` so that its evaluations of this input scan it once
  /// (``PartitionCache``); nil (every evaluation scans) otherwise.
  var partitions: PartitionCache? = nil

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
    // Every logit type with float32 or float64 targets, and 16-bit targets with logits of the
    // same type (a dump cast to half or bfloat16 as a whole): read in place.
    switch (logits, targets) {
    case (.float32(let l), .float32(let t)): return try visitor.visit(logits: l, targets: t)
    case (.float32(let l), .float64(let t)): return try visitor.visit(logits: l, targets: t)
    case (.float64(let l), .float32(let t)): return try visitor.visit(logits: l, targets: t)
    case (.float64(let l), .float64(let t)): return try visitor.visit(logits: l, targets: t)
    case (.bfloat16(let l), .float32(let t)): return try visitor.visit(logits: l, targets: t)
    case (.bfloat16(let l), .float64(let t)): return try visitor.visit(logits: l, targets: t)
    case (.bfloat16(let l), .bfloat16(let t)): return try visitor.visit(logits: l, targets: t)
    case (.float16(let l), .float32(let t)): return try visitor.visit(logits: l, targets: t)
    case (.float16(let l), .float64(let t)): return try visitor.visit(logits: l, targets: t)
    case (.float16(let l), .float16(let t)): return try visitor.visit(logits: l, targets: t)
    case (_, .bfloat16), (_, .float16):
      // 16-bit targets beside logits of another type are rare: converted exactly to float32
      // rather than specialising every method for each pair. The copy must outlive the
      // visitor's output (an evaluation reads the targets when its gradient is written).
      let converted = ConvertedTargets(targets)
      var input = self
      input.targets = .float32(converted.buffer)
      return visitor.keeping(converted, alive: try input.visit(visitor))
    }
  }
}

/// 16-bit targets converted to float32, owned by a class so an output can keep them alive.
final class ConvertedTargets: @unchecked Sendable {
  let buffer: UnsafeBufferPointer<Float>

  init(_ column: Column) {
    let storage = UnsafeMutableBufferPointer<Float>.allocate(capacity: column.count)
    switch column {
    case .bfloat16(let t): for i in t.indices { storage[i] = t[i].float }
    case .float16(let t): for i in t.indices { storage[i] = t[i].float }
    case .float32(let t): _ = storage.initialize(from: t)
    case .float64(let t): for i in t.indices { storage[i] = Float(t[i]) }
    }
    buffer = UnsafeBufferPointer(storage)
  }

  deinit { buffer.deallocate() }
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
