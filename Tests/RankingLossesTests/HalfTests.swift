import Testing

@testable import RankingLosses

/// IEEE half-precision columns: the conversion against Swift's own `Float16` on every bit
/// pattern, and every loss and method on half logits (with float64 and half targets) against
/// the same values in float64.
@Suite struct HalfTests {
  #if !((os(macOS) || targetEnvironment(macCatalyst)) && arch(x86_64))
    /// All 65 536 patterns: the value is `Float(Float16(bitPattern:))` (NaN stays NaN), the
    /// key orders like the values (descending) with −0 and +0 together.
    @Test func conversionIsSwiftsFloat16() {
      for bits in 0...UInt16.max {
        let half = Half(bitPattern: bits)
        let reference = Float(Float16(bitPattern: bits))
        if reference.isNaN {
          #expect(half.float.isNaN && !half.isFinite, "\(bits)")
        } else {
          #expect(half.float.bitPattern == reference.bitPattern, "\(bits)")
          #expect(half.isFinite == reference.isFinite, "\(bits)")
        }
      }
      let finite = (0...UInt16.max).map(Half.init(bitPattern:)).filter(\.isFinite)
      let byKey = finite.sorted { $0.descendingSortKey < $1.descendingSortKey }
      for (a, b) in zip(byKey, byKey.dropFirst()) {
        #expect(a.double >= b.double)
        #expect((a.descendingSortKey == b.descendingSortKey) == (a.double == b.double))
      }
    }
  #endif

  @Test(arguments: [0, 1, -1, 2, 5, -7, 2048, -2048])
  func integerLiteralsAreExact(value: Int) {
    #expect(Half(integerLiteral: value).float == Float(value))
  }

  /// Each loss and method on half logits (with float64, half and, converted, bfloat16 targets)
  /// gives the same bits as on the same values in float64, and the gradient written range by
  /// range after the evaluation returned (converted targets must still be alive) is the same.
  @Test(arguments: LossKind.allCases)
  func everyMethodMatchesFloat64(kind: LossKind) throws {
    var generator = SystemRandomNumberGenerator()
    var bits: [UInt16] = []
    var targets: [Double] = []
    for i in 0..<3000 {
      let positive = i % 37 == 0
      let ignored = i % 101 == 5
      // Logits on half's grid: a float rounded through Swift's conversion-free path, i.e. a
      // random pattern of the range wanted (exponents of 2⁻⁴…2²), sign by class.
      let magnitude = UInt16.random(in: 0x2c00...0x4600, using: &generator)
      bits.append(positive ? magnitude : (i % 3 == 0 ? magnitude : magnitude | 0x8000))
      targets.append(
        ignored ? -1 : positive ? Double(Int.random(in: 1...8, using: &generator)) / 8 : 0)
    }
    bits[10] = bits[37]  // a tie between a negative and a positive
    let logits = bits.map(Half.init(bitPattern:))
    let positives = targets.filter { $0 > 0 }.count
    let regression = (0..<positives).map { Double($0 % 7) / 7 }
    let wide = logits.map(\.double)
    // Targets k/8, 0 and −1 are exact in half and bfloat16.
    let halfTargets = targets.map { Half(integerLiteral: Int($0 * 8)) }.map {
      Half(bitPattern: $0.bitPattern == 0 ? 0 : $0.bitPattern - (3 << 10))
    }
    #expect(halfTargets.map(\.double) == targets)
    let bfloatTargets = targets.map { BFloat16(Float($0)) }
    let loss = kind.loss(delta: kind == .rs ? 0.5 : 1)
    for method in [Method.naive, .bucketed, .exact] {
      let reference = try wide.withUnsafeBufferPointer { l in
        try targets.withUnsafeBufferPointer { t in
          try loss.evaluate(
            LossInput(logits: .float64(l), targets: .float64(t), regressionLosses: regression),
            method: method)
        }
      }
      for targetKind in 0..<3 {
        try logits.withUnsafeBufferPointer { l in
          try targets.withUnsafeBufferPointer { t in
            try halfTargets.withUnsafeBufferPointer { ht in
              try bfloatTargets.withUnsafeBufferPointer { bt in
                let column: Column =
                  targetKind == 0 ? .float64(t) : targetKind == 1 ? .float16(ht) : .bfloat16(bt)
                let evaluation = try loss.evaluation(
                  LossInput(logits: .float16(l), targets: column, regressionLosses: regression),
                  method: method)
                let result = evaluation.result()
                #expect(result.loss == reference.loss, "\(kind) \(method) \(targetKind)")
                #expect(result.gradient == reference.gradient, "\(kind) \(method) \(targetKind)")
                var pieces = [Double](repeating: .nan, count: l.count)
                pieces.withUnsafeMutableBufferPointer { g in
                  for start in stride(from: 0, to: g.count, by: 997) {
                    let range = start..<min(g.count, start + 997)
                    evaluation.writeGradient(
                      range, into: UnsafeMutableBufferPointer(rebasing: g[range]))
                  }
                }
                #expect(pieces == reference.gradient, "\(kind) \(method) \(targetKind) ranges")
              }
            }
          }
        }
      }
    }
  }
}
