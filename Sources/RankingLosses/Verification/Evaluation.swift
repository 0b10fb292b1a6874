/// One way to evaluate a loss: which loss, δ, method, (AP) precision variant and grouping.
public struct Evaluation: Hashable, Sendable, Codable, CustomStringConvertible {
  public var loss: LossKind
  public var delta: Double
  public var method: Method
  /// AP only: the variant, when it is not the method's official one.
  public var variant: APLoss.Variant?
  /// ``Grouping/image`` to rank each image on its own (the input must carry image ids); nil is
  /// the batch, the official loss.
  public var grouping: Grouping?

  public init(
    loss: LossKind, delta: Double, method: Method, variant: APLoss.Variant? = nil,
    grouping: Grouping? = nil
  ) {
    self.loss = loss
    self.delta = delta
    self.method = method
    self.variant = variant
    self.grouping = grouping == .batch ? nil : grouping
  }

  /// Whether this evaluation ranks per image.
  public var isPerImage: Bool { grouping == .image }

  /// The loss to evaluate.
  public var rankingLoss: any RankingLoss {
    loss == .ap ? APLoss(delta: delta, variant: variant) : loss.loss(delta: delta)
  }

  /// AP only: the variant this evaluation uses (the given one, else the method's official one).
  public var apVariant: APLoss.Variant? {
    loss == .ap ? APLoss(delta: delta, variant: variant).variant(for: method) : nil
  }

  /// The method's name, with the AP variant when it is not the official one for the method.
  public var methodLabel: String {
    let perImage = isPerImage ? " per image" : ""
    guard loss == .ap, let variant,
      variant != APLoss(delta: delta).variant(for: method)
    else { return method.rawValue + perImage }
    return "\(method.rawValue) (\(variant.rawValue))" + perImage
  }

  public var description: String { "\(loss.rawValue) δ=\(delta) \(methodLabel)" }
}

extension Evaluation {
  /// Evaluates on `input`, keeping the method's negative sums in `capture`. Each loss is
  /// called by its concrete type so the evaluation is specialised (an existential call would
  /// run the generic code unspecialised, several times slower).
  func evaluate(_ input: LossInput, capture: NegativeSumsCapture) throws -> LossEvaluation {
    var input = input
    input.grouping = grouping ?? .batch
    return switch rankingLoss {
    case let loss as RankSortLoss:
      try loss.evaluation(input, method: method, capture: capture)
    case let loss as APLoss:
      try loss.evaluation(input, method: method, capture: capture)
    case let loss as ALRPLoss:
      try loss.evaluation(input, method: method, capture: capture)
    case let loss:
      try loss.evaluation(input, method: method)
    }
  }
}
