import RankingLosses

/// How naive ran, in the JSON output.
struct NaiveEntry: Encodable {
  var requested: String
  var mode: String
  var work: Double
  var budget: Double
  var sampledPositives: Int?
  var sampledNegatives: Int?
  var sampledImages: Int?

  init(_ naive: VerificationOutcome.NaiveRun) {
    requested = naive.requested.rawValue
    mode = naive.mode.rawValue
    work = naive.work
    budget = naive.budget
    sampledPositives = naive.sampledPositives
    sampledNegatives = naive.sampledNegatives
    sampledImages = naive.sampledImages
  }

  enum CodingKeys: String, CodingKey {
    case requested, mode, work, budget
    case sampledPositives = "sampled_positives"
    case sampledNegatives = "sampled_negatives"
    case sampledImages = "sampled_images"
  }

  func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(requested, forKey: .requested)
    try c.encode(mode, forKey: .mode)
    try c.encode(work, forKey: .work)
    try c.encode(budget, forKey: .budget)
    try c.encode(sampledPositives, forKey: .sampledPositives)
    try c.encode(sampledNegatives, forKey: .sampledNegatives)
    try c.encode(sampledImages, forKey: .sampledImages)
  }
}

/// One evaluated method in the JSON output.
struct EvaluationEntry: Encodable {
  var loss: String
  var delta: Double
  var method: String
  var variant: String?
  var group: String
  var value: Double
  var rankingLoss: Double?
  var sortingLoss: Double?
  var relevantNegatives: Int
  var buckets: Int?
  var seconds: Double

  init(_ e: VerificationOutcome.EvaluationSummary) {
    loss = e.evaluation.loss.rawValue
    delta = e.evaluation.delta
    method = e.evaluation.method.rawValue
    variant = e.evaluation.apVariant?.rawValue
    group = (e.evaluation.grouping ?? .batch).rawValue
    value = e.loss
    rankingLoss = e.rankingLoss
    sortingLoss = e.sortingLoss
    relevantNegatives = e.statistics.relevantNegatives
    buckets = e.statistics.buckets
    seconds = e.seconds
  }

  enum CodingKeys: String, CodingKey {
    case loss, delta, method, variant, group
    case value = "loss_value"
    case rankingLoss = "ranking_loss"
    case
      sortingLoss = "sorting_loss"
    case relevantNegatives = "relevant_negatives"
    case buckets, seconds
  }

  func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(loss, forKey: .loss)
    try c.encode(delta, forKey: .delta)
    try c.encode(method, forKey: .method)
    try c.encode(variant, forKey: .variant)
    try c.encode(group, forKey: .group)
    try c.encode(value, forKey: .value)
    try c.encode(rankingLoss, forKey: .rankingLoss)
    try c.encode(sortingLoss, forKey: .sortingLoss)
    try c.encode(relevantNegatives, forKey: .relevantNegatives)
    try c.encode(buckets, forKey: .buckets)
    try c.encode(seconds, forKey: .seconds)
  }
}

/// One comparison in the JSON output (`loss_difference` null when the losses were not
/// compared: a sampled naive reference).
struct CheckEntry: Encodable {
  var check: FinishedCheck

  init(_ check: FinishedCheck) { self.check = check }

  /// `ok`, `info` or `FAIL`, as the text table shows it.
  static func verdict(_ check: FinishedCheck) -> String {
    check.verdict == .fail ? "FAIL" : check.verdict.rawValue
  }

  enum CodingKeys: String, CodingKey {
    case loss, delta, method, variant, reference, group
    case referenceGroup = "reference_group"
    case referenceVariant = "reference_variant"
    case
      requirement, reason
    case lossDifference = "loss_difference"
    case
      maxGradientDifference = "max_abs_grad_difference"
    case
      maxGradientDifferenceIndex = "max_abs_grad_difference_index"
    case
      maxRelativeGradientDifference = "max_rel_grad_difference"
    case
      firstViolationIndex = "first_violation_index"
    case agree, verdict
    case sampledPositives = "sampled_positives"
    case sampledNegatives = "sampled_negatives"
    case sampledImages = "sampled_images"
  }

  func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    let s = check.subject
    let comparison = check.comparison
    try c.encode(s.loss.rawValue, forKey: .loss)
    try c.encode(s.delta, forKey: .delta)
    try c.encode(s.method.rawValue, forKey: .method)
    try c.encode(s.apVariant?.rawValue, forKey: .variant)
    try c.encode(check.reference.methodName, forKey: .reference)
    try c.encode(check.reference.evaluation?.apVariant?.rawValue, forKey: .referenceVariant)
    try c.encode((s.grouping ?? .batch).rawValue, forKey: .group)
    try c.encode(
      check.reference.evaluation.map { ($0.grouping ?? .batch).rawValue }, forKey: .referenceGroup)
    try c.encode(check.requirement.rawValue, forKey: .requirement)
    try c.encode(check.reason, forKey: .reason)
    // null when not compared (a sampled naive reference has no loss).
    try c.encode(comparison.lossDifference, forKey: .lossDifference)
    try c.encode(comparison.maxGradientDifference, forKey: .maxGradientDifference)
    try c.encode(comparison.maxGradientDifferenceIndex, forKey: .maxGradientDifferenceIndex)
    try c.encode(comparison.maxRelativeGradientDifference, forKey: .maxRelativeGradientDifference)
    try c.encode(comparison.firstViolationIndex, forKey: .firstViolationIndex)
    try c.encode(comparison.agrees, forKey: .agree)
    try c.encode(check.verdict.rawValue, forKey: .verdict)
    var sampled: (positives: Int, negatives: Int, images: Int?)? = nil
    if case .sampledNaive(let positives, let negatives, let images) = check.reference {
      sampled = (positives, negatives, images)
    }
    try c.encode(sampled?.positives, forKey: .sampledPositives)
    try c.encode(sampled?.negatives, forKey: .sampledNegatives)
    try c.encode(sampled?.images, forKey: .sampledImages)
  }
}
