/// One way to evaluate a loss: which loss, δ, method and (AP) precision variant.
public struct Evaluation: Hashable, Sendable, Codable, CustomStringConvertible {
  public var loss: LossKind
  public var delta: Double
  public var method: Method
  /// AP only: the variant, when it is not the method's official one.
  public var variant: APLoss.Variant?

  public init(loss: LossKind, delta: Double, method: Method, variant: APLoss.Variant? = nil) {
    self.loss = loss
    self.delta = delta
    self.method = method
    self.variant = variant
  }

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
    guard loss == .ap, let variant,
      variant != APLoss(delta: delta).variant(for: method)
    else { return method.rawValue }
    return "\(method.rawValue) (\(variant.rawValue))"
  }

  public var description: String { "\(loss.rawValue) δ=\(delta) \(methodLabel)" }
}

extension Evaluation {
  /// Evaluates on `input`, keeping the method's negative sums in `capture`.
  func evaluate(_ input: LossInput, capture: NegativeSumsCapture) throws -> LossResult {
    let loss = rankingLoss
    guard let definition = loss as? any LossDefinition else {
      return try loss.evaluate(input, method: method)
    }
    return try definition.evaluateDefinition(input, method: method, capture: capture)
  }
}
