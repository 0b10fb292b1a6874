import Testing

@testable import RankingLosses

/// bfloat16 columns: the value conversion, the sort key the positives' radix sort uses, and
/// every loss and method on bfloat16 logits against the same values as float64.
@Suite struct BFloat16Tests {
  /// Every finite bit pattern: the value is the float32 with those upper bits, the key orders
  /// like the values (descending) with −0 and +0 together.
  @Test func sortKeyOrdersLikeTheValues() {
    let finite = (0...UInt16.max).map(BFloat16.init(bitPattern:)).filter(\.isFinite)
    #expect(finite.count == 65536 - 2 * 128)
    for value in finite {
      #expect(value.float == Float(bitPattern: UInt32(value.bitPattern) << 16))
    }
    let byKey = finite.sorted { $0.descendingSortKey < $1.descendingSortKey }
    for (a, b) in zip(byKey, byKey.dropFirst()) {
      #expect(a.double >= b.double)
      #expect((a.descendingSortKey == b.descendingSortKey) == (a.double == b.double))
    }
    #expect(BFloat16(bitPattern: 0x8000).descendingSortKey == BFloat16(0).descendingSortKey)
  }

  @Test func roundsToNearestEven() {
    #expect(BFloat16(1.0).bitPattern == 0x3f80)
    #expect(BFloat16(Float(bitPattern: 0x3f80_8000)).bitPattern == 0x3f80)  // tie → even
    #expect(BFloat16(Float(bitPattern: 0x3f81_8000)).bitPattern == 0x3f82)  // tie → even
    #expect(BFloat16(Float(bitPattern: 0x3f80_8001)).bitPattern == 0x3f81)
    #expect(BFloat16(-2.5).float == -2.5)
    #expect(!BFloat16(Float.nan).isFinite)
    #expect(!BFloat16(bitPattern: 0x7f80).isFinite)  // +inf
  }

  /// Each loss and method on bfloat16 logits (read as bfloat16, also with bfloat16 targets) gives
  /// the same bits as on the same values in float64.
  @Test(arguments: LossKind.allCases)
  func everyMethodMatchesFloat64(kind: LossKind) throws {
    var generator = SystemRandomNumberGenerator()
    var logits: [BFloat16] = []
    var targets: [Double] = []
    for i in 0..<3000 {
      let positive = i % 37 == 0
      let ignored = i % 101 == 5
      logits.append(BFloat16(Float.random(in: positive ? -1...3 : -6...1, using: &generator)))
      targets.append(
        ignored
          ? -1 : positive ? Double(BFloat16(Float.random(in: 0.1...1, using: &generator)).float) : 0
      )
    }
    logits[10] = logits[37]  // a tie between a negative and a positive
    let positives = targets.filter { $0 > 0 }.count
    let regression = (0..<positives).map { Double($0 % 7) / 7 }
    let wide = logits.map(\.double)
    let narrowTargets = targets.map { BFloat16(Float($0)) }
    let loss = kind.loss(delta: kind == .rs ? 0.5 : 1)
    for method in [Method.naive, .bucketed, .exact] {
      let reference = try wide.withUnsafeBufferPointer { l in
        try targets.withUnsafeBufferPointer { t in
          try loss.evaluate(
            LossInput(logits: .float64(l), targets: .float64(t), regressionLosses: regression),
            method: method)
        }
      }
      for bfloat16Targets in [false, true] {
        let result = try logits.withUnsafeBufferPointer { l in
          try targets.withUnsafeBufferPointer { t in
            try narrowTargets.withUnsafeBufferPointer { nt in
              try loss.evaluate(
                LossInput(
                  logits: .bfloat16(l), targets: bfloat16Targets ? .bfloat16(nt) : .float64(t),
                  regressionLosses: regression),
                method: method)
            }
          }
        }
        #expect(result.loss == reference.loss, "\(kind) \(method)")
        #expect(result.gradient == reference.gradient, "\(kind) \(method)")
      }
    }
  }
}
