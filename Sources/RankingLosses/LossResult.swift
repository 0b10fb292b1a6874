/// The result of one loss evaluation.
public struct LossResult: Sendable, Equatable {
  /// The loss the official forward returns (RS: ranking + sorting error).
  public var loss: Double
  /// RS only: the mean ranking error and the mean sorting error (their sum is ``loss``).
  public var rankingLoss: Double?
  public var sortingLoss: Double?
  /// The gradient of ``loss`` with respect to every logit, in input order: the error-driven
  /// update of the papers divided by the number of positives. Exactly 0 for ignored examples and
  /// irrelevant negatives.
  public var gradient: [Double]
  /// aLRP only: rank_i = rank among positives + false positives, per positive in input order
  /// (the official aLRPLoss's second output).
  public var ranks: [Double]?
  public var statistics: Statistics
  /// ``Grouping/image`` only: the images and their losses L_g.
  public var images: ImageLosses?

  public init(
    loss: Double, rankingLoss: Double? = nil, sortingLoss: Double? = nil, gradient: [Double],
    ranks: [Double]? = nil, statistics: Statistics, images: ImageLosses? = nil
  ) {
    self.images = images
    self.loss = loss
    self.rankingLoss = rankingLoss
    self.sortingLoss = sortingLoss
    self.gradient = gradient
    self.ranks = ranks
    self.statistics = statistics
  }

  /// Counts that describe the input and the work done.
  public struct Statistics: Sendable, Equatable, Codable {
    public var count: Int
    public var positives: Int
    public var negatives: Int
    public var ignored: Int
    /// Negatives with logit ≥ min(positive logit) − δ; the others cannot affect the loss.
    public var relevantNegatives: Int
    /// The bucketed method's number of non-empty negative buckets.
    public var buckets: Int?

    public init(
      count: Int, positives: Int, negatives: Int, ignored: Int, relevantNegatives: Int,
      buckets: Int? = nil
    ) {
      self.count = count
      self.positives = positives
      self.negatives = negatives
      self.ignored = ignored
      self.relevantNegatives = relevantNegatives
      self.buckets = buckets
    }
  }
}

/// What a loss definition computes from the positives and their false-positive counts.
struct PositiveTerms {
  var loss: Double
  var rankingLoss: Double? = nil
  var sortingLoss: Double? = nil
  /// The update of each positive before the 1/P normalisation, ascending-logit order.
  var positiveGradient: [Double]
  /// w_i: the weight with which positive i's error flows to the negatives, before 1/P.
  var negativeWeights: [Double]
  /// aLRP's rank per positive, ascending-logit order.
  var ranks: [Double]? = nil
}
