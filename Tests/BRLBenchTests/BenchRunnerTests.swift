import BRLBench
import RankingLosses
import Testing

/// The runner's bookkeeping on tiny inputs; no assertion here depends on how long anything took.
@Suite struct BenchRunnerTests {
  static let plan = BenchPlan(
    losses: [.rs, .alrp], methods: BenchMethod.all, positives: [5, 10], negatives: [100, 300],
    repeats: 2, warmup: 1, seed: 3, budget: nil)

  @Test func measuresEveryPointOnceAndRecordsEach() throws {
    var recorded: [BenchMeasurement] = []
    var generated: [(Int, Int)] = []
    let outcome = try BenchRunner(plan: Self.plan).run(
      onEvent: { event in
        if case .generating(let p, let n) = event { generated.append((p, n)) }
      },
      record: { recorded.append($0) })
    #expect(!outcome.interrupted)
    #expect(outcome.measurements.count == 2 * 4 * 2 * 2)
    #expect(recorded == outcome.measurements)
    #expect(Set(outcome.measurements.map(\.point)) == Set(Self.plan.points))
    // One input per (P, N), shared by losses and methods.
    #expect(generated.map(\.0) == [5, 5, 10, 10] && generated.map(\.1) == [100, 300, 100, 300])
    for m in outcome.measurements {
      #expect(m.repeats == 2)
      #expect(m.minSeconds <= m.medianSeconds && m.medianSeconds <= m.maxSeconds)
      #expect(m.delta == LossKind(rawValue: m.loss)!.defaultDelta)
      if m.method == "floor" {
        #expect(m.relevantNegatives == nil)
      } else {
        #expect(m.relevantNegatives != nil)
      }
      #expect((m.buckets != nil) == (m.method == "bucketed"))
    }
  }

  /// Warm-ups count against the budget: over it, the rest are skipped and one repeat is timed
  /// (a million warm-ups would otherwise run whatever the budget).
  @Test func warmUpsStopAtTheBudget() throws {
    let plan = BenchPlan(
      losses: [.rs], methods: [.floor], positives: [5], negatives: [100], repeats: 3,
      warmup: 1_000_000, seed: 3, budget: 1e-12)
    var evaluations: [Int] = []
    let outcome = try BenchRunner(plan: plan).run(onEvent: { event in
      if case .evaluating(_, let evaluation, _, _, _) = event { evaluations.append(evaluation) }
    })
    #expect(outcome.measurements.map(\.repeats) == [1])
    #expect(evaluations == [1, 1_000_001])
  }

  @Test func cancellationKeepsFinishedPoints() throws {
    var checks = 0
    var recorded = 0
    let outcome = try BenchRunner(plan: Self.plan).run(
      isCancelled: {
        checks += 1
        return checks > 10
      },
      record: { _ in recorded += 1 })
    #expect(outcome.interrupted)
    #expect(outcome.measurements.count == recorded)
    #expect(outcome.measurements.count < Self.plan.points.count)
    #expect(outcome.measurements.allSatisfy { $0.repeats == 2 })
  }

  @Test func tinyBudgetSkipsWhatItCanPredict() throws {
    var plan = Self.plan
    plan.losses = [.rs]
    plan.methods = [.naive]
    plan.budget = 1e-12  // any prediction exceeds it; unpredictable points still run
    let outcome = try BenchRunner(plan: plan).run()
    #expect(outcome.measurements.map(\.point.negatives) == [100])
    #expect(outcome.measurements.map(\.point.positives) == [5])
    #expect(outcome.skipped.count == 3)
  }

  @Test func recordErrorsStopTheRun() {
    struct DiskFull: Error {}
    #expect(throws: DiskFull.self) {
      try BenchRunner(plan: Self.plan).run(record: { _ in throw DiskFull() })
    }
  }

  @Test func invalidPlansAreRejected() {
    var plan = Self.plan
    plan.repeats = 0
    #expect(throws: BenchPlan.Error.self) { try plan.validate() }
    plan = Self.plan
    plan.methods = [BenchMethod(rawValue: "magic")]
    #expect(throws: BenchPlan.Error.self) { try plan.validate() }
    plan = Self.plan
    plan.delta = -1
    #expect(throws: BenchPlan.Error.self) { try plan.validate() }
  }

  @Test func defaultMethodsAreEveryMethodPlusFloor() {
    #expect(BenchMethod.all.map(\.rawValue) == ["floor"] + Method.allCases.map(\.rawValue))
  }
}
