import RankingLosses

/// The `floor` pseudo-method: one pass that reads every logit and target and writes a fresh
/// gradient array of Doubles, as every method must at least do.
///
/// Its time is the memory-bandwidth floor under the real methods. The result is folded into a
/// checksum stored in a global, so the optimiser cannot drop the loop.
enum FloorPass {
  nonisolated(unsafe) static var sink = 0.0

  /// Runs the pass on `input`.
  static func run(_ input: LossInput) {
    switch (input.logits, input.targets) {
    case (.float32(let l), .float32(let t)): pass(l, t)
    case (.float32(let l), .float64(let t)): pass(l, t)
    case (.float64(let l), .float32(let t)): pass(l, t)
    case (.float64(let l), .float64(let t)): pass(l, t)
    default:  // bfloat16 (synthetic data never is): element by element
      let count = min(input.logits.count, input.targets.count)
      var gradient = [Double](repeating: 0, count: count)
      for i in 0..<count { gradient[i] = input.logits[i] * input.targets[i] }
      sink += count > 0 ? gradient[count / 2] : 0
    }
  }

  private static func pass<L: BinaryFloatingPoint, T: BinaryFloatingPoint>(
    _ logits: UnsafeBufferPointer<L>, _ targets: UnsafeBufferPointer<T>
  ) {
    let count = min(logits.count, targets.count)
    var gradient = [Double](repeating: 0, count: count)
    gradient.withUnsafeMutableBufferPointer { g in
      for i in 0..<count {
        g[i] = Double(logits[i]) * Double(targets[i])
      }
    }
    sink += count > 0 ? gradient[count / 2] : 0
  }
}
