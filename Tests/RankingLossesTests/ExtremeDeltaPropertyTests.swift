import PropertyBased
import RankingLosses
import Testing

/// Exact ≡ naive, and no NaN or ∞ from any method, at the δ where 1/(2δ) is not a Double
/// (subnormal δ: it overflows; δ ≥ 2¹⁰²³: 2δ overflows) and at δ comparable with the spacing
/// of the logits, where rounding p ± δ decides which logits are on a ramp.
@Suite struct ExtremeDeltaPropertyTests {
  /// 1e-310, the δ of the issue (a literal would warn that it underflows).
  static let subnormal = Double("1e-310")!

  /// Subnormal (the smallest, 1e-310, 2⁻¹⁰²⁴), the smallest normal, tiny normal, and huge.
  static let extremeDeltas: [Double] = [
    .leastNonzeroMagnitude, subnormal, 0x1p-1024, .leastNormalMagnitude, 1e-300, 1e19, 1e300,
    1e308, .greatestFiniteMagnitude,
  ]

  /// Logits placed a few ulps apart around these (ulp below a power of two is half the ulp
  /// above it; the subnormal spacing is 5e-324).
  static let bases: [Double] = [1, 3, -7.5, 1e30, 1e-300, .leastNormalMagnitude, 3e-323, 0]
  /// δ as a multiple of the bases' ulp.
  static let ulpMultiples: [Double] = [0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4.5]

  /// The exact method equals naive at extreme δ, for all three losses (AP interpolated), with
  /// ordinary, tied, huge and subnormal logits; every value of both is finite.
  @Test(arguments: LossKind.allCases)
  func exactEqualsNaiveAtExtremeDeltas(kind: LossKind) async {
    await propertyCheck(
      count: 400, input: Problem.generator(maxCount: 100, extremes: true),
      Gen.element(of: Self.extremeDeltas)
    ) { problem, delta in
      let loss = kind.loss(delta: delta!)
      let naive = try problem.evaluate(loss, kind, .naive)
      let exact = try problem.evaluate(loss, kind, .exact)
      Self.expectFinite(naive, "naive δ \(delta!)")
      Self.expectFinite(exact, "exact δ \(delta!)")
      let agreement = Agreement(exact, reference: naive)
      #expect(agreement.holds(relative: 1e-9, absolute: 1e-15), "δ \(delta!): \(agreement)")
      #expect(exact.statistics == naive.statistics)
    }
  }

  /// Logits a few ulps apart and δ a fraction or a few times that ulp: the ramp holds a handful
  /// of representable logits (or only the ties), and a logit just outside p ± δ must not be
  /// counted on it.
  @Test(arguments: LossKind.allCases)
  func exactEqualsNaiveNearTheLogitSpacing(kind: LossKind) async {
    await propertyCheck(
      count: 400, input: Problem.generator(maxCount: 100), Gen.element(of: Self.bases),
      Gen.element(of: Self.ulpMultiples)
    ) { problem, base, multiple in
      let (problem, delta) = Self.nearSpacing(problem, base: base!, multiple: multiple!)
      let loss = kind.loss(delta: delta)
      let naive = try problem.evaluate(loss, kind, .naive)
      let exact = try problem.evaluate(loss, kind, .exact)
      Self.expectFinite(exact, "exact δ \(delta)")
      let agreement = Agreement(exact, reference: naive)
      #expect(
        agreement.holds(relative: 1e-9, absolute: 1e-15),
        "base \(base!) δ \(delta) (\(multiple!) ulp): \(agreement)")
      #expect(exact.statistics == naive.statistics)
    }
  }

  /// The bucketed method gives finite values at every extreme δ (an approximation there, but
  /// never NaN), and the gradient properties hold for every method.
  @Test func everyMethodIsFiniteAndBalancedAtExtremeDeltas() async {
    await propertyCheck(
      count: 300, input: Problem.generator(maxCount: 80, extremes: true),
      Gen.element(of: Self.extremeDeltas)
    ) { problem, delta in
      for kind in LossKind.allCases {
        for method in RankingLosses.Method.allCases {
          let result = try problem.evaluate(kind.loss(delta: delta!), kind, method)
          Self.expectFinite(result, "\(kind) \(method) δ \(delta!)")
          let sum = result.gradient.reduce(0, +)
          #expect(abs(sum) <= 1e-9 * Double(problem.logits.count), "\(kind) \(method): Σ \(sum)")
        }
      }
    }
  }

  /// H_δ itself at the edges, against values worked out by hand: at the smallest δ no
  /// difference of two doubles lies strictly inside (−δ, δ) but 0, so H is the hard step with
  /// H(0) = ½; a subnormal δ still has a ramp for subnormal differences; a huge δ is a ramp
  /// over every finite difference.
  // Ramps checked at powers of two, where x/(2δ) is exact; other δ only where the clamp makes
  // the answer exact (x = 0, or |x| ≥ 2δ).
  static let edges: [(delta: Double, x: Double, expected: Double)] = {
    let tiny = Double.leastNonzeroMagnitude
    let normal = Double.leastNormalMagnitude
    let huge = Double.greatestFiniteMagnitude
    var edges: [(delta: Double, x: Double, expected: Double)] = []
    edges += [(tiny, 0, 0.5), (tiny, tiny, 1), (tiny, -tiny, 0), (tiny, 1, 1), (tiny, -1e308, 0)]
    let sub = subnormal
    edges += [(sub, 0, 0.5), (sub, 2 * sub, 1), (sub, -2 * sub, 0), (sub, 2, 1)]
    edges += [(sub, -2, 0), (0x1p-1030, 0x1p-1031, 0.75), (0x1p-1030, -0x1p-1032, 0.375)]
    edges += [(0x1p-1073, 0x1p-1074, 0.75), (normal, normal / 2, 0.75), (normal, -normal, 0)]
    edges += [(normal, 1e300, 1), (1e308, 0, 0.5), (1e308, 1.7e308, 1), (1e308, -huge, 0)]
    edges += [(1e19, 2e19, 1), (0x1p63, 0x1p62, 0.75), (0x1p1023, 0x1p1023, 1)]
    edges += [(0x1p1023, -0x1p1022, 0.25), (0x1p1020, -0x1p1018, 0.375), (huge, 1, 0.5)]
    edges += [(huge, 0, 0.5), (0, 0, 1), (0, -tiny, 0)]
    return edges
  }()

  // Ramps checked at powers of two, where x/(2δ) is exact; other δ only where the clamp makes
  // the answer exact (x = 0, or |x| ≥ 2δ).
  @Test(arguments: Self.edges)
  func stepAtTheEdges(delta: Double, x: Double, expected: Double) {
    let step = SmoothStep(delta: delta)
    let value = step(x)
    #expect(value == expected, "H_\(delta)(\(x))")
  }

  /// `problem` with its logits moved to `base` + j·ulp(base) (j the logit rounded, in −4...4)
  /// and δ = `multiple`·ulp(base).
  static func nearSpacing(_ problem: Problem, base: Double, multiple: Double) -> (Problem, Double) {
    var moved = problem
    moved.logits = problem.logits.map { base + $0.rounded() * base.ulp }
    return (moved, multiple * base.ulp)
  }

  static func expectFinite(_ result: LossResult, _ label: String) {
    #expect(result.loss.isFinite, "\(label): loss \(result.loss)")
    let finite = result.gradient.allSatisfy { $0.isFinite }
    #expect(finite, "\(label): gradient not finite")
  }
}
